"""Property tests over random terms and entry streams with life events (hypothesis).

The fast engine agrees with a naive day-by-day reading of DOMAIN.md (tests/unit/reference.py),
the book-keeping identities hold, a replay without an entry equals a stream built without it
(what a reversal replays; services.posting.reverse_entry is tested against a fresh book in
test_reversal_against_a_fresh_book.py and test_events_book.py),
and figures as of a date ignore later entries.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundapp.domain.dates import add_months
from fundapp.domain.engine import (
    RELIEF_KINDS,
    Allocation,
    InterestRelief,
    Kind,
    Opening,
    RecoveryResult,
    ReliefResult,
    RestructureResult,
    Restructuring,
    Transaction,
    WriteOff,
    WriteOffResult,
    balances_at,
    replay,
    replay_entries,
)
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.terms import LoanTerms, Method, RateUnit
from tests.unit.reference import reference_run


@st.composite
def loan_terms(draw):
    frequency = draw(st.sampled_from([1, 3, 6, 12]))
    n = draw(st.integers(1, 8 if frequency >= 6 else 12))
    rate = Decimal(draw(st.integers(0, 150))) / 10
    unit = draw(st.sampled_from([RateUnit.PER_YEAR, RateUnit.PER_YEAR, RateUnit.PER_MONTH]))
    if unit is RateUnit.PER_MONTH:
        rate = rate / 12
    return LoanTerms(
        amount=draw(st.integers(1, 2_000)) * 1_000_000 + draw(st.integers(0, 999_999)),
        rate=rate.quantize(Decimal("0.0001")),
        term_months=n * frequency,
        frequency_months=frequency,
        method=draw(st.sampled_from(list(Method))),
        grace_periods=draw(st.integers(0, n - 1)),
        overdue_factor=draw(st.sampled_from(["1.5", "1.3", "1"])),
        late_interest_rate=draw(st.sampled_from(["10", "8", "0"])),
        rate_unit=unit,
    )


@st.composite
def opening_description(draw, terms: LoanTerms, c: date):
    """An opening on day C whose figures mostly add up (some do not: both sides must refuse those)."""
    f, n = terms.frequency_months, terms.installments
    done = draw(st.integers(0, n - 1))  # grid dates on or before C
    anchor = add_months(c, -done * f) - timedelta(days=draw(st.integers(0, 25)))
    disbursed = draw(st.integers(1, terms.amount))
    outstanding = draw(st.integers(0, disbursed))
    overdue = draw(st.integers(0, outstanding)) if done else 0
    interest_due = draw(st.integers(0, 5_000_000)) if done and draw(st.booleans()) else 0
    oldest = add_months(anchor, draw(st.integers(1, done)) * f) if overdue + interest_due and done else None
    return ("opening", c, anchor, disbursed, outstanding, overdue, oldest, interest_due,
            draw(st.integers(0, 3_000_000)), draw(st.integers(0, 900_000)) if oldest else 0,
            draw(st.integers(0, 90_000)) if oldest else 0, draw(st.integers(0, 3)))


@st.composite
def stream_descriptions(draw, events: bool = True):
    """(terms, descriptions, as_of): entries as plain tuples, so that two streams can be built independently."""
    terms = draw(loan_terms())
    start = date(2022, 1, 1) + timedelta(days=draw(st.integers(0, 800)))
    if events and draw(st.integers(0, 4)) == 0:
        descs = [draw(opening_description(terms, start))]
    else:
        descs = [("disbursement", start, draw(st.integers(1, terms.amount)))]
    day = start
    f = terms.frequency_months
    for _ in range(draw(st.integers(0, 10))):
        day += timedelta(days=draw(st.integers(0, 120)))
        choice = draw(st.integers(0, 15 if events else 5))
        if choice == 0:
            descs.append(("disbursement", day, draw(st.integers(1, terms.amount))))
        elif choice <= 5 or choice == 15:
            descs.append(("repayment", day, draw(st.one_of(st.integers(1, 50_000_000),
                                                            st.integers(1, terms.amount * 2)))))
        elif choice <= 9:
            extend = draw(st.one_of(st.integers(0, 4).map(lambda k: k * f), st.integers(-1, 13)))
            descs.append(("restructure", day, extend, draw(st.integers(0, 3))))
        elif choice <= 13:
            descs.append(("interest_relief", day, draw(st.sampled_from(RELIEF_KINDS)),
                          draw(st.one_of(st.integers(1, 300_000), st.integers(1, 30_000_000)))))
        else:
            descs.append(("write_off", day))
    as_of = day + timedelta(days=draw(st.integers(0, 400)))
    return terms, descs, as_of


def build(descs) -> list:
    """Fresh entry records from descriptions (a new object for each, every time)."""
    out = []
    for i, d in enumerate(descs):
        kind = d[0]
        if kind == "opening":
            out.append(Opening(d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], f"SD-{i}"))
        elif kind == "restructure":
            out.append(Restructuring(d[1], d[2], d[3], f"QĐ-{i}"))
        elif kind == "interest_relief":
            out.append(InterestRelief(d[1], d[2], d[3], f"MG-{i}"))
        elif kind == "write_off":
            out.append(WriteOff(d[1], f"XL-{i}"))
        else:
            out.append(Transaction(d[1], Kind(kind), d[2], f"CT-{i}"))
    return out


def run_skipping(terms, entries, as_of):
    """The engine through the one replay path, refused entries skipped; (state, kept, results in order)."""
    kept, results = [], []

    def keep(entry, result):
        kept.append(entry)
        if isinstance(result, RestructureResult):
            results.append(("restructure", result.on, result.extend_months, result.grace_periods,
                            result.deferred_interest, result.number))
        elif isinstance(result, ReliefResult):
            results.append(("relief", result.on, result.relief_of, result.amount))
        elif isinstance(result, WriteOffResult):
            results.append(("write_off", result.on, result.principal, result.interest))
        elif isinstance(result, RecoveryResult):
            results.append(("recovery", result.on, result.amount, result.principal, result.interest))

    state = replay_entries(terms, entries, until=as_of, on_result=keep, on_refused=lambda entry, err: None)
    return state, kept, results


# FUNDAPP_PROPERTY_EXAMPLES=5000 for a deeper search than CI's
PROPS = settings(max_examples=int(os.environ.get("FUNDAPP_PROPERTY_EXAMPLES", "250")), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


def agree(terms, entries, as_of):
    state, kept, results = run_skipping(terms, entries, as_of)
    ref_balances, ref_allocations, ref_refused, ref_results = reference_run(terms, entries, as_of)
    assert len(kept) + len(ref_refused) == len([e for e in entries if e.on <= as_of])
    assert [(a.principal, a.interest, a.overdue_interest, a.late_interest) for a in state.allocations] == ref_allocations
    assert results == ref_results
    assert state.balances(as_of).as_dict() == ref_balances
    return state


@PROPS
@given(stream_descriptions(events=False))
def test_engine_agrees_with_day_by_day_reference_without_events(stream):
    terms, descs, as_of = stream
    agree(terms, build(descs), as_of)


@PROPS
@given(stream_descriptions())
def test_engine_agrees_with_day_by_day_reference_with_events(stream):
    terms, descs, as_of = stream
    agree(terms, build(descs), as_of)


@PROPS
@given(stream_descriptions())
def test_identities_of_the_book(stream):
    terms, descs, as_of = stream
    state, kept, _ = run_skipping(terms, build(descs), as_of)
    b = state.balances(as_of)
    opening = next((e for e in kept if isinstance(e, Opening)), None)
    repaid_before = opening.disbursed - opening.principal_outstanding if opening else 0
    repaid = repaid_before + sum(a.principal for a in state.allocations)
    disbursed = sum(e.amount for e in kept if e.kind is Kind.DISBURSEMENT) + (opening.disbursed if opening else 0)
    assert state.disbursed == disbursed
    # disbursed = repaid principal + outstanding + written-off principal still off-balance + recovered principal
    assert disbursed == repaid + b.principal_outstanding + b.written_off_principal + state.recovered_principal
    for a in state.allocations:
        assert a.principal + a.interest + a.overdue_interest + a.late_interest == a.amount
    for r in state.recoveries:
        assert r.principal + r.interest == r.amount
    if state.anchor is not None and opening is None:
        assert sum(i.principal for i in state.schedule()) + state.prepaid == disbursed
    assert all(v >= 0 for v in b.as_dict().values())
    assert b.principal_overdue <= b.principal_outstanding
    assert 1 <= b.debt_group <= 5
    if state.status == "written_off":
        assert b.principal_outstanding == b.total_interest == 0
        wo = state.write_offs[-1]
        assert (b.written_off_principal, b.written_off_interest) == (
            wo.principal - state.recovered_principal, wo.interest - state.recovered_interest)


@PROPS
@given(stream_descriptions(), st.data())
def test_a_replay_without_an_entry_equals_a_stream_built_without_it(stream, data):
    """The domain half of a reversal (DOMAIN.md "Corrections": the list replayed without the entry); the reversal
    itself, services.posting.reverse_entry, is checked against a book that never had the entry in
    tests/unit/test_lending.py (a repayment) and tests/unit/test_events_book.py (a write-off)."""
    terms, descs, as_of = stream
    entries = build(descs)
    _, kept, _ = run_skipping(terms, entries, as_of)
    if len(kept) < 2:
        return
    victim = kept[data.draw(st.integers(1, len(kept) - 1))]
    reversed_state, _, reversed_results = run_skipping(terms, [e for e in entries if e is not victim], as_of)
    # a fresh stream built on its own from the descriptions, without the victim's
    fresh = build([d for d, e in zip(descs, entries, strict=True) if e is not victim])
    fresh_state, _, fresh_results = run_skipping(terms, fresh, as_of)
    assert reversed_state.balances(as_of) == fresh_state.balances(as_of)
    assert reversed_state.allocations == fresh_state.allocations
    assert reversed_results == fresh_results
    assert reversed_state.schedule() == fresh_state.schedule()
    # and the independent day-by-day reading of the fresh stream says the same
    ref_balances, ref_allocations, _, ref_results = reference_run(terms, fresh, as_of)
    assert reversed_state.balances(as_of).as_dict() == ref_balances
    assert reversed_results == ref_results
    assert [(a.principal, a.interest, a.overdue_interest, a.late_interest)
            for a in reversed_state.allocations] == ref_allocations


def test_a_replay_without_a_tranche_refuses_the_repayment_it_carried_as_a_stream_without_it():
    terms = LoanTerms(amount=200_000_000, rate="7.3", term_months=12)
    first = Transaction(date(2024, 1, 10), Kind.DISBURSEMENT, 100_000_000, "GN-1")
    tranche = Transaction(date(2024, 1, 20), Kind.DISBURSEMENT, 100_000_000, "GN-2")
    big = Transaction(date(2024, 1, 25), Kind.REPAYMENT, 150_000_000, "PT-1")  # a prepayment only with the tranche
    with_all, _, _ = run_skipping(terms, [first, tranche, big], date(2024, 3, 31))
    assert [a.amount for a in with_all.allocations] == [150_000_000]
    refused = []
    reversed_state = replay_entries(terms, [first, big], on_refused=lambda e, err: refused.append((e, err)))
    assert [e for e, _ in refused] == [big] and "tất toán" in refused[0][1].vi
    fresh = LoanTerms(amount=200_000_000, rate="7.3", term_months=12)
    alone = replay_entries(fresh, [Transaction(date(2024, 1, 10), Kind.DISBURSEMENT, 100_000_000, "GN-1")])
    assert reversed_state.allocations == alone.allocations == []
    assert reversed_state.balances(date(2024, 3, 31)) == alone.balances(date(2024, 3, 31))
    assert reversed_state.balances(date(2024, 3, 31)).principal_outstanding == 100_000_000


@PROPS
@given(stream_descriptions(), st.integers(0, 300))
def test_figures_as_of_a_date_ignore_later_entries(stream, cut):
    terms, descs, as_of = stream
    _, kept, _ = run_skipping(terms, build(descs), as_of)
    when = kept[0].on + timedelta(days=cut) if kept else as_of
    earlier = [e for e in kept if e.on <= when]
    try:
        full = replay(terms, kept, as_of=when)
    except TransactionRefused:
        return
    assert full.balances == replay(terms, earlier, as_of=when).balances
    assert balances_at(terms, kept, [when])[0] == full.balances


def test_allocation_type_of_a_recovery():
    terms = LoanTerms(amount=10_000_000, rate="10", term_months=12)
    state, _, results = run_skipping(terms, [Transaction(date(2024, 1, 1), Kind.DISBURSEMENT, 10_000_000),
                                             WriteOff(date(2024, 6, 30)),
                                             Transaction(date(2024, 7, 1), Kind.REPAYMENT, 1_000_000)],
                                     date(2024, 7, 1))
    assert not any(isinstance(a, Allocation) and a.on == date(2024, 7, 1) for a in state.allocations)
    assert results[-1] == ("recovery", date(2024, 7, 1), 1_000_000, 1_000_000, 0)
