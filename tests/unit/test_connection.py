"""Kiểm tra kết nối: a reachable book is described without its password; an unreachable one is refused in words."""

from __future__ import annotations

import pytest

from fundapp.services.connection import test_connection as check_connection
from fundapp.services.errors import UserFacingError


def test_a_sqlite_book_answers(tmp_path):
    path = tmp_path / "so.sqlite"
    text = check_connection(f"sqlite:///{path}")
    assert text.startswith("SQLite 3.") and str(path) in text


def test_an_unreachable_server_is_refused_without_showing_the_password():
    with pytest.raises(UserFacingError) as caught:
        check_connection("postgresql+psycopg://quy:matkhau-bi-mat@127.0.0.1:1/fundapp?connect_timeout=2")
    assert caught.value.message.startswith("Không kết nối được tới")
    assert "matkhau-bi-mat" not in caught.value.message and "***" in caught.value.message


def test_a_malformed_address_is_refused():
    with pytest.raises(UserFacingError, match="không hợp lệ"):
        check_connection("khong-phai-dia-chi://")
