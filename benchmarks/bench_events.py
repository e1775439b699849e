"""Balances as of one date, in-process, on a generated 10,000-loan book where about one loan in ten bends
(restructured, relieved, written off and partly recovered, or opened mid-life): issue 12, at most 1.5 s.

The book is imported through the import service into a SQLite file; the time is the services' whole path
(``book_reads.balances_as_of``: the cache's skip list, the entries-in-force read, one replay per loan), printed
with its ratio to a plain-sqlite SUM … GROUP BY over the same file's entries measured in the same run.
Run: python -m benchmarks.bench_events [loans] [share of loans drawn to bend, default 0.14 ≈ one in ten bent]
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.bookgen import write_csv
from benchmarks.timing import median_seconds

AS_OF = date(2024, 12, 31)


def main(n_loans: int = 10_000, share: float = 0.14) -> None:
    from fundapp.app import open_book
    from fundapp.services.book_reads import balances_as_of
    from fundapp.services.imports import check_and_import

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "book"
        t0 = time.perf_counter()
        loans, txs = write_csv(folder, n_loans, events_share=share)
        events = sum(1 for _ in open(folder / "events.csv", encoding="utf-8")) - 1
        openings = sum(1 for _ in open(folder / "openings.csv", encoding="utf-8")) - 1
        bent = len({line.split(",", 1)[0] for name in ("events.csv", "openings.csv")
                     for line in (folder / name).read_text(encoding="utf-8").splitlines()[1:]})
        print(f"generated {loans} loans, {txs} transactions, {events} events, {openings} openings "
              f"({bent} loans bent, {bent / loans:.1%}) in {time.perf_counter() - t0:.1f} s")
        db = Path(tmp) / "book.sqlite"
        ctx = open_book(db, today=date(2030, 12, 31))  # the generated book runs into 2028
        t = time.perf_counter()
        check_and_import(ctx, folder)
        print(f"import (in-process): {time.perf_counter() - t:.1f} s")
        total = sum(b.principal_outstanding + b.written_off_principal for _, b in balances_as_of(ctx.db, AS_OF))
        t_balances = median_seconds(lambda: balances_as_of(ctx.db, AS_OF), repeat=3)
        raw = sqlite3.connect(db)

        def floor() -> int:
            rows = raw.execute("select loan_id, sum(case kind when 'disbursement' then amount else -amount end) "
                               "from entries where on_date <= ? group by loan_id", (AS_OF.isoformat(),)).fetchall()
            return len(rows)

        t_floor = median_seconds(floor)
        print(f"balances as of {AS_OF} for {loans} loans, in-process through the services: "
              f"{t_balances * 1000:.0f} ms (target ≤ 1500 ms); plain-sqlite SUM {t_floor * 1000:.0f} ms; "
              f"ratio {t_balances / t_floor:.1f}× (outstanding + off-balance principal {total:,} đ)")
        raw.close()
        ctx.db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, float(sys.argv[2]) if len(sys.argv) > 2 else 0.14)
