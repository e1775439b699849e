"""'Test connection' says in Vietnamese whether a book can be reached, changing nothing, never showing a password."""

import pytest

from fundapp.services.connection import test_connection as try_book
from fundapp.services.errors import UserFacingError


def test_sqlite_file_and_bad_urls(tmp_path):
    answer = try_book(str(tmp_path / "new.sqlite"))
    assert answer.startswith("Kết nối được: SQLite 3.") and "new.sqlite" in answer and "chưa có sổ" in answer
    with pytest.raises(UserFacingError) as err:
        try_book("postgresql+psycopg://x:matkhau-bi-mat@127.0.0.1:1/none?connect_timeout=2")
    assert err.value.message.startswith("Không kết nối được tới")
    assert "matkhau-bi-mat" not in err.value.message and "***" in err.value.message
    with pytest.raises(UserFacingError):
        try_book("  ")
    # said in words, not with the library's text after «Địa chỉ sổ không hợp lệ:» (the same refusal as --db's)
    with pytest.raises(UserFacingError, match="Không hiểu địa chỉ sổ «khong-phai-dia-chi://»") as err:
        try_book("khong-phai-dia-chi://")
    assert "postgresql+psycopg://" in err.value.message and "ArgumentError" not in err.value.message


def test_an_opened_book_is_recognised(ctx):
    assert try_book(ctx.db.url).endswith("sổ fundapp đã có")


@pytest.mark.postgres
def test_postgres_server(pg_url):
    assert "PostgreSQL" in try_book(pg_url)


@pytest.mark.parametrize("address", ["postgresql://canbo:bi-mat@127.0.0.1:1/quy", "postgres://canbo@127.0.0.1:1/quy",
                                     "PostgreSQL://canbo@127.0.0.1:1/quy?connect_timeout=2"])
def test_a_server_address_without_a_driver_opens_with_psycopg(address):
    """«postgresql://…» and «postgres://…» (no driver named, as a server's address is usually written) were refused
    «Không hiểu địa chỉ sổ»: they open through psycopg 3, the driver installed (no server needed to see it)."""
    from fundapp.ledger.db import Database, book_url

    assert book_url(address).drivername == "postgresql+psycopg"
    db = Database(address, migrate=False)  # no connection yet: the engine is made, not used
    try:
        assert db.engine.url.drivername == "postgresql+psycopg"
        assert db.url.startswith("postgresql+psycopg://canbo") and db.url.endswith("@127.0.0.1:1/quy" + address[
            address.index("/quy") + 4:])
    finally:
        db.dispose()
    # the connection test reaches for the server (nothing listens on port 1) instead of refusing the address
    with pytest.raises(UserFacingError) as err:
        try_book(address)
    assert err.value.message.startswith("Không kết nối được tới «postgresql+psycopg://canbo"), err.value.message
    assert "bi-mat" not in err.value.message
