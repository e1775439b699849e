"""The loan papers print the terms in force at their date (DOMAIN.md "Restructuring on day t"): the statement, the
schedule and the reconciliation minutes of a restructured loan print the term, installments and grace in force and
say what the contract said; dated before the restructuring, or once it is reversed, the contract's terms alone (they
printed the contract's 36 months beside a schedule running 48). The disbursement receipt prints the terms in force
on its tranche's day."""

from __future__ import annotations

from datetime import date

from fundapp.documents.sections import terms_text
from fundapp.domain.terms import LoanTerms
from fundapp.domain.terms_in_force import TermsInForce
from fundapp.services import documents, events
from fundapp.services.posting import reverse_entry
from tests.docs.test_documents import assert_has, text

LOAN = "HD2024-013"  # 36 months every 3 months (12 installments), 1 of grace, disbursed 06/09/2024 (GN-00112)
CONTRACT = "Thời hạn vay: 36 tháng, trả nợ 3 tháng/kỳ (12 kỳ); ân hạn gốc 1 kỳ"
IN_FORCE = ("Thời hạn vay: 48 tháng, trả nợ 3 tháng/kỳ (16 kỳ); ân hạn gốc 2 kỳ từ kỳ 1 — sau cơ cấu lại ngày "
            "15/10/2024 (hợp đồng: 36 tháng, 12 kỳ; ân hạn gốc 1 kỳ)")


def test_the_loan_papers_print_the_terms_in_force_at_their_date(sample_ctx):
    loan_id = events.loan_id_of(sample_ctx, LOAN)
    restructured = events.restructure(sample_ctx, loan_id, date(2024, 10, 15), 12, 2, "QĐ-CC-0013", "Bão")
    for kind in ("statement", "schedule", "reconciliation"):
        t = text(documents.preview_document(sample_ctx, kind, LOAN, date(2024, 12, 31)))
        assert_has(t, IN_FORCE)
        if kind != "reconciliation":  # the minutes print no schedule
            assert_has(t, "06/09/2028")  # the schedule's last due date: 48 months after the disbursement
    before = text(documents.preview_document(sample_ctx, "statement", LOAN, date(2024, 10, 14)))
    assert_has(before, CONTRACT)
    assert "cơcấulại" not in before
    receipt = text(documents.preview_document(sample_ctx, "receipt", LOAN, reference="GN-00112"))
    assert_has(receipt, CONTRACT)  # its tranche came before the restructuring
    assert "cơcấulại" not in receipt

    reverse_entry(sample_ctx, restructured.entry_id, "Quyết định bị thu hồi")
    after = text(documents.preview_document(sample_ctx, "statement", LOAN, date(2024, 12, 31)))
    assert_has(after, CONTRACT)
    assert "saucơcấulại" not in after  # text() squashes the spaces


def test_the_word_papers_after_the_contract_fill_the_terms_their_schedule_runs_on(sample_ctx):
    """An acknowledgment and a release drafted after the restructuring fill ``term_months`` and ``grace_periods``
    in force (48, 2) beside the schedule's last due date of 06/09/2028; the contract, appraisal and decision keep
    the contract's (36, 1): they filled 36 months beside a last due date 48 months on."""
    from fundapp.services.paper_values import loan_context

    loan_id = events.loan_id_of(sample_ctx, LOAN)
    events.restructure(sample_ctx, loan_id, date(2024, 10, 15), 12, 2, "QĐ-CC-0013", "Bão")
    on = date(2024, 12, 31)
    ack = loan_context(sample_ctx, "acknowledgment", LOAN, reference="GN-00112", on=on)
    assert (ack["term_months"], ack["grace_periods"], ack["last_due"]) == ("48", "2", "06/09/2028")
    for kind in ("contract", "appraisal", "decision"):
        paper = loan_context(sample_ctx, kind, LOAN, on=on)
        assert (paper["term_months"], paper["grace_periods"]) == ("36", "1"), kind


def test_a_restructuring_without_grace_says_so_beside_the_contract_s():
    """A restructuring that set no grace on a contract with one prints «không ân hạn gốc»: the line read «48 tháng …
    (16 kỳ) — sau cơ cấu lại … (hợp đồng: …; ân hạn gốc 1 kỳ)», which an officer could take for the contract's grace
    still running."""
    contract = LoanTerms(amount=1_400_000_000, rate="7.2", term_months=36, frequency_months=3, grace_periods=1)
    in_force = TermsInForce(contract, 48, 0, 5, (date(2024, 10, 15),))
    assert dict(terms_text(contract, in_force))["Thời hạn vay:"] == (
        "48 tháng, trả nợ 3 tháng/kỳ (16 kỳ); không ân hạn gốc — sau cơ cấu lại ngày 15/10/2024 "
        "(hợp đồng: 36 tháng, 12 kỳ; ân hạn gốc 1 kỳ)")
    no_grace = LoanTerms(amount=1_400_000_000, rate="7.2", term_months=36, frequency_months=3)
    assert dict(terms_text(no_grace, TermsInForce(no_grace, 48, 0, 5, (date(2024, 10, 15),))))["Thời hạn vay:"] == (
        "48 tháng, trả nợ 3 tháng/kỳ (16 kỳ) — sau cơ cấu lại ngày 15/10/2024 (hợp đồng: 36 tháng, 12 kỳ)")
