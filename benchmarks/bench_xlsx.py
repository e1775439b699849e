"""The quarterly report as .xlsx on the 100,000-loan book (issue 17: ≤ 10 s, in constant memory), and where its
time goes, in one run.

Prints, each the median of ``--repeat`` runs with the load average:
- the whole process ``fundapp report quarterly --xlsx`` (warm: the book's replay checkpoints written by a first
  call), wall and CPU (user + system of the child) and its peak memory;
- in one process: the figures (``services.report_documents.quarterly_data``) and the writing
  (``documents.quarterly_xlsx.render_quarterly_xlsx``) apart, in CPU seconds;
- two floors measured in the same run: bare XlsxWriter writing 100,000 × 18 numbers (``bench_reports.bare_xlsx``,
  the floor ``bench_scale.py`` prints) and bare XlsxWriter writing the cells of our loan list — as many rows, 7
  strings and 12 numbers each, with formats, in constant memory — so the writing's ratio to its floor shows.
The book is copied to ``--work`` first (reads write checkpoints into the book they read). Children run with
FUNDAPP_TODAY=2031-12-31. Run: python -m benchmarks.bench_xlsx [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TODAY = "2031-12-31"
ENV = dict(os.environ, FUNDAPP_TODAY=TODAY)

CHILD = """
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""

SPLIT = """
import sys, time
from fundapp.app import open_book
from fundapp.services.report_documents import quarterly_data
from fundapp.documents.quarterly_xlsx import render_quarterly_xlsx
ctx = open_book(sys.argv[1])
t = time.process_time()
data = quarterly_data(ctx, 2024, 4)
figures = time.process_time() - t
t = time.process_time()
render_quarterly_xlsx(data, sys.argv[2])
writing = time.process_time() - t
rows = sum(1 for lp in data.current.loans if lp.disbursed_count or lp.principal_collected or lp.interest_collected
           or lp.balances.principal_outstanding or lp.balances.total_interest)
print(figures, writing, rows)
"""


def same_cells_floor(rows: int, path: Path) -> float:
    """CPU seconds of bare XlsxWriter writing ``rows`` rows of 7 strings and 12 numbers (the loan list's cells), each
    with a bordered format, in constant memory."""
    import xlsxwriter

    t = time.process_time()
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet()
    text = wb.add_format({"border": 1})
    money = wb.add_format({"border": 1, "num_format": "#,##0"})
    for r in range(rows):
        ws.write_number(r, 0, r + 1, money)
        for c in range(1, 8):
            ws.write_string(r, c, f"HD{r:06d}-{c}", text)
        for c in range(8, 19):
            ws.write_number(r, c, r * 1013 + c, money)
    wb.close()
    return time.process_time() - t


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--book", type=Path, default=Path("/tmp/fundapp-bench-100k/book.sqlite"))
    p.add_argument("--work", type=Path, default=Path("/tmp/fundapp-bench-xlsx/book.sqlite"))
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()
    a.work.parent.mkdir(parents=True, exist_ok=True)
    if not a.work.exists():
        shutil.copyfile(a.book, a.work)
    out = a.work.parent / "q.xlsx"
    py = sys.executable
    report = [py, "-m", "fundapp", "--db", str(a.work), "report", "quarterly", "--year", "2024", "--quarter", "4",
              "--xlsx", str(out)]
    print(f"load before: {os.getloadavg()}")
    subprocess.run(report, env=ENV, capture_output=True, check=False)  # warm: writes the checkpoints it lacks
    walls, cpus, peaks, figures, writings, floors, own_floors, rows = [], [], [], [], [], [], [], 0
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from benchmarks.bench_reports import bare_xlsx

    for _ in range(a.repeat):
        wall, cpu, peak = subprocess.run([py, "-c", CHILD, *report], env=ENV, capture_output=True, text=True,
                                         check=True).stdout.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
        peaks.append(int(peak) / 1024)
        fig, wri, n = subprocess.run([py, "-c", SPLIT, str(a.work), str(out)], env=ENV, capture_output=True, text=True,
                                     check=True).stdout.split()
        figures.append(float(fig))
        writings.append(float(wri))
        rows = int(n)
        t = time.process_time()
        bare_xlsx(100_000, 18)
        floors.append(time.process_time() - t)
        own_floors.append(same_cells_floor(rows, a.work.parent / "floor.xlsx"))
        print(f"run: process {walls[-1]:.2f} s wall, {cpus[-1]:.2f} s CPU, {peaks[-1]:.0f} MB; figures {figures[-1]:.2f} s,"
              f" writing {writings[-1]:.2f} s CPU; floors {floors[-1]:.2f} / {own_floors[-1]:.2f} s CPU; "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
    m = statistics.median
    floor, own = m(floors), m(own_floors)
    print("| figure | value | floor (same run) | ratio | target |\n|---|---|---|---|---|")
    print(f"| quarterly .xlsx, whole process, warm (wall) | {m(walls):.2f} s | {floor:.2f} s CPU bare XlsxWriter "
          f"100,000 × 18 | {m(walls) / floor:.2f}× | ≤ 10 s |")
    print(f"| same, CPU (user + system) | {m(cpus):.2f} s | {floor:.2f} s | {m(cpus) / floor:.2f}× | — |")
    print(f"| same, peak memory | {m(peaks):.0f} MB | — | — | constant in the rows written |")
    print(f"| of which the figures (quarterly_data, CPU) | {m(figures):.2f} s | — | — | — |")
    print(f"| of which the writing (render_quarterly_xlsx, CPU) | {m(writings):.2f} s | {own:.2f} s bare XlsxWriter, "
          f"the same {rows:,} × 19 cells | {m(writings) / own:.2f}× | — |")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
