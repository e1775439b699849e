"""The PostgreSQL password never leaks (issue 11.5): not in a message, a log line, a setting or a title.

It lives in the credential store (keyring; a fake backend here, as CI has none), comes from
FUNDAPP_DB_PASSWORD on the command line, and is never stored in clear when there is no store.
"""

from __future__ import annotations

import io
import logging

import keyring
import pytest
from keyring.backend import KeyringBackend

from fundapp.services import credentials
from fundapp.services.errors import UserFacingError
from tests.conftest import PG_URL

SECRET = "Mk-b1mat!2026"
URL = f"postgresql+psycopg://canbo:{SECRET}@192.168.1.10:5432/quyhtx"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def set_password(self, service, username, password):
        self.items[service, username] = password

    def get_password(self, service, username):
        return self.items.get((service, username))

    def delete_password(self, service, username):
        self.items.pop((service, username), None)


@pytest.fixture
def store():
    before = keyring.get_keyring()
    fake = MemoryKeyring()
    keyring.set_keyring(fake)
    yield fake
    keyring.set_keyring(before)


def test_the_remembered_book_has_no_password_and_the_store_has_it(store, monkeypatch):
    monkeypatch.delenv("FUNDAPP_DB_PASSWORD", raising=False)
    clean = credentials.remember_password(URL)
    assert SECRET not in clean and "canbo@192.168.1.10:5432/quyhtx" in clean
    assert list(store.items.values()) == [SECRET]
    from fundapp.ledger.db import split_password

    # opened again later: the password comes back from the store
    assert split_password(credentials.complete_url(clean)) == (clean, SECRET)
    monkeypatch.setenv("FUNDAPP_DB_PASSWORD", "khac")
    assert credentials.complete_url(clean).endswith("canbo:khac@192.168.1.10:5432/quyhtx")


def test_without_a_credential_store_the_password_is_asked_for_never_kept(monkeypatch):
    from keyring.backends import fail

    monkeypatch.delenv("FUNDAPP_DB_PASSWORD", raising=False)
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        clean = credentials.remember_password(URL)
        assert SECRET not in clean
        with pytest.raises(credentials.PasswordNeeded) as need:
            credentials.complete_url(clean, ask=True)
        assert SECRET not in need.value.message and "mật khẩu" in need.value.message
        assert credentials.complete_url(clean) == clean  # the command line tries as is (trust/peer servers)
    finally:
        keyring.set_keyring(before)


def test_the_log_masks_passwords_in_messages_and_tracebacks():
    from fundapp.app import password_free_formatter

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(password_free_formatter())
    log = logging.getLogger("fundapp.test_passwords")
    log.addHandler(handler)
    try:
        log.warning("cannot open %s", URL)
        try:
            raise ValueError(f"Could not parse SQLAlchemy URL from string '{URL}' password={SECRET}")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    text = out.getvalue()
    assert SECRET not in text and "canbo:***@192.168.1.10" in text and "Traceback" in text


@pytest.mark.parametrize("address", [
    f"postgresql+psycopg://canbo:{SECRET}@192.168.1.10:cong/quyhtx",  # a malformed port
    f"postgresql+nodriver://canbo:{SECRET}@192.168.1.10/quyhtx",  # a missing driver
    f"postgresql+psycopg://canbo:{SECRET}@127.0.0.1:1/quyhtx",  # nobody answers
])
def test_the_connection_check_never_shows_the_password(address):
    from fundapp.services.connection import test_connection

    with pytest.raises(UserFacingError) as info:
        test_connection(address)
    assert SECRET not in info.value.message and SECRET not in info.value.en


def test_the_book_description_and_a_refusal_hide_the_password():
    from fundapp.app import book_where
    from fundapp.ledger.db import scrub, split_password

    assert SECRET not in book_where(URL)
    assert SECRET not in scrub(f"lỗi khi mở {URL}")
    assert split_password(URL) == ("postgresql+psycopg://canbo@192.168.1.10:5432/quyhtx", SECRET)


@pytest.mark.postgres
def test_a_server_book_opens_with_the_password_from_the_environment_or_the_store(store, monkeypatch):
    if not PG_URL:
        pytest.skip("FUNDAPP_TEST_PG_URL is not set (.ci/run sets it after starting PostgreSQL)")
    from fundapp.app import book_description, open_book
    from fundapp.ledger.db import split_password

    clean, password = split_password(PG_URL)
    assert password
    monkeypatch.setenv("FUNDAPP_DB_PASSWORD", password)
    ctx = open_book(clean)
    assert f":{password}@" not in book_description(ctx) and ":***@" in book_description(ctx)
    ctx.db.dispose()
    monkeypatch.delenv("FUNDAPP_DB_PASSWORD")
    credentials.remember_password(PG_URL)
    ctx = open_book(clean)  # from the store
    ctx.db.dispose()
    wrong = PG_URL.replace(f":{password}@", ":sai-mat-khau@")
    with pytest.raises(UserFacingError) as info:
        open_book(wrong)
    assert "sai tên người dùng hoặc mật khẩu" in info.value.message and "sai-mat-khau" not in info.value.message
