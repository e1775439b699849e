"""What the page tests share besides conftest: a UiEnv over a book, and file dialogs answered by the test."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog

from fundapp.ui.env import Changes, UiEnv
from fundapp.ui.jobs import JobRunner


def make_env(ctx, qsettings: QSettings) -> UiEnv:
    """A UiEnv over ``ctx``'s book with its own job runner and change bus."""
    return UiEnv(ctx=ctx, jobs=JobRunner(), changes=Changes(), qsettings=qsettings)


def refreshed_page(qtbot, page_class, ctx, qsettings: QSettings):
    """A page of ``page_class`` over ``ctx``'s book, owned by qtbot, refreshed once (its jobs may still run)."""
    widget = page_class(make_env(ctx, qsettings))
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def reports_page(qtbot, ctx, qsettings: QSettings, year: int, quarter: int):
    """The Báo cáo page over ``ctx``'s book with quarter ``quarter`` of ``year`` chosen and its figures shown."""
    from fundapp.ui.pages.reports import Page

    page = Page(make_env(ctx, qsettings))
    qtbot.addWidget(page)
    page.year.setValue(year)
    page.quarter.setCurrentIndex(quarter - 1)
    page.refresh()
    qtbot.waitUntil(lambda: not page.env.jobs.busy and page.reports is not None
                    and (page.reports.year, page.reports.quarter) == (year, quarter), timeout=20000)
    return page


class Files:
    """The file dialogs' answers: set ``save``, ``open`` or ``folder`` before the click."""

    def __init__(self, monkeypatch) -> None:
        self.save = ""
        self.open = ""
        self.folder = ""
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (self.save, "")))
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (self.open, "")))
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: self.folder))
