"""The loan papers print the terms in force at their date (DOMAIN.md "Restructuring on day t"): the statement, the
schedule and the reconciliation minutes of a restructured loan print the term, installments and grace in force and
say what the contract said; dated before the restructuring, or once it is reversed, the contract's terms alone (they
printed the contract's 36 months beside a schedule running 48). The disbursement receipt prints the terms in force
on its tranche's day."""

from __future__ import annotations

from datetime import date

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
    assert "sau cơ cấu lại" not in after
