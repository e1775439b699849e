"""The service context: what every service needs — the book, who is working, what day it is, the logged-in user's
roles and the proposal being confirmed (issue 13.5: it lived in ``portfolio`` with the book loader and the cache)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from fundapp.ledger.db import Database


@dataclass(frozen=True)
class Context:
    """What every service needs: the book, who is working, and what day it is."""

    db: Database
    user: str = "officer"
    today: Callable[[], date] = field(default=date.today)
    # the logged-in user's role codes (services.users.login); None: nobody logged in — on a book without users the
    # implicit administrator (every right), on a book with users nothing (services.rights.require)
    roles: frozenset[str] | None = None
    # the proposal being confirmed (maker-checker): the services then do what it proposed
    confirming: int | None = None

    def watch_days(self) -> int:
        """The book's watch length in days (setting ``watch_days``, default 90; DOMAIN.md "Restructuring on day
        t", item 4), read from the book each time (one small query)."""
        from .book_loader import watch_days_in

        with self.db.read() as s:
            return watch_days_in(s)
