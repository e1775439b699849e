"""The migration assistant (services.migration) on workbooks laid out the fund's own way.

``foreign_workbook`` writes the golden sample-fund as an officer's old book would hold it: Vietnamese column names
in another order, a title row above each header, merged header cells and a two-row header, dates as Excel dates
and as text "15/01/2024", money as numbers, as "1.000.000" and as "500 triệu", rates as percent cells and as
"7,8", kinds in words. Imported through the assistant it gives the same balances as the plain import; a broken
one writes nothing and names every bad row by its sheet and row.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from fundapp.domain.borrowers import BORROWER_KIND_LABELS
from fundapp.domain.terms import METHOD_LABELS_VI, Method
from fundapp.services import migration as mg
from fundapp.services.errors import ImportRefused, ValidationError
from fundapp.services.imports import check_and_import
from fundapp.services.queries import list_loans
from fundapp.services.reports import balances_json
from tests.golden import SAMPLE

D = date(2024, 12, 31)
KIND_WORDS = {k: v for k, v in BORROWER_KIND_LABELS.items()} | {"lhhtx": "Liên hiệp HTX"}
METHOD_WORDS = {str(m): label for m, label in METHOD_LABELS_VI.items()}
assert set(METHOD_WORDS) == {str(m) for m in Method}


def _csv(name: str) -> list[dict]:
    with (SAMPLE / name).open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _dots(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _title(ws, text: str, columns: int) -> None:
    ws.cell(1, 1, text)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)


def foreign_workbook(path: Path, broken: bool = False) -> Path:
    """The sample fund's book as the fund keeps it (see the module's docstring); ``broken`` spoils five rows:
    a loan amount "abc", a date 31/02/2024, a transaction of an unknown loan, a borrower kind "hợp tác", a
    repayment amount "1.000.00"."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Khách hàng"
    _title(ws, "DANH SÁCH KHÁCH HÀNG VAY VỐN QUỸ HỖ TRỢ PHÁT TRIỂN HTX", 10)
    ws.append([])
    ws.append(["STT", "Tên HTX", "Mã KH", "Loại hình", "Xã/Phường", "Huyện", "Tỉnh", "Mã số thuế", "Ngành nghề",
               "Số thành viên"])
    for n, b in enumerate(_csv("borrowers.csv"), start=1):
        kind = KIND_WORDS[b["kind"]]
        if broken and n == 4:
            kind = "hợp tác"
        ws.append([n, b["name"], b["code"], kind, b["ward"], b["district"], b["province"], int(b["tax_code"]),
                   b["sector"], int(b["members"]) if b["members"] else None])

    ws = wb.create_sheet("Hợp đồng")
    _title(ws, "SỔ THEO DÕI HỢP ĐỒNG TÍN DỤNG", 13)
    ws.append([])
    top = ["Số HĐ", "Mã khách hàng", "Mục đích", "Số tiền vay", "Lãi suất", "Thời hạn", None, "Phương thức trả nợ",
           "Ngày ký HĐ", "Ngành", "Ân hạn", "Hệ số lãi quá hạn", "Lãi suất chậm trả"]
    ws.append(top)
    ws.append([None, None, None, None, None, "Số tháng", "Kỳ trả nợ (tháng)"])
    for col in range(1, 14):
        if col == 6:
            ws.merge_cells(start_row=3, start_column=6, end_row=3, end_column=7)  # Thời hạn over two columns
        elif col != 7:
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    for n, r in enumerate(_csv("loans.csv")):
        amount = int(r["amount"])
        shown_amount: object = amount if n % 3 == 0 else (_dots(amount) if n % 3 == 1 else f"{amount // 10**6} triệu")
        if broken and n == 5:
            shown_amount = "abc"
        contract = date.fromisoformat(r["contract_date"])
        ws.append([r["loan_no"], r["borrower_code"], r["purpose"], shown_amount, None, int(r["term_months"]),
                   int(r["frequency_months"]), METHOD_WORDS[r["method"]],
                   contract.strftime("%d/%m/%Y") if n % 2 else datetime(contract.year, contract.month, contract.day),
                   r["sector"], int(r["grace_periods"]), r["overdue_factor"].replace(".", ","),
                   r["late_interest_rate"]])
        rate_cell = ws.cell(ws.max_row, 5)
        if n % 2:
            rate_cell.value = r["annual_rate"].replace(".", ",")
        else:
            rate_cell.value = float(r["annual_rate"]) / 100
            rate_cell.number_format = "0.0%"
    ws.append(["Tổng cộng", None, None, sum(int(r["amount"]) for r in _csv("loans.csv"))])

    ws = wb.create_sheet("Giao dịch")
    _title(ws, "NHẬT KÝ GIẢI NGÂN, THU NỢ", 5)
    ws.append(["Số chứng từ", "Ngày", "Số hợp đồng", "Nội dung", "Số tiền (đồng)"])
    for n, t in enumerate(_csv("transactions.csv")):
        on = date.fromisoformat(t["date"])
        shown_on: object = datetime(on.year, on.month, on.day) if n % 2 else on.strftime("%d/%m/%Y")
        if broken and n == 7:
            shown_on = "31/02/2024"
        amount: object = int(t["amount"]) if n % 2 else _dots(int(t["amount"]))
        loan_no = "HD2099-999" if broken and n == 11 else t["loan_no"]
        if broken and n == 20:
            amount = "1.000.00"
        ws.append([t["reference"], shown_on, loan_no, "Giải ngân" if t["kind"] == "disbursement" else "Thu nợ",
                   amount])
    wb.save(path)
    return path


def assistant(path: Path) -> tuple[mg.ForeignWorkbook, dict[str, mg.SheetMapping]]:
    book = mg.read_workbook(path)
    return book, {s.title: mg.guess_mapping(s) for s in book.sheets}


def test_headers_found_under_titles_and_merged_cells(tmp_path):
    book, maps = assistant(foreign_workbook(tmp_path / "so-cu.xlsx"))
    loans = book.sheet("Hợp đồng")
    assert loans.header_lines == (3, 4)
    assert loans.headers[:7] == ["Số HĐ", "Mã khách hàng", "Mục đích", "Số tiền vay", "Lãi suất", "Thời hạn Số tháng",
                                 "Thời hạn Kỳ trả nợ (tháng)"]
    assert len(loans.rows) == 40 and loans.skipped == [45]  # the total row left out
    assert book.sheet("Khách hàng").header_lines == (3,) and len(book.sheet("Khách hàng").rows) == 26
    assert [mg.guess_target(s) for s in book.sheets] == ["borrowers", "loans", "transactions"]
    assert maps["Hợp đồng"].columns == {0: "loans.loan_no", 1: "loans.borrower_code", 2: "loans.purpose",
                                        3: "loans.amount", 4: "loans.annual_rate", 5: "loans.term_months",
                                        6: "loans.frequency_months", 7: "loans.method", 8: "loans.contract_date",
                                        9: "loans.sector", 10: "loans.grace_periods", 11: "loans.overdue_factor",
                                        12: "loans.late_interest_rate"}
    assert 0 not in maps["Khách hàng"].columns  # STT maps to nothing
    assert maps["Giao dịch"].columns == {0: "transactions.reference", 1: "transactions.date",
                                         2: "transactions.loan_no", 3: "transactions.kind", 4: "transactions.amount"}


def test_the_preview_reads_dates_money_rates_and_words(tmp_path):
    book, maps = assistant(foreign_workbook(tmp_path / "so-cu.xlsx"))
    rows = mg.preview(book.sheet("Hợp đồng"), maps["Hợp đồng"], 3)
    assert [line for line, _ in rows] == [5, 6, 7]
    first, second, third = (cells for _, cells in rows)
    # HD2024-001: 1.330.000.000 as a number, 7,8 %/năm as a percent cell, 28/03/2024 as an Excel date
    assert (first["loans.loan_no"].value, first["loans.amount"].value, first["loans.annual_rate"].value,
            first["loans.contract_date"].value) == ("HD2024-001", 1_330_000_000, mg.RateText("7.8", "year"),
                                                     date(2024, 3, 28))
    assert first["loans.annual_rate"].text() == "7,8 %/năm"
    assert first["loans.amount"].text() == "1.330.000.000" and first["loans.contract_date"].text() == "28/03/2024"
    # HD2022-002: "480.000.000" with dots, "7,2" as text, "18/07/2022" as text, a method in words
    assert second["loans.amount"].shown == "480.000.000" and second["loans.amount"].value == 480_000_000
    assert second["loans.annual_rate"].shown == "7,2" and str(second["loans.annual_rate"].value) == "7,2"  # as written
    assert second["loans.annual_rate"].text() == "7,2 %/năm"
    assert second["loans.contract_date"].shown == "18/07/2022" and second["loans.contract_date"].value == \
        date(2022, 7, 18)
    assert second["loans.method"].value == "equal_principal"
    assert third["loans.amount"].shown.endswith(" triệu") and third["loans.amount"].read
    assert mg.read_value("money", "500 triệu") == (500_000_000, True)
    assert mg.read_value("money", "1,5 tỷ") == (1_500_000_000, True)
    assert mg.read_value("date", 45306) == (date(2024, 1, 15), True)  # an Excel day number
    assert mg.read_value("date", "15/01/2024") == (date(2024, 1, 15), True)
    assert mg.read_value("date", "31/02/2024") == ("31/02/2024", False)
    rate, ok = mg.read_value("rate", "0,6 %/tháng")
    assert ok and (rate.number, rate.unit) == ("0,6", "month")
    assert mg.ReadCell("0,6 %/tháng", rate, True).text() == "0,6 %/tháng"
    assert mg.read_value("borrower_kind", "Liên hiệp HTX") == ("lhhtx", True)
    assert mg.read_value("tx_kind", "Thu nợ") == ("repayment", True)


def test_a_monthly_rate_in_words_goes_to_monthly_rate(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Số hợp đồng", "Mã KH", "Số tiền vay", "Lãi suất", "Thời hạn (tháng)"])
    ws.append(["HD1", "KH1", "100.000.000", "0,6 %/tháng", 12])
    wb.save(tmp_path / "t.xlsx")
    book = mg.read_workbook(tmp_path / "t.xlsx")
    sheet = book.sheets[0]
    rows = mg.build_rows(book, {sheet.title: mg.guess_mapping(sheet, "loans")})
    assert rows["loans"][1].values == {"loan_no": "HD1", "borrower_code": "KH1", "amount": 100_000_000,
                                       "monthly_rate": "0,6", "term_months": 12}
    assert rows["loans"][1].source == "t.xlsx[Sheet]" and rows["loans"][1].line == 2


def test_the_assistant_imports_the_sample_fund_to_the_same_balances(tmp_path, sample_ctx, book_url):
    from fundapp.app import open_book

    path = foreign_workbook(tmp_path / "so-cu.xlsx")
    other = open_book(str(tmp_path / "migrated.sqlite"), user="tester", today=D)
    try:
        book, maps = assistant(path)
        checked = mg.import_workbook(other, book, maps, dry_run=True)
        assert (checked.borrowers, checked.loans, checked.transactions) == (26, 40, 297)
        assert list_loans(other) == []  # a check writes nothing
        seen = []
        done = mg.import_workbook(other, book, maps, progress=lambda d, t: seen.append((d, t)))
        assert (done.borrowers, done.loans, done.transactions, done.source) == (26, 40, 297, "so-cu.xlsx")
        assert seen[-1] == (4, 4)
        for day in (date(2023, 12, 31), D):
            assert balances_json(other, day) == balances_json(sample_ctx, day)
        assert sum(r["principal_outstanding"] for r in balances_json(other, D)) == \
            sum(r["principal_outstanding"] for r in balances_json(sample_ctx, D)) > 0
    finally:
        other.db.dispose()


def test_a_broken_workbook_writes_nothing_and_names_every_bad_row(tmp_path, ctx):
    book, maps = assistant(foreign_workbook(tmp_path / "so-cu.xlsx", broken=True))
    with pytest.raises(ImportRefused) as err:
        mg.import_workbook(ctx, book, maps)
    problems = err.value.problems
    where = sorted(p.split(": ", 1)[0] for p in problems)
    assert "so-cu.xlsx[Khách hàng]:7" in where  # the 4th borrower, under a title row and a blank row
    assert "so-cu.xlsx[Hợp đồng]:10" in where  # the 6th loan, under a two-row header
    assert {"so-cu.xlsx[Giao dịch]:10", "so-cu.xlsx[Giao dịch]:14", "so-cu.xlsx[Giao dịch]:23"} <= set(where)
    text = "\n".join(problems)
    assert "«abc»" in text and "«31/02/2024»" in text and "HD2099-999" in text and "«hợp tác»" in text
    assert "«1.000.00»" in text
    assert list_loans(ctx) == []  # nothing written


def test_an_incomplete_mapping_is_named_and_remembered_by_header_names(tmp_path):
    book, maps = assistant(foreign_workbook(tmp_path / "so-cu.xlsx"))
    loans = book.sheet("Hợp đồng")
    m = maps["Hợp đồng"]
    del m.columns[3]  # no amount any more
    m.columns[4] = mg.IGNORE
    problems = mg.mapping_problems(book, maps)
    assert "Trang «Hợp đồng»: chưa chọn cột cho «Số tiền vay» (Khoản vay: amount)" in problems
    assert "Trang «Hợp đồng»: chưa chọn cột lãi suất (%/năm hoặc %/tháng)" in problems
    with pytest.raises(ValidationError):
        mg.build_rows(book, maps)
    again = mg.SheetMapping.from_json(m.to_json(loans), loans)
    assert again.columns == {k: v for k, v in m.columns.items() if v}
    assert loans.signature == mg.read_workbook(tmp_path / "so-cu.xlsx").sheet("Hợp đồng").signature


def test_the_template_is_our_layout(tmp_path, ctx):
    from openpyxl import load_workbook

    path = mg.write_template(tmp_path / "mau.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hướng dẫn", "borrowers", "loans", "transactions", "events", "openings"]
    assert [c.value for c in wb["transactions"][1]] == ["loan_no", "date", "kind", "amount", "reference"]
    # filled in with one borrower and one loan, it imports through the plain import
    wb["borrowers"].append(["KH1", "HTX Thử", "htx"])
    wb["loans"].append(["HD1", "KH1", "", "", 100_000_000, 7.2, None, 12, 1])
    wb.save(path)
    summary = check_and_import(ctx, path)
    assert (summary.borrowers, summary.loans) == (1, 1)


def test_one_sheet_per_loan_with_its_opening_and_a_sheet_of_decisions(tmp_path):
    """The sample fund with life events kept the way many funds do: one row per loan holding its borrower, its
    terms and, for loans taken over from earlier books, its balances at the takeover; decisions in words on their
    own sheet. Imported through the assistant, the same balances as the plain import of the golden CSVs."""
    from openpyxl import Workbook

    from fundapp.app import open_book

    folder = SAMPLE.parent / "sample-fund-events"

    def rows(name):
        with (folder / name).open(encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))

    borrowers = {b["code"]: b for b in rows("borrowers.csv")}
    openings = {o["loan_no"]: o for o in rows("openings.csv")}
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ vay"
    _title(ws, "SỔ THEO DÕI CHO VAY (chuyển từ sổ cũ)", 16)
    ws.append(["Số HĐ", "Tên HTX", "Mã KH", "Loại hình", "Xã/Phường", "Số tiền vay", "Lãi suất", "Thời hạn vay",
               "Kỳ hạn trả nợ", "Phương thức trả nợ", "Ân hạn", "Ngày ký HĐ", "Số dư đến ngày",
               "Ngày giải ngân đầu tiên", "Lũy kế giải ngân", "Dư nợ gốc", "Gốc quá hạn", "Ngày đến hạn cũ nhất",
               "Lãi đến hạn chưa trả", "Lãi dự thu", "Lãi quá hạn", "Lãi chậm trả", "Số lần cơ cấu"])
    for r in rows("loans.csv"):
        b, o = borrowers[r["borrower_code"]], openings.get(r["loan_no"])
        rate = f"{r['monthly_rate'].replace('.', ',')} %/tháng" if r.get("monthly_rate") else \
            r["annual_rate"].replace(".", ",")
        dates = [date.fromisoformat(o[k]).strftime("%d/%m/%Y") if o and o[k] else None
                 for k in ("as_of", "first_disbursement_date", "oldest_overdue_date")]
        money = [_dots(int(o[k])) if o else None for k in ("disbursed", "principal_outstanding", "principal_overdue")]
        interest = [int(o[k]) if o else None for k in ("interest_due_unpaid", "interest_accrued", "overdue_interest",
                                                       "late_interest")]
        ws.append([r["loan_no"], b["name"], b["code"], KIND_WORDS[b["kind"]], b["ward"], int(r["amount"]), rate,
                   int(r["term_months"]), int(r["frequency_months"]), METHOD_WORDS[r["method"]],
                   int(r["grace_periods"] or 0), r["contract_date"] and date.fromisoformat(r["contract_date"]),
                   dates[0], dates[1], *money, dates[2], *interest, (o or {}).get("restructurings") or None])
    ws = wb.create_sheet("Giao dịch")
    ws.append(["Ngày", "Số hợp đồng", "Nội dung", "Số tiền", "Số chứng từ"])
    for t in rows("transactions.csv"):
        ws.append([date.fromisoformat(t["date"]).strftime("%d/%m/%Y"), t["loan_no"],
                   "Giải ngân" if t["kind"] == "disbursement" else "Thu nợ", _dots(int(t["amount"])), t["reference"]])
    ws = wb.create_sheet("Quyết định")
    words = {"restructure": "Cơ cấu lại nợ", "interest_relief": "Miễn, giảm lãi", "write_off": "Xử lý rủi ro"}
    reliefs = {"late_interest": "Lãi chậm trả", "overdue_interest": "Lãi quá hạn", "interest": "Lãi trong hạn"}
    ws.append(["Số quyết định", "Ngày quyết định", "Số hợp đồng", "Loại sự kiện", "Lý do", "Số tháng gia hạn",
               "Số kỳ ân hạn", "Loại lãi", "Số tiền miễn giảm"])
    for e in rows("events.csv"):
        ws.append([e["reference"], date.fromisoformat(e["date"]), e["loan_no"], words[e["kind"]], e["reason"],
                   e["extend_months"] or None, e["grace_periods"] or None, reliefs.get(e["relief_of"]),
                   _dots(int(e["amount"])) if e["amount"] else None])
    path = tmp_path / "so-vay.xlsx"
    wb.save(path)

    book = mg.read_workbook(path)
    maps = {"Sổ vay": mg.guess_mapping(book.sheet("Sổ vay"), "loans"),
            "Giao dịch": mg.guess_mapping(book.sheet("Giao dịch")),
            "Quyết định": mg.guess_mapping(book.sheet("Quyết định"))}
    loans = book.sheet("Sổ vay")
    # the borrower's and the opening's columns of the loan sheet, chosen by the officer
    for header, key in (("Tên HTX", "borrowers.name"), ("Mã KH", "borrowers.code"), ("Loại hình", "borrowers.kind"),
                        ("Xã/Phường", "borrowers.ward"), ("Số dư đến ngày", "openings.as_of"),
                        ("Ngày giải ngân đầu tiên", "openings.first_disbursement_date"),
                        ("Lũy kế giải ngân", "openings.disbursed"), ("Dư nợ gốc", "openings.principal_outstanding"),
                        ("Gốc quá hạn", "openings.principal_overdue"),
                        ("Ngày đến hạn cũ nhất", "openings.oldest_overdue_date"),
                        ("Lãi đến hạn chưa trả", "openings.interest_due_unpaid"),
                        ("Lãi dự thu", "openings.interest_accrued"), ("Lãi quá hạn", "openings.overdue_interest"),
                        ("Lãi chậm trả", "openings.late_interest"), ("Số lần cơ cấu", "openings.restructurings")):
        maps["Sổ vay"].columns[loans.headers.index(header)] = key
    assert maps["Sổ vay"].targets() == ["borrowers", "loans", "openings"]
    assert mg.guess_target(book.sheet("Quyết định")) == "events"
    built = mg.build_rows(book, maps)
    with_loans = {r["borrower_code"] for r in rows("loans.csv")}
    assert len(built["openings"]) == 1 + len(openings)  # loans without an opening give no opening row
    assert len(built["borrowers"]) == 1 + len(with_loans)  # a borrower of several loans given once
    later = date(2025, 12, 31)  # the book with events runs into 2025
    ctx = open_book(str(tmp_path / "migrated.sqlite"), user="tester", today=later)
    plain = open_book(str(tmp_path / "plain.sqlite"), user="tester", today=later)
    try:
        done = mg.import_workbook(ctx, book, maps)
        assert (done.borrowers, done.loans, done.openings, done.events) == (len(with_loans), 36, 4, 18)
        check_and_import(plain, folder)
        for day in (D, later):
            assert balances_json(ctx, day) == balances_json(plain, day)
        assert sum(r["written_off_principal"] for r in balances_json(ctx, later)) > 0
    finally:
        ctx.db.dispose()
        plain.db.dispose()
