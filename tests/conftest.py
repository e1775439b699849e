import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date

import pytest

PG_URL = os.environ.get("FUNDAPP_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def book_url(request, tmp_path):
    """A new, empty book: a SQLite file, and the same on PostgreSQL when FUNDAPP_TEST_PG_URL is set."""
    if request.param == "sqlite":
        yield str(tmp_path / "book.sqlite")
        return
    if not PG_URL:
        pytest.skip("FUNDAPP_TEST_PG_URL is not set (.ci/run sets it after starting PostgreSQL)")
    _reset_postgres(PG_URL)
    yield PG_URL


@pytest.fixture
def ctx(book_url):
    """An opened book whose 'today' is 2024-12-31 (after the sample book's last entry)."""
    from fundapp.app import open_book

    context = open_book(book_url, user="tester", today=date(2024, 12, 31))
    yield context
    context.db.dispose()


@pytest.fixture
def sample_ctx(ctx):
    """The golden sample book imported through the import service."""
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    check_and_import(ctx, SAMPLE)
    return ctx
