"""Ten times the book (issue 17): a 100,000-loan book (~900,000 entries) as whole processes.

Each figure is printed with its floor measured in the same run and the ratio:
- import (≤ 60 s, peak ≤ 1 GB: ``ru_maxrss`` of the importing child) against a plain-sqlite3 process loading the
  same transactions.csv with executemany in one transaction;
- ``balances --as-of`` (≤ 3 s in-process, ≤ 4 s as a process, ≤ 10× the floor) against a plain-sqlite3 SUM process;
- the quarterly report as JSON, PDF and .xlsx (≤ 10 s each) against bare reportlab / XlsxWriter of the same size.
Each timing is the median of ``--repeat`` runs (the machine is shared: the load is printed with them).
The generated book is kept in ``--folder`` and reused. Every child runs with FUNDAPP_TODAY=2031-12-31 (the
generator's last entries are in 2030). Run: python -m benchmarks.bench_scale [--loans N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TODAY = "2031-12-31"
AS_OF = "2024-12-31"
ENV = dict(os.environ, FUNDAPP_TODAY=TODAY)

FLOOR_SUM = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select loan_id, sum(case kind when 'disbursement' then amount else -amount end) from entries "
                  "where on_date <= ? group by loan_id", (sys.argv[2],)).fetchall()
print(len(rows))
"""

FLOOR_IMPORT = """
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("create table entries (id integer primary key, loan_no text, on_date date, kind text, amount integer, "
           "reference text unique)")
db.execute("BEGIN")
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    rows = ((r["loan_no"], r["date"], r["kind"], int(r["amount"]), r["reference"]) for r in csv.DictReader(f))
    db.executemany("insert into entries (loan_no, on_date, kind, amount, reference) values (?, ?, ?, ?, ?)", rows)
db.execute("create index ix on entries (loan_no, on_date, kind, amount)")
db.execute("COMMIT")
"""

WITH_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

IN_PROCESS = """
import sys, time
from datetime import date
from fundapp.app import open_book
from fundapp.services.reports import balances_json
ctx = open_book(sys.argv[1])
t = time.perf_counter()
rows = balances_json(ctx, date.fromisoformat(sys.argv[2]))
print(time.perf_counter() - t, len(rows))
"""


def run(args: list[str]) -> tuple[float, str]:
    """Seconds and stdout of a child; exit 1 is accepted for documents (the fund's name not set yet: written
    anyway with blanks, and said)."""
    t = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=ENV)
    if done.returncode not in (0, 1) or (done.returncode == 1 and "Đã ghi" not in done.stdout + done.stderr):
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
    out = done.stdout
    return time.perf_counter() - t, out


def median(args: list[str], repeat: int) -> float:
    return statistics.median(run(args)[0] for _ in range(repeat))


def line(figure: str, value: float, floor: float | None, target: str, unit: str = "s") -> str:
    ratio = f"{value / floor:.1f}×" if floor else "—"
    floor_text = f"{floor:.2f} {unit}" if floor else "—"
    text = f"| {figure} | {value:.2f} {unit} | {floor_text} | {ratio} | {target} |"
    print(text, flush=True)
    return text


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--loans", type=int, default=100_000)
    p.add_argument("--folder", type=Path, default=Path("/tmp/fundapp-bench-100k"))
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--skip-import", action="store_true", help="reuse the book imported by an earlier run")
    p.add_argument("--skip-balances", action="store_true", help="the quarterly report only")
    a = p.parse_args()
    book, db = a.folder / "book", a.folder / "book.sqlite"
    if not (book / "transactions.csv").exists():
        from benchmarks.bookgen import write_csv

        t = time.perf_counter()
        loans, txs = write_csv(book, a.loans, events_share=0.05)
        print(f"generated {loans} loans, {txs} transactions in {time.perf_counter() - t:.0f} s")
    py = sys.executable
    fundapp = [py, "-m", "fundapp", "--db", str(db)]
    print(f"load before: {os.getloadavg()}")
    print("| figure | value | floor | ratio | target |\n|---|---|---|---|---|")
    if not a.skip_import:
        times, peaks = [], []
        for _ in range(a.repeat):
            for f in a.folder.glob("book.sqlite*"):
                f.unlink()
            t, out = run([py, "-c", WITH_RSS, *fundapp, "import", str(book)])
            times.append(t)
            peaks.append(int(out.split()[-1]) / 1024)
        floors = []
        for _ in range(a.repeat):
            floor_db = a.folder / "floor.sqlite"
            for f in a.folder.glob("floor.sqlite*"):
                f.unlink()
            floors.append(run([py, "-c", FLOOR_IMPORT, str(book / "transactions.csv"), str(floor_db)])[0])
        line("import (whole process)", statistics.median(times), statistics.median(floors), "≤ 60 s")
        line("import peak memory", statistics.median(peaks), None, "≤ 1024 MB", "MB")
    t_floor = median([py, "-c", FLOOR_SUM, str(db), AS_OF], a.repeat)
    if not a.skip_balances:
        balances(a, py, fundapp, db, t_floor)
    quarterly(a, fundapp, t_floor)
    print(f"load after: {os.getloadavg()}")


def balances(a, py: str, fundapp: list[str], db: Path, t_floor: float) -> None:
    t_bal = median([*fundapp, "balances", "--as-of", AS_OF, "--format", "json"], a.repeat)
    t_in = statistics.median(float(run([py, "-c", IN_PROCESS, str(db), AS_OF])[1].split()[0])
                             for _ in range(a.repeat))
    line("balances --as-of (process)", t_bal, t_floor, "≤ 4 s, ≤ 10× floor")
    line("balances --as-of (in-process)", t_in, t_floor, "≤ 3 s")


def quarterly(a, fundapp: list[str], t_floor: float) -> None:
    quarter = [*fundapp, "report", "quarterly", "--year", "2024", "--quarter", "4"]
    t_json = median([*quarter, "--format", "json"], a.repeat)
    line("quarterly report JSON (process)", t_json, t_floor, "≤ 10 s")
    t_pdf = median([*quarter, "--pdf", str(a.folder / "q.pdf")], a.repeat)
    t_xlsx = median([*quarter, "--xlsx", str(a.folder / "q.xlsx")], a.repeat)
    from benchmarks.bench_reports import bare_pdf, bare_xlsx

    t = time.perf_counter()
    bare_pdf(300, 12)
    f_pdf = time.perf_counter() - t
    t = time.perf_counter()
    bare_xlsx(a.loans, 18)
    f_xlsx = time.perf_counter() - t
    line("quarterly report PDF (process)", t_pdf, f_pdf, "≤ 10 s")
    line("quarterly report .xlsx (process)", t_xlsx, f_xlsx, "≤ 10 s")


if __name__ == "__main__":
    main()
