"""The PostgreSQL password: kept in the operating system's credential store (keyring), never in clear.

A server book is remembered by its URL *without* the password (settings, window title, status bar,
logs); the password goes to the credential store under ``user@host:port/database``. On opening,
the password comes from the URL given (command line), the ``FUNDAPP_DB_PASSWORD`` environment
variable, or the credential store; otherwise the GUI asks for it. Where the system has no
credential store, the password is not kept at all (it is asked for again), never written in clear.
"""

from __future__ import annotations

import logging
import os

from fundapp.domain.messages import msg
from fundapp.ledger.db import credential_key, scrub, split_password, with_password

from .errors import UserFacingError

SERVICE = "fundapp"
log = logging.getLogger("fundapp.services")


class PasswordNeeded(UserFacingError):
    """A server book whose password is nowhere to be found: the GUI asks for it (``url`` has no password)."""

    def __init__(self, url: str) -> None:
        super().__init__(
            msg("Cần mật khẩu để mở sổ trên máy chủ «{url}»: nhập mật khẩu, hoặc đặt biến môi trường "
                "FUNDAPP_DB_PASSWORD khi dùng dòng lệnh.",
                url=scrub(url)))
        self.url = url


def is_server(url: str) -> bool:
    """True for a server book's URL (PostgreSQL), False for a SQLite file or path."""
    return "://" in url and not url.lower().startswith("sqlite")


def remember_password(url: str) -> str:
    """Put the password of ``url`` (if any) in the credential store; returns the URL without it (safe to store).

    When the system has no credential store the password is dropped (asked for next time) and a warning logged.
    """
    clean, password = split_password(url)
    if password is None or not is_server(url):
        return clean
    try:
        import keyring

        keyring.set_password(SERVICE, credential_key(clean), password)
    except Exception as err:  # keyring.errors.NoKeyringError on a headless system, a locked store…
        log.warning("the password of %s is not kept (no credential store: %s)", scrub(clean), type(err).__name__)
    return clean


def stored_password(url: str) -> str | None:
    """The password kept for ``url`` (without password) in the credential store, or None."""
    try:
        import keyring

        return keyring.get_password(SERVICE, credential_key(url))
    except Exception as err:
        log.warning("no credential store to read the password of %s: %s", scrub(url), type(err).__name__)
        return None


def forget_password(url: str) -> None:
    """Remove the kept password of ``url`` (e.g. after the server refused it)."""
    try:
        import keyring

        keyring.delete_password(SERVICE, credential_key(split_password(url)[0]))
    except Exception:
        pass


def complete_url(url: str, ask: bool = False) -> str:
    """``url`` ready to connect: a server URL without a password gets FUNDAPP_DB_PASSWORD or the kept one.

    A password given in ``url`` is used as is (the GUI keeps it with ``remember_password``). With ``ask`` and no password anywhere,
    raises PasswordNeeded (the GUI asks, then calls ``with_password``); without ``ask`` the URL goes as is
    (a server that needs no password still opens). The result must never be shown, logged or stored.
    """
    if not is_server(url):
        return url
    clean, password = split_password(url)
    if password is not None:
        return url
    password = os.environ.get("FUNDAPP_DB_PASSWORD") or stored_password(clean)
    if password:
        return with_password(clean, password)
    if ask:
        raise PasswordNeeded(clean)
    return url


__all__ = ["PasswordNeeded", "complete_url", "forget_password", "remember_password", "scrub", "stored_password",
           "with_password"]
