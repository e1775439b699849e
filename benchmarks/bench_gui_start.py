"""From `python main.py --db BOOK` to a usable window (issue 4: 10,000 loans ≤ 1.2 s; issue 17: 100,000 loans ≤ 1.5 s).

"Usable" is the window shown with its first page's data loaded (the loans page: its first rows) (the app quits at that moment when
FUNDAPP_EXIT_WHEN_READY is set). Floor measured in the same run: a bare Qt window's process.
Run: python -m benchmarks.bench_gui_start [loans] [BOOK.sqlite | postgresql+psycopg://…] [loans,overview]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bookgen import write_csv

ROOT = Path(__file__).resolve().parent.parent
BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
from PySide6.QtCore import QTimer
app = QApplication([])
w = QMainWindow(); w.resize(1366, 768); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(args: list[str], env: dict, repeat: int = 5) -> float:
    """Median seconds from spawning the process to its "ready" line (the app prints it, then exits)."""
    times = []
    for _ in range(repeat):
        t0 = time.time()
        out = subprocess.run(args, check=True, env=dict(env, FUNDAPP_BENCH_T0=repr(t0)), cwd=ROOT,
                             capture_output=True, text=True).stdout
        ready = [line for line in out.splitlines() if line.startswith("ready ")]
        times.append(float(ready[0].split()[1]) if ready else time.time() - t0)
    return statistics.median(times)


def main(n_loans: int = 10_000, book: Path | str | None = None, pages: tuple[str, ...] = ("loans", "overview")) -> None:
    """``book``: an existing book to start on (e.g. bench_scale's 100,000-loan one, or a PostgreSQL URL; it needs the
    fund's name), else a generated one."""
    with tempfile.TemporaryDirectory() as tmp:
        db = book or Path(tmp) / "book.sqlite"
        if book is None:
            folder = Path(tmp) / "book"
            write_csv(folder, n_loans)
            subprocess.run([sys.executable, "-m", "fundapp", "--db", str(db), "import", str(folder)], check=True,
                           stdout=subprocess.DEVNULL)
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
                   FUNDAPP_EXIT_WHEN_READY="1", XDG_CONFIG_HOME=tmp, PYTHONPYCACHEPREFIX=str(Path(tmp) / "pyc"))
        # compiled once by the warm run, as an installed program is: a start that compiles every module (with
        # PYTHONDONTWRITEBYTECODE set) measures the compiler, ~0.3 s here
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for page in pages:
            ini = Path(tmp) / "fundapp" / "fundapp.conf"
            ini.parent.mkdir(parents=True, exist_ok=True)
            ini.write_text(f"[window]\npage={page}\n", encoding="utf-8")
            subprocess.run([sys.executable, "main.py", "--db", str(db)], check=True, env=env, cwd=ROOT)  # warm
            t_app = timed([sys.executable, "main.py", "--db", str(db)], env)
            t_all = timed([sys.executable, "main.py", "--db", str(db)], dict(env, FUNDAPP_EXIT_WHEN_READY="all"))
            t_bare = timed([sys.executable, "-c", BARE], env)
            print(f"start to a usable window showing the {page} page's figures, {n_loans} loans: {t_app:.2f} s "
                  f"(target ≤ 1.5 s); every background job done {t_all:.2f} s; bare Qt window process "
                  f"{t_bare:.2f} s; ratio {t_app / t_bare:.1f}×")


if __name__ == "__main__":
    # python -m benchmarks.bench_gui_start [loans] [book.sqlite]
    where = sys.argv[2] if len(sys.argv) > 2 else None
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, where if where is None or "://" in where else Path(where),
         tuple(sys.argv[3].split(",")) if len(sys.argv) > 3 else ("loans", "overview"))
