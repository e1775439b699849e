"""Portfolio figures over a period: the quarterly report of INTERCHANGE.md and its breakdowns.

Takes each loan's terms, transactions and the borrower's attributes; returns plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .collation import vi_sort_key
from .engine import Balances, LoanReplay
from .events import Entry, Kind, RecoveryResult, ReliefResult, RestructureResult, WriteOffResult
from .figures import Figures
from .periods import disbursements_by_quarter, eve_of
from .replay import replay_entries
from .state_parts import TOTALS
from .terms import LoanTerms


@dataclass(frozen=True, slots=True)
class LoanInput:
    """One loan as the reports see it. ``transactions`` are its entries in force: transactions and life events
    (DOMAIN.md "Life events"), in DOMAIN.md's order."""

    loan_no: str
    terms: LoanTerms
    transactions: Sequence[Entry]
    district: str = ""
    ward: str = ""
    borrower_kind: str = ""
    sector: str = ""
    borrower_code: str = ""

    @property
    def area(self) -> str:
        """The legacy district, or the ward where no district is known."""
        return self.district or self.ward


@dataclass(frozen=True, slots=True)
class LifeEvent:
    """A restructuring, interest relief or write-off of one loan, or a recovery on a written-off loan, as the engine
    took it (DOMAIN.md "Life events"): ``kind`` is a ``Kind`` (restructure, interest_relief, write_off) or
    ``RECOVERY``; ``amount`` in đồng is the interest deferred by a restructuring, the interest relieved, the principal
    plus interest written off, or the amount recovered; ``principal`` and ``interest`` split it (a restructuring and
    a relief are all interest). ``relief_of`` is the relieved kind ("late_interest", "overdue_interest",
    "interest"), else ""; ``extend_months`` and ``grace_periods`` are a restructuring's (months, installments)."""

    loan_no: str
    borrower_code: str
    kind: str
    on: date
    reference: str
    amount: int
    principal: int = 0
    interest: int = 0
    relief_of: str = ""
    reason: str = ""
    extend_months: int = 0
    grace_periods: int = 0


RECOVERY = "recovery"  # LifeEvent.kind of a repayment on a written-off loan (an entry of Kind.REPAYMENT)


def life_event(entry: Entry, result: object, loan_no: str = "", borrower_code: str = "",
               recovery: bool = False) -> LifeEvent | None:
    """The ``LifeEvent`` of ``entry`` (anything with ``on``, and ``reference``/``reason`` where it has them) and the
    engine's ``result`` for it, for the loan ``loan_no`` of ``borrower_code``: a restructuring, relief or write-off;
    with ``recovery`` also a repayment on a written-off loan (a ``RecoveryResult``); None for any other entry. The
    one place an engine result becomes an event's figures: the quarterly's list (without recoveries: a recovery is a
    repayment, not an event of that list), the statement's and the minutes' section (with them)."""
    reference, reason = getattr(entry, "reference", ""), getattr(entry, "reason", "")
    if isinstance(result, RestructureResult):
        return LifeEvent(loan_no, borrower_code, Kind.RESTRUCTURE, entry.on, reference, result.deferred_interest, 0,
                         result.deferred_interest, reason=reason, extend_months=result.extend_months,
                         grace_periods=result.grace_periods)
    if isinstance(result, ReliefResult):
        return LifeEvent(loan_no, borrower_code, Kind.INTEREST_RELIEF, entry.on, reference, result.amount,
                         0, result.amount, result.relief_of, reason)
    if isinstance(result, WriteOffResult):
        return LifeEvent(loan_no, borrower_code, Kind.WRITE_OFF, entry.on, reference,
                         result.principal + result.interest, result.principal, result.interest, reason=reason)
    if recovery and isinstance(result, RecoveryResult):
        return LifeEvent(loan_no, borrower_code, RECOVERY, entry.on, reference, result.amount, result.principal,
                         result.interest, reason=reason)
    return None


@dataclass(frozen=True, slots=True)
class LoanPeriod:
    """What one loan did in a period (flows dated inside it, đồng) and where it stood at its end.

    Openings are not disbursements; a repayment on a written-off loan is ``recovered``, not collected;
    ``restructured`` says the loan has a restructuring entry dated on or before the period's end (an opening's
    earlier restructurings do not count). DOMAIN.md "Reported".
    """

    loan: LoanInput
    disbursed_count: int
    disbursed_amount: int
    principal_collected: int
    interest_collected: int
    balances: Balances
    restructured_count: int = 0
    interest_relieved: int = 0
    written_off_principal: int = 0
    written_off_interest: int = 0
    recovered: int = 0
    restructured: bool = False
    events: tuple[LifeEvent, ...] = ()  # its restructurings, reliefs and write-offs dated in the period


class LoanDay(NamedTuple):
    """A loan at the end of one day, as the period figures need it: its balances, whether a restructuring entry is
    dated on or before the day, and the totals of its flows so far (``state_parts.TOTALS``, đồng and counts). Read from a
    replay (``day_of``) or from a stored checkpoint, the same values (issue 17)."""

    balances: Balances
    restructured: bool
    totals: tuple[int, ...]


def day_of(state: LoanReplay, day: date) -> LoanDay:
    """The ``LoanDay`` of a replayed ``state`` holding every entry dated on or before ``day`` and none after."""
    return LoanDay(state.balances(day), state.restructured, tuple(state.totals))


_NOTHING_YET = (0,) * len(TOTALS)


def period_of(loan: LoanInput, eve: LoanDay | None, end: LoanDay, events: Sequence[LifeEvent] = ()) -> LoanPeriod:
    """One loan's ``LoanPeriod``: flows dated in the period = its totals at the period's end − on the day before its
    start (``eve``; None: nothing applied yet), balances at its end; ``events`` the life events dated in it. The
    one place a loan's period figures are made (DOMAIN.md "Reported")."""
    a, b = eve.totals if eve is not None else _NOTHING_YET, end.totals
    d = [y - x for x, y in zip(a, b)]  # noqa: B905 — both are TOTALS long
    return LoanPeriod(loan, d[0], d[1], d[2], d[3], end.balances, restructured_count=d[4], interest_relieved=d[5],
                      written_off_principal=d[6], written_off_interest=d[7], recovered=d[8],
                      restructured=end.restructured, events=tuple(events))


def loan_periods(loan: LoanInput, periods: Sequence[tuple[date, date]], watch_days: int = 90,
                 start: LoanReplay | None = None,
                 on_checkpoint: Callable[[LoanReplay, date, LoanDay | None], None] | None = None,
                 marks: Sequence[date] = (), named: LoanInput | None = None,
                 known: Mapping[date, LoanDay | None] | None = None) -> list[LoanPeriod]:
    """One replay of a loan (``replay_entries``), read for each (start, end) period: flows dated inside it,
    balances at its end (``period_of``).

    ``start``: a checkpoint's state (``LoanReplay.restore``) taken on or before the day before every period's
    start; ``loan.transactions`` are then the entries dated after that day only (issue 17), and ``loan.terms`` may
    be ``NO_TERMS``-like when there are none (a state goes on without its terms). ``on_checkpoint(state, day,
    loan_day)`` is called at each of ``marks`` (ascending days after that of ``start``, e.g. to store a
    checkpoint), ``loan_day`` the ``LoanDay`` already read there when the day is a period's eve or end (None on
    another day). ``named``: the loan the results carry (default ``loan``; e.g. the same loan without its entries,
    so that a whole book's periods do not hold every entry). ``known``: the ``LoanDay`` of days already read (from
    checkpoints; None: the loan had not begun), taken as they are rather than read from the replay again; a
    period's end among them must carry its balances, and none of them may be among ``marks`` (its checkpoint is
    stored already): ValueError otherwise."""
    days: dict[date, LoanDay | None] = dict(known or {})
    at_ends = [days[end] for _, end in periods if end in days]
    if any(d is None or d.balances is None for d in at_ends) or any(day in days for day in marks):
        raise ValueError("loan_periods: a known day without its balances at a period's end, or among the marks")
    events: list[LifeEvent] = []

    def on_result(entry: Entry, result: object) -> None:
        if isinstance(result, (RestructureResult, ReliefResult, WriteOffResult)):
            event = life_event(entry, result, loan.loan_no, loan.borrower_code)
            if event is not None:
                events.append(event)

    wanted = {end for _, end in periods} | {eve_of(first) for first, _ in periods}
    kept = set(marks)

    def at_day(state: LoanReplay, day: date) -> None:
        if day in wanted and day not in days:
            days[day] = day_of(state, day)
        if day in kept and on_checkpoint is not None:
            on_checkpoint(state, day, days.get(day))

    last = max((end for _, end in periods), default=None)
    replay_entries(loan.terms, loan.transactions, until=last, on_result=on_result,
                   checkpoints=sorted(wanted | kept), on_checkpoint=at_day, watch_days=watch_days, start=start)
    named = loan if named is None else named
    return [period_of(named, days.get(eve_of(first)), days[end], [e for e in events if first <= e.on <= end])
            for first, end in periods]


@dataclass(frozen=True)
class PeriodReport:
    """Totals and breakdowns of a period."""

    start: date
    end: date
    total: Figures
    by_area: dict[str, Figures]
    by_ward: dict[str, Figures]
    by_kind: dict[str, Figures]
    by_sector: dict[str, Figures]
    loans: tuple[LoanPeriod, ...]

    def stated(self) -> tuple:
        """What a paper of the period states of it, for the document register's digest
        (``services.document_register.paper_digest``): its dates, totals, breakdowns and life events — not the
        per-loan list (~100,000 loans of a large book), whose every change of a figure moves a total or a
        breakdown (a flow is summed, a balance is the flows', a debt group is counted)."""
        return (self.start, self.end, self.total, self.by_area, self.by_ward, self.by_kind, self.by_sector,
                self.life_event_list())

    def life_event_list(self) -> tuple[LifeEvent, ...]:
        """Every restructuring, relief and write-off dated in the period, by date then loan number (the report's
        list of the period's events; DOMAIN.md "Life events")."""
        return tuple(sorted((e for lp in self.loans for e in lp.events), key=lambda e: (e.on, e.loan_no)))

    def interchange_json(self) -> dict:
        """The JSON object of ``fundapp report quarterly --format json`` (INTERCHANGE.md)."""
        t = self.total
        return {
            "disbursed_count": t.disbursed_count,
            "disbursed_loans": t.disbursed_loans,
            "disbursed_amount": t.disbursed_amount,
            "principal_collected": t.principal_collected,
            "interest_collected": t.interest_collected,
            "outstanding": t.outstanding,
            "overdue_principal": t.principal_overdue,
            "debt_groups": dict(t.debt_groups),
            **t.life_events(),
            "by_district": {
                area: {"disbursed_amount": f.disbursed_amount, "outstanding": f.outstanding}
                for area, f in sorted(self.by_area.items(), key=lambda kv: vi_sort_key(kv[0]))
            },
        }


def interchange_ordered(figures: Mapping) -> dict:
    """A quarterly report's JSON object (``PeriodReport.interchange_json``'s keys, e.g. as a closed quarter's stored
    report keeps them: sorted) in that method's order: its keys, the debt groups 1–5 and the districts by Vietnamese
    collation (``vi_sort_key``). Values as given; a key it does not know comes last."""
    known = list(period_report_of(date.min, date.min, ()).interchange_json())
    out = {key: figures[key] for key in known if key in figures}
    out.update((key, value) for key, value in figures.items() if key not in out)
    if isinstance(out.get("debt_groups"), Mapping):
        out["debt_groups"] = dict(sorted(out["debt_groups"].items(), key=lambda kv: (len(kv[0]), kv[0])))
    if isinstance(out.get("by_district"), Mapping):
        out["by_district"] = dict(sorted(out["by_district"].items(), key=lambda kv: vi_sort_key(kv[0])))
    return out


def _adds_nothing(lp: LoanPeriod) -> bool:
    """``Figures.add(lp)`` would change no figure: no flow in the period, nothing outstanding, overdue or off the
    balance sheet at its end (a loan settled before the period, or not yet disbursed)."""
    b = lp.balances
    return not (lp.disbursed_count or lp.principal_collected or lp.interest_collected or lp.restructured_count
                or lp.interest_relieved or lp.written_off_principal or lp.written_off_interest or lp.recovered
                or b.principal_outstanding or b.principal_overdue or b.written_off_principal
                or b.written_off_interest)


def period_report_of(start: date, end: date, periods: Iterable[LoanPeriod]) -> PeriodReport:
    """The report of ``start``..``end`` from every loan's ``LoanPeriod`` of it: totals and breakdowns."""
    return _report(start, end, tuple(periods))


def _report(start: date, end: date, periods: tuple[LoanPeriod, ...]) -> PeriodReport:
    # each loan is added once, to the Figures of its (area, ward, kind, sector); the totals and the four
    # breakdowns are sums of those (every key appears, even of loans that add nothing)
    combos: dict[tuple[str, str, str, str], Figures] = {}
    for lp in periods:
        loan = lp.loan
        key = (loan.area or "", loan.ward or "", loan.borrower_kind or "", loan.sector or "")
        figures = combos.get(key)
        if figures is None:
            figures = combos[key] = Figures()
        if not _adds_nothing(lp):
            figures.add(lp)
    total = Figures()
    groups: list[dict[str, Figures]] = [{}, {}, {}, {}]
    for key, figures in combos.items():
        total.merge(figures)
        for i, group in enumerate(groups):
            merged = group.get(key[i])
            if merged is None:
                merged = group[key[i]] = Figures()
            merged.merge(figures)
    return PeriodReport(
        start=start,
        end=end,
        total=total,
        by_area=groups[0],
        by_ward=groups[1],
        by_kind=groups[2],
        by_sector=groups[3],
        loans=periods,
    )


def period_reports(loans: Iterable[LoanInput], periods: Sequence[tuple[date, date]],
                   watch_days: int = 90) -> list[PeriodReport]:
    """A report for each (start, end) period (inclusive), replaying every loan once for all of them.

    Every loan of the book appears in the breakdowns, even one that did nothing in the period.
    """
    per_loan = [loan_periods(loan, periods, watch_days) for loan in loans]
    return [_report(start, end, tuple(lp[i] for lp in per_loan)) for i, (start, end) in enumerate(periods)]


def period_report(loans: Iterable[LoanInput], start: date, end: date, watch_days: int = 90) -> PeriodReport:
    """Figures of every loan for ``start``..``end`` (inclusive), with breakdowns; ``watch_days`` the watch's
    length in days (DOMAIN.md "Restructuring on day t", item 4)."""
    return period_reports(loans, [(start, end)], watch_days)[0]


def disbursement_by_quarter(loans: Iterable[LoanInput], year: int, quarter: int, count: int = 8) -> tuple[tuple[str, int], ...]:
    """(“I/2023”, amount in đồng) for ``count`` quarters ending with quarter ``quarter`` (1–4) of ``year``, oldest
    first: the disbursements dated in each, as the quarterly report counts them (DOMAIN.md "Reported")."""
    return disbursements_by_quarter(((tx.on, tx.amount) for loan in loans for tx in loan.transactions
                                     if tx.kind is Kind.DISBURSEMENT), year, quarter, count)
