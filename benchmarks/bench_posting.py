"""Posting one repayment on a loan with 500 entries inside a large book (issue 17: ≤ 50 ms).

A loan HD-BIG-500-<time> (monthly, 60 months) is added to the book (a SQLite file is copied first) by the import:
one disbursement and 499 small repayments on successive days, each accepted by the engine; a PostgreSQL book keeps
it (run it on a copy: ``createdb -T``). Then ``posting.post_transaction`` posts one more
repayment, ``--repeat`` times on successive days after its last entry (median). Floor measured in the same run: a
plain INSERT of one row and its commit on the same book (sqlite3, or the PostgreSQL driver).
Several books in one run (a SQLite file and the same book on PostgreSQL): their postings interleaved, so each
sees the same load, with wall time, the client's CPU (and a local server's processes', read from /proc: under
load the wall time is mostly waiting for a core, CPU is not), the statements sent and PostgreSQL / SQLite.
Run: python -m benchmarks.bench_posting BOOK.sqlite [URL] [--repeat 9]
"""

from __future__ import annotations

import argparse
import csv
import os
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


def big_loan(folder: Path, borrower_code: str, loan_no: str = LOAN) -> date:
    """loans.csv and transactions.csv of loan ``loan_no`` (HD-BIG-500) in ``folder``; returns the day after its last
    entry. Its references are made of its number (unique in the book)."""
    tag = loan_no.removeprefix("HD-")
    terms = LoanTerms(amount=1_000_000_000, rate="6", term_months=60, frequency_months=1)
    state = LoanReplay(terms)
    rows = [dict(loan_no=loan_no, date=START.isoformat(), kind="disbursement", amount="1000000000",
                 reference=f"GN-{tag}-0")]
    state.apply(Transaction(START, Kind.DISBURSEMENT, 1_000_000_000))
    day = START
    while len(rows) < 500:
        day += timedelta(days=1)
        try:
            state.apply(Transaction(day, Kind.REPAYMENT, 100_000))
        except TransactionRefused:
            continue
        rows.append(dict(loan_no=loan_no, date=day.isoformat(), kind="repayment", amount="100000",
                         reference=f"PT-{tag}-{len(rows)}"))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "loans.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["loan_no", "borrower_code", "purpose", "sector", "amount", "annual_rate", "term_months",
                    "frequency_months", "method", "grace_periods", "contract_date"])
        w.writerow([loan_no, borrower_code, "Mở rộng sản xuất", "nông nghiệp", "1000000000", "6", "60", "1",
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


def _setup(tmp: Path, book: str, loan_no: str):
    """(context, SQLite file or None, the loan's id, the day after its last entry, its entries) of ``book`` with
    a new 500-entry loan ``loan_no`` imported (a SQLite file is copied into ``tmp`` first): every book's loan
    starts with the same 500 entries."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import

    db: Path | None = None
    url = book
    if "://" not in book:
        db = tmp / f"book{len(list(tmp.iterdir()))}.sqlite"
        shutil.copy(book, db)
        url = str(db)
    ctx = open_book(url, user="bench", today=TODAY)
    with ctx.db.read() as s:
        code = s.connection().exec_driver_sql("select code from borrowers order by id limit 1").scalar()
    folder = tmp / f"big-{len(list(tmp.iterdir()))}"
    next_day = big_loan(folder, code, loan_no)
    check_and_import(ctx, folder)
    with ctx.db.read() as s:
        sql = s.connection().exec_driver_sql
        loan_id = sql(f"select id from loans where loan_no = '{loan_no}'").scalar()
        n = sql(f"select count(*) from entries where loan_id = {loan_id}").scalar()
    return ctx, db, loan_id, next_day, n


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("book", nargs="+", help="SQLite files (copied first) and/or PostgreSQL URLs (HD-BIG-500 added "
                                          "once, kept): e.g. the 100,000-loan book and the same on a local server")
    p.add_argument("--repeat", type=int, default=9)
    a = p.parse_args()
    from sqlalchemy import event

    from fundapp.services import posting

    with tempfile.TemporaryDirectory() as tmp:
        loan_no = f"{LOAN}-{time.strftime('%m%d%H%M%S')}"  # a new loan each run (a server's book is kept)
        books = [_setup(Path(tmp), b, loan_no) for b in a.book]
        times: list[list[float]] = [[] for _ in books]
        cpus: list[list[float]] = [[] for _ in books]
        statements: list[list[str]] = [[] for _ in books]
        for (ctx, *_), seen in zip(books, statements, strict=True):
            event.listen(ctx.db.engine, "before_cursor_execute", lambda *x, seen=seen: seen.append(x[2]))
        backends: list[set[int]] = [set() for _ in books]  # a local server's processes serving each book
        for (ctx, db, *_), pids in zip(books, backends, strict=True):
            if db is None:
                event.listen(ctx.db.engine, "connect", lambda conn, _r, pids=pids: pids.add(conn.info.backend_pid))
                ctx.db.engine.dispose()  # new connections: their pids are seen
        server = [0.0 for _ in books]
        for i in range(a.repeat):  # the books in turn: each sees the same load
            for k, (ctx, _db, loan_id, next_day, _n) in enumerate(books):
                statements[k].clear()
                before = _cpu_of(backends[k])
                t, c = time.perf_counter(), time.process_time()
                posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, next_day + timedelta(days=i), 100_000)
                times[k].append(time.perf_counter() - t)
                cpus[k].append(time.process_time() - c)
                server[k] += _cpu_of(backends[k]) - before
        floors = [floor_ms(ctx, db, a.repeat) for ctx, db, *_ in books]
        for ctx, *_ in books:
            ctx.db.dispose()
    print(f"load average {os.getloadavg()[0]:.1f}; HD-BIG-500, medians of {a.repeat}")
    print("| posting one repayment on a loan with N entries | wall | CPU: client + local server (mean) | statements | "
          "floor (plain insert + commit) | ratio to floor | target |")
    value, cpu = {}, {}
    for (_ctx, db, _id, _day, n), t, c, st, floor, srv in zip(books, times, cpus, statements, floors, server,
                                                              strict=True):
        where = "PostgreSQL" if db is None else "SQLite"
        value.setdefault(where, statistics.median(t) * 1000)
        cpu.setdefault(where, (statistics.mean(c) + srv / a.repeat) * 1000)
        print(f"| {where}, {n} entries | {statistics.median(t) * 1000:.1f} ms | {statistics.mean(c) * 1000:.1f} + "
              f"{srv / a.repeat * 1000:.1f} ms | {len(st)} | {floor:.2f} ms | {statistics.median(t) * 1000 / floor:.0f}× "
              f"| ≤ 50 ms |")
    if len(value) == 2:
        print(f"| PostgreSQL / SQLite (same run, interleaved) | {value['PostgreSQL'] / value['SQLite']:.2f}× | "
              f"{cpu['PostgreSQL'] / cpu['SQLite']:.2f}× | | | | ≤ 1.5× |")


def _cpu_of(pids: set[int]) -> float:
    """CPU seconds (user + system) the local processes ``pids`` have used (0 where /proc cannot tell)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.0


if __name__ == "__main__":
    main()
