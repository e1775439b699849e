"""Where a book is: its address (a SQLite path or a server URL) and the password that must never show.

``resolve_url`` turns a ``--db`` value into a SQLAlchemy URL, ``describe`` words it for a status bar,
``scrub`` masks every password in a message or log line, ``split_password``/``with_password`` keep the
password out of settings (it lives in the credential store under ``credential_key``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import URL, make_url


def default_book_path() -> Path:
    """The per-user book: <user data folder>/fundapp/fundapp.sqlite (platformdirs)."""
    from platformdirs import user_data_path

    return user_data_path("fundapp", appauthor=False) / "fundapp.sqlite"


def resolve_url(db: str | os.PathLike | None) -> str:
    """``--db`` value → SQLAlchemy URL: a URL as is, a path as a SQLite file; None → FUNDAPP_DB → default book."""
    value = str(db) if db else os.environ.get("FUNDAPP_DB") or str(default_book_path())
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


# a server's address that names no driver: psycopg (v3) is the one installed, SQLAlchemy's default for
# «postgresql://» is psycopg2 (not installed) and «postgres://» (Heroku's, libpq's) is no name it knows
_NO_DRIVER = re.compile(r"^(?:postgresql|postgres)://", re.IGNORECASE)


def with_driver(url: str) -> str:
    """``url`` with psycopg named when it names no driver («postgresql://…» or «postgres://…» →
    «postgresql+psycopg://…», the rest of it untouched); any other text comes back as is."""
    return _NO_DRIVER.sub("postgresql+psycopg://", url, count=1)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite book given by its URL («sqlite:///C:/sổ/quỹ.sqlite», relative to the working folder
    when its path is; «~» not expanded, as SQLAlchemy opens it); None for a server's book, an in-memory one, an
    SQLite URI («?uri=true»: its path is the driver's to read) or text that is no URL."""
    try:
        u = make_url(url)
    except Exception:  # no URL at all: not a file's either
        return None
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:") or "uri" in u.query:
        return None
    return Path(u.database)


def describe(url: str) -> str:
    """The book in words for a status bar: the file path, or the server without the password."""
    try:
        u = make_url(url)
    except Exception:
        return scrub(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


# -- the password: never in a message, a log line or a setting --------------------------------
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.\-]*://[^:/@\s]*:)([^@\s]*)(@)", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|\"[^\"]*\"|\S+)", re.IGNORECASE)


def scrub(message: str) -> str:
    """``message`` with every password of a URL (``scheme://user:***@host``) or ``password=…`` masked."""
    message = _URL_PASSWORD.sub(r"\1***\3", message)
    return _KEYWORD_PASSWORD.sub(r"\1***", message)


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None). A SQLite path comes back as is."""
    if "://" not in url:
        return url, None
    try:
        u = make_url(url)
    except Exception:
        return scrub(url), None
    if u.password is None:
        return url, None
    bare = URL.create(u.drivername, username=u.username, host=u.host, port=u.port, database=u.database, query=u.query)
    return bare.render_as_string(hide_password=False), str(u.password)


def with_password(url: str, password: str) -> str:
    """``url`` (without a password) with ``password`` put in; the result must never be shown or stored."""
    u = make_url(url)
    return u.set(password=password).render_as_string(hide_password=False)


def credential_key(url: str) -> str:
    """The key the password is kept under in the credential store: ``user@host:port/database``."""
    u = make_url(url)
    return f"{u.username or ''}@{u.host or ''}:{u.port or ''}/{u.database or ''}"

