"""Balances as of one date for a generated 10,000-loan book (issue 2: at most 1.5 s).

Prints the engine's time and its ratio to a plain-sqlite SUM … GROUP BY over the same
transactions, measured in the same run. Run: python -m benchmarks.bench_engine [loans]
"""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import date

from benchmarks.bookgen import generate
from benchmarks.timing import median_seconds
from fundapp.domain.engine import Kind, LoanReplay, Transaction, ordered
from fundapp.domain.terms import LoanTerms


def main(n_loans: int = 10_000) -> None:
    t0 = time.perf_counter()
    _, loans, txs = generate(n_loans)
    print(f"generated {len(loans)} loans, {len(txs)} transactions in {time.perf_counter() - t0:.1f} s")
    by_loan: dict[str, list[Transaction]] = {}
    for r in txs:
        by_loan.setdefault(r["loan_no"], []).append(
            Transaction(date.fromisoformat(r["date"]), Kind(r["kind"]), int(r["amount"]), r["reference"]))
    book = [(LoanTerms(amount=r["amount"], rate=r["annual_rate"], term_months=r["term_months"],
                       frequency_months=r["frequency_months"], method=r["method"], grace_periods=r["grace_periods"]),
             ordered(by_loan.get(r["loan_no"], []))) for r in loans]
    as_of = date(2024, 12, 31)

    def engine() -> int:
        total = 0
        for terms, loan_txs in book:
            state = LoanReplay(terms)
            for tx in loan_txs:
                if tx.on > as_of:
                    break
                state.apply(tx)
            total += state.balances(as_of).principal_outstanding
        return total

    db = sqlite3.connect(":memory:")
    db.execute("create table tx (loan_no text, on_date text, kind text, amount integer)")
    db.executemany("insert into tx values (?,?,?,?)", [(r["loan_no"], r["date"], r["kind"], int(r["amount"])) for r in txs])
    db.execute("create index ix on tx (loan_no, on_date, kind, amount)")

    def floor() -> int:
        rows = db.execute("select loan_no, sum(case kind when 'disbursement' then amount else -amount end) "
                          "from tx where on_date <= ? group by loan_no", (as_of.isoformat(),)).fetchall()
        return len(rows)

    t_engine = median_seconds(engine)
    t_floor = median_seconds(floor)
    print(f"balances as of {as_of} for {n_loans} loans: engine {t_engine * 1000:.0f} ms (target ≤ 1500 ms), "
          f"plain-sqlite SUM {t_floor * 1000:.0f} ms, ratio {t_engine / t_floor:.1f}×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
