"""A reversal through the service gives the figures of a book that never had the entry (issue 13.7, DOMAIN.md
"Corrections"): random disbursements and repayments are posted on one loan through ``posting.post_transaction``, one
of them is reversed through ``posting.reverse_entry``, and the same entries but that one are posted on a fresh loan of
the same terms. Both loans then read alike on the loan page (balances, schedule, quote, each entry's split) and in
the loan list (its cached figures, which the reversal refreshes) — or the
reversal was refused because a later entry needs the reversed one, and then the fresh loan refuses that later entry
too. (``test_engine_properties`` checks the domain half: a replay without the entry.)"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fundapp.domain.engine import Kind
from fundapp.services import applications, borrowers, loan_terms, posting
from fundapp.services.errors import UserFacingError
from fundapp.services.loans import loan_view
from fundapp.services.queries import list_loans
from fundapp.services.settings import FundSettings, save_settings

START = date(2024, 1, 8)
SPLIT = ("on", "kind", "amount", "principal", "interest", "overdue_interest", "late_interest", "settled")


@st.composite
def streams(draw):
    amount = draw(st.integers(20, 400)) * 1_000_000
    terms = dict(amount=amount, rate=str(draw(st.sampled_from([0, 6, 7.2, 9.6]))), term_months=12,
                 frequency_months=draw(st.sampled_from([1, 3, 6])))
    day, entries = START, [(START, Kind.DISBURSEMENT, amount // 2)]
    for _ in range(draw(st.integers(2, 7))):
        day += timedelta(days=draw(st.integers(0, 70)))
        if day > date(2024, 12, 31):
            break
        kind = draw(st.sampled_from([Kind.REPAYMENT, Kind.REPAYMENT, Kind.DISBURSEMENT]))
        share = draw(st.integers(1, 60))
        entries.append((day, kind, max(1, amount * share // 200)))
    return terms, entries, draw(st.integers(1, 10_000))


def _loan(ctx, borrower_id: int, terms: dict, loan_no: str) -> int:
    app = applications.receive_application(ctx, borrower_id, terms["amount"], "Mua máy", received_on=date(2024, 1, 2))
    applications.appraise_application(ctx, app.id, "Đạt")
    applications.approve_application(ctx, app.id, loan_terms.make_terms(**terms))
    return applications.sign_contract(ctx, app.id, loan_no, date(2024, 1, 5))


def _post(ctx, loan_id: int, entries) -> list[tuple[int, tuple]]:
    """Post ``entries`` in order, leaving out the ones the rules refuse; (entry id, entry) of those posted."""
    posted = []
    for n, (on, kind, amount) in enumerate(entries):
        try:
            posted.append((posting.post_transaction(ctx, loan_id, kind, on, amount, f"{loan_id}-{n}").entry_id,
                           (on, kind, amount)))
        except UserFacingError:
            pass
    return posted


LIST = ("principal_outstanding", "principal_overdue", "days_past_due", "debt_group", "status", "next_due_on",
        "next_due_amount")


def _read(ctx, loan_id: int):
    """The loan page's figures and the loan list's cached row of ``loan_id``."""
    view = loan_view(ctx, loan_id=loan_id)
    history = [tuple(getattr(h, f) for f in SPLIT) for h in view.history if h.active]
    row = next(r for r in list_loans(ctx) if r.id == loan_id)
    return view.balances, view.schedule, view.quote, history, tuple(getattr(row, f) for f in LIST)


@settings(max_examples=int(__import__("os").environ.get("FUNDAPP_PROPERTY_EXAMPLES", "12")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(streams())
def test_a_reversed_entry_reads_as_a_fresh_loan_that_never_had_it(ctx, stream):
    terms, entries, pick = stream
    save_settings(ctx, FundSettings(charter_capital=10**15, director="Nguyễn Văn B"))
    n = len(applications.list_applications(ctx))
    borrower = borrowers.save_borrower(ctx, dict(code=f"KH{n:05d}", name="Hợp tác xã Hòa Bình", kind="htx"))
    first = _loan(ctx, borrower.id, terms, f"HD2024-{n + 1:04d}")
    posted = _post(ctx, first, entries)
    if len(posted) < 2:
        return
    victim_id, victim = posted[1 + pick % (len(posted) - 1)]
    fresh = _loan(ctx, borrower.id, terms, f"HD2024-{n + 2:04d}")
    without = [e for _, e in posted if e is not victim]
    try:
        posting.reverse_entry(ctx, victim_id, "Nhập sai")
    except UserFacingError:  # a later entry needs the reversed one: a loan without it refuses that entry
        assert len(_post(ctx, fresh, without)) < len(without)
        return
    assert len(_post(ctx, fresh, without)) == len(without)
    got, want = _read(ctx, first), _read(ctx, fresh)
    assert got == want
