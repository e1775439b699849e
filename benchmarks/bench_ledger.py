"""The ledger as whole processes on a generated 10,000-loan book (issue 3).

Targets: import ≤ 60 s; `fundapp balances --as-of` ≤ 2 s; quarterly JSON ≤ 3 s; the loan list's
read (list_loans) ≤ 0.5 s. Floors measured in the same run: a plain-sqlite3 process summing the
same entries, and the Python interpreter's own start. Run: python -m benchmarks.bench_ledger [loans]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.bookgen import write_csv

FLOOR = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select loan_id, sum(case kind when 'disbursement' then amount else -amount end) from entries "
                  "where on_date <= '2024-12-31' group by loan_id").fetchall()
print(len(rows))
"""


def timed(args: list[str], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(n_loans: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "book"
        loans, txs = write_csv(folder, n_loans)
        db = Path(tmp) / "book.sqlite"
        fundapp = [sys.executable, "-m", "fundapp", "--db", str(db)]
        t_import = timed([*fundapp, "import", str(folder)], repeat=1)
        print(f"import of {loans} loans, {txs} transactions: {t_import:.1f} s (target ≤ 60 s)")
        t_python = timed([sys.executable, "-c", "pass"])
        t_floor = timed([sys.executable, "-c", FLOOR, str(db)])
        t_bal = timed([*fundapp, "balances", "--as-of", "2024-12-31", "--format", "json"])
        t_q = timed([*fundapp, "report", "quarterly", "--year", "2024", "--quarter", "4", "--format", "json"])
        print(f"python start {t_python * 1000:.0f} ms; plain-sqlite3 SUM process {t_floor * 1000:.0f} ms")
        print(f"fundapp balances --as-of: {t_bal:.2f} s (target ≤ 2 s), {t_bal / t_floor:.1f}× the floor")
        print(f"fundapp report quarterly --format json: {t_q:.2f} s (target ≤ 3 s), {t_q / t_floor:.1f}× the floor")
        from fundapp.app import open_book
        from fundapp.services.queries import list_loans

        ctx = open_book(db, today=date(2024, 12, 31))
        list_loans(ctx)  # brings the cache to 'today' once
        t = time.perf_counter()
        rows = list_loans(ctx)
        print(f"list_loans ({len(rows)} rows, cached figures): {(time.perf_counter() - t) * 1000:.0f} ms (target ≤ 500 ms)")
        ctx.db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
