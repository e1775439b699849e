"""Posting one repayment on a loan with 500 entries inside a large book (issue 17: ≤ 50 ms).

A loan HD-BIG-500 (monthly, 60 months) is added to a copy of the book by the import: one disbursement and 499
small repayments on successive days, each accepted by the engine. Then ``posting.post_transaction`` posts one more
repayment, ``--repeat`` times on successive days after its last entry (median). Floor measured in the same run: a
plain INSERT of one row and its commit on the same book (sqlite3, or the PostgreSQL driver).
BOOK is a SQLite file (copied first) or a PostgreSQL URL (HD-BIG-500 is added once and kept; each run adds
``--repeat`` repayments to it).
Run: python -m benchmarks.bench_posting BOOK.sqlite|URL [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from fundapp.domain.engine import Kind, LoanReplay, Transaction
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.terms import LoanTerms

LOAN = "HD-BIG-500"
START = date(2024, 1, 2)
TODAY = date(2031, 12, 31)


def big_loan(folder: Path, borrower_code: str) -> date:
    """loans.csv and transactions.csv of HD-BIG-500 in ``folder``; returns the day after its last entry."""
    terms = LoanTerms(amount=1_000_000_000, rate="6", term_months=60, frequency_months=1)
    state = LoanReplay(terms)
    rows = [dict(loan_no=LOAN, date=START.isoformat(), kind="disbursement", amount="1000000000", reference="GN-BIG-0")]
    state.apply(Transaction(START, Kind.DISBURSEMENT, 1_000_000_000))
    day = START
    while len(rows) < 500:
        day += timedelta(days=1)
        try:
            state.apply(Transaction(day, Kind.REPAYMENT, 100_000))
        except TransactionRefused:
            continue
        rows.append(dict(loan_no=LOAN, date=day.isoformat(), kind="repayment", amount="100000",
                         reference=f"PT-BIG-{len(rows)}"))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "loans.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["loan_no", "borrower_code", "purpose", "sector", "amount", "annual_rate", "term_months",
                    "frequency_months", "method", "grace_periods", "contract_date"])
        w.writerow([LOAN, borrower_code, "Mở rộng sản xuất", "nông nghiệp", "1000000000", "6", "60", "1",
                    "equal_principal", "0", START.isoformat()])
    with open(folder / "transactions.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return day + timedelta(days=1)


def floor_ms(ctx, db: Path | None, repeat: int) -> float:
    """Median ms of a plain INSERT of one row and its commit on the same book (sqlite3 on the file, or the
    PostgreSQL driver's own connection on a temporary table)."""
    floors = []
    if db is not None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("create table if not exists bench_floor (id integer primary key, amount integer)")
        for _ in range(repeat):
            t = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("insert into bench_floor (amount) values (100000)")
            conn.execute("COMMIT")
            floors.append(time.perf_counter() - t)
        conn.close()
    else:
        raw = ctx.db.engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("create temporary table bench_floor (id serial primary key, amount bigint)")
            raw.commit()
            for _ in range(repeat):
                t = time.perf_counter()
                cur.execute("insert into bench_floor (amount) values (100000)")
                raw.commit()
                floors.append(time.perf_counter() - t)
        finally:
            raw.close()
    return statistics.median(floors) * 1000


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("book", help="a SQLite file (copied first) or a PostgreSQL URL (HD-BIG-500 added once, kept)")
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    from fundapp.app import open_book
    from fundapp.services import posting
    from fundapp.services.imports import check_and_import

    with tempfile.TemporaryDirectory() as tmp:
        db: Path | None = None
        url = a.book
        if "://" not in a.book:
            db = Path(tmp) / "book.sqlite"
            shutil.copy(a.book, db)
            url = str(db)
        ctx = open_book(url, user="bench", today=TODAY)
        with ctx.db.read() as s:
            sql = s.connection().exec_driver_sql
            code = sql("select code from borrowers order by id limit 1").scalar()
            loan_id = sql(f"select id from loans where loan_no = '{LOAN}'").scalar()
        if loan_id is None:
            big_loan(Path(tmp) / "big", code)
            check_and_import(ctx, Path(tmp) / "big")
        with ctx.db.read() as s:
            sql = s.connection().exec_driver_sql
            loan_id = sql(f"select id from loans where loan_no = '{LOAN}'").scalar()
            n = sql(f"select count(*) from entries where loan_id = {loan_id}").scalar()
            last = sql(f"select max(on_date) from entries where loan_id = {loan_id}").scalar()
        next_day = (last if isinstance(last, date) else date.fromisoformat(last)) + timedelta(days=1)
        times = []
        for i in range(a.repeat):
            t = time.perf_counter()
            posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, next_day + timedelta(days=i), 100_000)
            times.append(time.perf_counter() - t)
        floor = floor_ms(ctx, db, a.repeat)
        ctx.db.dispose()
    value = statistics.median(times) * 1000
    where = "PostgreSQL" if db is None else "SQLite"
    print(f"| posting one repayment on a loan with {n} entries ({where}, median of {a.repeat}) | {value:.0f} ms | "
          f"{floor:.1f} ms | {value / floor:.0f}× | ≤ 50 ms |")


if __name__ == "__main__":
    main()
