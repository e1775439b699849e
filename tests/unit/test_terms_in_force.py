"""A loan's terms in force at a date (DOMAIN.md "Restructuring on day t"): the contract's until a restructuring, then
the term to the schedule's last installment (the contract's plus every ``extend_months`` in force), its installments,
and the latest restructuring's grace counted from the first installment due after its day; a reversed restructuring
does not count. Read from the engine's replay (``domain.terms_in_force``) and on the loan's view (``loans.loan_view``)
that the loan page, the statement and the papers show."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fundapp.domain.engine import Kind, Restructuring, Transaction, replay_entries
from fundapp.domain.terms import LoanTerms
from fundapp.domain.terms_in_force import terms_in_force
from fundapp.services import events
from fundapp.services.loans import loan_view
from fundapp.services.posting import reverse_entry

# HD2024-013 of the sample book: 36 months every 3 months (12 installments), 1 of grace, disbursed 06/09/2024
TERMS = LoanTerms(amount=1_400_000_000, rate=Decimal("7.2"), term_months=36, frequency_months=3, grace_periods=1)
DISBURSED = Transaction(date(2024, 9, 6), Kind.DISBURSEMENT, 1_400_000_000)
FIRST = Restructuring(date(2024, 10, 15), 12, 2, "QĐ-CC-1", "bão")
SECOND = Restructuring(date(2024, 12, 20), 6, 1, "QĐ-CC-2", "bão")


def _in_force(entries, until: date):
    state = replay_entries(TERMS, entries, until=until)
    schedule = state.schedule()
    return terms_in_force(TERMS, schedule, state.restructures), schedule


def _figures(t) -> tuple:
    return t.term_months, t.installments, t.grace_periods, t.grace_first, t.restructured_on


def test_without_a_restructuring_the_contract_s_terms_are_in_force():
    t, schedule = _in_force([DISBURSED], date(2024, 12, 31))
    assert _figures(t) == (36, 12, 1, 1, ()) and not t.restructured and t.last_restructured_on is None
    assert len(schedule) == 12 and t.contract is TERMS


def test_a_restructuring_extends_the_term_and_sets_the_grace_from_the_first_installment_after_it():
    t, schedule = _in_force([DISBURSED, FIRST], date(2024, 12, 31))
    assert _figures(t) == (48, 16, 2, 1, (date(2024, 10, 15),))
    assert t.restructured and t.last_restructured_on == date(2024, 10, 15)
    # the figures are the schedule's: 16 installments, the last 48 months after the disbursement, the first two
    # without principal
    assert (len(schedule), schedule[-1].no, schedule[-1].due_on) == (16, 16, date(2028, 9, 6))
    assert [k.principal for k in schedule[:3]] == [0, 0, schedule[2].principal] and schedule[2].principal > 0
    # read on a day before it, the contract's terms were in force
    before, _ = _in_force([DISBURSED, FIRST], date(2024, 10, 14))
    assert _figures(before) == (36, 12, 1, 1, ())


def test_restructurings_add_up_and_the_latest_sets_the_grace():
    t, schedule = _in_force([DISBURSED, FIRST, SECOND], date(2024, 12, 31))
    # 36 + 12 + 6 months; the second's grace from installment 2 (due 06/03/2025, the first after 20/12/2024)
    assert _figures(t) == (54, 18, 1, 2, (date(2024, 10, 15), date(2024, 12, 20)))
    assert schedule[-1].no == 18 and next(k for k in schedule if k.no == 2).principal == 0
    assert t.last_restructured_on == date(2024, 12, 20)


def test_a_restructuring_within_the_term_keeps_the_term_and_says_it_was_restructured():
    t, _ = _in_force([DISBURSED, Restructuring(date(2024, 10, 15), 0, 0)], date(2024, 12, 31))
    assert _figures(t) == (36, 12, 0, 1, (date(2024, 10, 15),)) and t.restructured


def test_the_loan_view_carries_the_terms_in_force_at_its_date_and_a_reversal_takes_them_back(sample_ctx):
    loan_id = events.loan_id_of(sample_ctx, "HD2024-013")
    assert _figures(loan_view(sample_ctx, "HD2024-013").terms_in_force) == (36, 12, 1, 1, ())
    first = events.restructure(sample_ctx, loan_id, FIRST.on, 12, 2, "QĐ-CC-0013", "Bão")
    second = events.restructure(sample_ctx, loan_id, SECOND.on, 6, 1, "QĐ-CC-0014", "Bão")
    view = loan_view(sample_ctx, "HD2024-013", date(2024, 12, 31))
    assert (view.terms.term_months, view.terms.grace_periods) == (36, 1)  # the contract stays as signed
    assert _figures(view.terms_in_force) == (54, 18, 1, 2, (FIRST.on, SECOND.on))
    assert _figures(loan_view(sample_ctx, "HD2024-013", date(2024, 11, 30)).terms_in_force) == (
        48, 16, 2, 1, (FIRST.on,))
    assert _figures(loan_view(sample_ctx, "HD2024-013", date(2024, 10, 14)).terms_in_force) == (36, 12, 1, 1, ())
    reverse_entry(sample_ctx, second.entry_id, "Quyết định bị thu hồi")
    assert _figures(loan_view(sample_ctx, "HD2024-013").terms_in_force) == (48, 16, 2, 1, (FIRST.on,))
    reverse_entry(sample_ctx, first.entry_id, "Quyết định bị thu hồi")
    assert _figures(loan_view(sample_ctx, "HD2024-013").terms_in_force) == (36, 12, 1, 1, ())
