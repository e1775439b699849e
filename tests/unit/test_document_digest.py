"""One document number, one content (an officer's trial): a statement at 31/12/2024 numbered «01/SK-…» with
465.136.551 đ outstanding was issued again after a 2.000.000 đ repayment under the same number with 463.136.551 đ,
and December's notice kept «01/TB-…» while its total changed. A reprint keeps its number only when the paper states
the same (``document_register.paper_digest``), else it takes a new number and says why; a row issued before the
register kept a digest (migration 0010) cannot be compared and takes a new number. SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import text

from fundapp.domain.events import Kind
from fundapp.services import documents, posting
from fundapp.services.events import loan_id_of as loan_id
from tests.docs.test_documents import text as pdf_text

LOAN = "HD2022-008"
NOTICE_LOAN = "HD2022-002"  # December's notice 389.676.637 đ in the trial
DAY = date(2024, 12, 31)


def outstanding(pdf: bytes) -> str:
    """The statement's «Dư nợ gốc» figure as printed."""
    return re.search(r"Dưnợgốc([0-9.]+)đ", pdf_text(pdf)).group(1)


def test_a_statement_whose_figures_changed_takes_a_new_number_and_says_so(sample_ctx, tmp_path):
    ctx = sample_ctx
    first = documents.issue_document(ctx, "statement", LOAN, DAY)
    again = documents.issue_document(ctx, "statement", LOAN, DAY)
    assert (again.register.label, again.register.reprint, again.register.change_note) == ("01/SK-QHT", True, None)
    posting.post_transaction(ctx, loan_id(ctx, LOAN), Kind.REPAYMENT, DAY, 2_000_000)
    after = documents.issue_document(ctx, "statement", LOAN, DAY)
    assert outstanding(after.pdf) != outstanding(first.pdf) and "Số:02/SK-QHT" in pdf_text(after.pdf)
    assert (after.register.label, after.register.reprint) == ("02/SK-QHT", False)
    assert after.register.change_note.render() == (
        "Nội dung đã thay đổi từ lần cấp số trước (01/SK-QHT): cấp số mới 02/SK-QHT")
    # the new content printed again keeps its new number; both rows stay in the register
    assert documents.issue_document(ctx, "statement", LOAN, DAY).register.label == "02/SK-QHT"
    assert [r.label for r in documents.document_register(ctx, 2024)] == ["01/SK-QHT", "02/SK-QHT"]


def test_a_notice_whose_total_changed_takes_a_new_number(sample_ctx, tmp_path):
    ctx = sample_ctx
    told: list = []
    documents.write_notices(ctx, 2024, 12, tmp_path / "a.pdf", told=told.append)
    first = {r.loan_no: r.label for r in documents.document_register(ctx, 2024)}
    documents.write_notices(ctx, 2024, 12, tmp_path / "b.pdf", told=told.append)  # the same: the same numbers
    assert told == [] and len(documents.document_register(ctx, 2024)) == len(first)
    posting.post_transaction(ctx, loan_id(ctx, NOTICE_LOAN), Kind.REPAYMENT, DAY, 2_000_000)
    documents.write_notices(ctx, 2024, 12, tmp_path / "c.pdf", told=told.append)
    rows = documents.document_register(ctx, 2024)
    assert len(rows) == len(first) + 1 and [n.render() for n in told] == [
        f"Nội dung đã thay đổi từ lần cấp số trước ({first[NOTICE_LOAN]}): cấp số mới {rows[-1].label}"]
    assert rows[-1].loan_no == NOTICE_LOAN and f"Số:{rows[-1].label}" in pdf_text((tmp_path / "c.pdf").read_bytes())


def test_a_row_issued_before_the_register_kept_digests_is_not_reused(sample_ctx):
    ctx = sample_ctx
    documents.issue_document(ctx, "statement", LOAN, DAY)
    with ctx.db.unit() as s:  # as migration 0010 leaves a row issued before it
        s.execute(text("UPDATE document_register SET digest = NULL"))
    again = documents.issue_document(ctx, "statement", LOAN, DAY)
    assert (again.register.label, again.register.reprint, again.register.compared) == ("02/SK-QHT", False, False)
    assert "01/SK-QHT" in again.register.change_note.render()


def test_a_paper_of_a_past_day_is_dated_the_day_it_is_issued(sample_ctx):
    """Backdated papers (an officer's trial): a reconciliation at 31/12/2023 made on 31/12/2024 read «Quảng Trị, ngày
    31 tháng 12 năm 2023» and «Hôm nay, ngày 31 tháng 12 năm 2023 … chúng tôi gồm». A statement, reconciliation and
    schedule are dated today, their figures «tính đến hết ngày» the day asked; a receipt keeps its tranche's day."""
    for kind in ("statement", "reconciliation"):
        words = pdf_text(documents.issue_document(sample_ctx, kind, NOTICE_LOAN, date(2023, 12, 31)).pdf)
        assert "ngày31tháng12năm2024" in words and "ngày31tháng12năm2023" not in words, kind
        assert "tínhđếnhếtngày31/12/2023" in words.lower(), kind
    assert "Hômnay,ngày31tháng12năm2024" in words


def test_a_reports_digest_states_its_figures_not_its_loans_list(sample_ctx):
    """A period's digest is of what its paper states — totals, breakdowns, life events (``PeriodReport.stated``) —
    not of its per-loan list: that list made the 100,000-loan book's quarterly digest a 206 MB JSON of 63 s (issue
    17); a flat map of names is digested by its sorted items. A changed total changes the digest."""
    import dataclasses

    from fundapp.services.document_register import paper_digest
    from fundapp.services.reports import quarter_reports

    current = quarter_reports(sample_ctx, 2024, 4).current
    assert current.loans  # the sample's loans are listed
    assert paper_digest(current) == paper_digest(dataclasses.replace(current, loans=()))
    moved = dataclasses.replace(current, total=dataclasses.replace(current.total,
                                                                   disbursed_amount=current.total.disbursed_amount + 1))
    assert paper_digest(moved) != paper_digest(current)
    names = {"KH0001": "Hợp tác xã A", "KH0002": "Hợp tác xã B"}
    assert paper_digest(names) == paper_digest(dict(reversed(names.items())))
    assert paper_digest(names) != paper_digest({**names, "KH0002": "Hợp tác xã C"})
