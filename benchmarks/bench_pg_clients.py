"""Eight officers posting at once on one PostgreSQL book (issue 17: for a minute, median posting ≤ 100 ms, no error).

Eight processes, each with its own connection (``open_book``), post small repayments (10.000 đ) in turn on loans of
its own (``--loans`` each, 25: an officer's round, so no loan grows by hundreds of entries in a minute; loans with
principal outstanding, active or overdue, each posted on the day after its last entry) as fast as they can for
``--seconds`` (60). Every posting's latency is kept; an exception of any kind is an error, counted and its
first lines printed. Floor measured in the same run: the driver's plain INSERT + COMMIT of one row by eight
processes at once.
Run: python -m benchmarks.bench_pg_clients postgresql+psycopg://fundapp:fundapp@127.0.0.1:5432/fundapp_test8
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import time
from datetime import date, timedelta

TODAY = date(2031, 12, 31)
AMOUNT = 10_000


def choose_loans(url: str, n: int) -> list[tuple[int, date]]:
    """``n`` active or overdue loans with at least 500.000.000 đ outstanding in the cache (spread over the book), each with the
    day after its last entry (never after TODAY)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect() as c:
        ids = [r[0] for r in c.exec_driver_sql(
            "select loan_id from loan_state where status in ('active', 'overdue') and principal_outstanding >= 500000000 "
            "order by loan_id").fetchall()]
        step = max(1, len(ids) // n)
        out = []
        for loan_id in ids[::step]:
            last = c.exec_driver_sql(f"select max(on_date) from entries where loan_id = {int(loan_id)}").scalar()
            if last is not None and last < TODAY:
                out.append((loan_id, last + timedelta(days=1)))
            if len(out) == n:
                break
    engine.dispose()
    return out


def client(url: str, loans: list[tuple[int, date]], start: float, seconds: float, out) -> None:
    """One officer: post repayments on ``loans`` ((loan id, day) in turn) from ``start`` (time.time()) for
    ``seconds``; puts (latencies in s, errors as text) on ``out``."""
    from fundapp.app import open_book
    from fundapp.domain.engine import Kind
    from fundapp.services import posting

    ctx = open_book(url, user=f"bench{os.getpid()}", today=TODAY)
    posting.quote_on(ctx, *loans[0])  # connect and warm up before the clock
    latencies, errors, cpu = [], [], []
    turn = 0
    while time.time() < start:
        time.sleep(0.001)
    end = start + seconds
    while time.time() < end:
        loan_id, day = loans[turn % len(loans)]
        turn += 1
        t, c = time.perf_counter(), time.process_time()
        try:
            posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, day, AMOUNT)
        except Exception as exc:  # an error of any kind is what the benchmark counts
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        else:
            latencies.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
    ctx.db.dispose()
    out.put((latencies, errors, cpu))


def floor_client(url: str, start: float, seconds: float, out) -> None:
    """The floor: plain INSERT + COMMIT of one row in a loop, on a temporary table of its own connection."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        conn.execute("create temporary table bench_floor (id serial primary key, amount bigint)")
        conn.commit()
        latencies = []
        while time.time() < start:
            time.sleep(0.001)
        while time.time() < start + seconds:
            t = time.perf_counter()
            conn.execute("insert into bench_floor (amount) values (100000)")
            conn.commit()
            latencies.append(time.perf_counter() - t)
    out.put((latencies, [], []))


def run(target, args_of, n: int, seconds: float) -> tuple[list[float], list[str]]:
    spawn = mp.get_context("spawn")
    out = spawn.Queue()
    start = time.time() + 8  # the processes import and connect meanwhile
    procs = [spawn.Process(target=target, args=(*args_of(i), start, seconds, out)) for i in range(n)]
    for p in procs:
        p.start()
    latencies, errors, cpu = [], [], []
    for _ in procs:
        lat, err, used = out.get()
        latencies += lat
        errors += err
        cpu += used
    for p in procs:
        p.join()
    return latencies, errors, cpu


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--loans", type=int, default=25, help="loans per client, posted in turn")
    a = p.parse_args()
    loans = choose_loans(a.url, a.clients * a.loans)
    if len(loans) < a.clients * a.loans:
        raise SystemExit(f"only {len(loans)} loans fit")
    lat, errors, cpu = run(client, lambda i: (a.url, loans[i :: a.clients]), a.clients, a.seconds)
    floor, _, _ = run(floor_client, lambda i: (a.url,), a.clients, min(a.seconds, 10))
    lat.sort()
    median, p95 = statistics.median(lat) * 1000, lat[int(len(lat) * 0.95)] * 1000 if lat else float("nan")
    f = statistics.median(floor) * 1000
    print(f"{a.clients} clients posting for {a.seconds:.0f} s on {len(loans)} loans ({a.loans} each, in turn): "
          f"{len(lat)} postings "
          f"({len(lat) / a.seconds:.1f}/s), {len(errors)} errors")
    print(f"client CPU per posting (median): {statistics.median(cpu) * 1000:.0f} ms; load average at the end: "
          f"{os.getloadavg()[0]:.1f}")
    for e in sorted(set(errors))[:10]:
        print("  error:", e, f"(×{errors.count(e)})")
    print(f"| {a.clients} clients posting at once on PostgreSQL, {a.seconds:.0f} s: median (p95 {p95:.0f} ms, "
          f"{len(lat)} postings, {len(errors)} errors) | {median:.0f} ms | {f:.1f} ms ({a.clients} processes' plain "
          f"insert+commit) | {median / f:.0f}× | ≤ 100 ms, no error |")


if __name__ == "__main__":
    main()
