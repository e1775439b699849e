"""Property tests over random terms and transaction streams (hypothesis).

The fast engine agrees with a naive day-by-day reading of DOMAIN.md (tests/unit/reference.py),
and the book-keeping identities of DOMAIN.md hold.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundapp.domain.engine import Kind, LoanReplay, Transaction, balances_at, ordered, replay
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
        amount=draw(st.integers(1, 2_000) ) * 1_000_000 + draw(st.integers(0, 999_999)),
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
def loan_streams(draw):
    terms = draw(loan_terms())
    start = date(2022, 1, 1) + timedelta(days=draw(st.integers(0, 800)))
    first = draw(st.integers(1, terms.amount))
    txs = [Transaction(start, Kind.DISBURSEMENT, first, "GN-1")]
    day = start
    for i in range(draw(st.integers(0, 10))):
        day += timedelta(days=draw(st.integers(0, 120)))
        if draw(st.integers(0, 5)) == 0:
            txs.append(Transaction(day, Kind.DISBURSEMENT, draw(st.integers(1, terms.amount)), f"GN-{i + 2}"))
        else:
            amount = draw(st.one_of(st.integers(1, 50_000_000), st.integers(1, terms.amount * 2)))
            txs.append(Transaction(day, Kind.REPAYMENT, amount, f"PT-{i}"))
    as_of = day + timedelta(days=draw(st.integers(0, 400)))
    return terms, txs, as_of


def run_skipping(terms, txs, as_of):
    state = LoanReplay(terms)
    kept = []
    for tx in ordered(txs):
        if tx.on > as_of:
            break
        try:
            state.apply(tx)
            kept.append(tx)
        except TransactionRefused:
            pass
    return state, kept


# FUNDAPP_PROPERTY_EXAMPLES=5000 for a deeper search than CI's
PROPS = settings(max_examples=int(os.environ.get("FUNDAPP_PROPERTY_EXAMPLES", "250")), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(loan_streams())
def test_engine_agrees_with_day_by_day_reference(stream):
    terms, txs, as_of = stream
    state, kept = run_skipping(terms, txs, as_of)
    ref_balances, ref_allocations, ref_refused = reference_run(terms, txs, as_of)
    assert len(kept) + len(ref_refused) == len([t for t in txs if t.on <= as_of])
    assert [(a.principal, a.interest, a.overdue_interest, a.late_interest) for a in state.allocations] == ref_allocations
    assert state.balances(as_of).as_dict() == ref_balances


@PROPS
@given(loan_streams())
def test_identities_of_the_book(stream):
    terms, txs, as_of = stream
    state, kept = run_skipping(terms, txs, as_of)
    b = state.balances(as_of)
    repaid = sum(a.principal for a in state.allocations)
    disbursed = sum(t.amount for t in kept if t.kind is Kind.DISBURSEMENT)
    assert repaid + b.principal_outstanding == disbursed
    for a in state.allocations:
        assert a.principal + a.interest + a.overdue_interest + a.late_interest == a.amount
    if state.anchor is not None:
        schedule = state.schedule()
        assert sum(i.principal for i in schedule) + state.prepaid == disbursed
    assert all(v >= 0 for v in b.as_dict().values())
    assert b.principal_overdue <= b.principal_outstanding


@PROPS
@given(loan_streams(), st.data())
def test_reversal_equals_a_stream_that_never_had_it(stream, data):
    terms, txs, as_of = stream
    _, kept = run_skipping(terms, txs, as_of)
    if len(kept) < 2:
        return
    victim = data.draw(st.integers(1, len(kept) - 1))
    without = kept[:victim] + kept[victim + 1:]
    state, still = run_skipping(terms, without, as_of)
    # replaying the same list twice is the same: the engine keeps no hidden state
    again, _ = run_skipping(terms, still, as_of)
    assert state.balances(as_of) == again.balances(as_of)
    assert state.allocations == again.allocations


@PROPS
@given(loan_streams(), st.integers(0, 300))
def test_figures_as_of_a_date_ignore_later_transactions(stream, cut):
    terms, txs, as_of = stream
    _, kept = run_skipping(terms, txs, as_of)
    when = kept[0].on + timedelta(days=cut)
    earlier = [t for t in kept if t.on <= when]
    try:
        full = replay(terms, kept, as_of=when)
    except TransactionRefused:
        return
    assert full.balances == replay(terms, earlier, as_of=when).balances
    assert balances_at(terms, kept, [when])[0] == full.balances
