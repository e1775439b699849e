"""A report's replays spread over worker processes (issue 17, ``services.read_workers``): the same figures, life
events and checkpoints, byte for byte, as one process's, whatever share the workers took; a pool that cannot start,
a worker that dies and a cancel leave the report right or stopped, never wrong."""

from __future__ import annotations

import os
import random
from datetime import date

import pytest

from tests.unit.test_checkpoints import (
    _delete_checkpoints,
    _forget_checkpoints,
    _same_quarter,
    golden_ctx,  # noqa: F401 — a fixture
)


@pytest.fixture
def spread(monkeypatch):
    """Every report with a worker process, in chunks of 3 loans (the golden books have ~100 loans)."""
    import fundapp.services.read_workers as read_workers

    monkeypatch.setenv(read_workers.WORKERS_ENV, "1")
    monkeypatch.setattr(read_workers, "CHUNK", 3)
    started = []
    real = read_workers.ProcessPoolExecutor
    monkeypatch.setattr(read_workers, "ProcessPoolExecutor", lambda *a, **k: started.append(1) or real(*a, **k))
    return started


def _checkpoints(ctx) -> list[tuple]:
    from sqlalchemy import select

    from fundapp.ledger.checkpoints import checkpoints

    with ctx.db.read() as s:
        return sorted(s.execute(select(checkpoints.c.loan_id, checkpoints.c.on_date, checkpoints.c.state)).tuples())


def test_every_golden_quarter_with_a_worker_equals_one_process_and_a_full_replay(golden_ctx, spread, monkeypatch):  # noqa: F811
    """Each expected quarter, cold (every loan replayed: most by the worker) and with 40 % of the checkpoints
    deleted: the three periods and their life events equal a full replay's, and the checkpoints written are the
    ones a single process writes, byte for byte."""
    import fundapp.services.read_workers as read_workers
    from fundapp.services.checkpoints import full_replay
    from fundapp.services.reports import quarter_reports, quarterly_json
    from tests.unit.test_ledger_golden import expected_of

    ctx, book = golden_ctx
    pick = random.Random(7)
    for quarter, figures in expected_of(book)["quarters"].items():
        year, q = (int(x) for x in quarter.split("-Q"))
        with full_replay():
            want = quarter_reports(ctx, year, q)
        _forget_checkpoints(ctx)
        monkeypatch.setenv(read_workers.WORKERS_ENV, "0")
        quarter_reports(ctx, year, q)
        alone = _checkpoints(ctx)
        _forget_checkpoints(ctx)
        monkeypatch.setenv(read_workers.WORKERS_ENV, "1")
        got = quarter_reports(ctx, year, q)
        _same_quarter(got, want)
        assert _checkpoints(ctx) == alone, quarter
        _delete_checkpoints(ctx, lambda _i, _d: pick.random() < 0.4)
        assert quarterly_json(ctx, year, q) == figures, quarter
        got = quarter_reports(ctx, year, q)
        _same_quarter(got, want)
        for mine, theirs in ((got.current, want.current), (got.year_before, want.year_before),
                             (got.year_to_date, want.year_to_date)):
            assert mine.life_event_list() == theirs.life_event_list(), quarter
    assert spread, "a worker process replayed"


def test_every_golden_date_with_a_worker_equals_one_process_and_a_full_replay(golden_ctx, spread, monkeypatch):  # noqa: F811
    """``balances --as-of`` each expected.json date and the days around quarter ends (the first of a quarter: its
    eve is the checkpoint's day), cold and warm: the balances equal a full replay's and the checkpoints written are
    a single process's, byte for byte."""
    import fundapp.services.read_workers as read_workers
    from fundapp.services.book_reads import balances_as_of
    from tests.unit.test_checkpoints import _full
    from tests.unit.test_ledger_golden import expected_of

    ctx, book = golden_ctx
    days = sorted({date.fromisoformat(d) for d in expected_of(book)["balances"]}
                  | {date(2023, 4, 1), date(2024, 1, 1), date(2024, 8, 9)})
    full = {d: _full(ctx, d) for d in days}
    for when in days:
        _forget_checkpoints(ctx)
        monkeypatch.setenv(read_workers.WORKERS_ENV, "0")
        assert dict(balances_as_of(ctx.db, when)) == full[when], when
        alone = _checkpoints(ctx)
        _forget_checkpoints(ctx)
        monkeypatch.setenv(read_workers.WORKERS_ENV, "1")
        assert dict(balances_as_of(ctx.db, when)) == full[when], when
        assert _checkpoints(ctx) == alone, when
    for when in days + days[::-1]:  # from the checkpoints the others left
        assert dict(balances_as_of(ctx.db, when)) == full[when], when
    assert spread, "a worker process replayed"


def _dies(packed):
    """A worker that ends at its first chunk (killed, out of memory)."""
    os._exit(3)


# CPython 3.11's pool manager thread raises InvalidStateError over a task this process took back (cancelled) when a
# worker dies; the command line and the window log it (``fundapp.app.log_unraisable``), pytest warns of it
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_pool_that_cannot_start_or_a_worker_that_dies_leaves_the_loans_to_this_process(sample_ctx, spread,
                                                                                          monkeypatch):
    import fundapp.services.read_workers as read_workers
    from fundapp.services.checkpoints import full_replay
    from fundapp.services.reports import quarter_reports

    with full_replay():
        want = quarter_reports(sample_ctx, 2024, 2)
    _forget_checkpoints(sample_ctx)
    monkeypatch.setattr(read_workers, "_run_chunk", _dies)
    _same_quarter(quarter_reports(sample_ctx, 2024, 2), want)
    assert spread
    _forget_checkpoints(sample_ctx)

    def no_pool(*args, **kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(read_workers, "ProcessPoolExecutor", no_pool)
    _same_quarter(quarter_reports(sample_ctx, 2024, 2), want)


def test_a_report_with_workers_stops_when_cancelled_and_leaves_no_checkpoint(sample_ctx, spread):
    """Cancelled with the worker started and its chunks given: ``UserCancelled``, the worker ended (the call
    returns at once, nothing waits for it), no checkpoint written."""
    from fundapp.services.errors import UserCancelled
    from fundapp.services.reports import quarter_reports

    _forget_checkpoints(sample_ctx)
    with pytest.raises(UserCancelled):
        quarter_reports(sample_ctx, 2024, 2, cancelled=lambda: True)
    assert spread, "the worker had started"
    assert not _checkpoints(sample_ctx), "a cancelled report writes no checkpoint"


def test_a_checkpoint_that_does_not_load_is_left_out_before_a_worker_restores_it(sample_ctx, spread):
    """With workers the states are restored there, after the read; the read checks that each checkpoint loads
    (``checkpoints.loads``) and replays a loan whose one does not from its first entry: never read wrong."""
    from sqlalchemy import select, update

    from fundapp.ledger.checkpoints import checkpoints as table
    from fundapp.services.checkpoints import full_replay
    from fundapp.services.reports import quarter_reports

    with full_replay():
        want = quarter_reports(sample_ctx, 2024, 2)
    quarter_reports(sample_ctx, 2024, 2)
    _delete_checkpoints(sample_ctx, lambda _i, d: d >= date(2023, 12, 31))  # each starts from 31/03/2023 or before
    with sample_ctx.db.unit() as s:
        rows = s.execute(select(table.c.loan_id, table.c.on_date, table.c.state)).all()
        assert rows
        for loan_id, on, state in rows:  # every checkpoint left: one byte of its ints flipped
            state = bytes(state)
            s.execute(update(table).where(table.c.loan_id == loan_id, table.c.on_date == on)
                      .values(state=state[:12] + bytes([state[12] ^ 0x10]) + state[13:]))
    _same_quarter(quarter_reports(sample_ctx, 2024, 2), want)
