"""The import's replay spread over worker processes (issue 17, services.import_workers) checks and writes exactly
what one process does: the same entries with the same amounts, the same loan list, the same checkpoints byte for
byte, the same refusals in the same order; a pool that cannot start or a worker that dies leaves the loans to this
process; a cancel writes nothing."""

from __future__ import annotations

import shutil
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import date

import pytest
from sqlalchemy import text

from fundapp.services import import_workers
from fundapp.services.errors import ImportRefused, UserCancelled, UserFacingError
from fundapp.services.imports import check_and_import
from tests.golden import GOLDEN

TODAY = {"sample-fund": date(2024, 12, 31), "sample-fund-events": date(2025, 8, 20)}
# every column but the time of writing (entered_at, created_at: the clock's)
TABLES = {
    "entries": "SELECT id, loan_id, on_date, kind, amount, reference, reverses_id, principal, interest, "
               "overdue_interest, late_interest, note, entered_by FROM entries ORDER BY id",
    "entry_events": "SELECT * FROM entry_events ORDER BY entry_id",
    "loan_state": "SELECT * FROM loan_state ORDER BY loan_id",
    "replay_checkpoints": "SELECT * FROM replay_checkpoints ORDER BY loan_id, on_date",
    "replay_figures": "SELECT * FROM replay_figures ORDER BY loan_id, on_date",
    "loans": "SELECT id, loan_no, borrower_id, amount, rate FROM loans ORDER BY id",
}


def _import(tmp_path, name: str, book, workers: int, monkeypatch) -> dict[str, list]:
    from fundapp.app import open_book

    monkeypatch.setenv(import_workers.WORKERS_ENV, str(workers))
    ctx = open_book(str(tmp_path / f"{name}.sqlite"), user="tester", today=TODAY.get(book.name, date(2025, 8, 20)))
    try:
        check_and_import(ctx, book)
        with ctx.db.engine.connect() as conn:
            return {table: [tuple(r) for r in conn.execute(text(sql)).all()] for table, sql in TABLES.items()}
    finally:
        ctx.db.dispose()


@pytest.mark.parametrize("book", ["sample-fund", "sample-fund-events"])
@pytest.mark.parametrize("workers", [1, 2])
def test_workers_write_the_book_one_process_writes(tmp_path, monkeypatch, book, workers):
    """A golden book imported with 1 or 2 workers, a loan a chunk (36–40 chunks, more than the 16 a worker holds in
    flight: while the first is not back, the importing process replays later ones itself), equals the same import by
    one process in every table the import writes; its checkpoints are there (the comparison is not of two empty
    tables), and both the workers and the importing process replayed loans."""
    monkeypatch.setattr(import_workers, "CHUNK", 1)
    one = _import(tmp_path, "one", GOLDEN / book, 0, monkeypatch)
    replayed_here, sent = [], []
    here, submit = import_workers._replayed, import_workers.ProcessPoolExecutor.submit
    monkeypatch.setattr(import_workers, "_replayed", lambda chunk, settings: replayed_here.append(chunk) or
                        here(chunk, settings))
    monkeypatch.setattr(import_workers.ProcessPoolExecutor, "submit", lambda pool, fn, *args: sent.append(fn) or
                        submit(pool, fn, *args))
    spread = _import(tmp_path, "spread", GOLDEN / book, workers, monkeypatch)
    assert one["replay_checkpoints"] and one["entries"] and one["loan_state"]
    for table in TABLES:
        assert spread[table] == one[table], table
    assert sent and replayed_here  # every loan once, by a worker or here
    assert len(sent) + len(replayed_here) == len({loan_id for _, loan_id, *_ in one["entries"]})


def _bad_book(tmp_path):
    """sample-fund-events with three bad transactions: a repayment before HD2024-001's disbursement (the engine
    refuses it), a second one after it (refused too, named as likely caused by the first), and a repayment of
    HD2021-032 before its opening (refused before the replay)."""
    book = tmp_path / "bad"
    shutil.copytree(GOLDEN / "sample-fund-events", book)
    with open(book / "transactions.csv", "a", encoding="utf-8") as f:
        f.write("HD2024-001,2024-08-10,repayment,1000000,PT-X1\n"
                "HD2024-001,2024-08-11,repayment,1000000,PT-X2\n"
                "HD2021-032,2022-05-01,repayment,1000000,PT-X3\n")
    return book


def _problems(tmp_path, name, book, workers, monkeypatch) -> list[str]:
    with pytest.raises(ImportRefused) as err:
        _import(tmp_path, name, book, workers, monkeypatch)
    return err.value.problems


def test_workers_refuse_what_one_process_refuses(tmp_path, monkeypatch):
    """The same problems, worded alike and in the same order, whether replayed here or by workers: the refusals
    found in a worker (a Message pickled back) and the chaining «có thể do dòng … bị từ chối trước đó» included;
    nothing is written."""
    monkeypatch.setattr(import_workers, "CHUNK", 2)
    book = _bad_book(tmp_path)
    one = _problems(tmp_path, "one", book, 0, monkeypatch)
    assert len(one) == 3
    assert any("có thể do dòng" in p for p in one) and any("chuyển số dư" in p for p in one)
    for workers in (1, 2):
        assert _problems(tmp_path, f"spread{workers}", book, workers, monkeypatch) == one
    from fundapp.app import open_book

    ctx = open_book(str(tmp_path / "spread2.sqlite"), user="tester")
    try:
        with ctx.db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM entries")).scalar() == 0
    finally:
        ctx.db.dispose()


class _Broken:
    """A pool whose every task fails as when its worker dies (killed out of memory)."""

    def __init__(self, *args, **kwargs) -> None:
        self.submitted = 0

    def submit(self, fn, *args):
        self.submitted += 1
        future: Future = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, wait=True, cancel_futures=False) -> None:
        pass


class _Unstartable:
    def __init__(self, *args, **kwargs) -> None:
        raise NotImplementedError("no semaphores on this system")


class _NoProcess(_Broken):
    """A pool whose process cannot be started when the first task is submitted (fork's EAGAIN, a refused
    CreateProcess): the real pool starts its processes there, not in its constructor."""

    def submit(self, fn, *args):
        raise BlockingIOError(11, "Resource temporarily unavailable")


@pytest.mark.parametrize("pool", [_Broken, _Unstartable, _NoProcess])
def test_a_pool_that_fails_leaves_the_loans_to_this_process(tmp_path, monkeypatch, pool):
    """A worker dying mid-import, or no worker able to start (the pool refused, or its process refused at the first
    task), is no error: the loans are replayed here and the book is the one a single process writes."""
    monkeypatch.setattr(import_workers, "CHUNK", 3)
    one = _import(tmp_path, "one", GOLDEN / "sample-fund-events", 0, monkeypatch)
    monkeypatch.setattr(import_workers, "ProcessPoolExecutor", pool)
    assert _import(tmp_path, "failed", GOLDEN / "sample-fund-events", 2, monkeypatch) == one


def test_a_cancel_during_the_spread_replay_writes_nothing(tmp_path, monkeypatch):
    """Cancelled once the replay has begun (the progress past step 2 of 4): ``UserCancelled``, no entry written."""
    from fundapp.app import open_book

    monkeypatch.setattr(import_workers, "CHUNK", 3)
    monkeypatch.setenv(import_workers.WORKERS_ENV, "1")
    ctx = open_book(str(tmp_path / "cancel.sqlite"), user="tester", today=date(2025, 8, 20))
    seen: list[tuple[int, int]] = []
    try:
        with pytest.raises(UserCancelled):
            check_and_import(ctx, GOLDEN / "sample-fund-events", progress=lambda done, total: seen.append((done, total)),
                             cancelled=lambda: any(total == 4000 and done > 2000 for done, total in seen))
        with ctx.db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM entries")).scalar() == 0
            assert conn.execute(text("SELECT count(*) FROM loans")).scalar() == 0
    finally:
        ctx.db.dispose()
    assert any(total == 4000 and 2000 < done < 3000 for done, total in seen)


def test_worker_count(monkeypatch):
    """FUNDAPP_IMPORT_WORKERS when set (0: none; ENV_MAX at most), else none below PARALLEL_FROM loans and one less than the cores
    (at most MAX_WORKERS) from it; a bad value is refused naming the variable."""
    monkeypatch.delenv(import_workers.WORKERS_ENV, raising=False)
    assert import_workers.worker_count(import_workers.PARALLEL_FROM - 1) == 0
    monkeypatch.setattr(import_workers.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert import_workers.worker_count(import_workers.PARALLEL_FROM) == 1
    monkeypatch.setattr(import_workers.os, "sched_getaffinity", lambda pid: set(range(16)), raising=False)
    assert import_workers.worker_count(100_000) == import_workers.MAX_WORKERS
    monkeypatch.setattr(import_workers.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert import_workers.worker_count(100_000) == 0
    monkeypatch.setenv(import_workers.WORKERS_ENV, "0")
    assert import_workers.worker_count(100_000) == 0
    monkeypatch.setenv(import_workers.WORKERS_ENV, "2")
    assert import_workers.worker_count(10) == 2
    monkeypatch.setenv(import_workers.WORKERS_ENV, "100")
    assert import_workers.worker_count(10) == import_workers.ENV_MAX
    monkeypatch.setenv(import_workers.WORKERS_ENV, "hai")
    with pytest.raises(UserFacingError, match=import_workers.WORKERS_ENV):
        import_workers.worker_count(10)
