"""What every page is given: the book (services context), the job runner, the change hub, the settings store."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, QSettings, Signal

from fundapp.services.context import Context

from .jobs import JobRunner

TOPICS = ("borrowers", "applications", "loans", "settings", "book")


class Changes(QObject):
    """After a write, the page that wrote says which topics changed; pages showing them refresh."""

    changed = Signal(object)  # a frozenset of TOPICS

    def announce(self, *topics: str) -> None:
        """Tell every page that ``topics`` ("loans", "borrowers", "applications", "settings", "book"…) changed."""
        self.changed.emit(frozenset(topics))


@dataclass
class UiEnv:
    """What every page and dialog shares: the book's context, the job runner, the change announcer and QSettings."""

    ctx: Context
    jobs: JobRunner
    changes: Changes
    qsettings: QSettings  # window layout, column widths, last page (per user)
    fund_named: bool = False  # the book holds the fund's name (known once asked): documents may print
