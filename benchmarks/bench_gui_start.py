"""From `python main.py --db BOOK` to a usable window (issue 4: 10,000 loans ≤ 1.2 s; issue 17: 100,000 loans ≤ 1.5 s).

"Usable" is the window shown with its first page's data loaded (the loans page: its first rows) (the app quits at that moment when
FUNDAPP_EXIT_WHEN_READY is set). Floor measured in the same run: a bare Qt window's process.
Run: python -m benchmarks.bench_gui_start [loans] [BOOK.sqlite | postgresql+psycopg://…] [loans,overview]

A SQLite book is copied into a temporary folder first (a start writes: the loan list's figures, replay checkpoints),
so the book named is never written. A book without the fund's name (one made by ``fundapp import``) would stop the
start at the fund's name dialog, which nobody answers offscreen: the benchmark names the fund in the book (the
copy, or the PostgreSQL database) first and says so. Every child has a timeout (``CHILD_TIMEOUT``): a start that
does not reach a usable window fails with a message instead of hanging. Every child runs with FUNDAPP_TODAY as
bench_scale's (the generated books' entries run to 2031).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_scale import TODAY
from benchmarks.bookgen import write_csv

ROOT = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT = 300  # seconds a child may take (an import of 10,000 loans, a start): more means it hangs
NAME_FUND = """
import sys
from dataclasses import replace
from fundapp.app import open_book
from fundapp.services.settings import fund_named, load_settings, save_settings
ctx = open_book(sys.argv[1])
try:
    if not fund_named(ctx):
        save_settings(ctx, replace(load_settings(ctx), fund_name="QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ (BENCHMARK)"))
        print("named")
finally:
    ctx.db.dispose()
"""
BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
w = QMainWindow(); w.resize(1366, 768); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def child(args: list[str], what: str, **kw) -> subprocess.CompletedProcess:
    """``subprocess.run(args)`` (checked, stdout and stderr captured as text) within ``CHILD_TIMEOUT`` seconds;
    exits the benchmark with a message naming ``what`` when it fails or times out (e.g. a start stuck at a dialog)."""
    kw["env"] = dict(kw.get("env") or os.environ, FUNDAPP_TODAY=TODAY)  # the generated books run to 2031
    try:
        return subprocess.run(args, check=True, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT, **kw)
    except subprocess.TimeoutExpired:
        sys.exit(f"{what}: no answer after {CHILD_TIMEOUT} s (a dialog waiting offscreen?): {' '.join(args)}")
    except subprocess.CalledProcessError as err:
        sys.exit(f"{what} failed (exit {err.returncode}): {' '.join(args)}\n{err.stderr[-2000:]}")


def timed(args: list[str], env: dict, repeat: int = 5) -> tuple[float, float]:
    """Medians of seconds from spawning the process to its "ready" line (the app prints it, then exits) and of the
    CPU seconds (user + system) the process used until it exited: on a loaded machine the wall time is the share of a
    core the process got, the CPU time what it needed."""
    times, cpus = [], []
    for _ in range(repeat):
        t0 = time.time()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = child(args, "start", env=dict(env, FUNDAPP_BENCH_T0=repr(t0))).stdout
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        ready = [line for line in out.splitlines() if line.startswith("ready ")]
        times.append(float(ready[0].split()[1]) if ready else time.time() - t0)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(times), statistics.median(cpus)


def prepared(book: Path | str | None, tmp: Path, n_loans: int) -> Path | str:
    """The book to start on: ``book``'s copy in ``tmp`` (a SQLite file; a PostgreSQL URL as it is), or a generated
    book of ``n_loans`` loans; the fund named in it if it was not."""
    if book is None:
        db: Path | str = tmp / "book.sqlite"
        folder = tmp / "book"
        write_csv(folder, n_loans)
        child([sys.executable, "-m", "fundapp", "--db", str(db), "import", str(folder)], "import")
    elif "://" in str(book):
        db = str(book)
    else:
        db = tmp / "book.sqlite"
        t = time.perf_counter()
        shutil.copyfile(book, db)
        print(f"copied {book} to {db} in {time.perf_counter() - t:.1f} s", flush=True)
    if child([sys.executable, "-c", NAME_FUND, str(db)], "naming the fund").stdout.strip() == "named":
        print("the book had no fund name (the start would wait at its dialog): named it", flush=True)
    return db


def main(n_loans: int = 10_000, book: Path | str | None = None, pages: tuple[str, ...] = ("loans", "overview")) -> None:
    """``book``: an existing book to start on (e.g. bench_scale's 100,000-loan one, copied first; or a PostgreSQL
    URL), else a generated one of ``n_loans`` loans; ``pages``: the first page shown, one run each. Prints seconds
    to a usable window, to every background job done, the bare Qt floor and the ratio; load before and after."""
    with tempfile.TemporaryDirectory() as tmp:
        db = prepared(book, Path(tmp), n_loans)
        kind = "PostgreSQL" if "://" in str(db) else "SQLite"
        print(f"load before: {os.getloadavg()}", flush=True)
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   FUNDAPP_EXIT_WHEN_READY="1", XDG_CONFIG_HOME=tmp, PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"))
        # compiled once by the warm run, as an installed program is: a start that compiles every module (with
        # PYTHONDONTWRITEBYTECODE set) measures the compiler, ~0.3 s here
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for page in pages:
            ini = Path(tmp) / "fundapp" / "fundapp.conf"
            ini.parent.mkdir(parents=True, exist_ok=True)
            ini.write_text(f"[window]\npage={page}\n", encoding="utf-8")
            child([sys.executable, "main.py", "--db", str(db)], "warm start", env=env)
            t_app, c_app = timed([sys.executable, "main.py", "--db", str(db)], env)
            t_all, c_all = timed([sys.executable, "main.py", "--db", str(db)], dict(env, FUNDAPP_EXIT_WHEN_READY="all"))
            t_bare, c_bare = timed([sys.executable, "-c", BARE], env)
            print(f"start to a usable window showing the {page} page's figures, {n_loans} loans, {kind}: "
                  f"{t_app:.2f} s wall, {c_app:.2f} s CPU (target ≤ 1.5 s); every background job done {t_all:.2f} s "
                  f"wall, {c_all:.2f} s CPU; bare Qt window process {t_bare:.2f} s wall, {c_bare:.2f} s CPU; ratio "
                  f"{t_app / t_bare:.1f}× wall, {c_app / c_bare:.1f}× CPU", flush=True)
        print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    # python -m benchmarks.bench_gui_start [loans] [book.sqlite | postgresql+psycopg://…] [loans,overview]
    where = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, where if where is None or "://" in where else Path(where),
         tuple(sys.argv[3].split(",")) if len(sys.argv) > 3 else ("loans", "overview"))
