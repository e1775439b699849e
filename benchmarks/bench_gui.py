"""The GUI on a large book (issue 17): loans list open ≤ 0.5 s, a filter keystroke ≤ 100 ms, the loan page ≤ 200 ms.

In-process, offscreen, real widgets: the main window over BOOK (a SQLite file, copied first, or a PostgreSQL URL),
then the Khoản vay page built and shown (time to its first rows on screen, and to every loan loaded), keystrokes
typed into its search box with the whole list loaded (each: the filter and the repaint), and loan pages opened
(time to the figures shown). Floors measured in the same run: a bare window with a table view shown, the plain
driver read of the first rows, a plain Python pass over the search keys, the plain read of one loan's entries.
Run: python -m benchmarks.bench_gui BOOK [--repeat 5]   (FUNDAPP_TODAY=2031-12-31 for bench_scale's book)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FUNDAPP_TODAY", "2031-12-31")


def wait(app, until, timeout: float = 120.0) -> float:
    """Seconds until ``until()`` is true, processing Qt events meanwhile."""
    t = time.perf_counter()
    while not until():
        app.processEvents()
        if time.perf_counter() - t > timeout:
            raise TimeoutError("the GUI did not get there")
        time.sleep(0.001)
    return time.perf_counter() - t


def floors(url: str, loan_id: int, keys: list[str]) -> dict[str, float]:
    """Plain reads and a plain filter pass, seconds (medians of 5)."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    first, entries, scan = [], [], []
    for _ in range(5):
        with engine.connect() as c:
            t = time.perf_counter()
            c.exec_driver_sql("select l.id, l.loan_no, b.name, s.principal_outstanding from loans l join borrowers b "
                              "on b.id = l.borrower_id left join loan_state s on s.loan_id = l.id order by l.loan_no "
                              "limit 300").fetchall()
            first.append(time.perf_counter() - t)
            t = time.perf_counter()
            c.exec_driver_sql(f"select * from entries where loan_id = {int(loan_id)} order by id").fetchall()
            entries.append(time.perf_counter() - t)
        t = time.perf_counter()
        [("vinh" in k) for k in keys]
        scan.append(time.perf_counter() - t)
    engine.dispose()
    return {"first": statistics.median(first), "entries": statistics.median(entries), "scan": statistics.median(scan)}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("book")
    p.add_argument("--repeat", type=int, default=5)
    a = p.parse_args()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    from fundapp.app import open_book
    from fundapp.ui.app import create_window

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        book = a.book
        if "://" not in book:
            shutil.copy(book, Path(tmp) / "book.sqlite")
            book = str(Path(tmp) / "book.sqlite")
        t = time.perf_counter()
        bare = QMainWindow()
        bare.setCentralWidget(QTableView())
        bare.resize(1366, 768)
        bare.show()
        app.processEvents()
        t_bare = time.perf_counter() - t
        bare.close()

        ctx = open_book(book, user="bench")
        qs = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        qs.setValue("window/page", "settings")  # a light first page: the loans page is built under the clock
        window = create_window(ctx, qs)
        window.resize(1366, 768)
        window.show()
        wait(app, lambda: not window.env.jobs.busy)

        t = time.perf_counter()
        page = window.show_page("loans")
        wait(app, lambda: page.figures_shown)
        t_first = time.perf_counter() - t
        wait(app, lambda: page.loaded and not window.env.jobs.busy)
        t_all = time.perf_counter() - t
        rows = page.model.rowCount()

        strokes = []
        for _ in range(a.repeat):
            for text in ("v", "vi", "vin", "vinh", "vinh ", "vinh l", "vinh li", "vinh lin", "vinh linh", ""):
                t = time.perf_counter()
                page.search.setText(text)
                page.table.viewport().repaint()
                app.processEvents()
                strokes.append(time.perf_counter() - t)
                if text == "vinh linh":
                    shown_after = page.proxy.rowCount()

        ids = [r.id for r in page.model.rows[:: max(1, rows // a.repeat)]][: a.repeat]
        with ctx.db.read() as s:
            big = s.connection().exec_driver_sql("select id from loans where loan_no = 'HD-BIG-500'").scalar()
        if big is not None:
            ids.append(big)
        opens = []
        for loan_id in ids:
            t = time.perf_counter()
            detail = page.open_loan(loan_id)
            wait(app, lambda d=detail, i=loan_id: d.view is not None and d.view.id == i and not window.env.jobs.busy)
            opens.append(time.perf_counter() - t)
            page.show_list()
        f = floors(ctx.db.url if "://" in ctx.db.url else f"sqlite:///{book}", ids[0],
                   [r.search for r in page.model.rows])
        window.close()
        ctx.db.dispose()

    stroke, page_open = statistics.median(strokes), statistics.median(opens)
    print(f"book {a.book}: {rows} loans; bare window with a table shown {t_bare * 1000:.0f} ms")
    print(f"| loans list open: first rows on screen | {t_first * 1000:.0f} ms | {f['first'] * 1000:.1f} ms (plain read "
          f"of 300 rows) | {t_first / f['first']:.0f}× | ≤ 500 ms |")
    print(f"| loans list: every loan loaded (background) | {t_all:.2f} s | — | — | — |")
    print(f"| filter keystroke (median of {len(strokes)}, max {max(strokes) * 1000:.0f} ms; 'vinh linh' shows "
          f"{shown_after}) | {stroke * 1000:.0f} ms | {f['scan'] * 1000:.1f} ms (plain pass over the keys) | "
          f"{stroke / f['scan']:.1f}× | ≤ 100 ms |")
    print(f"| loan page open (median of {len(opens)}; HD-BIG-500 {'included' if big else 'absent'}, max "
          f"{max(opens) * 1000:.0f} ms) | {page_open * 1000:.0f} ms | {f['entries'] * 1000:.1f} ms (plain read of its "
          f"entries) | {page_open / f['entries']:.0f}× | ≤ 200 ms |")


if __name__ == "__main__":
    main()
