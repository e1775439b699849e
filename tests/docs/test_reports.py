"""The quarterly report and the portfolio, rendered and read back: the figures are the golden sample's."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from fundapp.documents.model import FundInfo
from fundapp.documents.portfolio_model import build_portfolio_data
from fundapp.documents.portfolio_xlsx import render_portfolio_xlsx
from fundapp.documents.quarterly_xlsx import render_quarterly_xlsx
from fundapp.documents.report_labels import DEBT_GROUPS
from fundapp.documents.reports_pdf import Money, render_portfolio_pdf, render_quarterly_pdf
from fundapp.domain.borrowers import BorrowerInfo
from fundapp.domain.collation import vi_sort_key
from fundapp.domain.periods import QUARTER_NUMERALS
from fundapp.domain.portfolio_report import portfolio_figures
from fundapp.formatting import decimal_vi, group_thousands
from tests import golden
from tests.docs.factory import quarterly_of_loans

QUARTERS = ["2022-Q4", "2023-Q4", "2024-Q2"]
FUND = FundInfo(director="Lê Thị Hoa", chief_accountant="Trần Văn Bình", preparer="Phạm Minh Đức")
FIGURES = ("disbursed_count", "disbursed_loans", "disbursed_amount", "principal_collected", "interest_collected",
           "outstanding", "overdue_principal")
HEADER_ROW = 5  # openpyxl's 1-based row of the column headings


def _borrowers() -> dict[str, BorrowerInfo]:
    with open(golden.SAMPLE / "borrowers.csv", encoding="utf-8-sig", newline="") as f:
        return {r["code"]: BorrowerInfo(r["code"], r["name"], r["kind"], representative=r["representative"] or "Ông A",
                                        phone=r["phone"] or "0233 3 852 123", address=r["address"], ward=r["ward"],
                                        district=r["district"], province=r["province"])
                for r in csv.DictReader(f)}


@pytest.fixture(scope="module", params=QUARTERS)
def quarter(request):
    year, q = int(request.param[:4]), int(request.param[-1])
    data = quarterly_of_loans(FUND, golden.sample_loans(), year, q,
                                borrower_names={c: b.name for c, b in _borrowers().items()},
                                signed_on=date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 10), number="12/BC-QHT")
    return request.param, data, golden.expected()["quarters"][request.param]


@pytest.fixture(scope="module")
def quarter_xlsx(quarter, tmp_path_factory):
    key, data, expected = quarter
    path = tmp_path_factory.mktemp("xlsx") / f"quy-{key}.xlsx"
    render_quarterly_xlsx(data, path)
    return path, data, expected


def _rows_by_label(ws, label_col: int = 2) -> dict[str, tuple]:
    return {row[label_col - 1].value: row for row in ws.iter_rows(min_row=HEADER_ROW + 1)
            if isinstance(row[label_col - 1].value, str)}


def _headings(ws) -> dict[str, int]:
    return {c.value: c.column - 1 for c in ws[HEADER_ROW] if c.value}


def test_the_report_value_carries_the_golden_figures(quarter):
    key, data, expected = quarter
    assert data.current.interchange_json() == expected
    year, q = int(key[:4]), int(key[-1])
    before = golden.expected()["quarters"].get(f"{year - 1}-Q{q}")
    if before:
        assert data.year_before.interchange_json() == before
    # The chart's bars are the quarters' disbursed amounts, the last one this quarter's
    quarters = golden.expected()["quarters"]
    for label, amount in data.disbursement_by_quarter:
        numeral, y = label.split("/")
        k = f"{y}-Q{[*QUARTER_NUMERALS.values()].index(numeral) + 1}"
        assert amount == (quarters[k]["disbursed_amount"] if k in quarters else 0), label
    assert data.disbursement_by_quarter[-1] == (f"{QUARTER_NUMERALS[q]}/{year}", expected["disbursed_amount"])
    ytd = sum(quarters[f"{year}-Q{i}"]["disbursed_amount"] for i in range(1, q + 1))
    assert data.year_to_date.total.disbursed_amount == ytd


def test_xlsx_sheets_and_summary_figures_are_numbers(quarter_xlsx):
    path, data, expected = quarter_xlsx
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tổng hợp", "Theo huyện-xã", "Theo xã-phường", "Theo loại hình", "Theo ngành nghề",
                             "Nhóm nợ", "Danh sách khoản vay"]
    ws = wb["Tổng hợp"]
    assert ws["A2"].value == data.title
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    rows = _rows_by_label(ws)
    labels = {"disbursed_count": "Số lượt giải ngân", "disbursed_loans": "Số khoản vay được giải ngân",
              "disbursed_amount": "Số tiền giải ngân", "principal_collected": "Thu nợ gốc",
              "interest_collected": "Thu lãi (trong hạn, quá hạn, chậm trả)", "outstanding": "Dư nợ cuối kỳ",
              "overdue_principal": "Nợ gốc quá hạn"}
    for key, label in labels.items():
        cell = rows[label][3]  # column D: the quarter
        assert cell.value == expected[key] and cell.data_type == "n" and isinstance(cell.value, int), key
        assert cell.number_format == "#,##0"
        assert rows[label][4].value == data.year_before.interchange_json()[key]  # the JSON key, INTERCHANGE.md
        assert rows[label][5].value == data.year_to_date.interchange_json()[key]
    groups = {row[0].value: row[3].value for row in wb["Nhóm nợ"].iter_rows(min_row=HEADER_ROW + 1)
              if isinstance(row[0].value, int)}  # the loans per debt group: on «Nhóm nợ», as on paper
    assert groups == {int(g): count for g, count in expected["debt_groups"].items()}


def test_the_summary_is_numbered_alike_on_paper_and_in_the_xlsx(quarter_xlsx):
    """One numbering of the summary's lines: the committee reads «chỉ tiêu 13» on paper and in the workbook (the
    .xlsx numbered the loans per debt group 13–17 and the restructurings 18, where the PDF printed 13)."""
    path, data, _expected = quarter_xlsx
    ws = openpyxl.load_workbook(path)["Tổng hợp"]
    workbook = [(row[0].value, row[1].value) for row in ws.iter_rows(min_row=HEADER_ROW + 1) if row[0].value]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(render_quarterly_pdf(data))).pages)
    text = re.sub(r"\s+", " ", text)
    assert workbook and all(f" {n} {label.strip()} " in text for n, label in workbook), [
        (n, label) for n, label in workbook if f" {n} {label.strip()} " not in text]


def test_xlsx_district_sheet_totals_are_sum_formulas_with_exact_values(quarter_xlsx):
    path, _data, expected = quarter_xlsx
    formulas = openpyxl.load_workbook(path)["Theo huyện-xã"]
    cached = openpyxl.load_workbook(path, data_only=True)["Theo huyện-xã"]
    cols = _headings(formulas)
    rows = _rows_by_label(cached)
    for district, figures in expected["by_district"].items():
        row = rows[district]
        for key, heading in (("disbursed_amount", "Số tiền giải ngân"), ("outstanding", "Dư nợ cuối kỳ")):
            cell = row[cols[heading]]
            assert cell.value == figures[key] and cell.data_type == "n" and cell.number_format == "#,##0"
    total_row = _rows_by_label(formulas)["Tổng cộng"]
    cached_total = rows["Tổng cộng"]
    first, last = HEADER_ROW + 1, HEADER_ROW + len(expected["by_district"])
    for heading, key in (("Số tiền giải ngân", "disbursed_amount"), ("Dư nợ cuối kỳ", "outstanding"),
                         ("Thu nợ gốc", "principal_collected"), ("Nợ gốc quá hạn", "overdue_principal"),
                         ("Số lượt giải ngân", "disbursed_count")):
        cell = total_row[cols[heading]]
        letter = cell.column_letter
        assert cell.value == f"=SUM({letter}{first}:{letter}{last})"
        assert cell.number_format == "#,##0"
        assert cached_total[cols[heading]].value == expected[key]


def test_xlsx_every_breakdown_totals_the_quarter(quarter_xlsx):
    path, data, expected = quarter_xlsx
    wb = openpyxl.load_workbook(path, data_only=True)
    for sheet in ("Theo huyện-xã", "Theo xã-phường", "Theo loại hình", "Theo ngành nghề"):
        ws = wb[sheet]
        cols = _headings(ws)
        rows = _rows_by_label(ws)
        body = [r for label, r in rows.items() if label != "Tổng cộng"]
        for heading, key in (("Số tiền giải ngân", "disbursed_amount"), ("Dư nợ cuối kỳ", "outstanding"),
                             ("Thu lãi", "interest_collected")):
            assert sum(r[cols[heading]].value for r in body) == expected[key] == rows["Tổng cộng"][cols[heading]].value
    groups = _rows_by_label(wb["Nhóm nợ"], label_col=1 + 1)
    cols = _headings(wb["Nhóm nợ"])
    assert [groups[name][cols["Số khoản vay"]].value for name in
            ("Nợ đủ tiêu chuẩn", "Nợ cần chú ý", "Nợ dưới tiêu chuẩn", "Nợ nghi ngờ", "Nợ có khả năng mất vốn")] == [
        expected["debt_groups"][g] for g in "12345"]
    assert groups["Tổng cộng"][cols["Số tiền dự phòng cụ thể (đồng)"]].value == sum(data.provisions.values())
    loans = wb["Danh sách khoản vay"]
    lcols = _headings(loans)
    total = _rows_by_label(loans, label_col=4)["Tổng cộng"]
    assert total[lcols["Dư nợ gốc cuối kỳ"]].value == expected["outstanding"]
    assert total[lcols["Thu nợ gốc"]].value == expected["principal_collected"]


def _lo_profile(tmp: Path) -> Path:
    """A fresh LibreOffice profile that recalculates every .xlsx formula on load (OOXMLRecalcMode 0)."""
    user = tmp / "lo_profile" / "user"
    user.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
        "<value>0</value></prop></item>\n</oor:items>\n", encoding="utf-8")
    return user.parent


CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: "
                    "apt-get install libreoffice-calc-nogui to check that the totals recompute")
def test_libreoffice_recomputes_the_totals_to_the_golden_figures(quarter_xlsx, tmp_path):
    path, data, expected = quarter_xlsx
    # Drop the cached values (openpyxl writes formulas only), so the totals can only come from recalculation
    bare = tmp_path / "bare.xlsx"
    wb = openpyxl.load_workbook(path)
    wb.save(bare)
    profile = _lo_profile(tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", CSV_FILTER,
                    "--outdir", str(tmp_path), str(bare)], check=True, capture_output=True, timeout=180)
    with open(tmp_path / "bare-Theo huyện-xã.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    heads = rows[HEADER_ROW - 1]
    total = next(r for r in rows if len(r) > 1 and r[1] == "Tổng cộng")
    for heading, key in (("Số tiền giải ngân", "disbursed_amount"), ("Dư nợ cuối kỳ", "outstanding"),
                         ("Thu nợ gốc", "principal_collected"), ("Thu lãi", "interest_collected"),
                         ("Nợ gốc quá hạn", "overdue_principal"), ("Số lượt giải ngân", "disbursed_count")):
        assert int(total[heads.index(heading)]) == expected[key], heading
    by_name = {r[1]: r for r in rows if len(r) > 1}
    for district, figures in expected["by_district"].items():
        assert int(by_name[district][heads.index("Dư nợ cuối kỳ")]) == figures["outstanding"]
    with open(tmp_path / "bare-Nhóm nợ.csv", encoding="utf-8", newline="") as f:
        groups = list(csv.reader(f))
    total = next(r for r in groups if len(r) > 1 and r[1] == "Tổng cộng")
    assert int(total[3]) == sum(expected["debt_groups"].values())
    assert int(total[7]) == data.provision_total


def test_the_quarterly_prints_the_provisions_at_the_funds_own_rates(tmp_path):
    """The services have the domain make each debt group's specific provision at the rates of the fund's settings
    (here 1, 5, 30, 60 and 100 %, not Decree 86's 0, 2, 25, 50 and 100) and the files print those rates and
    provisions: principal × rate / 100 rounded half up to the đồng, the total their sum (DOMAIN.md "Provisions and
    bad debt"). The documents only lay them out."""
    rates = {1: Decimal(1), 2: Decimal(5), 3: Decimal(30), 4: Decimal(60), 5: Decimal(100)}
    data = quarterly_of_loans(FUND, golden.sample_loans(), 2023, 4, provision_rates=rates)
    outstanding = data.current.total.outstanding_by_group
    want = {g: int((Decimal(outstanding[g]) * rates[int(g)] / 100).quantize(Decimal(1), ROUND_HALF_UP))
            for g in outstanding}
    assert data.provisions == want and data.provision_total == sum(want.values())
    assert want != quarterly_of_loans(FUND, golden.sample_loans(), 2023, 4).provisions  # the defaults differ
    render_quarterly_xlsx(data, tmp_path / "q.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "q.xlsx", data_only=True)["Nhóm nợ"]
    rows, cols = _rows_by_label(sheet, label_col=2), _headings(sheet)
    for g, (name, _) in DEBT_GROUPS.items():
        assert rows[name][cols["Tỷ lệ trích lập dự phòng (%)"]].value == float(rates[int(g)]), name
        assert rows[name][cols["Số tiền dự phòng cụ thể (đồng)"]].value == want[g], name
    assert rows["Tổng cộng"][cols["Số tiền dự phòng cụ thể (đồng)"]].value == sum(want.values())
    _, text = _pdf_text(render_quarterly_pdf(data))
    table = text[text.index("TRÍCHLẬPDỰPHÒNG"):]
    for g, (name, _) in DEBT_GROUPS.items():
        line = f"{g}{name}".replace(" ", "")
        assert f"{decimal_vi(rates[int(g)], 2)}{group_thousands(want[g])}" in table[table.index(line):], name
    assert group_thousands(sum(want.values())) in table


def _pdf_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", "", text)


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant.get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    return names


def test_quarterly_pdf_shows_the_figures_in_embedded_liberation_serif(quarter):
    key, data, expected = quarter
    pdf = render_quarterly_pdf(data)
    reader, text = _pdf_text(pdf)
    year, q = int(key[:4]), int(key[-1])
    assert f"BÁOCÁOTÌNHHÌNHCHOVAY,GIẢINGÂN,THUNỢQUÝ{QUARTER_NUMERALS[q]}NĂM{year}" in text
    assert "CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM" in text and "Độclập-Tựdo-Hạnhphúc" in text
    for k in FIGURES:
        assert group_thousands(expected[k]) in text, k
    for district, figures in expected["by_district"].items():
        assert district.replace(" ", "") in text
        assert group_thousands(figures["outstanding"]) in text
    assert group_thousands(data.provision_total) in text and group_thousands(data.current.total.suspended_interest) in text
    assert "GIÁMĐỐC" in text and "LêThịHoa" in text and "Đơnvịtính:đồng" in text
    fonts = _fonts(reader)
    assert fonts and all(f.startswith("LiberationSerif") for f in fonts), fonts
    assert render_quarterly_pdf(data) == pdf  # invariant: the same figures give the same bytes


@pytest.mark.parametrize("unfinished", [False, True], ids=["finished", "unfinished"])
def test_quarterly_pdf_summary_starts_on_page_one(quarter, unfinished):
    """Page 1 holds the heading, the title and the summary's caption and first rows (not the heading alone: a
    KeepTogether of 19 rows moved it all to page 2), for a finished quarter and one marked unfinished."""
    import dataclasses
    import io

    from pypdf import PdfReader

    _key, data, expected = quarter
    if unfinished:
        data = dataclasses.replace(data, unfinished_until=data.current.end)
    pages = ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_quarterly_pdf(data))).pages]
    first = pages[0]
    assert "I.TỔNGHỢPKẾTQUẢCHOVAY,GIẢINGÂN,THUNỢ" in first
    assert "Sốlượtgiảingân" in first and "Sốtiềngiảingân" in first  # the summary's first figure labels
    assert group_thousands(expected["disbursed_amount"]) in first
    # the last rows never stand alone: "Nợ đã xử lý theo dõi ngoại bảng cuối kỳ" has two rows above it
    where = next(i for i, t in enumerate(pages) if "Nợđãxửlýtheodõingoạibảngcuốikỳ" in t)
    assert "Thuhồinợđãxửlýrủiro" in pages[where] and "Lãixửlýrủiro" in pages[where]


def test_amounts_past_twelve_digits_print_in_thousands():
    money = Money([1_234_567_890_123])
    assert money.unit == "nghìn đồng" and money(1_234_567_890_123) == "1.234.567.890" and money(1_500) == "2"
    assert Money([999_999_999_999]).unit == "đồng" and Money([10**15]).unit == "triệu đồng"


def test_the_chart_takes_the_scaled_int_the_table_prints():
    # the chart's bars took int(text.replace(".", "")) of the printed amount (issue 13.6): now the int itself
    million = Money([10**15])
    cases = {0: 0, 499_999: 0, 500_000: 1, 1_499_999: 1, 9_450_000_000: 9_450, 10**15: 10**9, -2_500_000: -3}
    for amount, millions in cases.items():
        assert million.scaled(amount) == millions and million(amount) == group_thousands(millions)
    assert Money([1]).scaled(1_234_567) == 1_234_567


def test_vietnamese_order_puts_d_stroke_after_d():
    names = ["Xã Đakrông", "Xã Ea Kar", "Xã Dakrông", "Xã Ân Thi", "Xã An Khê", "Xã Ăn Xa", "Xã Ba Tơ"]
    assert sorted(names, key=vi_sort_key) == ["Xã An Khê", "Xã Ăn Xa", "Xã Ân Thi", "Xã Ba Tơ", "Xã Dakrông",
                                              "Xã Đakrông", "Xã Ea Kar"]


PORTFOLIO_DATES = ["2023-12-31", "2024-06-30"]


@pytest.fixture(scope="module", params=[d for d in PORTFOLIO_DATES if d in golden.expected()["balances"]])
def portfolio(request):
    as_of = date.fromisoformat(request.param)
    return build_portfolio_data(FUND, portfolio_figures(golden.sample_loans(), as_of), as_of, borrowers=_borrowers(), signed_on=as_of), \
        golden.expected()["balances"][request.param]


def test_portfolio_value_matches_golden_balances(portfolio):
    data, balances = portfolio
    listed = {x.loan_no: x.balances.as_dict() for x in data.lines}
    owing = {no: b for no, b in balances.items() if b["principal_outstanding"] or b["interest_due_unpaid"]
             or b["interest_accrued"] or b["overdue_interest_accrued"] or b["late_interest_accrued"]}
    assert listed == owing
    assert data.total.outstanding == sum(b["principal_outstanding"] for b in balances.values())
    assert sum(f.outstanding for _, f in data.aging) == data.total.outstanding
    overdue = {no for no, b in balances.items() if b["days_past_due"] > 0}
    assert {c.loan_no for c in data.collection} == overdue
    assert data.total.principal_overdue_ratio == (Decimal(data.total.principal_overdue) * 100 / data.total.outstanding).quantize(
        Decimal("0.01"))


def test_portfolio_xlsx_and_pdf(portfolio, tmp_path):
    data, balances = portfolio
    path = tmp_path / "du-no.xlsx"
    render_portfolio_xlsx(data, path)
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb.sheetnames == ["Tuổi nợ", "Danh sách khoản vay", "Đôn đốc thu nợ"]
    ws = wb["Danh sách khoản vay"]
    cols = _headings(ws)
    by_loan = {r[1].value: r for r in ws.iter_rows(min_row=HEADER_ROW + 1) if r[1].value}
    for x in data.lines:
        row = by_loan[x.loan_no]
        assert row[cols["Dư nợ gốc"]].value == balances[x.loan_no]["principal_outstanding"]
        assert row[cols["Lãi quá hạn"]].value == balances[x.loan_no]["overdue_interest_accrued"]
        assert row[cols["Số ngày quá hạn"]].value == balances[x.loan_no]["days_past_due"]
        assert row[cols["Dư nợ gốc"]].number_format == "#,##0"
    total = _rows_by_label(ws, label_col=4)["Tổng cộng"]
    assert total[cols["Dư nợ gốc"]].value == data.total.outstanding
    assert openpyxl.load_workbook(path)["Danh sách khoản vay"].cell(total[0].row, cols["Dư nợ gốc"] + 1).value.startswith(
        "=SUM(")
    aging = _rows_by_label(wb["Tuổi nợ"])
    assert aging["Tổng cộng"][3].value == data.total.outstanding
    pdf = render_portfolio_pdf(data)
    reader, text = _pdf_text(pdf)
    assert f"ĐẾNNGÀY{data.as_of:%d/%m/%Y}" in text
    assert group_thousands(data.total.outstanding) in text
    for c in data.collection:
        assert c.loan_no in text and group_thousands(c.amount_due) in text
    for x in data.lines[:10]:
        assert group_thousands(x.balances.principal_outstanding) in text
    assert all(f.startswith("LiberationSerif") for f in _fonts(reader))
