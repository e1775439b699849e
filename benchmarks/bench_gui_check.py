"""The Báo cáo page's first figures while the window's start-up check of the hash chain runs (issue 17; the check
walks every journal row: 893,862 on the 100,000-loan book, ~24 s of Python's CPU).

Two fresh copies of the book, each opened in the main window offscreen: on the first, quarter 2/2024 is chosen 3 s
after the window is usable (the check begins 2 s after the first page, ``ui.record_status``), while the check runs;
on the second, once the check is over. The floor is that second figure, measured in the same run: the ratio says
what the check costs the officer's first report. The check ran in a thread of the window until 8331c41, since in a
process of its own from 50,000 rows (``services.verify.verify_book_aside``).
Run: python -m benchmarks.bench_gui_check BOOK.sqlite   (FUNDAPP_TODAY=2031-12-31 for bench_scale's book)
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FUNDAPP_TODAY", "2031-12-31")


def first_figures(app, book: str, tmp: Path, during_check: bool) -> tuple[float, bool]:
    """Seconds from choosing quarter 2/2024 on the Báo cáo page to its figures on screen, on a fresh copy of
    ``book``, and whether the start-up check was still running when they were chosen."""
    from PySide6.QtCore import QSettings

    from benchmarks.bench_gui import measure_reports, wait
    from fundapp.app import open_book
    from fundapp.ui.app import create_window

    copy = tmp / f"book-{during_check}.sqlite"
    shutil.copy(book, copy)
    ctx = open_book(str(copy), user="bench")
    qs = QSettings(str(tmp / f"ui-{during_check}.ini"), QSettings.Format.IniFormat)
    qs.setValue("window/page", "settings")
    window = create_window(ctx, qs)
    window.resize(1366, 768)
    window.show()
    wait(app, lambda: not window.env.jobs.busy)
    if during_check:
        t = time.perf_counter()
        wait(app, lambda: time.perf_counter() - t > 3.0)
    else:
        wait(app, lambda: getattr(window, "chain_check", None) is not None, timeout=900)
    running = getattr(window, "chain_check", None) is None
    took = measure_reports(app, window, tmp)["q_first"]
    window.close()
    ctx.db.dispose()
    return took, running


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("book", help="a SQLite file (copied first)")
    a = p.parse_args()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        during, running = first_figures(app, a.book, Path(tmp), True)
        after, _ = first_figures(app, a.book, Path(tmp), False)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| figure | value | floor (same run) | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| Báo cáo: quarter 2/2024's first figures, chosen 3 s after the window is usable (check running: "
          f"{'yes' if running else 'no'}) | {during:.2f} s | {after:.2f} s (the same once the check is over) | "
          f"{during / after:.2f}× | ≤ 10 s |")


if __name__ == "__main__":
    main()
