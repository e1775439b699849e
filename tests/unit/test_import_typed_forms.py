"""Values as an officer types them in Excel, in forms INTERCHANGE.md does not take (thousands dots, «đ», «9,6%»,
«05/01/2024», an Excel date serial, a column named twice): each is refused on its own row as ``file:line: reason``
saying what to type instead, never read as something else, and nothing is written.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from fundapp.services.reports import balances_json
from tests.golden import SAMPLE


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder)
    return folder


def _rows(folder: Path, sheet: str) -> list[list[str]]:
    return list(csv.reader((folder / f"{sheet}.csv").open(encoding="utf-8-sig", newline="")))


def _write(folder: Path, sheet: str, rows: list[list[str]]) -> None:
    with open(folder / f"{sheet}.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def _set(folder: Path, sheet: str, line: int, column: str, value: str) -> None:
    rows = _rows(folder, sheet)
    rows[line - 1][rows[0].index(column)] = value
    _write(folder, sheet, rows)


def _workbook(tmp_path: Path, name: str = "x.xlsx", above: dict[str, list[list]] | None = None):
    """The sample book's three sheets copied into a new workbook (``above``: rows written above a sheet's header),
    and the path ``save`` writes it to: (workbook, path)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    folder = _copy(tmp_path)
    for sheet in ("borrowers", "loans", "transactions"):
        ws = wb.create_sheet(sheet)
        for row in [*(above or {}).get(sheet, []), *_rows(folder, sheet)]:
            ws.append(row)
    return wb, tmp_path / name


def _problems(ctx, source) -> list[str]:
    with pytest.raises(ImportRefused) as info:
        check_and_import(ctx, source)
    assert balances_json(ctx, ctx.today()) == []  # nothing written
    return [str(p) for p in info.value.problems]


def test_a_column_named_twice_is_refused_at_the_header_not_read_from_one_of_them(ctx, tmp_path):
    folder = _copy(tmp_path)
    rows = _rows(folder, "transactions")
    # the officer's helper column «amount» (F) holds a figure of its own: reading either one silently is a guess
    rows = [[*r, "amount" if i == 0 else "1"] for i, r in enumerate(rows)]
    _write(folder, "transactions", rows)
    problems = _problems(ctx, folder)
    assert problems == ["transactions.csv:1: dòng tiêu đề ghi một tên cột nhiều lần: «amount» (cột D, F) — mỗi tên "
                        "cột chỉ ghi một lần; xóa hoặc đổi tên cột thừa"]


def test_a_sheet_column_named_twice_in_another_case_is_refused_too(ctx, tmp_path):
    wb, path = _workbook(tmp_path, "book.xlsx")
    ws = wb["loans"]
    ws.cell(row=1, column=ws.max_column + 1, value="Annual_Rate ")  # a rate typed again, as a % of its own
    wb.save(path)
    problems = _problems(ctx, path)
    assert len(problems) == 1 and problems[0].startswith("book.xlsx[loans]:1: dòng tiêu đề ghi một tên cột nhiều "
                                                         "lần: «annual_rate» (cột F, N)"), problems


PERCENT_SIGNS = [
    # «7,8%»: the officer used one decimal comma; the message told him to use one
    ("annual_rate", "7,8%", "lãi suất năm (annual_rate): «7,8%» — ghi số phần trăm, không kèm dấu %: 7,8"),
    ("annual_rate", "7.8 %", "lãi suất năm (annual_rate): «7.8 %» — ghi số phần trăm, không kèm dấu %: 7.8"),
    ("late_interest_rate", "10%", "lãi chậm trả (late_interest_rate): «10%» — ghi số phần trăm, không kèm dấu %: 10"),
    ("overdue_factor", "150%", "hệ số lãi quá hạn (overdue_factor): «150%» — hệ số ghi bằng số, không kèm dấu %: "
                               "150% là 1.5"),
    ("overdue_factor", "150,0 %", "hệ số lãi quá hạn (overdue_factor): «150,0 %» — hệ số ghi bằng số, không kèm dấu "
                                  "%: 150,0% là 1,5"),
]


@pytest.mark.parametrize(("column", "value", "reason"), PERCENT_SIGNS)
def test_a_rate_typed_with_a_percent_sign_is_refused_saying_what_to_type(ctx, tmp_path, column, value, reason):
    folder = _copy(tmp_path)
    _set(folder, "loans", 3, column, value)
    assert _problems(ctx, folder) == [f"loans.csv:3: {reason}"]


DATES = [
    ("30/01/2022", "«30/01/2022» — ghi ngày theo dạng YYYY-MM-DD: 2022-01-30"),  # one reading only: 30 is no month
    # day and month could be swapped: both readings offered, neither taken
    ("04/02/2022", "«04/02/2022» — ghi ngày theo dạng YYYY-MM-DD: 2022-02-04 nếu là ngày 4 tháng 2, 2022-04-02 nếu "
                   "là ngày 2 tháng 4"),
    ("4/2/2022", "«4/2/2022» — ghi ngày theo dạng YYYY-MM-DD: 2022-02-04 nếu là ngày 4 tháng 2, 2022-04-02 nếu là "
                 "ngày 2 tháng 4"),
    ("05.05.2022", "«05.05.2022» — ghi ngày theo dạng YYYY-MM-DD: 2022-05-05"),
    ("2022-2-4", "«2022-2-4» — ghi ngày theo dạng YYYY-MM-DD: 2022-02-04"),
    ("2022-02-04 00:00:00", "«2022-02-04 00:00:00» — ghi ngày theo dạng YYYY-MM-DD: 2022-02-04"),
    ("44596", "«44596» là một số, không phải ngày; nếu đó là ngày 04/02/2022 Excel lưu dưới dạng số (ô chưa định "
              "dạng kiểu ngày) thì ghi 2022-02-04 hoặc định dạng ô kiểu ngày"),
    ("31/02/2022", "«31/02/2022» không phải ngày hợp lệ theo dạng YYYY-MM-DD"),  # no such day either way
    ("99999", "«99999» không phải ngày hợp lệ theo dạng YYYY-MM-DD"),  # a serial after the book's today
]


@pytest.mark.parametrize(("value", "reason"), DATES)
def test_a_date_typed_as_excel_shows_it_is_refused_saying_which_iso_date_to_type(ctx, tmp_path, value, reason):
    folder = _copy(tmp_path)
    _set(folder, "transactions", 4, "date", value)
    assert _problems(ctx, folder) == [f"transactions.csv:4: ngày (date): {reason}"]


def test_a_date_serial_in_a_number_cell_is_refused_naming_the_day_it_stands_for(ctx, tmp_path):
    wb, path = _workbook(tmp_path, "book.xlsx")
    wb["loans"]["M2"] = 45379  # contract_date 28/03/2024 in a General cell: Excel shows 45379
    wb.save(path)
    assert _problems(ctx, path) == [
        "book.xlsx[loans]:2: ngày hợp đồng (contract_date): «45379» là một số, không phải ngày; nếu đó là ngày "
        "28/03/2024 Excel lưu dưới dạng số (ô chưa định dạng kiểu ngày) thì ghi 2024-03-28 hoặc định dạng ô kiểu ngày"]


AMOUNTS = [
    # thousands grouped, as Excel under Vietnamese settings and the officer write them: the digits to type
    ("230.000.000", "«230.000.000» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng hay đơn vị: "
                    "230000000"),
    ("230 000 000", "«230 000 000» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng hay đơn vị: "
                    "230000000"),
    ("230\u00a0000\u00a0000 đ", "«230\u00a0000\u00a0000 đ» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, "
                                "khoảng trắng hay đơn vị: 230000000"),
    ("230.000.000 VNĐ", "«230.000.000 VNĐ» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng hay "
                        "đơn vị: 230000000"),
    ("230000000đ", "«230000000đ» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng hay đơn vị: "
                   "230000000"),
    ("230,000,000", "«230,000,000» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng hay đơn vị: "
                    "230000000"),
    ("230000000.0", "«230000000.0» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng hay đơn vị: "
                    "230000000"),
    ("230.000.000,00", "«230.000.000,00» — ghi số tiền chỉ bằng chữ số, không dấu chấm, dấu phẩy, khoảng trắng hay đơn "
                       "vị: 230000000"),
    # negatives as Excel shows them, with U+2212 or in parentheses: named as such, not «not digits»
    ("\u2212230000000", "«\u2212230000000» là số âm — số tiền không được âm"),
    ("(230.000.000)", "«(230.000.000)» là số âm — số tiền không được âm"),
    # one mark before three digits: a thousand, or one with three decimals? no number offered
    ("230.000", "«230.000» không hợp lệ — chỉ ghi chữ số, đơn vị đồng, không dấu chấm, dấu phẩy hay chữ"),
    ("1.000.000,5", "«1.000.000,5» không hợp lệ — chỉ ghi chữ số, đơn vị đồng, không dấu chấm, dấu phẩy hay chữ"),
]


@pytest.mark.parametrize(("value", "reason"), AMOUNTS)
def test_an_amount_typed_as_excel_shows_it_is_refused_saying_which_digits_to_type(ctx, tmp_path, value, reason):
    folder = _copy(tmp_path)
    _set(folder, "transactions", 2, "amount", value)
    assert _problems(ctx, folder) == [f"transactions.csv:2: số tiền (amount): {reason}"]


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_a_csv_saved_by_excel_in_a_windows_code_page_is_refused_saying_how_to_save_it(ctx, tmp_path, encoding):
    folder = _copy(tmp_path)
    text = (folder / "borrowers.csv").read_text(encoding="utf-8")
    (folder / "borrowers.csv").write_bytes(text.encode(encoding, errors="replace"))  # Excel's «CSV (Comma delimited)»
    assert _problems(ctx, folder) == [
        "borrowers.csv:2: tệp không phải UTF-8 (có thể Excel đã lưu theo bảng mã Windows, chữ có dấu sẽ bị đọc sai): "
        "mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu «CSV UTF-8 (Comma delimited) (*.csv)» rồi nhập lại"]


def test_a_late_interest_rate_below_half_a_percent_needs_confirmation_as_a_fraction_may_mean_ten_percent(ctx, tmp_path):
    from decimal import Decimal

    from fundapp.services.events import loan_id_of
    from fundapp.services.loan_terms import loan_terms

    folder = _copy(tmp_path)
    _set(folder, "loans", 3, "late_interest_rate", "0.1")  # 10 %/năm typed as Excel's fraction: was 0,1 %/năm
    _set(folder, "loans", 4, "late_interest_rate", "0")  # no late interest: as before, no question asked
    assert _problems(ctx, folder) == [
        "loans.csv:3: lãi chậm trả (late_interest_rate): 0,1 %/năm bất thường (thường từ 0,5 đến 30 %/năm); nếu đúng "
        "là như vậy, nhập lại và xác nhận lãi suất bất thường"]
    check_and_import(ctx, folder, accept_unusual_rates=True)  # the contract does say 0,1 %/năm
    loans = _rows(folder, "loans")
    assert loan_terms(ctx, loan_id_of(ctx, loans[2][0])).late_interest_rate == Decimal("0.1")
    assert loan_terms(ctx, loan_id_of(ctx, loans[3][0])).late_interest_rate == 0


PERCENT_CELLS = [
    ("transactions", "D2", 2300000, "x.xlsx[transactions]:2: số tiền (amount): ô định dạng phần trăm (Excel hiện "
                                    "«230000000%») — đổi định dạng ô sang kiểu số (Number) rồi ghi đúng số"),
    ("loans", "G2", 0.12, "x.xlsx[loans]:2: thời hạn (term_months): ô định dạng phần trăm (Excel hiện «12%») — đổi "
                          "định dạng ô sang kiểu số (Number) rồi ghi đúng số"),
    ("borrowers", "I2", 0.55, "x.xlsx[borrowers]:2: members: ô định dạng phần trăm (Excel hiện «55%») — đổi định dạng "
                              "ô sang kiểu số (Number) rồi ghi đúng số"),
]


@pytest.mark.parametrize(("sheet", "cell", "value", "problem"), PERCENT_CELLS)
def test_a_percent_formatted_cell_of_money_or_a_count_is_refused_not_read_as_its_percent(ctx, tmp_path, sheet, cell,
                                                                                         value, problem):
    # 2300000 formatted 0% shows «230000000%», the golden amount: it was imported as 230.000.000 đ, silently
    wb, path = _workbook(tmp_path)
    wb[sheet][cell] = value
    wb[sheet][cell].number_format = "0%"
    wb.save(path)
    assert _problems(ctx, path) == [problem]


def test_a_title_row_above_the_header_is_named_as_such_not_as_every_column_missing(ctx, tmp_path):
    # the officer's workbook: a title, a blank row, then the header
    wb, path = _workbook(tmp_path, above={"loans": [["SỔ THEO DÕI CHO VAY"], []]})
    wb.save(path)
    assert _problems(ctx, path) == [
        "x.xlsx[loans]:1: dòng đầu tiên phải là dòng tiêu đề, ghi đúng tên các cột loan_no, borrower_code, amount, "
        "term_months (tên tiếng Anh không dấu) — dòng này ghi «sổ theo dõi cho vay»; xóa các dòng tên bảng hay ghi chú "
        "phía trên dòng tiêu đề"]


def test_a_header_in_vietnamese_words_is_told_the_column_names_to_write(ctx, tmp_path):
    folder = _copy(tmp_path)
    rows = _rows(folder, "transactions")
    rows[0] = ["Số hợp đồng", "Ngày", "Loại", "Số tiền", "Chứng từ"]
    _write(folder, "transactions", rows)
    assert _problems(ctx, folder) == [
        "transactions.csv:1: dòng đầu tiên phải là dòng tiêu đề, ghi đúng tên các cột loan_no, date, kind, amount "
        "(tên tiếng Anh không dấu) — dòng này ghi «số hợp đồng», «ngày», «loại»; xóa các dòng tên bảng hay ghi chú "
        "phía trên dòng tiêu đề"]


def test_a_code_with_an_invisible_character_names_it_not_only_the_alphabet(ctx, tmp_path):
    folder = _copy(tmp_path)
    rows = _rows(folder, "loans")
    loan_no = rows[1][0]
    rows[1][0] = loan_no[:2] + "\u200b" + loan_no[2:]  # pasted from a web page: «HD​2024-001» looks right
    _write(folder, "loans", rows)
    problems = _problems(ctx, folder)
    assert problems[0] == (f"loans.csv:2: số hợp đồng (loan_no) «{rows[1][0]}» có ký tự ẩn U+200B (ký tự thứ 3, "
                           "thường do dán từ trang web hay Word): xóa ô đó và gõ lại mã")


def test_a_loan_number_or_borrower_code_in_another_letter_case_names_the_one_meant(ctx, tmp_path):
    folder = _copy(tmp_path)
    transactions, loans = _rows(folder, "transactions"), _rows(folder, "loans")
    _set(folder, "transactions", 2, "loan_no", transactions[1][0].lower())
    _set(folder, "loans", 3, "borrower_code", loans[2][1].lower())
    problems = _problems(ctx, folder)
    assert (f"loans.csv:3: mã khách hàng (borrower_code) «{loans[2][1].lower()}» không có trong borrowers hay trong "
            f"sổ; có «{loans[2][1]}» (khác chữ hoa, chữ thường): ghi đúng như mã khách hàng") in problems
    assert (f"transactions.csv:2: số hợp đồng (loan_no) «{transactions[1][0].lower()}» không có trong loans hay trong "
            f"sổ; có «{transactions[1][0]}» (khác chữ hoa, chữ thường): ghi đúng như số hợp đồng") in problems


@pytest.mark.parametrize("name", ["so-cu.xlsx", "loans.csv", "book"])
def test_a_mistyped_path_is_named_as_missing_not_as_a_damaged_workbook(ctx, tmp_path, name):
    from fundapp.services.errors import UserFacingError

    path = tmp_path / "nowhere" / name
    with pytest.raises(UserFacingError) as info:
        check_and_import(ctx, path)
    assert str(info.value) == f"Không có tệp hay thư mục «{path}»: kiểm tra lại đường dẫn"
