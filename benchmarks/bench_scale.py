"""Ten times the book (issue 17): a 100,000-loan book (~900,000 entries) as whole processes.

Each figure is printed with its floor measured in the same run and the ratio:
- import (≤ 60 s, peak ≤ 1 GB: ``ru_maxrss`` of the importing child) against a plain-sqlite3 process loading the
  same transactions.csv with executemany in one transaction;
- ``balances --as-of`` (≤ 3 s in-process, ≤ 4 s as a process, ≤ 10× the floor) against a plain-sqlite3 SUM process,
  as a first call (no replay checkpoint in the book: every loan replayed, the checkpoints written) and warm;
- the quarterly report as JSON (first call and warm), PDF and .xlsx (≤ 10 s each) against bare reportlab /
  XlsxWriter of the same size;
- after each SQLite import, the first read of past days no read has passed on the book just imported, its own
  checkpoints kept (``PAST_DAYS``' balances ≤ 4 s, ``PAST_QUARTER``'s quarterly JSON and PDF ≤ 10 s; each on its
  own copy); ``--past-only`` takes these on the book an earlier run imported.
The reads run on a copy of the book (``--work``): they write checkpoints into the book they read. With ``--url``
(a PostgreSQL copy of the same book, e.g. ``createdb -T``) every read figure is also taken there, each against its
own floor (a plain psycopg SUM process), and a last table prints PostgreSQL / SQLite (target ≤ 1.5×).
Each timing is the median of ``--repeat`` runs (the machine is shared: the load is printed with them).
The generated book is kept in ``--folder`` and reused. Every child runs with FUNDAPP_TODAY=2031-12-31 (the
generator's last entries are in 2030). Run: python -m benchmarks.bench_scale [--loans N] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TODAY = "2031-12-31"
AS_OF = "2024-12-31"
# past days no read has passed, read first on the book just imported (its own checkpoints kept): mid-quarter days of
# past years, and a quarter whose report no read has made
PAST_DAYS = ("2023-05-17", "2025-11-20")
PAST_QUARTER = ("2024", "2")
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

# the child's CPU (its worker processes' included), the largest peak of one process (KB) and the peak of the
# process tree's resident memory summed, sampled every 50 ms from /proc (KB; the import replays in worker processes
# beside the importing one: services.import_workers)
WITH_RSS = """
import os, resource, subprocess, sys, time
page = os.sysconf("SC_PAGE_SIZE") // 1024
def tree_kb(root):
    parents = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    parents[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
    return total
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while child.poll() is None:
    peak = max(peak, tree_kb(child.pid))
    time.sleep(0.05)
if child.returncode:
    raise SystemExit(child.returncode)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(usage.ru_utime + usage.ru_stime, usage.ru_maxrss, peak)
"""

FLOOR_SUM_PG = """
import sys, psycopg
with psycopg.connect(sys.argv[1]) as db:
    rows = db.execute("select loan_id, sum(case kind when 'disbursement' then amount else -amount end) from entries "
                      "where on_date <= %s group by loan_id", (sys.argv[2],)).fetchall()
print(len(rows))
"""

IN_PROCESS = """
import sys, time
from datetime import date
from fundapp.app import open_book
from fundapp.services.reports import balances_json
ctx = open_book(sys.argv[1])
t, c = time.perf_counter(), time.process_time()
rows = balances_json(ctx, date.fromisoformat(sys.argv[2]))
print(time.perf_counter() - t, time.process_time() - c, len(rows))
"""


def run(args: list[str]) -> tuple[float, str]:
    """Seconds and stdout of a child; exit 1 is accepted for documents (the fund's name not set yet: written
    anyway with blanks, and said)."""
    wall, _cpu, out = timed(args)
    return wall, out


def timed(args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds — user + system — of the child, its stdout): ``run``'s child. The CPU time is
    what compares runs at different loads (the wall time waits for a core)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1) or (done.returncode == 1 and "Đã ghi" not in done.stdout + done.stderr):
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, done.stdout


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
    p.add_argument("--work", type=Path, default=Path("/tmp/fundapp-bench-work/book.sqlite"),
                   help="the copy of the book the reads run on (they write replay checkpoints into it)")
    p.add_argument("--first-repeat", type=int, default=1, help="runs of each first call (no checkpoint yet)")
    p.add_argument("--import-only", action="store_true", help="the import's figures only")
    p.add_argument("--past-only", action="store_true", help="only the first reads of past days after the import, on "
                   "the book an earlier run imported (each on a fresh copy), against the plain SUM floor")
    p.add_argument("--url", help="also read a PostgreSQL copy of the book (postgresql+psycopg://…; the reads write "
                                 "checkpoints into it): each read figure on both, PG / SQLite printed")
    p.add_argument("--skip-documents", action="store_true", help="no quarterly PDF/.xlsx")
    p.add_argument("--import-url", help="also import into this PostgreSQL database (postgresql+psycopg://…; EMPTIED "
                                        "first, each run): the import's figures on both, PG / SQLite printed")
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
    if a.past_only:
        past_figures(a, py, db)
        return
    if not a.skip_import:
        import_figures(a, py, book, db)
        if a.import_only:
            print(f"load after: {os.getloadavg()}")
            return
    work = work_copy(a, db, fundapp)  # the reads write checkpoints: never into the generated book itself
    books = [Book("SQLite", str(work), medians([timed([py, "-c", FLOOR_SUM, str(work), AS_OF])[:2]
                                                for _ in range(a.repeat)]))]
    if a.url:
        books.append(Book("PostgreSQL", a.url, medians([timed([py, "-c", FLOOR_SUM_PG, plain_url(a.url), AS_OF])[:2]
                                                        for _ in range(a.repeat)])))
    print("\n(CPU: user + system of the client process; PostgreSQL's server time is in the wall time only)")
    print("| book | figure | wall | CPU | floor wall / CPU | ratio wall / CPU | target |\n|---|---|---|---|---|---|---|")
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    for book in books:
        if not a.skip_balances:
            figures[book.label] = balances(a, py, book)
        figures.setdefault(book.label, {}).update(quarterly(a, py, book, pdf_xlsx=book is books[0]))
    if len(books) == 2:
        print("\n| figure (wall) | SQLite | PostgreSQL | PG / SQLite | target |\n|---|---|---|---|---|")
        for name, (lite, _) in figures["SQLite"].items():
            pg = figures["PostgreSQL"][name][0]
            print(f"| {name} | {lite:.2f} s | {pg:.2f} s | {pg / lite:.2f}× | ≤ 1.5× |", flush=True)
    print(f"load after: {os.getloadavg()}")


def import_figures(a, py: str, book: Path, db: Path) -> None:
    """The import of ``book`` (the CSV folder) into a new SQLite ``db`` — and, with ``--import-url``, into that
    PostgreSQL database emptied first — ``--repeat`` times: wall, CPU of the child, its peak memory, and the first
    ``balances --as-of`` today after it (the import's own replay checkpoints: no full replay); the plain-sqlite3
    executemany floor of the same run; PostgreSQL / SQLite."""
    targets: list[tuple[str, str]] = [("SQLite", str(db))]
    if a.import_url:
        targets.append(("PostgreSQL", a.import_url))
    results: dict[str, dict[str, float]] = {}
    for label, target in targets:
        times, peaks, cpus, reads = [], [], [], []
        past: dict[str, list[tuple[float, float]]] = {}
        fundapp = [py, "-m", "fundapp", "--db", target]
        for _ in range(a.repeat):
            empty(target)
            t, out = run([py, "-c", WITH_RSS, *fundapp, "import", str(book)])
            times.append(t)
            cpu, _largest, tree = out.split()[-3:]
            cpus.append(float(cpu))
            peaks.append(int(tree) / 1024)
            reads.append(run([*fundapp, "balances", "--as-of", TODAY, "--format", "json"])[0])
            print(f"{label} import run: {t:.1f} s wall, {cpus[-1]:.1f} s CPU, {peaks[-1]:.0f} MB peak, first "
                  f"balances after it {reads[-1]:.1f} s, load {os.getloadavg()[0]:.1f}", flush=True)
            if "://" not in target:
                for figure, got in first_past_reads(py, Path(target)).items():
                    past.setdefault(figure, []).append(got)
        results[label] = {"import (whole process)": statistics.median(times),
                          "import CPU (user + system of the child)": statistics.median(cpus),
                          "import peak memory (MB, the process and its workers summed)": statistics.median(peaks),
                          f"first balances --as-of {TODAY} after the import (process)": statistics.median(reads)}
        for figure, got in past.items():
            results[label][f"{figure} (wall)"], results[label][f"{figure} (CPU)"] = medians(got)
    floors = []
    for _ in range(a.repeat):
        floor_db = a.folder / "floor.sqlite"
        for f in a.folder.glob("floor.sqlite*"):
            f.unlink()
        floors.append(run([py, "-c", FLOOR_IMPORT, str(book / "transactions.csv"), str(floor_db)])[0])
    floor = statistics.median(floors)
    targets_of = {"import (whole process)": "≤ 60 s",
                  "import peak memory (MB, the process and its workers summed)": "≤ 1024 MB",
                  f"first balances --as-of {TODAY} after the import (process)": "≤ 4 s",
                  **{f"{figure} (wall)": target for figure, target in PAST_TARGETS.items()}}
    for label, got in results.items():
        for figure, value in got.items():
            unit = "MB" if "MB" in figure else "s"
            against = floor if figure.startswith("import") and unit == "s" else None  # the floor is an import's
            line(f"{label}: {figure}", value, against, targets_of.get(figure, "—"), unit)
    if len(results) == 2:
        print("\n| figure | SQLite | PostgreSQL | PG / SQLite | target |\n|---|---|---|---|---|")
        for figure, lite in results["SQLite"].items():
            if figure not in results["PostgreSQL"]:
                continue
            pg = results["PostgreSQL"][figure]
            print(f"| {figure} | {lite:.2f} | {pg:.2f} | {pg / lite:.2f}× | "
                  f"{'≤ 1.5×' if figure == 'import (whole process)' else '—'} |", flush=True)


PAST_TARGETS = {**{f"first balances --as-of {day} after the import (process)": "≤ 4 s" for day in PAST_DAYS},
                f"first quarterly JSON {PAST_QUARTER[1]}/{PAST_QUARTER[0]} after the import (process)": "≤ 10 s",
                f"first quarterly PDF {PAST_QUARTER[1]}/{PAST_QUARTER[0]} after the import (process)": "≤ 10 s",
                f"first quarterly .xlsx {PAST_QUARTER[1]}/{PAST_QUARTER[0]} after the import (process)": "≤ 10 s"}


def first_past_reads(py: str, db: Path) -> dict[str, tuple[float, float]]:
    """(wall, CPU) of each first read of a past day on the SQLite book ``db`` just imported (``PAST_DAYS``'
    balances, ``PAST_QUARTER``'s quarterly JSON — one period, two days read — and PDF and .xlsx — the quarter, the
    same quarter a year before and the year to date: five days, the Báo cáo page's figures), each on its own copy
    of it (a read writes checkpoints that would help the next): what an officer waits for the first time after an
    import, the import's checkpoints kept."""
    copy = db.with_name("past-read.sqlite")
    reads = {f"first balances --as-of {day} after the import (process)": ["balances", "--as-of", day, "--format",
                                                                           "json"] for day in PAST_DAYS}
    quarter = ["report", "quarterly", "--year", PAST_QUARTER[0], "--quarter", PAST_QUARTER[1]]
    reads[f"first quarterly JSON {PAST_QUARTER[1]}/{PAST_QUARTER[0]} after the import (process)"] = [
        *quarter, "--format", "json"]
    reads[f"first quarterly PDF {PAST_QUARTER[1]}/{PAST_QUARTER[0]} after the import (process)"] = [
        *quarter, "--pdf", str(db.with_name("past-read.pdf"))]
    reads[f"first quarterly .xlsx {PAST_QUARTER[1]}/{PAST_QUARTER[0]} after the import (process)"] = [
        *quarter, "--xlsx", str(db.with_name("past-read.xlsx"))]
    out = {}
    for figure, args in reads.items():
        empty(str(copy))
        copied(db, copy)
        wall, cpu, _ = timed([py, "-m", "fundapp", "--db", str(copy), *args])
        out[figure] = (wall, cpu)
        print(f"  {figure}: {wall:.2f} s wall, {cpu:.2f} s CPU, load {os.getloadavg()[0]:.1f}", flush=True)
    empty(str(copy))
    return out


def past_figures(a, py: str, db: Path) -> None:
    """``first_past_reads`` on the imported book ``db``, ``--repeat`` times interleaved with the plain SUM floor
    process on a copy of it: the medians (wall, CPU), the floor's and the ratio, each with its target."""
    runs: dict[str, list[tuple[float, float]]] = {}
    floors = []
    for _ in range(a.repeat):
        for figure, got in first_past_reads(py, db).items():
            runs.setdefault(figure, []).append(got)
        floors.append(timed([py, "-c", FLOOR_SUM, str(db), AS_OF])[:2])
    f_wall, f_cpu = medians(floors)
    print(f"\nplain SUM floor (process): {f_wall:.2f} s wall, {f_cpu:.2f} s CPU; load {os.getloadavg()}")
    print("| figure | wall | CPU | ratio to the floor, wall / CPU | target |\n|---|---|---|---|---|")
    for figure, got in runs.items():
        wall, cpu = medians(got)
        print(f"| {figure} | {wall:.2f} s ({', '.join(f'{w:.2f}' for w, _ in got)}) | {cpu:.2f} s | "
              f"{wall / f_wall:.1f}× / {cpu / f_cpu:.1f}× | {PAST_TARGETS[figure]} |", flush=True)


def copied(source: Path, target: Path) -> None:
    """``source`` copied to ``target`` and flushed to the disk before any timing: the first write of a read on a
    copy left in the page cache waited for the copy's ~800 MB to reach the disk (2 s of a 6.3 s first read), which
    no officer's book, written long before, makes anyone wait for."""
    shutil.copyfile(source, target)
    with open(target, "rb+") as f:
        os.fsync(f.fileno())


def empty(target: str) -> None:
    """No book at ``target``: the SQLite file (and its -wal, -shm, .lock) deleted, or the PostgreSQL database's
    public schema dropped and made again."""
    if "://" not in target:
        for f in Path(target).parent.glob(Path(target).name + "*"):
            shutil.rmtree(f) if f.is_dir() else f.unlink()
        return
    import psycopg

    with psycopg.connect(plain_url(target), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@dataclass
class Book:
    """A book the reads run on: its label, its ``--db`` (a SQLite copy or a PostgreSQL URL) and the plain SUM floor
    of the same book measured in this run (median wall and CPU seconds of a whole process)."""

    label: str
    db: str
    floor: tuple[float, float]

    def clear_checkpoints(self) -> None:
        """Delete every replay checkpoint and the import's figures (``replay_figures``) of the book: the next read is
        a first call (replays every loan)."""
        if "://" in self.db:
            import psycopg

            with psycopg.connect(plain_url(self.db)) as conn:
                conn.execute("DELETE FROM replay_checkpoints")
                conn.execute("DELETE FROM replay_figures")
            return
        conn = sqlite3.connect(self.db)
        with conn:
            conn.execute("DELETE FROM replay_checkpoints")
            conn.execute("DELETE FROM replay_figures")
        conn.close()


def plain_url(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://…``) as libpq takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def work_copy(a, db: Path, fundapp: list[str]) -> Path:
    """A copy of the generated book in ``--work`` (made once, opened once so its schema is upgraded): the figures
    below write replay checkpoints into the book they read (issue 17)."""
    work = a.work
    if not work.exists():
        work.parent.mkdir(parents=True, exist_ok=True)
        copied(db, work)
        run([*fundapp[:-1], str(work), "balances", "--as-of", "2000-01-01", "--format", "json"])
    return work


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """(median wall, median CPU) of (wall, CPU) pairs."""
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def first_and_warm(args: list[str], book: Book, repeat: int,
                   first_repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:
    """((wall, CPU) medians of a first call on a book without checkpoints, the same once they are written)."""
    firsts = []
    for _ in range(first_repeat):
        book.clear_checkpoints()
        firsts.append(timed(args)[:2])
    return medians(firsts), medians([timed(args)[:2] for _ in range(repeat)])


def in_process(py: str, book: Book) -> tuple[float, float]:
    """(wall, CPU) of ``balances_json`` inside a process (start-up and JSON writing left out)."""
    wall, cpu, _ = run([py, "-c", IN_PROCESS, book.db, AS_OF])[1].split()
    return float(wall), float(cpu)


def book_line(book: Book, figure: str, value: tuple[float, float], target: str) -> None:
    (wall, cpu), (f_wall, f_cpu) = value, book.floor
    print(f"| {book.label} | {figure} | {wall:.2f} s | {cpu:.2f} s | {f_wall:.2f} s / {f_cpu:.2f} s | "
          f"{wall / f_wall:.1f}× / {cpu / f_cpu:.1f}× | {target} |", flush=True)


def balances(a, py: str, book: Book) -> dict[str, tuple[float, float]]:
    """``balances --as-of`` on ``book``: a whole process and in-process, first call and warm; returns the figures."""
    fundapp = [py, "-m", "fundapp", "--db", book.db]
    first, warm = first_and_warm([*fundapp, "balances", "--as-of", AS_OF, "--format", "json"], book, a.repeat,
                                 a.first_repeat)
    in_first = []
    for _ in range(a.first_repeat):
        book.clear_checkpoints()
        in_first.append(in_process(py, book))
    got = {"balances --as-of (process, first call: no checkpoint)": first,
           "balances --as-of (process, warm)": warm,
           "balances --as-of (in-process, first call)": medians(in_first),
           "balances --as-of (in-process, warm)": medians([in_process(py, book) for _ in range(a.repeat)])}
    targets = ["—", "≤ 4 s, ≤ 10× floor", "—", "≤ 3 s"]
    for (figure, value), target in zip(got.items(), targets, strict=True):
        book_line(book, figure, value, target)
    return got


def quarterly(a, py: str, book: Book, pdf_xlsx: bool) -> dict[str, tuple[float, float]]:
    """The quarterly report on ``book``: JSON first call and warm (and, with ``pdf_xlsx``, the PDF and .xlsx warm
    against bare reportlab / XlsxWriter); returns the JSON figures."""
    quarter = [py, "-m", "fundapp", "--db", book.db, "report", "quarterly", "--year", "2024", "--quarter", "4"]
    first, warm = first_and_warm([*quarter, "--format", "json"], book, a.repeat, a.first_repeat)
    book_line(book, "quarterly report JSON (process, first call)", first, "—")
    book_line(book, "quarterly report JSON (process, warm)", warm, "≤ 10 s")
    if pdf_xlsx and not a.skip_documents:
        pdf = [*quarter, "--pdf", str(a.work.parent / "q.pdf")]
        # the PDF also reads the same quarter a year before, whose days the JSON's first calls left without
        # checkpoints (they were cleared): one run first, untimed, so that "warm" is warm (it printed 16.1 s, a first
        # read of those days, against 6.1 s warm, 2026-12-04)
        run(pdf)
        t_pdf = median(pdf, a.repeat)
        t_xlsx = median([*quarter, "--xlsx", str(a.work.parent / "q.xlsx")], a.repeat)
        from benchmarks.bench_reports import bare_pdf, bare_xlsx

        t = time.perf_counter()
        bare_pdf(300, 12)
        f_pdf = time.perf_counter() - t
        t = time.perf_counter()
        bare_xlsx(a.loans, 18)
        f_xlsx = time.perf_counter() - t
        line("quarterly report PDF (process, warm)", t_pdf, f_pdf, "≤ 10 s")
        line("quarterly report .xlsx (process, warm)", t_xlsx, f_xlsx, "≤ 10 s")
    return {"quarterly report JSON (process, first call)": first, "quarterly report JSON (process, warm)": warm}


if __name__ == "__main__":
    main()
