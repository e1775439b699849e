"""The composition root: settings, the book and the services, handed to the GUI or the command line."""

from __future__ import annotations

import getpass
import os
from datetime import date

from fundapp.ledger.db import Database, describe, resolve_url
from fundapp.services.context import Context


def current_user() -> str:
    """The name of the officer at this computer: ``FUNDAPP_USER`` if set, else the system login name, else
    "officer" when the system cannot say (the name written into entries and audit records on a book without users)."""
    try:
        return os.environ.get("FUNDAPP_USER") or getpass.getuser()
    except Exception:
        return "officer"


def open_book(db: str | os.PathLike | None = None, user: str | None = None, today: date | None = None,
              take_over: bool = False) -> Context:
    """Open (creating or upgrading) the book named by ``db`` / FUNDAPP_DB / the per-user default.

    A server URL without a password gets it from FUNDAPP_DB_PASSWORD or the credential store
    (services.credentials); ``take_over`` removes the lock of another computer the officer says is gone.
    Raises UserFacingError (BookUnavailable, BookInUse, …) in Vietnamese for a book that cannot be opened.
    """
    from fundapp.services.clock import fixed_today_from_env
    from fundapp.services.credentials import complete_url

    database = Database(complete_url(resolve_url(db)), take_over=take_over)
    today = today or fixed_today_from_env()  # FUNDAPP_TODAY: tests only
    if today is None:
        return Context(database, user or current_user())
    return Context(database, user or current_user(), lambda: today)


def book_where(url: str) -> str:
    """A book's address for a message: its file, or the server without the password."""
    return describe(url)


def book_description(ctx: Context) -> str:
    """The open book for a title or status bar: its file, or the server without the password."""
    return describe(ctx.db.url)


def password_free_formatter(fmt: str = "%(asctime)s %(levelname)s %(name)s: %(message)s"):
    """A logging.Formatter whose every line (message and traceback) has URL passwords masked (ledger.db.scrub)."""
    import logging

    from fundapp.ledger.db import scrub

    class _Formatter(logging.Formatter):
        def format(self, record) -> str:
            return scrub(super().format(record))

    return _Formatter(fmt)


def log_unraisable() -> None:
    """Send Python's «Exception ignored in …» reports (``sys.unraisablehook``: an error in a finaliser, e.g.
    XlsxWriter's zip file closed again by the garbage collector after a full disk, or a Ctrl-C landing in
    SQLAlchemy's clean-up at a command's very end) and the uncaught exceptions of background threads
    (``threading.excepthook``: a thread that lets an error through, e.g. CPython 3.11's process pool, whose
    manager thread raises InvalidStateError over a cancelled task when a worker process dies) to the log file with
    their traceback instead of the officer's terminal, which never shows a traceback or a library's English text.
    Dropped when no log file is set up."""
    import logging
    import sys
    import threading

    def hook(unraisable) -> None:
        if logging.getLogger().handlers:
            where = unraisable.err_msg or "Exception ignored in"
            logging.getLogger("fundapp").warning(
                "%s: %r", where, unraisable.object,
                exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))

    def thread_hook(args) -> None:
        if logging.getLogger().handlers and args.exc_type is not SystemExit:
            logging.getLogger("fundapp").warning(
                "exception in thread %s", getattr(args.thread, "name", "?"),
                exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.unraisablehook = hook
    threading.excepthook = thread_hook


def log_folder():
    """The per-user log folder (platformdirs)."""
    from platformdirs import user_log_path

    return user_log_path("fundapp", appauthor=False)


def setup_logging(level: int | None = None) -> str:
    """Log to a rotated file in the per-user log folder (1 MB × 5); returns the file's path."""
    import logging
    from logging.handlers import RotatingFileHandler

    folder = log_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "fundapp.log"
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(password_free_formatter())
        root.addHandler(handler)
    root.setLevel(level or logging.INFO)
    return str(path)
