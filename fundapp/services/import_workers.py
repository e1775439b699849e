"""The import's replay spread over worker processes (issue 17: a 100,000-loan book): each loan's replay
(``import_replay.replay_loan``, a pure function of its terms and entries) runs in ``spawn``ed workers (one on a
machine of two cores) while the importing process writes the outcomes it has taken back, in the loans' order, and
replays a chunk itself when the next one due is not back yet. The outcomes are the same, loan for loan, as one process's (tests/unit/test_import_workers.py), so
the check, the refusals and the book written do not depend on how many processes replayed.

Python's ``concurrent.futures`` with the ``spawn`` start method (Windows' only one; PyInstaller's frozen program
needs ``multiprocessing.freeze_support()`` at its start: main.py, ``fundapp.__main__``). A pool that cannot start,
or a worker that dies (out of memory), is not an error: the loans left are replayed in this process.
"""

from __future__ import annotations

import gc
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from itertools import islice
from multiprocessing import get_context

from fundapp.domain.events import Kind, Transaction
from fundapp.ledger.environment import whole_number

from .errors import UserCancelled
from .import_replay import LoanJob, LoanOutcome, LoanToReplay, ReplaySettings, replay_loan

log = logging.getLogger("fundapp.import")

# FUNDAPP_IMPORT_WORKERS=N replays with N worker processes (0: none); unset, an import of PARALLEL_FROM loans or more
# uses one less than the machine's cores, at most MAX_WORKERS (each holds ~50 MB)
WORKERS_ENV, PARALLEL_FROM, MAX_WORKERS, ENV_MAX = "FUNDAPP_IMPORT_WORKERS", 5_000, 3, 16
CHUNK = 200  # loans a worker replays per task
AHEAD = 16  # tasks in flight per worker: work for ~2 s, while this process writes a batch (WRITE_BATCH)
STEAL = 2  # chunks this process replays itself at most, while the next one due is not back
_REPAYMENT, _DISBURSEMENT = Kind.REPAYMENT, Kind.DISBURSEMENT


def worker_count(loans: int) -> int:
    """How many worker processes replay an import of ``loans`` loans: FUNDAPP_IMPORT_WORKERS when set (a whole
    number ≥ 0; ``ENV_MAX`` at most: each worker is a whole interpreter), else none below ``PARALLEL_FROM`` loans
    (starting one costs about a second) or on one core, and one less than the cores (at most ``MAX_WORKERS``) from
    it. Raises ``UserFacingError`` naming a bad value."""
    if os.environ.get(WORKERS_ENV, "").strip():
        return min(whole_number(WORKERS_ENV, 0), ENV_MAX)
    if loans < PARALLEL_FROM:
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, MAX_WORKERS))


def outcomes(loans: Iterator[LoanToReplay | None], total: int, settings: ReplaySettings, workers: int,
             cancelled: Callable[[], bool] | None, moved: Callable[[int, int], None] | None
             ) -> Iterator[tuple[LoanToReplay, LoanOutcome]]:
    """Each loan of ``loans`` (None: one not replayed, counted for the progress) with its outcome, in their order;
    with ``workers`` > 0 replayed by that many worker processes (and here while this process would wait).
    ``moved(loans done, total)`` about a hundred times; raises ``UserCancelled`` when ``cancelled()`` turns true
    (checked every 200 loans at most)."""
    step = max(1, total // 100)
    done, told = 0, -step
    chunks = _chunks(loans)
    for chunk, got in (_spread(chunks, settings, workers) if workers > 0 else _here(chunks, settings)):
        if cancelled and cancelled():
            raise UserCancelled
        outcome = iter(got)
        for loan in chunk:
            if loan is not None:
                yield next(outcome)
            done += 1
            if moved is not None and done - told >= step:
                moved(done, total)
                told = done


def _chunks(loans: Iterator[LoanToReplay | None]) -> Iterator[list[LoanToReplay | None]]:
    while chunk := list(islice(loans, CHUNK)):
        yield chunk


def _replayed(chunk: list[LoanToReplay | None], settings: ReplaySettings) -> list[tuple[LoanToReplay, LoanOutcome]]:
    return [(loan, replay_loan(loan.job, settings)) for loan in chunk if loan is not None]


def _here(chunks: Iterator[list[LoanToReplay | None]], settings: ReplaySettings):
    for chunk in chunks:
        yield chunk, _replayed(chunk, settings)


def _spread(chunks: Iterator[list[LoanToReplay | None]], settings: ReplaySettings, workers: int):
    """(chunk, its loans with their outcomes) in order, the chunks replayed by ``workers`` processes ahead of the
    one taken (``AHEAD`` each: enough to keep them busy while this process writes a batch); while the next one due
    is not back yet, this process replays a later chunk itself rather than wait, ``STEAL`` at most (more, and it
    would hold back its own writing: the 10,000-loan import took 13.7 s with every wait filled so, 12.4–13.2 s with
    2, 13.4–13.9 s with none, 14.4–17.1 s in one process). A pool that fails replays the rest here."""
    try:
        pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start,
                                   initargs=(settings,))
    except (OSError, ValueError, ImportError, NotImplementedError) as err:  # NotImplementedError: no semaphores
        log.warning("import: no worker process (%s), replayed here", err)
        yield from _here(chunks, settings)
        return
    # each: the chunk, and its worker's future or (replayed here) its outcomes
    pending: deque[tuple[list[LoanToReplay | None], Future | list]] = deque()
    in_flight, broken, more, stolen = 0, False, True, 0  # stolen: chunks in pending replayed here
    try:
        while True:
            while more and not broken and in_flight < AHEAD * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                    break
                try:
                    pending.append((chunk, pool.submit(_replay_chunk, _pack(chunk))))
                    in_flight += 1
                except (BrokenProcessPool, RuntimeError, OSError) as err:  # OSError: a process could not start
                    broken = _broken(err)
                    pending.append((chunk, _replayed(chunk, settings)))
                    stolen += 1
            if not pending:
                if not more:
                    return
                chunk = next(chunks, None)  # a broken pool: the rest here, one by one
                if chunk is None:
                    return
                yield chunk, _replayed(chunk, settings)
                continue
            due = pending[0][1]
            if isinstance(due, Future) and not due.done() and more and stolen < STEAL:
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                else:
                    pending.append((chunk, _replayed(chunk, settings)))
                    stolen += 1
                continue
            chunk, due = pending.popleft()
            got = due
            if not isinstance(due, Future):
                stolen -= 1
            if isinstance(due, Future):
                in_flight -= 1
                try:
                    got = list(zip((loan for loan in chunk if loan is not None), _unpack(due.result()), strict=True))
                except BrokenProcessPool as err:
                    broken = _broken(err)
                    got = _replayed(chunk, settings)
            yield chunk, got
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _broken(err: Exception) -> bool:
    log.warning("import: a worker process stopped (%s); the loans left are replayed here", err)
    return True


# -- in the worker ------------------------------------------------------------------------------
_SETTINGS: list[ReplaySettings] = []


def _start(settings: ReplaySettings) -> None:
    """A worker's start: the import's settings kept; no cyclic garbage collection (as in the importing process:
    each full collection would walk every object a batch builds)."""
    gc.disable()
    _SETTINGS[:] = [settings]


def _replay_chunk(packed: list[tuple]) -> list[tuple]:
    settings = _SETTINGS[0]
    out = []
    for terms, entries, first_new in packed:
        job = LoanJob("", terms, [_entry(e) for e in entries], first_new)
        out.append(tuple(replay_loan(job, settings)))
    return out


# -- on the wire: a transaction as a plain tuple (pickling its date and Kind costs 5× the tuple), the rest as is -------
def _pack(chunk: list[LoanToReplay | None]) -> list[tuple]:
    return [(loan.job.terms, [(e.on.toordinal(), e.kind is _REPAYMENT, e.amount, e.reference)
                              if type(e) is Transaction and (e.kind is _REPAYMENT or e.kind is _DISBURSEMENT) else e
                              for e in loan.job.entries], loan.job.first_new)
            for loan in chunk if loan is not None]


def _entry(packed) -> object:
    if type(packed) is tuple:
        on, repayment, amount, reference = packed
        return Transaction(date.fromordinal(on), _REPAYMENT if repayment else _DISBURSEMENT, amount, reference)
    return packed


def _unpack(results: list[tuple]) -> Iterator[LoanOutcome]:
    return (LoanOutcome(*r) for r in results)
