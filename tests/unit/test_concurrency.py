"""Officers posting at the same time (issue 11.2): 8 PostgreSQL clients, 2 SQLite processes.

On the same loan and on different loans: every posting either commits once or is refused with a
Vietnamese message ("… vui lòng thử lại"); none is lost, none is doubled, no raw database error
(IntegrityError, StaleDataError, OperationalError) ever leaves a service.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

from fundapp.app import open_book
from fundapp.domain.engine import Kind
from fundapp.services.errors import UserFacingError
from tests.conftest import PG_URL, _reset_postgres

ROOT = Path(__file__).resolve().parents[2]
WHEN = date(2024, 12, 31)
PER_CLIENT = 6


def _loans(ctx) -> list[int]:
    from fundapp.services.queries import list_loans

    return [r.id for r in list_loans(ctx) if r.principal_outstanding][:9]


def _client(url: str, n: int, shared: int, own: int, results: list, barrier: threading.Barrier) -> None:
    from fundapp.services import posting

    ctx = open_book(url, user=f"canbo{n}", today=WHEN)
    try:
        barrier.wait(timeout=60)
        for k in range(PER_CLIENT):
            ref = f"C{n}-{k}"
            loan = shared if k % 2 == 0 else own
            try:
                posting.post_transaction(ctx, loan, Kind.REPAYMENT, WHEN, 100_000 + k, reference=ref)
                results.append(("ok", ref))
            except UserFacingError as err:
                results.append(("refused", ref, err.message))
            except Exception as err:  # a raw database error: the test fails on it
                results.append(("raw", ref, f"{type(err).__name__}: {err}"))
    finally:
        ctx.db.dispose()


def _posted_refs(ctx) -> list[str]:
    from sqlalchemy import text

    with ctx.db.unit() as s:
        return [r[0] for r in s.execute(text("SELECT reference FROM entries WHERE reference LIKE 'C%-%'"))]


@pytest.mark.postgres
def test_eight_postgresql_clients_lose_and_double_nothing():
    if not PG_URL:
        pytest.skip("FUNDAPP_TEST_PG_URL is not set (.ci/run sets it after starting PostgreSQL)")
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    _reset_postgres(PG_URL)
    ctx = open_book(PG_URL, user="setup", today=WHEN)
    check_and_import(ctx, SAMPLE)
    loans = _loans(ctx)
    results: list = []
    barrier = threading.Barrier(8)
    threads = [threading.Thread(target=_client, args=(PG_URL, n, loans[0], loans[1 + n], results, barrier))
               for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert len(results) == 8 * PER_CLIENT
    raw = [r for r in results if r[0] == "raw"]
    assert not raw, raw
    refused = [r for r in results if r[0] == "refused"]
    assert all("thử lại" in r[2] for r in refused), refused  # "… vui lòng thử lại", "… hãy thử lại"
    ok = sorted(r[1] for r in results if r[0] == "ok")
    posted = _posted_refs(ctx)
    assert sorted(posted) == ok  # none lost, none doubled, none posted that was refused
    assert len(ok) >= 8  # most go through
    ctx.db.dispose()


POSTER = """
import sys
from datetime import date
from fundapp.app import open_book
from fundapp.domain.engine import Kind
from fundapp.services import posting
from fundapp.services.errors import UserFacingError

ctx = open_book(sys.argv[1], user="canbo" + sys.argv[2], today=date(2024, 12, 31))
shared, own = int(sys.argv[3]), int(sys.argv[4])
for k in range(12):
    ref = f"C{sys.argv[2]}-{k}"
    try:
        posting.post_transaction(ctx, shared if k % 2 == 0 else own, Kind.REPAYMENT, date(2024, 12, 31),
                                 100_000 + k, reference=ref)
        print("ok", ref, flush=True)
    except UserFacingError as err:
        print("refused", ref, err.message.replace(chr(10), " "), flush=True)
"""


def test_two_sqlite_processes_lose_and_double_nothing(tmp_path):
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    book = tmp_path / "chung.sqlite"
    ctx = open_book(book, user="setup", today=WHEN)
    check_and_import(ctx, SAMPLE)
    loans = _loans(ctx)
    env = {k: v for k, v in os.environ.items() if k != "FUNDAPP_CRASH_AFTER"}
    procs = [subprocess.Popen([sys.executable, "-c", POSTER, str(book), str(n), str(loans[0]), str(loans[1 + n])],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0 and "Traceback" not in err, err
    lines = [line.split(" ", 2) for out, _ in outputs for line in out.splitlines()]
    assert len(lines) == 24
    assert all("thử lại" in r[2] for r in lines if r[0] == "refused"), lines
    ok = sorted(r[1] for r in lines if r[0] == "ok")
    assert sorted(_posted_refs(ctx)) == ok and len(ok) >= 12
    ctx.db.dispose()


def test_the_unit_of_work_words_every_conflict(ctx):
    """The one place (ledger.db.Database.unit): a stale version and a unique clash become the Vietnamese refusal."""
    from sqlalchemy import select

    from fundapp.ledger import sql
    from fundapp.ledger.models import BorrowerRecord
    from fundapp.services.errors import CONFLICT, StaleEdit

    row = dict(code="KH0900", name="Hợp tác xã Ba Lòng", kind="htx", created_at=sql.now(), version=1)
    with ctx.db.unit() as s:
        s.add(BorrowerRecord(**row))
    with ctx.db.unit() as s:
        mine = s.scalars(select(BorrowerRecord).where(BorrowerRecord.code == "KH0900")).one()  # read, then shown
    with ctx.db.unit() as s:  # another officer saves first
        s.scalars(select(BorrowerRecord).where(BorrowerRecord.code == "KH0900")).one().phone = "0233 3852 111"
    with pytest.raises(StaleEdit) as stale, ctx.db.unit() as s:  # my save of what I read: version 1 is gone
        mine = s.merge(mine, load=False)
        mine.phone = "0233 3999 999"
    assert stale.value.message == CONFLICT.msgid == "Người khác vừa thay đổi dữ liệu này, vui lòng thử lại"
    with pytest.raises(StaleEdit) as clash, ctx.db.unit() as s:
        s.add(BorrowerRecord(**row))
    assert clash.value.message == CONFLICT.msgid == "Người khác vừa thay đổi dữ liệu này, vui lòng thử lại"
    with ctx.db.unit() as s:
        phones = s.scalars(select(BorrowerRecord.phone).where(BorrowerRecord.code == "KH0900")).all()
    assert phones == ["0233 3852 111"]
