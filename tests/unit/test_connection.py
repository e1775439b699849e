"""'Test connection' says in Vietnamese whether a book can be reached, changing nothing."""

import pytest

from fundapp.services.connection import test_connection as try_book
from fundapp.services.errors import UserFacingError
from tests.conftest import PG_URL


def test_sqlite_file_and_bad_urls(tmp_path):
    assert try_book(str(tmp_path / "new.sqlite")).startswith("Kết nối được: SQLite")
    with pytest.raises(UserFacingError) as err:
        try_book("postgresql+psycopg://x:y@127.0.0.1:1/none")
    assert "Không kết nối được" in err.value.message and "y@" not in err.value.message  # no password shown
    with pytest.raises(UserFacingError):
        try_book("  ")


@pytest.mark.postgres
def test_postgres_server():
    if not PG_URL:
        pytest.skip("FUNDAPP_TEST_PG_URL is not set")
    assert "PostgreSQL" in try_book(PG_URL)
