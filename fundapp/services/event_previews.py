"""What a life event would do, before it is posted, and where a loan stands with its events.

DOMAIN.md "Life events". Each preview replays the loan's entries in force plus the proposed event through the one
keyed replay (``posting.replay_keyed`` over ``domain.replay.replay_entries``), writes nothing and returns plain values
(đồng, dates, groups) for the loan page's dialogs. A refusal of the proposed event is the engine's (``UserFacingError``
naming its field and limit, in Vietnamese with its English twin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from fundapp.domain.engine import (
    DAY_ORDER,
    Balances,
    Entry,
    Installment,
    InterestRelief,
    Kind,
    LoanReplay,
    LoanStatus,
    RecoveryResult,
    ReliefResult,
    RestructureResult,
    Restructuring,
    WriteOff,
    WriteOffResult,
    debt_group,
    restructured_group,
)
from fundapp.domain.figures import provision, uncovered_principal, write_off_total
from fundapp.domain.messages import N_
from fundapp.domain.terms import LoanTerms

from .book_loader import entries_with_ids, terms_of, watch_days_in
from .clock import refuse_future, refuse_future_figures
from .context import Context
from .posting import KIND_VI, loan_record, refuse_before_write_off, replay_keyed
from .settings import load_settings

WATCH_DAYS = 90  # DOMAIN.md's default watch length; a book's own is its setting ``watch_days`` (issue 12)


class _Loan(NamedTuple):
    """A loan as read once for its previews: number, terms, (entry id, entry) in force, the book's watch in days."""

    loan_no: str
    terms: LoanTerms
    items: list[tuple[int, Entry]]
    watch_days: int


def _load(ctx: Context, loan_id: int) -> _Loan:
    """Loan ``loan_id`` read in one unit. Raises ``NotFound``."""
    with ctx.db.read() as s:
        record = loan_record(s, loan_id)
        return _Loan(record.loan_no, terms_of(record), entries_with_ids(s, loan_id), watch_days_in(s))


def _with(loan: _Loan, on: date, event: Entry | None) -> tuple[LoanReplay, LoanReplay, object]:
    """(the loan replayed with every entry in force and ``event``; the same with only those dated on or before
    ``on``, to read at the end of ``on``; ``event``'s result). One replay when no entry is dated after ``on`` (both
    states are then one object). Raises ``UserFacingError`` if the engine refuses ``event`` or any entry after it
    would be refused."""
    if event is not None:  # refused as its posting would be (a write-off in force on or after ``on``)
        refuse_before_write_off([e for _, e in loan.items], on)
    items = loan.items if event is None else [*loan.items, (None, event)]
    whole, results = replay_keyed(loan.terms, items, loan.watch_days)
    if any(e.on > on for _, e in items):
        return whole, _at(loan, on, event), results.get(None)
    return whole, whole, results.get(None)


def _at(loan: _Loan, on: date, event: Entry | None = None) -> LoanReplay:
    """The loan replayed with the entries dated on or before ``on`` (and ``event``), to read at the end of ``on``."""
    items = loan.items if event is None else [*loan.items, (None, event)]
    return replay_keyed(loan.terms, items, loan.watch_days, until=on)[0]


def replayed(terms: LoanTerms, in_force: list[tuple[int, Entry]], until: date, watch_days: int,
             every: bool = True) -> tuple[LoanReplay, dict[int, object], dict[int, object] | None]:
    """A loan read at the end of ``until``: its state replayed with its entries in force (id, entry) dated on or
    before ``until``, each applied entry's result by id, and with ``every`` the result of every entry in force of
    any date by id (the same dict, from the same one replay, when none is dated after ``until``; None without
    ``every``). ``watch_days``: the book's watch, days. Shared by the loan page (``loans``) and ``loan_events``."""
    state, results = replay_keyed(terms, in_force, watch_days, until=until)
    if not every:
        return state, results, None
    if any(entry.on > until for _, entry in in_force):
        return state, results, replay_keyed(terms, in_force, watch_days)[1]
    return state, results, results


# -- restructuring ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RestructurePreview:
    """A restructuring (cơ cấu lại) on ``on`` as the engine would apply it.

    ``before``/``after``: the schedule as it stands at the end of ``on`` without / with it, as the loan page reads
    it that day (grid numbers; an installment due on or before ``on`` has its actual interest, one not yet due the
    engine's projection, ``interest_projected``). ``deferred_interest`` đồng moves to the first installment due after
    ``on``; ``number`` is r after it (the loan's restructurings, its whole life). At the end of ``on``:
    ``principal_outstanding`` đồng, ``days_past_due`` on the new schedule, ``group_by_days`` (days past due
    alone), ``group_rule`` (Circular 14/2024 Art. 5 for r and those days) and ``debt_group`` (the riskier of
    the two while the watch holds; ``group_before`` without the restructuring). The watch ends at the end of
    the first day on which ``watch_days`` consecutive days end with 0 days past due and the installment due
    ``watch_first_due`` (the first after ``on``) was paid in full by its due date: at the earliest
    ``watch_earliest_end``."""

    loan_no: str
    on: date
    extend_months: int
    grace_periods: int
    before: tuple[Installment, ...]
    after: tuple[Installment, ...]
    deferred_interest: int
    number: int
    principal_outstanding: int
    days_past_due: int
    group_before: int
    group_by_days: int
    group_rule: int
    debt_group: int
    watch_days: int
    watch_first_due: date | None
    watch_earliest_end: date

    @property
    def last_due_before(self) -> date | None:
        """The last due date of the schedule as it stands (None without one)."""
        return self.before[-1].due_on if self.before else None

    @property
    def last_due_after(self) -> date | None:
        """The last due date after the restructuring (None without one)."""
        return self.after[-1].due_on if self.after else None


def preview_restructure(ctx: Context, loan_id: int, on: date, extend_months: int,
                        grace_periods: int) -> RestructurePreview:
    """What restructuring loan ``loan_id`` on ``on`` with ``extend_months`` (months, a multiple of the loan's
    frequency) and ``grace_periods`` (installments without principal) would do; nothing written. Raises
    ``UserFacingError`` with the engine's refusal (DOMAIN.md "Restructuring on day t"), ``ValidationError`` for an
    ``on`` after the book's today (the posting's own refusal)."""
    refuse_future(ctx, on, KIND_VI[Kind.RESTRUCTURE], "on")
    event = Restructuring(on, extend_months, grace_periods, "", "")
    loan = _load(ctx, loan_id)
    _, at_before, _ = _with(loan, on, None)
    _, at_after, result = _with(loan, on, event)
    assert isinstance(result, RestructureResult)
    then_before = at_before.balances(on)
    then = at_after.balances(on)
    # each schedule as the engine states it at the end of ``on`` (after balances(on) brought the state there):
    # an installment due on or before ``on`` has its actual interest, as on the loan page and in the posted
    # decision (``posted_event``), not the projection the state held at its last entry's day
    schedule_before, schedule_after = tuple(at_before.schedule()), tuple(at_after.schedule())
    first_due = next((k.due_on for k in schedule_after if k.due_on > on), None)
    watch = loan.watch_days
    earliest = on + timedelta(days=watch - 1)
    if first_due is not None and first_due > earliest:
        earliest = first_due
    return RestructurePreview(
        loan_no=loan.loan_no, on=on, extend_months=extend_months, grace_periods=grace_periods,
        before=schedule_before, after=schedule_after, deferred_interest=result.deferred_interest,
        number=result.number, principal_outstanding=then.principal_outstanding, days_past_due=then.days_past_due,
        group_before=then_before.debt_group, group_by_days=debt_group(then.days_past_due),
        group_rule=restructured_group(result.number, then.days_past_due), debt_group=then.debt_group,
        watch_days=watch, watch_first_due=first_due, watch_earliest_end=earliest)


# -- interest relief --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReliefLimits:
    """The most that can be relieved on ``on`` of each kind (đồng): what is payable of it on that day
    (accrued through the day before), after that day's restructurings and before its repayments."""

    on: date
    late_interest: int
    overdue_interest: int
    interest: int

    def most(self, relief_of: str) -> int:
        """The most relievable (đồng) of ``relief_of`` (late_interest, overdue_interest or interest)."""
        return getattr(self, relief_of)


def relief_limits(ctx: Context, loan_id: int, on: date) -> ReliefLimits:
    """The most relievable per kind on ``on`` (DOMAIN.md "Interest relief on day t"): the engine's quote of the
    loan replayed with its entries before ``on`` and that day's entries ordered before a relief. Raises
    ``NotFound``, ``ValidationError`` (field "on") for a day after the book's today (``clock.refuse_future_figures``)."""
    refuse_future_figures(ctx, on, "on")
    return _limits(_load(ctx, loan_id), on)


def _limits(loan: _Loan, on: date) -> ReliefLimits:
    relief = DAY_ORDER[Kind.INTEREST_RELIEF]
    state = _at(loan._replace(items=[(i, e) for i, e in loan.items
                                     if e.on < on or (e.on == on and DAY_ORDER[e.kind] <= relief)]), on)
    if state.status is not LoanStatus.ACTIVE:
        return ReliefLimits(on, 0, 0, 0)
    q = state.quote(on)
    return ReliefLimits(on, q.late_interest, q.overdue_interest, q.interest_due)


@dataclass(frozen=True)
class ReliefPreview:
    """A relief as the engine would apply it: ``result`` (kind, đồng), the limits of that day, and the loan at the
    end of ``on`` with it (``balances``; a relieved loan is at least group 3 while its watch holds)."""

    loan_no: str
    limits: ReliefLimits
    result: ReliefResult
    balances: Balances
    group_before: int


def preview_relief(ctx: Context, loan_id: int, on: date, relief_of: str, amount: int) -> ReliefPreview:
    """Relieving ``amount`` đồng of ``relief_of`` (late_interest, overdue_interest or interest) on ``on``; nothing
    written. Raises ``UserFacingError`` (field "amount": the most that can be relieved named), ``ValidationError``
    for an ``on`` after the book's today (the posting's own refusal)."""
    refuse_future(ctx, on, KIND_VI[Kind.INTEREST_RELIEF], "on")
    event = InterestRelief(on, relief_of, amount, "", "")
    loan = _load(ctx, loan_id)
    _, then, result = _with(loan, on, event)
    assert isinstance(result, ReliefResult)
    return ReliefPreview(loan.loan_no, _limits(loan, on), result, then.balances(on), _at(loan, on).balances(on).debt_group)


# -- write-off --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WriteOffPreview:
    """A write-off at the end of ``on``: ``principal`` and ``interest`` (đồng) go off the balance sheet.

    The loan at the end of ``on`` without it: ``debt_group`` and the specific provision that covers its
    principal, ``provision_rate`` % of ``principal`` = ``provision`` đồng (DOMAIN.md "Provisions", rates from the
    fund's settings); ``uncovered`` = principal − provision."""

    loan_no: str
    on: date
    principal: int
    interest: int
    debt_group: int
    provision_rate: object
    provision: int

    @property
    def total(self) -> int:
        """Principal + interest taken off-balance, đồng (``figures.write_off_total``)."""
        return write_off_total(self.principal, self.interest)

    @property
    def uncovered(self) -> int:
        """Principal the provision does not cover, đồng (``figures.uncovered_principal``)."""
        return uncovered_principal(self.principal, self.provision)


def preview_write_off(ctx: Context, loan_id: int, on: date) -> WriteOffPreview:
    """What writing loan ``loan_id`` off at the end of ``on`` takes off the balance sheet and the provision that
    covers it; nothing written. Raises ``UserFacingError`` (DOMAIN.md "Write-off on day t"), ``ValidationError`` for
    an ``on`` after the book's today (the posting's own refusal)."""
    refuse_future(ctx, on, KIND_VI[Kind.WRITE_OFF], "on")
    loan = _load(ctx, loan_id)
    _, _, result = _with(loan, on, WriteOff(on, "", ""))
    assert isinstance(result, WriteOffResult)
    group = _at(loan, on).balances(on).debt_group
    return WriteOffPreview(loan.loan_no, on, result.principal, result.interest, group,
                           *_provision(ctx, result.principal, group))


# -- where a loan stands ----------------------------------------------------------------------------
@dataclass(frozen=True)
class LoanEvents:
    """A loan's life events read at the end of ``as_of`` (for the loan page).

    ``restructurings`` (r, its whole life, openings' earlier ones included); the watch while it holds:
    ``watch_since`` (its last (re)start), ``watch_restructured``/``watch_relieved`` (what it holds); the group by
    days past due alone (``group_by_days``) and the group (``debt_group``); ``relieved`` đồng per kind;
    ``written_off_on`` and the off-balance amounts (đồng): ``off_principal``/``off_interest`` still off-balance,
    ``recovered_principal``/``recovered_interest``; ``results`` the engine's result record of each life event and
    recovery (``RestructureResult``, ``ReliefResult``, ``WriteOffResult``, ``RecoveryResult``) by entry id;
    ``watch_days`` the book's watch length in days."""

    as_of: date
    restructurings: int
    watch_since: date | None
    watch_restructured: bool
    watch_relieved: bool
    watch_first_due: date | None
    watch_earliest_end: date | None
    days_past_due: int
    group_by_days: int
    debt_group: int
    relieved: dict
    written_off_on: date | None
    written_off_principal: int
    written_off_interest: int
    off_principal: int
    off_interest: int
    recovered_principal: int
    recovered_interest: int
    results: dict  # entry id → the engine's result for a life event or a recovery (of any date)
    watch_days: int = WATCH_DAYS  # the book's watch length (setting ``watch_days``), days

    @property
    def has_events(self) -> bool:
        """True when the loan has a restructuring, a relief, a watch or a write-off to show."""
        return bool(self.restructurings or self.watch_since or any(self.relieved.values()) or self.written_off_on)


def loan_events(ctx: Context, loan_id: int, as_of: date) -> LoanEvents:
    """Loan ``loan_id``'s restructurings, reliefs, watch, write-off and recoveries at the end of ``as_of``. Raises
    ``NotFound``, ``ValidationError`` (field "on", the day of the dialogs that read it) for a day after the book's
    today (``clock.refuse_future_figures``)."""
    refuse_future_figures(ctx, as_of, "on")
    loan = _load(ctx, loan_id)
    state, _, every = replayed(loan.terms, loan.items, as_of, loan.watch_days)
    return events_at(state, as_of, every, loan.watch_days)


def events_at(state: LoanReplay, as_of: date, results: dict, watch_days: int) -> LoanEvents:
    """``LoanEvents`` of a loan replayed (``state``) with its entries in force dated on or before ``as_of``, at the
    end of that day (``state`` is brought there); ``results``: the engine's result of each entry in force of any
    date by entry id (only life events' and recoveries' are kept); ``watch_days``: the book's watch length, days."""
    results = {k: r for k, r in results.items()
               if isinstance(r, RestructureResult | ReliefResult | WriteOffResult | RecoveryResult)}
    b = state.balances(as_of)  # brings the watch to the end of as_of
    watch = state.watch
    since = date.fromordinal(watch.start) if watch is not None else None
    first_due = earliest = None
    if since is not None:
        first_due = next((k.due_on for k in state.schedule() if k.due_on > since), None)
        earliest = date.fromordinal(watch.last_dirty + watch.days)
        if first_due is not None and first_due > earliest:
            earliest = first_due
    relieved = {"late_interest": 0, "overdue_interest": 0, "interest": 0}
    for r in state.reliefs:
        relieved[r.relief_of] += r.amount
    off_p, off_i = state.off_balance
    wo = state.write_offs[-1] if state.write_offs else None
    return LoanEvents(
        as_of=as_of, restructurings=state.restructure_count, watch_since=since,
        watch_restructured=bool(watch and watch.restructured), watch_relieved=bool(watch and watch.relieved),
        watch_first_due=first_due, watch_earliest_end=earliest, days_past_due=b.days_past_due,
        group_by_days=debt_group(b.days_past_due), debt_group=b.debt_group, relieved=relieved,
        written_off_on=state.written_off_on if state.status is LoanStatus.WRITTEN_OFF else None,
        written_off_principal=wo.principal if wo else 0, written_off_interest=wo.interest if wo else 0,
        off_principal=off_p, off_interest=off_i, recovered_principal=state.recovered_principal,
        recovered_interest=state.recovered_interest, results=results, watch_days=watch_days)


@dataclass(frozen=True)
class RecoveryPreview:
    """A repayment on a written-off loan, taken as a recovery (thu hồi nợ đã xử lý): ``result`` splits it into
    recovered principal first, then interest; ``off_principal``/``off_interest`` đồng remain off-balance before."""

    result: RecoveryResult
    off_principal: int
    off_interest: int


def preview_recovery(ctx: Context, loan_id: int, on: date, amount: int) -> RecoveryPreview:
    """The split of ``amount`` đồng received on ``on`` from a written-off loan; nothing written. Raises
    ``UserFacingError`` when more than remains off-balance (DOMAIN.md "Write-off on day t"), ``ValidationError``
    for an ``on`` after the book's today (a repayment's refusal: ``posting.preview_repayment``)."""
    from .posting import preview_repayment

    preview = preview_repayment(ctx, loan_id, on, amount)  # one read and one replay: the split and what was off
    assert isinstance(preview.allocation, RecoveryResult), "not a written-off loan"
    return RecoveryPreview(preview.allocation, *preview.off_balance)


# -- an event already posted (its documents) ----------------------------------------------------------
@dataclass(frozen=True)
class PostedEvent:
    """A posted life event read back through the engine: ``entry`` (the domain record), ``result`` (its result
    record), at the end of its day ``balances`` with it (and its day's entries ordered before it, none after) and
    ``group_before`` without it, ``schedule`` as it
    stands then (with it), ``last_due_before`` (without it), and for a write-off the provision that covered its
    principal (``provision_rate`` % for ``group_before``, ``provision`` đồng)."""

    entry: Entry
    result: object
    balances: Balances
    group_before: int
    schedule: tuple[Installment, ...]
    last_due_before: date | None
    provision_rate: object = None
    provision: int = 0


def _provision(ctx: Context, principal: int, group: int) -> tuple[object, int]:
    rate = load_settings(ctx).provision_map()[group]
    return rate, provision(principal, rate)


def posted_event(ctx: Context, loan_id: int, entry_id: int) -> PostedEvent:
    """The posted life event ``entry_id`` of loan ``loan_id`` as the engine reads it on its day (for its documents).
    Raises ``NotFound`` when it is not a life event in force of that loan."""
    from .errors import NotFound

    _, terms, items, watch = _load(ctx, loan_id)
    entry = next((e for i, e in items if i == entry_id), None)
    if entry is None or entry.kind not in (Kind.RESTRUCTURE, Kind.INTEREST_RELIEF, Kind.WRITE_OFF):
        raise NotFound(N_("Không có quyết định cơ cấu lại, miễn giảm lãi hay xử lý rủi ro này (hoặc đã bị hủy)"))
    # the day read up to this entry: later entries of its day (a relief after a restructuring…) are left out
    key = (entry.on, DAY_ORDER[entry.kind])
    position = next(n for n, (i, _) in enumerate(items) if i == entry_id)
    upto = [(i, e) for n, (i, e) in enumerate(items) if (e.on, DAY_ORDER[e.kind]) < key
            or ((e.on, DAY_ORDER[e.kind]) == key and n <= position)]
    state, results = replay_keyed(terms, upto, watch, until=entry.on)
    without = replay_keyed(terms, [(i, e) for i, e in items if i != entry_id], watch, until=entry.on)[0]
    before = without.balances(entry.on)
    schedule_before = without.schedule()
    result = results[entry_id]
    covered = _provision(ctx, result.principal, before.debt_group) if isinstance(result, WriteOffResult) else (None, 0)
    return PostedEvent(entry, result, state.balances(entry.on), before.debt_group, tuple(state.schedule()),
                       schedule_before[-1].due_on if schedule_before else None, *covered)
