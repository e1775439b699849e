"""Timings of the printed documents against their floors (not a test).

A statement of a loan with 500 transactions (target ≤ 150 ms) and 300 due notices in one PDF
(target ≤ 10 s), each with its ratio to a bare reportlab Table of the same size (plain strings,
default font) measured in the same run.

    python benchmarks/bench_documents.py
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Table

from fundapp.documents.layout import register_fonts
from fundapp.documents.model import DueItem, history_lines
from fundapp.documents.notices import notices_pdf
from fundapp.documents.statement import statement_pdf
from fundapp.domain.engine import Kind, Transaction, quote, replay
from fundapp.domain.terms import LoanTerms
from fundapp.services.documents import due_notice
from tests.docs.factory import FUND, borrowers, document, loan


def best(fn: Callable[[], object], runs: int) -> float:
    """Best wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bare_table(rows: int, cols: int) -> bytes:
    data = [[f"{r * 1000 + c:,}" for c in range(cols)] for r in range(rows)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build([Table(data, repeatRows=1)])
    return buf.getvalue()


def long_loan_document():
    """A 20-year monthly loan with one disbursement and 499 monthly repayments."""
    terms = LoanTerms(amount=9_450_000_000, rate="6.6", term_months=600, frequency_months=1)
    start = date(2000, 1, 15)
    txs = [Transaction(start, Kind.DISBURSEMENT, terms.amount, "GN-00001")]
    for k in range(1, 500):
        y, m = divmod(start.month - 1 + k, 12)
        txs.append(Transaction(date(start.year + y, m + 1, 15), Kind.REPAYMENT, 45_000_000, f"PT-{k:05d}"))
    as_of = txs[-1].on
    result = replay(terms, txs, as_of)
    base = document(loan("HD2022-008"), date(2024, 12, 31))
    from dataclasses import replace

    return replace(base, terms=terms, as_of=as_of, balances=result.balances, schedule=result.schedule,
                   history=history_lines(txs, result.allocations), quote=quote(terms, txs, as_of),
                   disbursed=result.disbursed)


def notices(n: int):
    """``n`` notices, each with two installments of sample loans."""
    sample = [loan("HD2022-008"), loan("HD2022-020")]
    items = []
    for lin in sample:
        r = replay(lin.terms, lin.transactions, date(2024, 8, 25))
        items.append(DueItem(lin.loan_no, r.schedule[-1]))
    people = list(borrowers().values())
    return [due_notice(FUND, people[i % len(people)], 2024, 9, date(2024, 8, 25), items, number=f"{i + 1}/TB-QHT")
            for i in range(n)]


def main() -> None:
    register_fonts()
    doc = long_loan_document()
    assert len(doc.history) == 500
    statement_pdf(doc)  # warm-up: font subsetting caches, imports
    t_statement = best(lambda: statement_pdf(doc), 5)
    t_bare_500 = best(lambda: bare_table(500, 8), 5)
    print(f"statement, 500 transactions: {t_statement * 1000:.0f} ms (target ≤ 150 ms); "
          f"bare 500×8 Table {t_bare_500 * 1000:.0f} ms; ratio {t_statement / t_bare_500:.1f}×")

    batch = notices(300)
    t_notices = best(lambda: notices_pdf(batch), 2)
    t_bare_300 = best(lambda: bare_table(300 * 3, 6), 2)
    print(f"300 notices in one PDF: {t_notices:.2f} s (target ≤ 10 s); "
          f"bare 900×6 Table {t_bare_300 * 1000:.0f} ms; ratio {t_notices / t_bare_300:.1f}×")


if __name__ == "__main__":
    main()
