"""Render each document from the golden sample book, read the PDF back, and check what it says."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from fundapp.documents import layout
from fundapp.documents.model import BorrowerInfo, FundInfo, LoanDocument
from fundapp.documents.notices import Cancelled, notice_pdf, notices_pdf
from fundapp.documents.receipt import receipt_pdf
from fundapp.documents.reconciliation import reconciliation_pdf
from fundapp.documents.schedule import schedule_pdf
from fundapp.documents.statement import statement_pdf
from fundapp.domain.words import amount_in_words
from fundapp.formatting import group_thousands, long_date, rate, short_date, vnd
from tests.docs.factory import FUND, borrowers, document, loan, notices_for
from tests.golden import sample_loans

# Overdue with late interest, current annuity, current bullet, repaid in full, equal principal monthly
CASES = [
    ("HD2022-002", date(2023, 6, 30)),
    ("HD2022-008", date(2024, 12, 31)),
    ("HD2023-024", date(2023, 6, 30)),
    ("HD2024-037", date(2024, 12, 31)),
    ("HD2024-019", date(2024, 12, 31)),
    ("HD2023-038", date(2024, 6, 30)),
]


def squash(text: str) -> str:
    """Text without any whitespace (pypdf's spacing and line breaks vary), NFC."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pages(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def text(pdf: bytes) -> str:
    return squash("\n".join(pages(pdf)))


def assert_has(haystack: str, *needles: str) -> None:
    for needle in needles:
        assert squash(needle) in haystack, f"missing {needle!r}"


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def assert_fonts(pdf: bytes) -> None:
    names = font_names(pdf)
    assert any("LiberationSerif" in n for n in names), names
    assert not any("Helvetica" in n or "Times-" in n or "Courier" in n for n in names), names
    reader = PdfReader(io.BytesIO(pdf))
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        # reportlab embeds a TrueType subset: the descriptor carries the font file
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def assert_heading(t: str, number: str, on: date) -> None:
    assert_has(t, "LIÊN MINH HỢP TÁC XÃ TỈNH QUẢNG TRỊ", "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ")
    assert_has(t, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    assert_has(t, f"Số: {number}", long_date(on, "Quảng Trị"))


def assert_balances(t: str, doc: LoanDocument) -> None:
    b = doc.balances
    for amount in (b.principal_outstanding, b.principal_overdue, b.interest_due_unpaid, b.interest_accrued,
                   b.overdue_interest_accrued, b.late_interest_accrued):
        assert_has(t, vnd(amount))
    assert_has(t, f"Số ngày quá hạn {b.days_past_due} ngày", f"Nhóm nợ {b.debt_group}")


@pytest.mark.parametrize(("loan_no", "as_of"), CASES)
def test_statement_prints_every_figure_of_the_engine(loan_no: str, as_of: date) -> None:
    doc = document(loan(loan_no), as_of, number="05/SK-QHT")
    pdf = statement_pdf(doc)
    t = text(pdf)
    assert_heading(t, "05/SK-QHT", as_of)
    assert_has(t, "SAO KÊ KHOẢN VAY", doc.borrower.name, doc.loan_no, rate(doc.terms.rate, "year"))
    assert_has(t, f"Tính đến hết ngày {short_date(as_of)}", vnd(doc.terms.amount))
    assert_balances(t, doc)
    assert doc.quote is not None
    if doc.closed_on is not None:  # a settled loan: nothing payable, no settlement line (an officer's trial)
        assert_has(t, f"Khoản vay đã tất toán ngày {short_date(doc.closed_on)}")
        assert squash("Số tiền tất toán") not in t
    else:
        assert_has(t, vnd(doc.quote.due_now), vnd(doc.quote.settlement))
        assert_has(t, f"Bằng chữ: {amount_in_words(doc.quote.due_now)}",
                   f"Bằng chữ: {amount_in_words(doc.quote.settlement)}")
    for h in doc.history:
        assert_has(t, short_date(h.on), h.reference, group_thousands(h.amount))
        if h.kind == "repayment" and h.principal:
            assert_has(t, group_thousands(h.principal))
    assert_has(t, "NGƯỜI LẬP BIỂU", "KẾ TOÁN TRƯỞNG", "GIÁM ĐỐC", FUND.director, FUND.chief_accountant, FUND.preparer)
    assert_fonts(pdf)


def test_statement_on_two_pages_repeats_the_header_and_numbers_the_pages() -> None:
    doc = document(loan("HD2022-008"), date(2024, 12, 31))
    texts = pages(statement_pdf(doc))
    assert len(texts) >= 2
    assert "Trang" not in texts[0]
    for i, page in enumerate(texts[1:], start=2):
        assert squash(f"Trang {i}/{len(texts)}") in squash(page)
    # The history table runs onto page 2 with its header printed again
    assert squash("Ngày Chứng từ Diễn giải Số tiền Gốc") in squash(texts[1])


def test_statement_marks_a_reversed_entry() -> None:
    doc = document(loan("HD2022-018"), date(2024, 1, 31))
    history = list(doc.history)
    history.insert(5, dataclasses.replace(history[5], reference="PT-99999", reversed=True, note="Đã hủy"))
    t = text(statement_pdf(dataclasses.replace(doc, history=tuple(history))))
    assert_has(t, "PT-99999 Thu nợ (Đã hủy)")


def test_deputy_signs_for_the_director() -> None:
    fund = dataclasses.replace(FUND, deputy_signs=True)
    doc = document(loan("HD2022-036"), date(2024, 12, 31), fund=fund)
    t = text(statement_pdf(doc))
    assert_has(t, "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", fund.deputy_director)
    assert squash(fund.director) not in t


@pytest.mark.parametrize("loan_no", ["HD2022-020", "HD2022-009", "HD2022-039"])
def test_schedule_lists_every_installment(loan_no: str) -> None:
    doc = document(loan(loan_no), date(2024, 6, 30), number="12/LTN-QHT")
    pdf = schedule_pdf(doc)
    t = text(pdf)
    assert_heading(t, "12/LTN-QHT", date(2024, 6, 30))
    assert_has(t, "LỊCH TRẢ NỢ", doc.borrower.name, f"Kèm theo Hợp đồng tín dụng số {doc.loan_no}")
    assert len(doc.schedule) == doc.terms.installments
    for k in doc.schedule:
        assert_has(t, f"{k.no} {short_date(k.due_on)} {group_thousands(k.principal)}", group_thousands(k.interest))
    assert_has(t, "ĐẠI DIỆN BÊN VAY", "ĐẠI DIỆN BÊN CHO VAY")
    assert_fonts(pdf)


@pytest.mark.parametrize("loan_no", ["HD2022-020", "HD2022-018", "HD2024-005"])
def test_receipt_for_each_tranche(loan_no: str) -> None:
    lin = loan(loan_no)
    tranches = [t for t in lin.transactions if t.kind == "disbursement"]
    for no, tx in enumerate(tranches, start=1):
        doc = document(lin, tx.on, number=f"{no:02d}/GNN-QHT")
        line = next(h for h in doc.history if h.reference == tx.reference)
        pdf = receipt_pdf(doc, line, no)
        t = text(pdf)
        assert len(pages(pdf)) == 1
        assert_heading(t, f"{no:02d}/GNN-QHT", tx.on)
        assert_has(t, "GIẤY NHẬN NỢ", doc.borrower.name, doc.borrower.tax_code, vnd(tx.amount))
        assert_has(t, f"Bằng chữ: {amount_in_words(tx.amount)}", tx.reference, vnd(doc.disbursed))
        assert_has(t, "ĐẠI DIỆN BÊN VAY", doc.borrower.representative, "ĐẠI DIỆN BÊN CHO VAY", FUND.director)
        assert_fonts(pdf)


def test_notice_per_borrower_and_batch_in_one_pdf() -> None:
    notices = notices_for(2024, 9, date(2024, 8, 25))
    assert len(notices) >= 5
    several = next(n for n in notices if len(n.items) > 1)
    t = text(notice_pdf(several))
    assert_heading(t, several.number, date(2024, 8, 25))
    assert_has(t, "THÔNG BÁO NỢ ĐẾN HẠN", "tháng 09/2024", f"Kính gửi: {several.borrower.name}")
    for item in several.items:
        k = item.installment
        assert_has(t, f"{item.loan_no} {k.no} {short_date(k.due_on)} {vnd(k.principal)}", vnd(k.interest))
    assert several.total == sum(i.installment.total for i in several.items)
    assert_has(t, vnd(several.total), f"Bằng chữ: {amount_in_words(several.total)}", "Nơi nhận:")

    calls: list[tuple[int, int]] = []
    pdf = notices_pdf(notices, progress=lambda done, total: calls.append((done, total)))
    texts = pages(pdf)
    assert len(texts) == len(notices)  # one page each, numbering restarts: no "Trang"
    for page, notice in zip(texts, notices, strict=True):
        assert_has(squash(page), notice.borrower.name, vnd(notice.total), amount_in_words(notice.total))
        assert "Trang" not in page
    assert calls[-1] == (len(notices) + 1, len(notices) + 1)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert_fonts(pdf)


def test_batch_can_be_cancelled() -> None:
    notices = notices_for(2024, 9, date(2024, 8, 25))
    seen = []

    def cancel() -> bool:
        seen.append(1)
        return len(seen) > 3

    with pytest.raises(Cancelled):
        notices_pdf(notices, cancelled=cancel)
    assert len(seen) == 4


@pytest.mark.parametrize(("loan_no", "as_of"), CASES[:3])
def test_reconciliation_minutes(loan_no: str, as_of: date) -> None:
    doc = document(loan(loan_no), as_of, number="03/BB-QHT")
    pdf = reconciliation_pdf(doc)
    t = text(pdf)
    assert_heading(t, "03/BB-QHT", as_of)
    assert_has(t, "BIÊN BẢN ĐỐI CHIẾU CÔNG NỢ", doc.borrower.name.upper(), f"Số liệu tính đến hết ngày {short_date(as_of)}")
    assert_balances(t, doc)
    assert_has(t, vnd(doc.disbursed), vnd(doc.terms.amount))
    assert doc.quote is not None
    assert_has(t, vnd(doc.quote.settlement), f"Bằng chữ: {amount_in_words(doc.quote.settlement)}")
    assert_has(t, "ĐẠI DIỆN BÊN A", "ĐẠI DIỆN BÊN B")
    assert_fonts(pdf)


def test_pdfs_are_reproducible() -> None:
    doc = document(loan("HD2022-036"), date(2024, 12, 31))
    assert statement_pdf(doc) == statement_pdf(doc)


def test_nfd_input_prints_as_nfc() -> None:
    doc = document(loan("HD2022-036"), date(2024, 12, 31))
    nfd = unicodedata.normalize("NFD", "Hợp tác xã Thủy lợi Đakrông")
    doc = dataclasses.replace(doc, borrower=BorrowerInfo("KH9999", nfd, "htx"))
    assert "Hợp tác xã Thủy lợi Đakrông" in unicodedata.normalize("NFC", " ".join(pages(statement_pdf(doc))))


def test_the_font_has_a_glyph_for_every_letter_we_print() -> None:
    layout.register_fonts()
    font = pdfmetrics.getFont(layout.FONT).face
    names = {b.name for b in borrowers().values()} | {FundInfo().name, FundInfo().parent_body}
    letters = set("".join(names)) | set("đĐ₫ỹỸữỮựỰẫẪẬậ%/") | set(amount_in_words(987654321012))
    missing = [c for c in letters if not c.isspace() and ord(c) not in font.charToGlyph]
    assert not missing


# The formatting the documents rely on
@pytest.mark.parametrize(
    ("amount", "expected"),
    [(0, "0 đ"), (999, "999 đ"), (1000, "1.000 đ"), (9_450_000_000, "9.450.000.000 đ"),
     (1_000_000_000_000_000, "1.000.000.000.000.000 đ")],
)
def test_vnd(amount: int, expected: str) -> None:
    assert vnd(amount) == expected


def test_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        vnd(1.5)  # type: ignore[arg-type]


def test_rates_and_dates() -> None:
    assert rate(Decimal("6.6"), "year") == "6,6 %/năm"
    assert rate(Decimal("7.80"), "year") == "7,8 %/năm"
    assert rate(Decimal("0.5"), "month") == "0,5 %/tháng"
    assert long_date(date(2024, 2, 20), "Quảng Trị") == "Quảng Trị, ngày 20 tháng 02 năm 2024"
    assert long_date(date(2024, 3, 5)) == "ngày 05 tháng 3 năm 2024"
    assert long_date(date(2024, 12, 31)) == "ngày 31 tháng 12 năm 2024"
    assert short_date(date(2024, 1, 5)) == "05/01/2024"


def test_words_of_the_amounts_we_print() -> None:
    assert amount_in_words(9_450_000_000) == "Chín tỷ bốn trăm năm mươi triệu đồng"
    assert amount_in_words(0) == "Không đồng"


def test_every_sample_loan_renders() -> None:
    for lin in sample_loans():
        doc = document(lin, date(2024, 12, 31))
        assert text(statement_pdf(doc)).count(squash(doc.loan_no)) >= 1


def test_the_papers_group_thousands_through_the_one_function() -> None:
    import fundapp.documents.reports_pdf as reports_pdf
    import fundapp.documents.sections as sections
    from fundapp.domain.money import group_thousands as one

    # sections kept a copy of its own "for speed" (issue 13.6): the one function is now that fast
    assert sections.group_thousands is reports_pdf.group_thousands is group_thousands is one
