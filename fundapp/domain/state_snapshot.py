"""A loan state's checkpoint form (issue 17): ``snapshot`` flattens a ``state.LoanState`` into ints, None and lists
of ints (dates as day ordinals, no float, no text), versioned by ``STATE_FORMAT``; ``restore`` takes it back and
refuses anything else. ``services.checkpoints`` stores it; the properties of ``tests/unit/test_checkpoints.py``
check that a restored state plus the later entries equals a full replay.
"""

from __future__ import annotations

from datetime import date

from .events import LoanStatus
from .groups import Watch
from .state_parts import TOTALS, Accrual, Installments, OffBalance
from .terms import LoanTerms

STATE_FORMAT = 4  # the layout of ``LoanState.snapshot`` and of its flat form: change it with the layout
NONE = -(2**63)  # None in the flat form (``flat_snapshot``): no day ordinal, amount or count is this
FLAT_FIXED = 47 + 7 + len(TOTALS)  # items of a flat snapshot before the installments' seven lists (scalars, watch, totals)
_MAY_BE_NONE = (1, 2, 3, 4, 5, 6, 20)  # the scalars that may be None (status and the day ordinals)
_STATUSES = (LoanStatus.PENDING, LoanStatus.ACTIVE, LoanStatus.SETTLED, LoanStatus.WRITTEN_OFF)  # codes 0–3
_STATUS_CODES = {status: i for i, status in enumerate(_STATUSES)}
_SCALARS = 47  # items of a snapshot before the watch
_SNAPSHOT_LEN = _SCALARS + 2 + 7


def _flat(day: date | None) -> int:
    return NONE if day is None else day.toordinal()


def _nested(ints: tuple[int, ...] | list[int]) -> list:
    """``snapshot``'s form of a ``flat_snapshot``: ``NONE`` back to None where None may be; raises ``ValueError``
    for a length that is not ``FLAT_FIXED`` + 7 equal lists, a watch flag not 0/1, or ``NONE`` elsewhere."""
    rest = len(ints) - FLAT_FIXED
    if rest < 0 or rest % 7:
        raise ValueError("not a flat loan state snapshot")
    head = list(ints[:_SCALARS])
    for i in _MAY_BE_NONE:
        if head[i] == NONE:
            head[i] = None
    if NONE in head:
        raise ValueError("malformed loan state snapshot")
    flag, watch = ints[_SCALARS], list(ints[_SCALARS + 1 : _SCALARS + 7])
    if flag not in (0, 1) or (not flag and any(watch)) or NONE in watch[:5] or NONE in ints[_SCALARS + 7:]:
        raise ValueError("malformed loan state snapshot")
    if watch[5] == NONE:
        watch[5] = None
    n, at = rest // 7, FLAT_FIXED
    lists = [list(ints[at + k * n : at + (k + 1) * n]) for k in range(7)]
    return [*head, watch if flag else None, list(ints[_SCALARS + 7 : FLAT_FIXED]), *lists]


def _day(ordinal: int) -> date | None:
    return None if ordinal == NONE else date.fromordinal(ordinal)


class Snapshots:
    """What ``LoanState`` (every subclass: ``LoanReplay``) takes a checkpoint and restores one with. Reads and sets
    the state's own attributes: change ``STATE_FORMAT`` with any change to the layout."""

    def snapshot(self) -> list:
        """The state as a list of ints, None and lists of ints (no float, no text; dates as day ordinals), versioned
        by ``STATE_FORMAT`` in its first item: ``flat_snapshot`` nested (its 47 scalars, the watch or None, the
        totals, the installments' seven lists), what ``restore`` takes back. The results of the entries applied so far
        (``allocations``…) are history, not state: they are not kept. Take it at the end of a day (every entry
        dated on or before it applied, none after), e.g. right after ``balances`` of that day."""
        return _nested(self.flat_snapshot())

    def flat_snapshot(self) -> list[int]:
        """The state as one flat list of ints (what a checkpoint packs as 64-bit ints): 47 scalars (``STATE_FORMAT``
        first; dates as day ordinals), the watch as a present flag (0/1) and its six items (zeros when there is
        none), the totals, then the installments' seven lists one after the other (each as long as the others);
        ``NONE`` stands for None. ``from_flat`` takes it back."""
        inst, watch, off = self.inst, self.watch, self.off
        p, o, la = self.period, self.overdue, self.late
        flat = [
            STATE_FORMAT, _STATUS_CODES[self.status], _flat(self.anchor), _flat(self.started_on),
            _flat(self.opened_on), _flat(self.closed_on), _flat(self.written_off_on),
            self.first_open, self.fixed, self.past, self.day, self.disbursed, self.repaid_principal, self.prepaid,
            self.overdue_p, self.overdue_i, self.grace_from, self.grace_to, self.restructure_count,
            self.settlement_interest, _flat(self.last_on), self.last_order, self.watch_days,
            int(self.restructured), inst.deferred,
            p.num, p.den, p.dd, p.base, p.paid, p.relieved, o.num, o.den, o.dd, o.base, o.paid, o.relieved,
            la.num, la.den, la.dd, la.base, la.paid, la.relieved,
            off.principal, off.interest, off.recovered_principal, off.recovered_interest,
            *((0, 0, 0, 0, 0, 0, 0) if watch is None else
              (1, watch.start, watch.days, int(watch.restructured), int(watch.relieved), watch.last_dirty,
               NONE if watch.paid_on is None else watch.paid_on)),
        ]
        flat += self.totals
        for values in (inst.no, inst.due, inst.principal, inst.principal_paid, inst.interest, inst.interest_paid,
                       inst.interest_relieved):
            flat += values
        return flat

    @classmethod
    def restore(cls, terms: LoanTerms | None, data: list, watch_days: int):
        """The state ``snapshot`` gave (``from_flat`` of it flattened); raises ``ValueError`` for anything that is
        not a snapshot of ints, None where a day may be missing and seven lists of ints of one length."""
        if type(data) is not list or len(data) != _SNAPSHOT_LEN:
            raise ValueError("not a loan state snapshot of this format")
        head, watch, totals, lists = data[:_SCALARS], data[_SCALARS], data[_SCALARS + 1], data[_SCALARS + 2:]
        if watch is not None and (type(watch) is not list or len(watch) != 6):
            raise ValueError("malformed loan state snapshot")
        flat = [NONE if x is None and i in _MAY_BE_NONE else x for i, x in enumerate(head)]
        flat += (0, 0, 0, 0, 0, 0, 0) if watch is None else (1, *watch[:5], NONE if watch[5] is None else watch[5])
        for values in (totals, *lists):
            if type(values) is not list or (values is not totals and len(values) != len(lists[0])):
                raise ValueError("malformed loan state snapshot")
            flat += values
        if any(type(x) is not int for x in flat):
            raise ValueError("malformed loan state snapshot")
        return cls.from_flat(terms, flat, watch_days)

    @classmethod
    def from_flat(cls, terms: LoanTerms | None, ints: tuple[int, ...] | list[int], watch_days: int):
        """The state ``flat_snapshot`` gave, of a loan with ``terms`` and a watch of ``watch_days`` days. ``ints``
        holds only ints (as ``struct.unpack`` gives them).

        ``terms`` may be None when no entry will be applied (only read-outs at later dates: ``balances``,
        ``quote``). Raises ``ValueError`` for anything that is not a flat snapshot of this format made with this
        watch length (wrong version, a length that is not ``FLAT_FIXED`` + 7 equal lists, ``NONE`` where None
        cannot be, a watch flag not 0/1, an unknown status or day: a checkpoint that fails to load is never
        trusted).
        """
        rest = len(ints) - FLAT_FIXED
        if rest < 0 or rest % 7 or ints[0] != STATE_FORMAT or ints[22] != watch_days:
            raise ValueError("not a loan state snapshot of this format")
        flag, n = ints[_SCALARS], rest // 7
        if NONE in ints[7:20] or NONE in ints[21 : _SCALARS + 6] or flag not in (0, 1) or \
                (not flag and any(ints[_SCALARS + 1 : _SCALARS + 7])) or NONE in ints[_SCALARS + 7 : FLAT_FIXED]:
            raise ValueError("malformed loan state snapshot")
        lists = [list(ints[at : at + n]) for at in range(FLAT_FIXED, len(ints), n)] if n else [[] for _ in range(7)]
        if any(NONE in values for values in lists):
            raise ValueError("malformed loan state snapshot")
        head = ints[:_SCALARS]
        watch = None if not flag else list(ints[_SCALARS + 1 : _SCALARS + 7])
        totals = list(ints[_SCALARS + 7 : FLAT_FIXED])
        self = cls.__new__(cls)
        self.watch_days = watch_days
        self.terms, self._period_rate = None, None
        if terms is not None:
            self.attach(terms)
        (_, status, anchor, started, opened, closed, written_off, self.first_open, self.fixed, self.past, self.day,
         self.disbursed, self.repaid_principal, self.prepaid, self.overdue_p, self.overdue_i, self.grace_from,
         self.grace_to, self.restructure_count, self.settlement_interest, last_on, self.last_order, _,
         restructured, deferred) = head[:25]
        if status not in (0, 1, 2, 3):
            raise ValueError("unknown status in a loan state snapshot")
        self.status = _STATUSES[status]
        self.anchor, self.started_on, self.opened_on = _day(anchor), _day(started), _day(opened)
        self.closed_on, self.written_off_on, self.last_on = _day(closed), _day(written_off), _day(last_on)
        self.restructured_earlier = bool(restructured)
        accruals = []
        for i in range(25, 43, 6):
            a = Accrual(head[i], head[i + 1])
            a.dd, a.base, a.paid, a.relieved = head[i + 2 : i + 6]
            accruals.append(a)
        self.period, self.overdue, self.late = accruals
        self._rn, self._rd = self.period.num, self.period.den
        off = self.off = OffBalance()
        off.principal, off.interest, off.recovered_principal, off.recovered_interest = head[43:47]
        if watch is None:
            self.watch = None
        else:
            w = self.watch = Watch(watch[0], watch[1], bool(watch[2]), bool(watch[3]))
            w.last_dirty, w.paid_on = watch[4], None if watch[5] == NONE else watch[5]
        inst = self.inst = Installments()
        (inst.no, inst.due, inst.principal, inst.principal_paid, inst.interest, inst.interest_paid,
         inst.interest_relieved) = lists
        inst.deferred = deferred
        self.totals = totals
        self.allocations, self.restructures, self.reliefs, self.write_offs, self.recoveries = [], [], [], [], []
        return self
