"""A report's replays spread over worker processes (issue 17: the first quarterly report after an import of the
100,000-loan book replays ~44,000 loans, ~10 s of one core's Python): each loan's replay (``run``, a pure function
of its ``ReplayJob``) is the same wherever it runs; ``Replays`` gives the outcomes in the loans' order, this process
taking the chunks from the front while the workers take them from the back, so that the report's own work (the
loans read from checkpoints, the loan list written meanwhile) goes on here and the two meet in the middle.

The book is read once, by the reporting process, in its one snapshot (the workers get the checkpoints' bytes, checked
there to load, and the entries after them): a worker never opens the book. Python's ``concurrent.futures`` with the
``spawn`` start method (Windows' only one; the frozen program calls ``multiprocessing.freeze_support()`` at its
start). A pool that cannot start, or a worker that dies, is not an error: the loans left are replayed here.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from multiprocessing import get_context
from typing import NamedTuple

from fundapp.domain import reporting
from fundapp.domain.engine import Balances, LoanReplay
from fundapp.domain.events import Entry
from fundapp.domain.reporting import LifeEvent, LoanDay, LoanInput
from fundapp.ledger.environment import whole_number

from .book_loader import NO_TERMS, terms_from
from .checkpoints import decode, encode

log = logging.getLogger("fundapp.reports")

# FUNDAPP_READ_WORKERS=N replays a report with N worker processes (0: none); unset, a report with PARALLEL_FROM loans
# to replay or more uses one less than the machine's cores, at most MAX_WORKERS (each is a whole interpreter, ~60 MB)
WORKERS_ENV, PARALLEL_FROM, MAX_WORKERS, ENV_MAX = "FUNDAPP_READ_WORKERS", 4_000, 3, 16
CHUNK = 500  # loans replayed per task (~0.1 s)


class ReplayJob(NamedTuple):
    """One loan's replay for a report: its number and borrower code (its life events carry them), its stored terms
    (``book_loader.stored_terms``), where it starts (a restored state, a checkpoint's bytes checked to load, or
    None: from its first entry), the entries after that, the report's periods it replays (their indexes), the days
    a checkpoint is made at (``marks``) and the ``LoanDay``s of days already read (``replayed_days``' ``known``)."""

    loan_no: str
    borrower_code: str
    terms: tuple
    start: LoanReplay | bytes | None
    entries: Sequence[Entry]
    replay: tuple[int, ...]
    marks: list[date]
    known: dict[date, LoanDay | None]


class Outcome(NamedTuple):
    """What a loan's replay gives the report: the ``LoanDay`` of each day it read (those of ``known`` left out), its
    life events in order, and its new checkpoints as (day, ``checkpoints.encode`` bytes)."""

    days: dict[date, LoanDay | None]
    events: list[LifeEvent]
    checkpoints: list[tuple[date, bytes]]


def worker_count(replays: int) -> int:
    """How many worker processes replay a report's ``replays`` loans: FUNDAPP_READ_WORKERS when set (a whole number
    ≥ 0; ``ENV_MAX`` at most), else none below ``PARALLEL_FROM`` (starting one costs about a second of the other
    core) or on one core, and one less than the cores (at most ``MAX_WORKERS``) from it. Raises
    ``UserFacingError`` naming a bad value."""
    if os.environ.get(WORKERS_ENV, "").strip():
        return min(whole_number(WORKERS_ENV, 0), ENV_MAX)
    if replays < PARALLEL_FROM:
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # Windows, macOS
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, MAX_WORKERS))


def run(job: ReplayJob, periods: Sequence[tuple[date, date]], watch_days: int) -> Outcome:
    """Replay one loan (``domain.reporting.replayed_days``) for the report's ``periods`` (those of ``job.replay``)
    with a watch of ``watch_days`` days. Raises RuntimeError for checkpoint bytes that were checked to load but do
    not restore (a state of another layout under the same format: never read as figures)."""
    state = job.start
    if type(state) is bytes:
        state = decode(state, None, watch_days)
        if state is None:
            raise RuntimeError(f"a replay checkpoint of loan {job.loan_no} loaded but did not restore")
    terms = NO_TERMS
    if job.entries or state is None:  # a restored state with nothing to apply reads its figures without terms
        terms = terms_from(*job.terms)
        if state is not None:
            state.attach(terms)
    made: list[tuple[date, bytes]] = []

    def keep(at: LoanReplay, day: date, loan_day: LoanDay | None = None) -> None:
        blob = encode(at, day, loan_day)
        if blob is not None:
            made.append((day, blob))

    loan = LoanInput(job.loan_no, terms, tuple(job.entries), borrower_code=job.borrower_code)
    days, events = reporting.replayed_days(loan, [periods[i] for i in job.replay], watch_days, start=state,
                                           on_checkpoint=keep if job.marks else None, marks=job.marks,
                                           known=job.known)
    for day in job.known:
        del days[day]
    return Outcome(days, events, made)


class Replays:
    """The ``Outcome`` of each of ``jobs`` (in order: ``outcome(i)`` asked for i = 0, 1, 2, …), with ``workers``
    processes replaying the chunks from the back while this one replays those it reaches first. Every chunk but
    the first is given to the workers at once, last first; this process takes back each one it reaches that no
    worker has begun (``Future.cancel``), so that the two meet where the work, not the count of loans, is halved
    (the loans come by number: the older ones, first, have more entries to replay). ``close`` (always, in a
    ``finally``) ends the workers."""

    def __init__(self, jobs: Sequence[ReplayJob], periods: Sequence[tuple[date, date]], watch_days: int,
                 workers: int) -> None:
        self.jobs, self.periods, self.watch_days = list(jobs), list(periods), watch_days
        self.futures: dict[int, Future] = {}
        self.done: list[Outcome] = []
        self.first = 0  # the job index of ``done[0]``
        self.pool = None
        chunks = (len(self.jobs) + CHUNK - 1) // CHUNK
        if workers <= 0 or chunks < 2:
            return
        try:
            self.pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start,
                                            initargs=(self.periods, watch_days))
            for k in range(chunks - 1, 0, -1):
                self.futures[k] = self.pool.submit(_run_chunk, [_packed(job) for job in self._part(k)])
        except (BrokenProcessPool, RuntimeError, OSError, ValueError, ImportError, NotImplementedError) as err:
            self._broken(err)  # OSError: a process could not start; NotImplementedError: no semaphores

    def outcome(self, i: int) -> Outcome:
        """The outcome of job ``i`` (the next one, or one of the chunk being read)."""
        at = i - self.first
        if at >= len(self.done):
            k = i // CHUNK
            self.done, self.first, at = self._chunk(k), k * CHUNK, i - k * CHUNK
        return self.done[at]

    def _part(self, k: int) -> list:
        return self.jobs[k * CHUNK: (k + 1) * CHUNK]

    def _chunk(self, k: int) -> list[Outcome]:
        future = self.futures.pop(k, None)
        got = None
        if future is not None and not future.cancel():  # begun by a worker: its outcome
            try:
                got = [_outcome(o) for o in future.result()]
            except BrokenProcessPool as err:
                self._broken(err)
        if got is None:
            got = [run(job, self.periods, self.watch_days) for job in self._part(k)]
        self.jobs[k * CHUNK: (k + 1) * CHUNK] = [None] * len(got)  # replayed: their states and entries go
        return got

    def _broken(self, err: Exception) -> None:
        log.warning("report: no worker process, or one stopped (%s); the loans left are replayed here", err)
        self.close()
        self.futures.clear()

    def close(self) -> None:
        """End the workers: a task running ends with its chunk, the others are dropped."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


# -- in the worker ------------------------------------------------------------------------------
_REPORT: list = []


def _start(periods: list[tuple[date, date]], watch_days: int) -> None:
    """A worker's start: the report's periods and watch kept; no cyclic garbage collection (as in the reporting
    process, ``book_loader.collector_paused``)."""
    gc.disable()
    _REPORT[:] = [periods, watch_days]


def _run_chunk(packed: list[tuple]) -> list[tuple]:
    periods, watch_days = _REPORT
    out = []
    for job in packed:
        days, events, made = run(_unpacked(job), periods, watch_days)
        out.append((_days_out(days), events, [(day.toordinal(), blob) for day, blob in made]))
    return out


# -- on the wire: plain ints and bytes (a date or a NamedTuple pickles at ~5× the cost of a tuple of ints: a job
# with its known days took 25 µs to pickle, a third of its replay) ---------------------------------------------------
def _packed(job: ReplayJob) -> tuple:
    from .replay_wire import packed

    return (*job[:4], packed(job.entries), job.replay, [d.toordinal() for d in job.marks], _days_out(job.known))


def _unpacked(job: tuple) -> ReplayJob:
    from .replay_wire import unpacked

    return ReplayJob(*job[:4], unpacked(job[4]), job[5], [date.fromordinal(d) for d in job[6]], _days_in(job[7]))


def _outcome(wire: tuple) -> Outcome:
    days, events, made = wire
    return Outcome(_days_in(days), events, [(date.fromordinal(d), blob) for d, blob in made])


def _days_out(days: dict[date, LoanDay | None]) -> list[tuple]:
    """(day ordinal, None) or (day ordinal, its balances' ints without the day or None, restructured, totals)."""
    return [(day.toordinal(), None if d is None else (None if d.balances is None else tuple(d.balances)[1:],
                                                      d.restructured, tuple(d.totals))) for day, d in days.items()]


def _days_in(wire: list[tuple]) -> dict[date, LoanDay | None]:
    out: dict[date, LoanDay | None] = {}
    for ordinal, d in wire:
        day = date.fromordinal(ordinal)
        out[day] = None if d is None else LoanDay(None if d[0] is None else Balances(day, *d[0]), d[1], d[2])
    return out
