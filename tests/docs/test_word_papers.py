"""Word papers from .docx templates (issue 16): every figure, amount in words and date read back with python-docx;
a broken template is refused naming its bad tags; the PDF made by LibreOffice (skipped where Writer is missing)."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest

from fundapp.domain.words import amount_in_words, date_in_words
from fundapp.formatting import group_thousands, short_date
from fundapp.services import collateral, paper_issue, templates
from fundapp.services.errors import UserFacingError, ValidationError
from fundapp.services.loans import loan_view

LOANS = ("HD2024-001", "HD2022-002")


def _text(docx: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    from docx import Document

    doc = Document(io.BytesIO(docx))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(c.text for c in row.cells))
    return "\n".join(lines)


def _schedule_rows(docx: bytes) -> list[list[str]]:
    from docx import Document

    doc = Document(io.BytesIO(docx))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Kỳ")
    return [[c.text for c in r.cells] for r in table.rows[1:]]


@pytest.mark.parametrize("loan_no", LOANS)
def test_contract_prints_every_figure_of_the_engine(sample_ctx, loan_no):
    view = loan_view(sample_ctx, loan_no)
    paper = paper_issue.render_loan_paper(sample_ctx, "contract", loan_no)
    text = _text(paper.docx)
    amount = view.terms.amount
    assert f"Số tiền cho vay: {group_thousands(amount)} đồng (bằng chữ: {amount_in_words(amount)})" in text
    assert date_in_words(view.contract_date) in text and short_date(view.contract_date) in text
    rows = _schedule_rows(paper.docx)
    expected = [[str(i.no), short_date(i.due_on), group_thousands(i.principal), group_thousands(i.interest),
                 group_thousands(i.principal + i.interest)] for i in view.schedule]
    assert rows[:-1] == expected
    assert rows[-1][2] == group_thousands(sum(i.principal for i in view.schedule)) == group_thousands(amount)
    assert f"Số: {loan_no}/HĐTD-QHT" in text and "{{" not in text and "{%" not in text


def test_hd2024_001_figures(sample_ctx):
    text = _text(paper_issue.render_loan_paper(sample_ctx, "contract", "HD2024-001").docx)
    assert "1.330.000.000 đồng (bằng chữ: Một tỷ ba trăm ba mươi triệu đồng)" in text
    assert "ngày hai mươi tám tháng ba năm hai nghìn không trăm hai mươi bốn (28/03/2024)" in text
    assert "7,8 %/năm" in text and "12 tháng" in text and "6 tháng một kỳ" in text
    assert "Quảng Trị, ngày 28 tháng 3 năm 2024" in text


@pytest.mark.parametrize("loan_no", LOANS)
def test_acknowledgment_of_each_tranche(sample_ctx, loan_no):
    view = loan_view(sample_ctx, loan_no)
    tranches = [h for h in view.history if h.kind == "disbursement" and h.reversed_by is None]
    running = 0
    for n, t in enumerate(tranches, 1):
        running += t.amount
        text = _text(paper_issue.render_loan_paper(sample_ctx, "acknowledgment", loan_no, t.reference).docx)
        assert f"Lần giải ngân thứ {n} theo Hợp đồng tín dụng số {loan_no}" in text
        assert f"{date_in_words(t.on)} ({short_date(t.on)}), chứng từ {t.reference}" in text
        assert f"số tiền {group_thousands(t.amount)} đồng (bằng chữ: {amount_in_words(t.amount)})" in text
        assert f"Lũy kế đã giải ngân: {group_thousands(running)} đồng ({amount_in_words(running)})" in text
        assert f"còn được giải ngân: {group_thousands(view.terms.amount - running)} đồng" in text
    with pytest.raises(UserFacingError) as err:
        paper_issue.render_loan_paper(sample_ctx, "acknowledgment", loan_no, "GN-KHONG-CO")
    assert "GN-KHONG-CO" in err.value.message


def test_appraisal_and_decision_with_collateral_and_coverage(sample_ctx):
    collateral.add(sample_ctx, dict(kind="land", description="Thửa đất số 12, tờ bản đồ 5, xã Hải Lăng",
                                    owner="Hợp tác xã chuối Mò Ó", value=1_500_000_000, valued_on=date(2024, 3, 1),
                                    registration_no="GDBĐ-2024-118", registered_on=date(2024, 3, 20)),
                   loan_no="HD2024-001")
    text = _text(paper_issue.render_loan_paper(sample_ctx, "appraisal", "HD2024-001").docx)
    assert "Số tiền đề nghị vay: 1.330.000.000 đồng (bằng chữ: Một tỷ ba trăm ba mươi triệu đồng)" in text
    assert "Thửa đất số 12, tờ bản đồ 5, xã Hải Lăng" in text and "1.500.000.000" in text
    assert "GDBĐ-2024-118 20/03/2024" in text and "01/03/2024" in text
    assert "số tiền đề nghị vay: 112,78 %" in text  # 1.500.000.000 ÷ 1.330.000.000, half up
    text = _text(paper_issue.render_loan_paper(sample_ctx, "decision", "HD2024-001").docx)
    assert "vay 1.330.000.000 đồng (bằng chữ: Một tỷ ba trăm ba mươi triệu đồng)" in text
    assert "tổng giá trị 1.500.000.000 đồng (112,78 %)" in text
    assert "kể từ ngày hai mươi tám tháng ba năm hai nghìn không trăm hai mươi bốn" in text


def _broken(tag: str) -> bytes:
    from docx import Document

    doc = Document(io.BytesIO(templates.default_template("contract")))
    doc.add_paragraph(tag)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_broken_template_is_refused_naming_the_bad_tag(sample_ctx):
    bad = _broken("Số tiền {{ amout }} và {{ borrower_nmae }}")
    problems = templates.check_template("contract", bad)
    assert any("amout" in p for p in problems) and any("borrower_nmae" in p for p in problems)
    with pytest.raises(ValidationError) as err:
        templates.install_template(sample_ctx, "contract", bad)
    assert "{{ amout }}" in err.value.message and "{{ borrower_nmae }}" in err.value.message
    assert not templates.is_custom(sample_ctx, "contract")
    row_typo = _broken("{% for r in schedule %}{{ r.princpal }}{% endfor %}")
    assert templates.check_template("contract", row_typo) == [
        "Thẻ «{{ r.princpal }}» không có trong dòng của bảng «schedule»"]
    assert templates.check_template("contract", _broken("{{ amount "))[0].startswith("Thẻ mẫu viết sai cú pháp")
    assert templates.check_template("contract", b"PK\x03\x04 not a docx") == [
        "Tệp không phải là văn bản Word (.docx) đọc được"]


def test_a_funds_own_template_is_used_then_the_default_restored(sample_ctx):
    own = _broken("Mẫu riêng của Quỹ: {{ loan_no }} — {{ amount_words }}")
    templates.install_template(sample_ctx, "contract", own)
    assert templates.is_custom(sample_ctx, "contract")
    text = _text(paper_issue.render_loan_paper(sample_ctx, "contract", "HD2024-001").docx)
    assert "Mẫu riêng của Quỹ: HD2024-001 — Một tỷ ba trăm ba mươi triệu đồng" in text
    templates.restore_default(sample_ctx, "contract")
    assert not templates.is_custom(sample_ctx, "contract")
    assert "Mẫu riêng" not in _text(paper_issue.render_loan_paper(sample_ctx, "contract", "HD2024-001").docx)


def test_every_default_template_passes_its_own_check():
    for kind in templates.KINDS:
        assert templates.check_template(kind, templates.default_template(kind)) == [], kind


@pytest.mark.skipif(not paper_issue.pdf_available() or shutil.which("pdftoppm") is None,
                    reason="LibreOffice Writer or pdftoppm missing (Debian: libreoffice-writer-nogui poppler-utils)")
def test_pdf_of_the_contract(sample_ctx, tmp_path, request):
    if request.node.callspec.params.get("book_url") != "sqlite" if hasattr(request.node, "callspec") else False:
        pytest.skip("the conversion does not depend on the backend")
    from pypdf import PdfReader

    docx, pdf = tmp_path / "hd.docx", tmp_path / "hd.pdf"
    written = paper_issue.write_loan_paper(sample_ctx, "contract", "HD2024-001", docx, pdf)
    assert written == [docx, pdf]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "HỢP ĐỒNG TÍN DỤNG" in text and "1.330.000.000" in text and "Một tỷ ba trăm ba mươi triệu đồng" in text
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 5000


def test_appraisal_of_an_application_before_its_contract(ctx, tmp_path):
    from fundapp.services import applications, borrowers
    from fundapp.services.settings import FundSettings, save_settings
    from tests.unit.test_lending import BORROWER

    save_settings(ctx, FundSettings(charter_capital=20_000_000_000, director="Nguyễn Văn B"))
    b = borrowers.save_borrower(ctx, BORROWER)
    app = applications.receive_application(ctx, b.id, 800_000_000, "Đầu tư máy sấy nông sản", "nông nghiệp",
                                      plan_total=1_200_000_000, own_capital=400_000_000, received_on=date(2024, 2, 1))
    collateral.add(ctx, dict(kind="machinery", description="Máy sấy 5 tấn/mẻ", owner=BORROWER["name"],
                             value=1_000_000_000, valued_on=date(2024, 2, 5)), application_id=app.id)
    out = tmp_path / "tt.docx"
    assert paper_issue.write_application_paper(ctx, "appraisal", app.id, out) == [out]
    text = _text(out.read_bytes())
    assert "Số tiền đề nghị vay: 800.000.000 đồng (bằng chữ: Tám trăm triệu đồng)" in text
    assert "Tổng nhu cầu vốn 1.200.000.000 đồng; vốn tự có 400.000.000 đồng (33,33 %)" in text
    assert "số tiền đề nghị vay: 125,00 %" in text and "Máy sấy 5 tấn/mẻ" in text and "01/02/2024" in text
    with pytest.raises(UserFacingError):
        paper_issue.write_application_paper(ctx, "contract", app.id, out)


def test_a_release_letter_needs_a_settled_loan(sample_ctx, tmp_path):
    """The release letter says the loan is settled (R's finding: HD2024-001, still owing, got 01/TB-QHT reading
    'đã được tất toán  ()'): a loan not settled is refused, draft or issue, naming it and what it owes, no number;
    a settled loan's letter is issued with its settlement date."""
    from fundapp.services import documents
    from fundapp.services.queries import list_loans

    view = loan_view(sample_ctx, "HD2024-001")
    assert view.closed_on is None and view.balances.principal_outstanding == 665_000_000
    owed = (f"Khoản vay HD2024-001 chưa tất toán (ngày {short_date(view.balances.as_of)} còn dư nợ gốc 665.000.000 đ, "
            f"lãi {group_thousands(view.balances.total_interest)} đ)")
    for call in (lambda: paper_issue.render_loan_paper(sample_ctx, "release", "HD2024-001"),
                 lambda: paper_issue.issue_loan_paper(sample_ctx, "release", "HD2024-001", tmp_path / "gc.docx")):
        with pytest.raises(UserFacingError) as caught:
            call()
        assert caught.value.vi.startswith(owed), caught.value.vi
        assert "Loan HD2024-001 is not settled" in caught.value.en
    assert documents.document_register(sample_ctx) == [] and not (tmp_path / "gc.docx").exists()
    settled = next(r.loan_no for r in list_loans(sample_ctx)
                   if loan_view(sample_ctx, r.loan_no).closed_on is not None)
    issued = paper_issue.issue_loan_paper(sample_ctx, "release", settled, tmp_path / "gc.docx")
    assert issued.register.label.startswith("01/TB-")
    assert short_date(loan_view(sample_ctx, settled).closed_on) in _text((tmp_path / "gc.docx").read_bytes())
