"""The composition root: settings, the book and the services, handed to the GUI or the command line."""

from __future__ import annotations

import getpass
import os
from datetime import date

from fundapp.ledger.db import Database, describe, resolve_url
from fundapp.services.portfolio import Context


def current_user() -> str:
    try:
        return os.environ.get("FUNDAPP_USER") or getpass.getuser()
    except Exception:
        return "officer"


def open_book(db: str | os.PathLike | None = None, user: str | None = None, today: date | None = None) -> Context:
    """Open (creating or upgrading) the book named by ``db`` / FUNDAPP_DB / the per-user default."""
    database = Database(resolve_url(db))
    if today is None:
        return Context(database, user or current_user())
    return Context(database, user or current_user(), lambda: today)


def book_description(ctx: Context) -> str:
    return describe(ctx.db.url)
