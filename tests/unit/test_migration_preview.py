"""The old workbook's preview (Nhập sổ cũ) flags in red exactly the number and date cells the import refuses.

Each row of ``variants_workbook`` differs from a good row in one cell: a whole number, an amount, a rate or a date
typed as an integer cell, a float cell, a percent cell or text. The import's check (nothing written) refuses some
rows; the preview must show red exactly those cells, no more (an integer cell «0» of «Số kỳ ân hạn gốc» was red,
the import takes it), no less (an amount «0», a rate of =20/3, a date after the book's today were shown as read).
An event's row is judged only in the columns its kind reads (a restructuring's «Số tiền» 0 was red; the import
takes the row).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from fundapp.services import migration as mg
from fundapp.services.errors import ImportRefused

D = date(2024, 12, 31)  # the ctx fixture's today
TAKEN, REFUSED = True, False


class _Percent:
    def __repr__(self) -> str:
        return "a percent cell of 0.072 (7,2 %)"


PERCENT = _Percent()

BORROWER = {"Mã KH": "KH00", "Tên HTX": "HTX Thử", "Loại hình": "Hợp tác xã", "Số thành viên": 10}
LOAN = {"Số HĐ": None, "Mã khách hàng": "KH00", "Số tiền vay": 100_000_000, "Lãi suất": "7,2", "Thời hạn": 12,
        "Kỳ hạn trả nợ": 1, "Ân hạn": 0, "Hệ số lãi quá hạn": "1,5", "Lãi suất chậm trả": 10,
        "Ngày ký HĐ": date(2024, 1, 15)}
TRANSACTION = {"Số chứng từ": None, "Ngày": "20/01/2024", "Số hợp đồng": None, "Nội dung": "Giải ngân",
               "Số tiền": "100.000.000"}
OPENING = {"Số hợp đồng": None, "Số dư đến ngày": "31/12/2023", "Ngày giải ngân đầu tiên": "20/01/2023",
           "Lũy kế giải ngân": 100_000_000, "Dư nợ gốc": 100_000_000, "Gốc quá hạn": 0, "Lãi đến hạn chưa trả": 0,
           "Lãi dự thu": 0, "Lãi quá hạn": 0, "Lãi chậm trả": 0, "Số lần cơ cấu": 0}
EVENT = {"Số hợp đồng": None, "Ngày quyết định": "10/06/2024", "Loại sự kiện": "Cơ cấu lại", "Số quyết định": None,
         "Lý do": "thiên tai", "Số tháng gia hạn": 6, "Số kỳ ân hạn gốc": 0, "Loại lãi miễn, giảm": None,
         "Số tiền miễn, giảm": None}  # a restructuring; the kinds below fill the row otherwise
SHEETS = {"Khách hàng": ("borrowers", BORROWER), "Hợp đồng": ("loans", LOAN), "Giao dịch": ("transactions", TRANSACTION),
          "Số dư": ("openings", OPENING), "Sự kiện": ("events", EVENT)}
# an event row of each kind the import knows, with what the other kinds read left as an officer's book might
RESTRUCTURING = {"Số tiền miễn, giảm": 0, "Loại lãi miễn, giảm": "-"}
RELIEF = {"Loại sự kiện": "Miễn, giảm lãi", "Loại lãi miễn, giảm": "Lãi trong hạn", "Số tiền miễn, giảm": 100_000,
          "Số tháng gia hạn": "-", "Số kỳ ân hạn gốc": "-"}
WRITE_OFF = {"Loại sự kiện": "Xóa nợ", "Ngày quyết định": "20/06/2024", "Số tháng gia hạn": "-",
             "Số kỳ ân hạn gốc": "-", "Loại lãi miễn, giảm": "-", "Số tiền miễn, giảm": "-"}

# (sheet, column, cell, what the import does with it[, the row's other cells changed from the good row's])
VARIANTS = [
    ("Khách hàng", "Số thành viên", 55, TAKEN),  # an integer cell: was red
    ("Khách hàng", "Số thành viên", 0, TAKEN),
    ("Khách hàng", "Số thành viên", "55 thành viên", TAKEN),
    ("Khách hàng", "Số thành viên", 55.5, REFUSED),
    ("Khách hàng", "Số thành viên", "-3", REFUSED),  # was shown as read
    ("Khách hàng", "Số thành viên", "20000000", REFUSED),  # more than 10.000.000: was shown as read
    ("Hợp đồng", "Ân hạn", 0, TAKEN),  # the reported cell: was red
    ("Hợp đồng", "Ân hạn", 2, TAKEN),
    ("Hợp đồng", "Ân hạn", "0", TAKEN),
    ("Hợp đồng", "Ân hạn", "-1", REFUSED),  # was shown as read
    ("Hợp đồng", "Thời hạn", 24, TAKEN),
    ("Hợp đồng", "Thời hạn", 12.0, TAKEN),
    ("Hợp đồng", "Thời hạn", "12 tháng", TAKEN),
    ("Hợp đồng", "Thời hạn", 12.5, REFUSED),
    ("Hợp đồng", "Thời hạn", "601", REFUSED),  # over 600 months: was shown as read
    ("Hợp đồng", "Kỳ hạn trả nợ", 3, TAKEN),
    ("Hợp đồng", "Số tiền vay", 100_000_000.0, TAKEN),
    ("Hợp đồng", "Số tiền vay", "100 triệu", TAKEN),
    ("Hợp đồng", "Số tiền vay", 0, REFUSED),  # was shown as read
    ("Hợp đồng", "Số tiền vay", "0", REFUSED),
    ("Hợp đồng", "Số tiền vay", -5, REFUSED),
    ("Hợp đồng", "Số tiền vay", 10**16, REFUSED),  # over 10^15 đồng
    ("Hợp đồng", "Số tiền vay", 1_500_000.5, REFUSED),
    ("Hợp đồng", "Lãi suất", 7, TAKEN),
    ("Hợp đồng", "Lãi suất", 0.1 + 7.1, TAKEN),  # a formula's noise: 7,2 as Excel shows it
    ("Hợp đồng", "Lãi suất", PERCENT, TAKEN),
    ("Hợp đồng", "Lãi suất", "0,6 %/tháng", TAKEN),
    ("Hợp đồng", "Lãi suất", 20 / 3, REFUSED),  # more digits than the column holds: was shown as read
    ("Hợp đồng", "Lãi suất", "7,12345678901234567", REFUSED),
    ("Hợp đồng", "Hệ số lãi quá hạn", 1, TAKEN),
    ("Hợp đồng", "Hệ số lãi quá hạn", 1.2, TAKEN),
    ("Hợp đồng", "Hệ số lãi quá hạn", ".5", TAKEN),  # the import reads it: was red
    ("Hợp đồng", "Hệ số lãi quá hạn", "1,23456789012345678", REFUSED),
    ("Hợp đồng", "Lãi suất chậm trả", "5,5", TAKEN),
    ("Hợp đồng", "Ngày ký HĐ", "15/01/2024", TAKEN),
    ("Hợp đồng", "Ngày ký HĐ", 45306, TAKEN),  # an Excel day number
    ("Hợp đồng", "Ngày ký HĐ", "2024-01-15", TAKEN),
    ("Hợp đồng", "Ngày ký HĐ", datetime(2024, 1, 15, 10, 30), TAKEN),
    ("Hợp đồng", "Ngày ký HĐ", 45306.5, REFUSED),
    ("Hợp đồng", "Ngày ký HĐ", "45306", REFUSED),
    ("Hợp đồng", "Ngày ký HĐ", "31/02/2024", REFUSED),
    ("Hợp đồng", "Ngày ký HĐ", "31/12/1999", REFUSED),  # before 01/01/2000: was shown as read
    ("Hợp đồng", "Ngày ký HĐ", date(2025, 1, 1), REFUSED),  # after the book's today: was shown as read
    ("Giao dịch", "Ngày", 45311, TAKEN),
    ("Giao dịch", "Ngày", "01/01/2025", REFUSED),
    ("Giao dịch", "Số tiền", 100_000_000, TAKEN),
    ("Giao dịch", "Số tiền", "0", REFUSED),
    ("Số dư", "Số lần cơ cấu", 1, TAKEN),  # an integer cell: was red
    ("Số dư", "Số lần cơ cấu", "2", TAKEN),
    ("Số dư", "Số lần cơ cấu", "-1", REFUSED),
    ("Số dư", "Lãi chậm trả", "-", TAKEN),
    ("Số dư", "Lãi chậm trả", "1.000", TAKEN),
    ("Số dư", "Lãi chậm trả", -5, REFUSED),  # was shown as read
    ("Số dư", "Lãi chậm trả", 1.5, REFUSED),
    # an event's row: the import reads «Số tháng gia hạn» and «Số kỳ ân hạn gốc» of a restructuring only, «Loại lãi
    # miễn, giảm» and «Số tiền miễn, giảm» of an interest relief only, neither of a write-off or of a kind it does
    # not know; what a row's kind does not read was judged all the same (a restructuring's «Số tiền» 0: red)
    ("Sự kiện", "Số tháng gia hạn", 6, TAKEN, RESTRUCTURING),  # the reported row: its amount 0 was red
    ("Sự kiện", "Số tháng gia hạn", "-", REFUSED, RESTRUCTURING),
    ("Sự kiện", "Số tháng gia hạn", "-1", REFUSED, RESTRUCTURING),
    ("Sự kiện", "Số tháng gia hạn", 12.5, REFUSED, RESTRUCTURING),
    ("Sự kiện", "Số kỳ ân hạn gốc", 2, TAKEN, RESTRUCTURING),
    ("Sự kiện", "Số kỳ ân hạn gốc", "-1", REFUSED, RESTRUCTURING),
    ("Sự kiện", "Số tiền miễn, giảm", "-", TAKEN, RESTRUCTURING),  # was red
    ("Sự kiện", "Số tiền miễn, giảm", 1.5, TAKEN, RESTRUCTURING),  # was red
    ("Sự kiện", "Loại lãi miễn, giảm", "không rõ", TAKEN, RESTRUCTURING),  # was red
    ("Sự kiện", "Số tiền miễn, giảm", 100_000, TAKEN, RELIEF),  # its «-» months and periods were red
    ("Sự kiện", "Số tiền miễn, giảm", "100.000", TAKEN, RELIEF),
    ("Sự kiện", "Số tiền miễn, giảm", 0, REFUSED, RELIEF),
    ("Sự kiện", "Số tiền miễn, giảm", "-", REFUSED, RELIEF),
    ("Sự kiện", "Số tiền miễn, giảm", 1.5, REFUSED, RELIEF),
    ("Sự kiện", "Loại lãi miễn, giảm", "không rõ", REFUSED, RELIEF),
    ("Sự kiện", "Số tháng gia hạn", -1, TAKEN, RELIEF),  # was red
    ("Sự kiện", "Số kỳ ân hạn gốc", 2.5, TAKEN, RELIEF),  # was red
    ("Sự kiện", "Lý do", "mất khả năng trả nợ", TAKEN, WRITE_OFF),  # the reported row: both «-» were red
    ("Sự kiện", "Số tiền miễn, giảm", 0, TAKEN, WRITE_OFF),  # was red
    ("Sự kiện", "Số tháng gia hạn", -1, TAKEN, WRITE_OFF),  # was red
    ("Sự kiện", "Ngày quyết định", "01/01/2025", REFUSED, WRITE_OFF),
    ("Sự kiện", "Loại sự kiện", "Chuyển nhóm nợ", REFUSED, WRITE_OFF),  # a kind the import does not know: it reads
    ("Sự kiện", "Loại sự kiện", "Chuyển nhóm nợ", REFUSED, RELIEF | {"Số tiền miễn, giảm": 0}),  # none of its figures
]


def variants_workbook(path):
    """Five sheets with a header in row 1; each variant is one row of its sheet, the good row (with the variant's
    other cells: an event's kind) with its one cell changed (a transaction's, an opening's or an event's variant on a
    good loan of its own, an event's on one disbursed). Returns (path, {(sheet, row): (column, what the import
    does)})."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    sheets = {title: wb.create_sheet(title) for title in SHEETS}
    for title, (_target, good) in SHEETS.items():
        sheets[title].append(list(good))
    sheets["Khách hàng"].append(list(BORROWER.values()))
    expected = {}
    for n, (title, column, cell, taken, *row) in enumerate(VARIANTS, start=1):
        loan_no = f"HD{n:03}"
        values = dict(SHEETS[title][1]) | (row[0] if row else {})
        if title == "Khách hàng":
            values["Mã KH"] = f"KH{n:02}"
        elif title == "Hợp đồng":
            values["Số HĐ"] = loan_no
        else:  # a good loan of its own
            loan = {**LOAN, "Số HĐ": loan_no}
            if title == "Số dư":  # an opening of 31/12/2023 on a loan signed before it
                loan["Ngày ký HĐ"] = date(2023, 1, 15)
            sheets["Hợp đồng"].append(list(loan.values()))
            values["Số hợp đồng"] = loan_no
            if title == "Giao dịch":
                values["Số chứng từ"] = f"PC{n:03}"
            if title == "Sự kiện":  # on a loan disbursed
                sheets["Giao dịch"].append(list({**TRANSACTION, "Số chứng từ": f"PC{n:03}",
                                                 "Số hợp đồng": loan_no}.values()))
                values["Số quyết định"] = f"QD{n:03}"
        values[column] = 0.072 if cell is PERCENT else cell
        ws = sheets[title]
        ws.append(list(values.values()))
        if cell is PERCENT:
            ws.cell(ws.max_row, list(values).index(column) + 1).number_format = "0.0%"
        expected[(title, ws.max_row)] = (column, taken)
    wb.save(path)
    return path, expected


def _refused_rows(problems: list[str]) -> set[tuple[str, int]]:
    """{(sheet, row)} of the import's problems «so-cu.xlsx[Sheet]:row: reason»."""
    out = set()
    for problem in problems:
        where = problem.split(": ", 1)[0]
        sheet, line = where.split("[", 1)[1].split("]:")
        out.add((sheet, int(line)))
    return out


def test_the_preview_flags_exactly_the_number_and_date_cells_the_import_refuses(ctx, tmp_path):
    path, expected = variants_workbook(tmp_path / "so-cu.xlsx")
    book = mg.read_workbook(path)
    maps = {title: mg.guess_mapping(book.sheet(title), target) for title, (target, _good) in SHEETS.items()}
    for title, (_target, good) in SHEETS.items():  # every column taken as the field its header names
        assert len(maps[title].columns) == len(good), (title, maps[title].columns)

    with pytest.raises(ImportRefused) as refused:
        mg.import_workbook(ctx, book, maps, dry_run=True)
    imported = {where: (column, where not in _refused_rows(refused.value.problems))
                for where, (column, _taken) in expected.items()}
    assert imported == expected, "\n".join(refused.value.problems)  # the import does what the table says

    red = {}  # (sheet, row) → the columns shown red
    for title in SHEETS:
        sheet = book.sheet(title)
        header = {key: sheet.headers[column] for column, key in maps[title].columns.items()}
        header["loans.monthly_rate"] = header.get("loans.annual_rate")  # a rate «%/tháng» moves there
        for line, cells in mg.preview(sheet, maps[title], len(sheet.rows), today=D):
            red[(title, line)] = sorted(header.get(key, key) for key, cell in cells.items() if not cell.read)
    wrong = {where: shown for where, shown in red.items()
             if shown != ([expected[where][0]] if where in expected and expected[where][1] is REFUSED else [])}
    assert wrong == {}, "\n".join(f"{where}: red {shown}, {_variant(expected, where)}" for where, shown in wrong.items())


def _variant(expected: dict, where: tuple[str, int]) -> str:
    """The variant written in row ``where``, for a failure's message."""
    if where not in expected:
        return "a good row"
    _title, column, cell, taken, *row = VARIANTS[list(expected).index(where)]
    kind = f" on a row of {row[0].get('Loại sự kiện', EVENT['Loại sự kiện'])}" if row else ""
    return f"{column} = {cell!r}{kind}, which the import {'takes' if taken else 'refuses'}"


def test_a_word_read_from_a_cell_is_shown_by_our_label_never_its_code():
    """The preview showed «restructure» beside a cell «Cơ cấu» (a fresh trial): every code a word of any word-list
    field reads to is shown by the domain's label of it, in the officer's language."""
    from fundapp import i18n
    from fundapp.services.migration import ReadCell
    from fundapp.services.migration_fields import WORDS

    for kind, words in WORDS.items():
        for phrase, code in words:
            shown = ReadCell(phrase, code, True, kind).text()
            assert shown != code and "_" not in shown, (kind, phrase, shown)
    assert ReadCell("Cơ cấu", "restructure", True, "event_kind").text() == "Cơ cấu lại thời hạn trả nợ"
    i18n.set_language("en")
    try:
        assert ReadCell("Cơ cấu", "restructure", True, "event_kind").text() != "Cơ cấu lại thời hạn trả nợ"
    finally:
        i18n.set_language("vi")
