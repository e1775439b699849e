"""The one replay: entries applied in order to a loan's state, one handler per kind, each checking first.

DOMAIN.md "A repayment on day t" and "Life events"; the handlers live in ``flows`` (disbursement,
repayment, recovery) and ``life_events`` (opening, restructuring, relief, write-off). A handler refuses (``TransactionRefused``,
Vietnamese message with its English twin, naming the field and the limit) before it changes
anything, so a caller may report a refusal and go on with the next entry. A reversal is a
replay of the list without the entry: the state keeps nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from .dates import day_month_year
from .errors import TransactionRefused
from .events import (
    DAY_ORDER,
    Entry,
    Kind,
    LoanStatus,
    RecoveryResult,
    ReliefResult,
    WriteOffResult,
    ordered,
)
from .flows import ACTION
from .life_events import LifeEvents
from .messages import msg
from .records import Allocation, Balances, LoanResult, Quote

_ACTIVE, _WRITTEN_OFF = LoanStatus.ACTIVE, LoanStatus.WRITTEN_OFF  # module names: an enum member read is slower
_REPAYMENT, _DISBURSEMENT, _RESTRUCTURE = Kind.REPAYMENT, Kind.DISBURSEMENT, Kind.RESTRUCTURE


class LoanReplay(LifeEvents):
    """The state of one loan while its entries are applied in order (``ordered``).

    ``apply`` takes a ``Transaction``, ``Opening``, ``Restructuring``, ``InterestRelief`` or
    ``WriteOff`` and returns its result (``Allocation``, ``RecoveryResult``,
    ``RestructureResult``, ``ReliefResult``, ``WriteOffResult``; None for a disbursement or an
    opening), also kept in the lists ``allocations``, ``recoveries``, ``restructures``,
    ``reliefs``, ``write_offs``. ``watch_days`` is the watch's length in days (default 90).
    Raises ``TransactionRefused`` with nothing changed.
    """

    def apply(self, entry: Entry) -> object:
        """Apply one entry (on or after the last one, in DOMAIN.md's order of one date); returns its result."""
        kind = entry.kind
        on = entry.on
        if self.opened_on is not None and on <= self.opened_on:
            raise TransactionRefused(
                msg("Không thể {action} ngày {on}: khoản vay chuyển số dư ngày {opened_on}, mọi bút toán phải sau "
                    "ngày đó", action=msg(ACTION[kind]), on=day_month_year(on), opened_on=day_month_year(self.opened_on)),
                field="date")
        if self.status is _ACTIVE and on.toordinal() < self.day:
            # a quote or a balance already accrued past this day: applying it now would misstate the interest
            raise TransactionRefused(
                msg("Giao dịch ngày {on} đứng trước ngày đã tính lãi {accrued}: ghi các giao dịch theo thứ tự ngày",
                    on=day_month_year(on), accrued=day_month_year(date.fromordinal(self.day - 1))),
                field="date")
        order = DAY_ORDER[kind]
        if self.last_on is not None and (on < self.last_on or (on == self.last_on and order < self.last_order)):
            raise TransactionRefused(
                msg("Giao dịch ngày {on} đứng trước giao dịch đã ghi ngày {last_on} (trong một ngày: số dư chuyển "
                    "sang, giải ngân, cơ cấu lại, miễn giảm lãi, thu nợ, xóa nợ)",
                    on=day_month_year(on), last_on=day_month_year(self.last_on)),
                field="date")
        if kind is _REPAYMENT:
            result = self._repay(entry) if self.status is not _WRITTEN_OFF else self._recover(entry)
        elif kind is _DISBURSEMENT:
            result = self._disburse(entry)
        elif kind is _RESTRUCTURE:
            result = self._restructure(entry)
        elif kind is Kind.INTEREST_RELIEF:
            result = self._relieve(entry)
        elif kind is Kind.WRITE_OFF:
            result = self._write_off(entry)
        else:
            result = self._open(entry)
        self.last_on = on
        self.last_order = order
        t = self.totals  # state_parts.TOTALS
        if type(result) is Allocation:
            t[2] += result.principal
            t[3] += result.interest + result.overdue_interest + result.late_interest  # interest_total
        elif kind is _DISBURSEMENT:
            t[0] += 1
            t[1] += entry.amount
        elif type(result) is RecoveryResult:
            t[8] += result.amount
        elif kind is _RESTRUCTURE:
            t[4] += 1
            t[9] += 1
        elif type(result) is ReliefResult:
            t[5] += result.amount
            t[9] += 1
        elif type(result) is WriteOffResult:
            t[6] += result.principal
            t[7] += result.interest
            t[9] += 1
        return result


def replay_entries(
    terms,
    entries: Iterable[Entry],
    until: date | None = None,
    on_result: Callable[[Entry, object], None] | None = None,
    on_refused: Callable[[Entry, TransactionRefused], None] | None = None,
    watch_days: int = 90,
    checkpoints: Sequence[date] = (),
    on_checkpoint: Callable[[LoanReplay, date], None] | None = None,
    start: LoanReplay | None = None,
) -> LoanReplay:
    """The one replay path: apply ``entries`` (any order: sorted by ``ordered``) dated on or before
    ``until`` (all without it) to a fresh ``LoanReplay`` of ``terms`` and return it.

    ``on_result(entry, result)`` is called after each applied entry with its result (None for a
    disbursement or an opening). A refused entry calls ``on_refused(entry, error)`` and is skipped
    (nothing of it applied); without ``on_refused`` the ``TransactionRefused`` propagates.
    ``on_checkpoint(state, day)`` is called for each of ``checkpoints`` (ascending dates) once
    every entry dated on or before it is applied and none after (e.g. to read balances there).
    ``start``: go on from this state (a checkpoint's, ``LoanReplay.restore``) instead of a fresh one; ``entries``
    are then only those dated after the day it was taken, and ``checkpoints`` only later days.
    """
    state = LoanReplay(terms, watch_days) if start is None else start
    marks = [d for d in checkpoints if until is None or d <= until] if on_checkpoint is not None else []
    i = 0
    for entry in ordered(entries):
        if until is not None and entry.on > until:
            break
        while i < len(marks) and marks[i] < entry.on:
            on_checkpoint(state, marks[i])
            i += 1
        try:
            result = state.apply(entry)
        except TransactionRefused as err:
            if on_refused is None:
                raise
            on_refused(entry, err)
            continue
        if on_result is not None:
            on_result(entry, result)
    while i < len(marks):
        on_checkpoint(state, marks[i])
        i += 1
    return state


def replay(terms, entries: Iterable[Entry], as_of: date | None = None, watch_days: int = 90) -> LoanResult:
    """Apply the entries (on or before ``as_of``) in order and read the loan at the end of ``as_of``.

    Without ``as_of``: at the date of the last entry. ``terms`` is a ``LoanTerms``. Raises
    ``TransactionRefused`` on the first entry the rules refuse.
    """
    txs = ordered(entries)
    state = replay_entries(terms, txs, until=as_of, watch_days=watch_days)
    when = as_of or (txs[-1].on if txs else date.today())
    return LoanResult(
        balances=state.balances(when),
        allocations=tuple(state.allocations),
        schedule=tuple(state.schedule()),
        disbursed=state.disbursed,
        prepaid=state.prepaid,
        closed_on=state.closed_on,
        anchor=state.anchor,
        restructures=tuple(state.restructures),
        reliefs=tuple(state.reliefs),
        write_offs=tuple(state.write_offs),
        recoveries=tuple(state.recoveries),
        restructure_count=state.restructure_count,
        status=str(state.status),
    )


def balances_at(terms, entries: Sequence[Entry], dates: Sequence[date], watch_days: int = 90) -> list[Balances]:
    """Balances at each of ``dates`` (ascending) in one pass over the entries: ``replay_entries``'s checkpoints, up
    to the last date (later entries are not applied). Raises ``TransactionRefused``."""
    if not dates:
        return []
    out: list[Balances] = []
    replay_entries(terms, entries, until=dates[-1], watch_days=watch_days, checkpoints=dates,
                   on_checkpoint=lambda state, when: out.append(state.balances(when)))
    return out


def quote(terms, entries: Iterable[Entry], on: date, watch_days: int = 90) -> Quote:
    """The amount due to become current and the settlement amount on ``on`` (đồng). Raises ``TransactionRefused``."""
    return replay_entries(terms, entries, until=on, watch_days=watch_days).quote(on)
