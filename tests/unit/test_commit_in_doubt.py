"""The server lost while a unit of work's COMMIT is under way (a shared book's trial: the server stopped mid-session):
the officer cannot know whether it was written, and is told so and to look before doing it again — «chưa ghi gì»
would have an officer post again a repayment the server had kept. A connection lost before the COMMIT still says
nothing was written."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from fundapp.app import open_book
from fundapp.domain.events import Kind
from fundapp.services import posting
from fundapp.services.errors import BookUnavailable
from fundapp.services.queries import list_loans
from tests.conftest import _reset_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_book(pg_url):
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    _reset_postgres(pg_url)
    ctx = open_book(pg_url, user="tester", today=date(2024, 12, 31))
    check_and_import(ctx, SAMPLE)
    yield ctx, pg_url
    ctx.db.dispose()


def _kill_at(ctx, url: str, when: str) -> None:
    """Terminate this unit's server process from another connection at the engine event ``when`` (``commit``: as
    the COMMIT is sent; ``begin``: before anything is written)."""
    u = make_url(url)
    fired = []

    def kill(conn) -> None:
        if fired:
            return
        fired.append(True)
        pid = conn.connection.dbapi_connection.info.backend_pid
        with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password or None,
                             dbname=u.database, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    event.listen(ctx.db.engine, when, kill)


def _repay(ctx, url: str, when: str) -> None:
    loan = next(r for r in list_loans(ctx) if r.principal_outstanding)
    _kill_at(ctx, url, when)
    posting.post_transaction(ctx, loan.id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000)


def test_a_connection_lost_during_the_commit_is_said_in_doubt(pg_book):
    ctx, url = pg_book
    with pytest.raises(BookUnavailable) as lost:
        _repay(ctx, url, "commit")
    assert "không biết việc vừa làm đã được ghi vào sổ hay chưa" in lost.value.message
    assert "xem lại sổ" in lost.value.message and "chưa ghi gì" not in lost.value.message


def test_a_connection_lost_before_the_commit_says_nothing_was_written(pg_book):
    ctx, url = pg_book
    with pytest.raises(BookUnavailable) as lost:
        _repay(ctx, url, "begin")
    assert "chưa ghi gì" in lost.value.message
