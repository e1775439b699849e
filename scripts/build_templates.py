"""Build the default Word templates in resources/templates/ (Decree 30/2020 layout, Liberation Serif 13 pt).

    .venv/bin/python scripts/build_templates.py

Each template holds docxtpl (Jinja) tags whose names are those of fundapp.services.templates.SCHEMAS: a fund
that edits one in Word keeps the tags it needs and may drop or move them. Tables of rows use docxtpl's
``{%tr for r in schedule %}`` rows.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "resources" / "templates"
FONT = "Liberation Serif"
C = WD_ALIGN_PARAGRAPH.CENTER
J = WD_ALIGN_PARAGRAPH.JUSTIFY


def titled(title: str) -> Document:
    """A new paper: the heading with «Số: {{ document_number }}», a blank line and ``title`` in bold 14 pt."""
    doc = new_document()
    header(doc, "Số: {{ document_number }}")
    para(doc)
    para(doc, title, bold=True, align=C, size=14)
    return doc


def new_document() -> Document:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(3)
    style.paragraph_format.line_spacing = 1.1
    return doc


def para(doc_or_cell, text: str = "", bold: bool = False, italic: bool = False, align=None, size: int | None = None):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    return p


def header(doc, number_prefix: str) -> None:
    """Decree 30's heading: the issuing body left, the national motto right, the number and place/date below."""
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    left, right = t.rows[0].cells
    t.columns[0].width, t.columns[1].width = Mm(68), Mm(97)
    left.width, right.width = Mm(68), Mm(97)
    left.paragraphs[0].text = ""
    para(left, "{{ fund_parent_body }}", align=C, size=12)
    para(left, "{{ fund_name }}", bold=True, align=C, size=12)
    para(left, "———————", align=C, size=10)
    para(left, number_prefix, align=C, size=13)
    right.paragraphs[0].text = ""
    para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, align=C, size=12)
    para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, align=C, size=13)
    para(right, "———————", align=C, size=10)
    para(right, "{{ date_long }}", italic=True, align=C, size=13)


def signatures(doc, left_title: str, left_name: str, right_title: str = "{{ signer_title }}",
               right_name: str = "{{ signer_name }}") -> None:
    t = doc.add_table(rows=1, cols=2)
    for cell, title, name in zip(t.rows[0].cells, (left_title, right_title), (left_name, right_name), strict=True):
        cell.paragraphs[0].text = ""
        para(cell, title, bold=True, align=C)
        para(cell, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, align=C, size=11)
        for _ in range(3):
            para(cell)
        para(cell, name, bold=True, align=C)


def table(doc, headings: list[str], loop: str, cells: list[str], total: list[str] | None = None) -> None:
    """A bordered table: a heading row, docxtpl's row loop over ``loop`` with ``cells``, and an optional total row."""
    t = doc.add_table(rows=0, cols=len(headings))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    row = t.add_row().cells
    for cell, text in zip(row, headings, strict=True):
        cell.paragraphs[0].text = ""
        r = cell.paragraphs[0].add_run(text)
        r.bold, r.font.size = True, Pt(11)
        cell.paragraphs[0].alignment = C
    t.add_row().cells[0].paragraphs[0].text = "{%tr for r in " + loop + " %}"
    row = t.add_row().cells
    for cell, text in zip(row, cells, strict=True):
        r = cell.paragraphs[0].add_run(text)
        r.font.size = Pt(11)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT if "value" in text or "principal" in text \
            or "interest" in text or "total" in text else WD_ALIGN_PARAGRAPH.LEFT
    t.add_row().cells[0].paragraphs[0].text = "{%tr endfor %}"
    if total:
        row = t.add_row().cells
        for cell, text in zip(row, total, strict=True):
            r = cell.paragraphs[0].add_run(text)
            r.bold, r.font.size = True, Pt(11)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def parties(doc) -> None:
    para(doc, "BÊN CHO VAY (Bên A): {{ fund_name }}", bold=True)
    para(doc, "Địa chỉ: {{ fund_address }}. Điện thoại: {{ fund_phone }}.")
    para(doc, "Đại diện: Ông/Bà {{ signer_name }}, chức vụ: Giám đốc.")
    para(doc, "BÊN VAY (Bên B): {{ borrower_name }} ({{ borrower_kind }}), mã khách hàng {{ borrower_code }}", bold=True)
    para(doc, "Mã số thuế: {{ borrower_tax_code }}. Địa chỉ: {{ borrower_address }}. Điện thoại: {{ borrower_phone }}.")
    para(doc, "Đại diện: Ông/Bà {{ borrower_representative }}.")


def collateral_table(doc) -> None:
    table(doc, ["STT", "Loại tài sản", "Mô tả", "Chủ sở hữu", "Giá trị (đồng)", "Ngày định giá", "Số đăng ký GDBĐ"],
          "collateral", ["{{ r.no }}", "{{ r.kind }}", "{{ r.description }}", "{{ r.owner }}", "{{ r.value }}",
                         "{{ r.valuation_date }}", "{{ r.registration_no }} {{ r.registration_date }}"],
          ["", "", "Cộng", "", "{{ collateral_total }}", "", ""])


def schedule_table(doc) -> None:
    table(doc, ["Kỳ", "Ngày đến hạn", "Gốc (đồng)", "Lãi (đồng)", "Cộng (đồng)"], "schedule",
          ["{{ r.no }}", "{{ r.due_date }}", "{{ r.principal }}", "{{ r.interest }}", "{{ r.total }}"],
          ["", "Cộng", "{{ schedule_principal }}", "{{ schedule_interest }}", "{{ schedule_total }}"])


def contract() -> Document:
    doc = titled("HỢP ĐỒNG TÍN DỤNG")
    para(doc, "Hôm nay, {{ contract_date_words }} ({{ contract_date }}), tại {{ fund_name }}, chúng tôi gồm:",
         align=J)
    parties(doc)
    para(doc, "Hai bên thỏa thuận ký hợp đồng tín dụng với các điều khoản sau:", align=J)
    para(doc, "Điều 1. Số tiền, mục đích vay", bold=True)
    para(doc, "Số tiền cho vay: {{ amount }} đồng (bằng chữ: {{ amount_words }}). Mục đích: {{ purpose }}.", align=J)
    para(doc, "Điều 2. Thời hạn, lãi suất, phương thức trả nợ", bold=True)
    para(doc, "Thời hạn cho vay {{ term_months }} tháng; trả nợ {{ frequency_months }} tháng một kỳ, {{ method }}; "
              "ân hạn gốc {{ grace_periods }} kỳ. Kỳ trả nợ đầu tiên {{ first_due }}, kỳ cuối {{ last_due }}.",
         align=J)
    para(doc, "Lãi suất trong hạn {{ rate }}; lãi suất nợ quá hạn bằng {{ overdue_factor }} lãi suất trong hạn; "
              "lãi chậm trả lãi {{ late_interest_rate }}.", align=J)
    para(doc, "Điều 3. Lịch trả nợ dự kiến", bold=True)
    schedule_table(doc)
    para(doc, "Điều 4. Tài sản bảo đảm", bold=True)
    collateral_table(doc)
    para(doc, "Tổng giá trị tài sản bảo đảm {{ collateral_total }} đồng ({{ collateral_total_words }}), "
              "bằng {{ coverage }} số tiền cho vay.", align=J)
    para(doc, "Điều 5. Điều khoản chung", bold=True)
    para(doc, "Hợp đồng được lập thành 04 bản có giá trị pháp lý như nhau, mỗi bên giữ 02 bản.", align=J)
    signatures(doc, "ĐẠI DIỆN BÊN B", "{{ borrower_representative }}", "ĐẠI DIỆN BÊN A\n{{ signer_title }}")
    return doc


def acknowledgment() -> Document:
    doc = titled("KHẾ ƯỚC NHẬN NỢ")
    para(doc, "(Lần giải ngân thứ {{ tranche_no }} theo Hợp đồng tín dụng số {{ loan_no }} ngày {{ contract_date }})",
         italic=True, align=C)
    parties(doc)
    para(doc, "Bên B xác nhận đã nhận nợ {{ tranche_date_words }} ({{ tranche_date }}), chứng từ {{ tranche_reference }}, "
              "số tiền {{ tranche_amount }} đồng (bằng chữ: {{ tranche_amount_words }}).", align=J)
    para(doc, "Lũy kế đã giải ngân: {{ disbursed_total }} đồng ({{ disbursed_total_words }}); còn được giải ngân: "
              "{{ undisbursed }} đồng.", align=J)
    para(doc, "Lãi suất trong hạn {{ rate }}; thời hạn {{ term_months }} tháng; kỳ trả nợ cuối {{ last_due }}. "
              "Lịch trả nợ sau lần nhận nợ này:", align=J)
    schedule_table(doc)
    signatures(doc, "BÊN NHẬN NỢ", "{{ borrower_representative }}")
    return doc


def appraisal() -> Document:
    doc = titled("TỜ TRÌNH THẨM ĐỊNH HỒ SƠ VAY VỐN")
    para(doc, "Kính gửi: Giám đốc {{ fund_name }}", align=C)
    para(doc, "1. Khách hàng", bold=True)
    parties(doc)
    para(doc, "2. Phương án vay vốn", bold=True)
    para(doc, "Hồ sơ nhận ngày {{ received_date }}. Mục đích: {{ purpose }} (ngành {{ sector }}). Tổng nhu cầu vốn "
              "{{ plan_total }} đồng; vốn tự có {{ own_capital }} đồng ({{ own_capital_share }}).", align=J)
    para(doc, "Số tiền đề nghị vay: {{ requested_amount }} đồng (bằng chữ: {{ requested_amount_words }}); "
              "thời hạn {{ term_months }} tháng; lãi suất {{ rate }}; {{ method }}.", align=J)
    para(doc, "3. Tài sản bảo đảm", bold=True)
    collateral_table(doc)
    para(doc, "Tỷ lệ giá trị tài sản bảo đảm trên số tiền đề nghị vay: {{ coverage }}.", bold=True, align=J)
    para(doc, "4. Ý kiến thẩm định", bold=True)
    para(doc, "{{ appraisal_notes }}", align=J)
    signatures(doc, "CÁN BỘ THẨM ĐỊNH", "{{ appraised_by }}", "{{ signer_title }}", "{{ signer_name }}")
    return doc


def decision() -> Document:
    doc = titled("QUYẾT ĐỊNH")
    para(doc, "Về việc cho vay vốn đối với {{ borrower_name }}", bold=True, align=C)
    para(doc, "GIÁM ĐỐC {{ fund_name }}", bold=True, align=C)
    para(doc, "Căn cứ hồ sơ đề nghị vay vốn và tờ trình thẩm định của cán bộ tín dụng;", italic=True, align=J)
    para(doc, "QUYẾT ĐỊNH:", bold=True, align=C)
    para(doc, "Điều 1. Cho {{ borrower_name }} (mã {{ borrower_code }}, mã số thuế {{ borrower_tax_code }}) vay "
              "{{ approved_amount }} đồng (bằng chữ: {{ approved_amount_words }}) để {{ purpose }}; số tiền đề nghị "
              "{{ requested_amount }} đồng.", align=J)
    para(doc, "Điều 2. Thời hạn {{ term_months }} tháng, lãi suất {{ rate }}, trả nợ {{ frequency_months }} tháng một "
              "kỳ ({{ method }}); tài sản bảo đảm tổng giá trị {{ collateral_total }} đồng ({{ coverage }}).", align=J)
    para(doc, "Điều 3. Quyết định có hiệu lực kể từ {{ date_words }}. Bộ phận tín dụng, kế toán và khách hàng có tên "
              "tại Điều 1 chịu trách nhiệm thi hành.", align=J)
    signatures(doc, "Nơi nhận:", "- Như Điều 3;\n- Lưu: VT.")
    return doc


def release() -> Document:
    doc = titled("THÔNG BÁO GIẢI CHẤP TÀI SẢN BẢO ĐẢM")
    para(doc, "Kính gửi: {{ borrower_name }}", align=C)
    para(doc, "{{ fund_name }} thông báo: khoản vay theo Hợp đồng tín dụng số {{ loan_no }} ngày {{ contract_date }} "
              "số tiền {{ amount }} đồng đã được tất toán {{ settled_date_words }} ({{ settled_date }}). Các tài sản "
              "bảo đảm dưới đây được giải chấp:", align=J)
    collateral_table(doc)
    para(doc, "Đề nghị cơ quan đăng ký giao dịch bảo đảm xóa đăng ký theo quy định.", align=J)
    signatures(doc, "Nơi nhận:", "- Như trên;\n- Lưu: VT.")
    return doc


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in (("contract", contract), ("acknowledgment", acknowledgment), ("appraisal", appraisal),
                        ("decision", decision), ("release", release)):
        doc = build()
        doc.core_properties.author = "fundapp"
        doc.core_properties.title = name
        doc.save(OUT / f"{name}.docx")
        print(OUT / f"{name}.docx")


if __name__ == "__main__":
    main()
