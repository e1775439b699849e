"""The quarterly report (PDF + XLSX) of a generated 10,000-loan book (issue 6: at most 5 s, PeriodReports included).

Prints each step's time and the ratio of the renderers to a bare reportlab table and a bare
XlsxWriter sheet of the same number of cells, measured in the same run.
Run: python -m benchmarks.bench_reports [loans]
"""

from __future__ import annotations

import io
import sys
import time
from datetime import date

from benchmarks.bookgen import generate
from fundapp.documents.model import FundInfo
from fundapp.documents.report_labels import BREAKDOWN_COLUMNS, SUMMARY_ROWS
from fundapp.domain.engine import Kind, Transaction
from fundapp.domain.reporting import LoanInput
from fundapp.domain.terms import LoanTerms
from tests.docs.factory import quarterly_of_loans


def book(n_loans: int) -> tuple[list[LoanInput], dict[str, str]]:
    """LoanInputs of a generated book, built as tests/golden.py builds the sample's."""
    borrowers, loans, txs = generate(n_loans)
    by_loan: dict[str, list[Transaction]] = {}
    for r in txs:
        by_loan.setdefault(r["loan_no"], []).append(
            Transaction(date.fromisoformat(r["date"]), Kind(r["kind"]), int(r["amount"]), r["reference"]))
    who = {b["code"]: b for b in borrowers}
    out = []
    for r in loans:
        b = who[r["borrower_code"]]
        terms = LoanTerms(amount=r["amount"], rate=r["annual_rate"], term_months=r["term_months"],
                          frequency_months=r["frequency_months"], method=r["method"], grace_periods=r["grace_periods"])
        out.append(LoanInput(r["loan_no"], terms, tuple(by_loan.get(r["loan_no"], ())), b["district"], b["ward"],
                             b["kind"], r["sector"], b["code"]))
    return out, {b["code"]: b["name"] for b in borrowers}


def bare_pdf(rows: int, cols: int) -> bytes:
    """The floor: one plain reportlab table of rows × cols short numbers on A4 landscape."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table

    from fundapp.documents.layout import FONT, register_fonts

    register_fonts()
    buf = io.BytesIO()
    data = [[f"{r * c:,}" for c in range(cols)] for r in range(rows)]
    table = Table(data, repeatRows=1, style=[("FONT", (0, 0), (-1, -1), FONT, 9)])
    SimpleDocTemplate(buf, pagesize=landscape(A4), invariant=1, initialFontName=FONT).build([table])
    return buf.getvalue()


def bare_xlsx(rows: int, cols: int) -> bytes:
    """The floor: one XlsxWriter sheet of rows × cols numbers formatted #,##0."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    money = wb.add_format({"num_format": "#,##0", "border": 1})
    for r in range(rows):
        for c in range(cols):
            ws.write_number(r, c, r * 1000 + c, money)
    wb.close()
    return buf.getvalue()


def main(n_loans: int = 10_000) -> None:
    t0 = time.perf_counter()
    loans, names = book(n_loans)
    print(f"generated {len(loans)} loans in {time.perf_counter() - t0:.1f} s")

    from fundapp.documents.quarterly_xlsx import render_quarterly_xlsx
    from fundapp.documents.reports_pdf import render_quarterly_pdf

    t = time.perf_counter()
    data = quarterly_of_loans(FundInfo(director="Lê Thị Hoa"), loans, 2023, 4, borrower_names=names)
    t_reports = time.perf_counter() - t
    t = time.perf_counter()
    pdf = render_quarterly_pdf(data)
    t_pdf = time.perf_counter() - t
    t = time.perf_counter()
    buf = io.BytesIO()
    render_quarterly_xlsx(data, buf)
    t_xlsx = time.perf_counter() - t
    total = t_reports + t_pdf + t_xlsx

    r = data.current
    pdf_rows = len(SUMMARY_ROWS) + sum(len(b) + 1 for b in (r.by_area, r.by_ward, r.by_kind, r.by_sector)) + 6
    xlsx_cells = (len(SUMMARY_ROWS) * 7 + sum(len(b) + 1 for b in (r.by_area, r.by_ward, r.by_kind, r.by_sector))
                  * (2 + len(BREAKDOWN_COLUMNS)) + 8 * 6 + (len(r.loans) + 1) * 18)
    t = time.perf_counter()
    bare_pdf(pdf_rows, 2 + len(BREAKDOWN_COLUMNS))
    f_pdf = time.perf_counter() - t
    t = time.perf_counter()
    bare_xlsx(xlsx_cells // 18, 18)
    f_xlsx = time.perf_counter() - t

    f = r.total
    print(f"quarter IV/2023 of {n_loans} loans: disbursed {f.disbursed_count} times, {f.disbursed_amount:,} đ; "
          f"collected {f.principal_collected:,} đ principal, {f.interest_collected:,} đ interest; "
          f"outstanding {f.outstanding:,} đ, overdue {f.principal_overdue:,} đ, groups {f.debt_groups}")
    print(f"period reports (quarter, year before, year to date, chart): {t_reports * 1000:.0f} ms")
    print(f"PDF  {len(pdf) // 1024} KiB: {t_pdf * 1000:.0f} ms; bare reportlab table of {pdf_rows} rows "
          f"{f_pdf * 1000:.0f} ms; ratio {t_pdf / f_pdf:.1f}×")
    print(f"XLSX {len(buf.getvalue()) // 1024} KiB: {t_xlsx * 1000:.0f} ms; bare XlsxWriter sheet of {xlsx_cells} cells "
          f"{f_xlsx * 1000:.0f} ms; ratio {t_xlsx / f_xlsx:.1f}×")
    print(f"total {total:.2f} s (target ≤ 5 s): {'OK' if total <= 5 else 'TOO SLOW'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
