"""Per-loan replay checkpoints (issue 17): the engine's state of a loan at a quarter's end, kept in the book so
that figures as of a later day replay only the later entries.

A checkpoint is exact (``LoanState.flat_snapshot``: ints and day ordinals packed as 64-bit ints, LZ4-compressed; no
float, no text), versioned (the snapshot's format and ``engine_stamp``, a hash of the engine's source) and never
trusted: one that fails to load is ignored (the loan is replayed from its first entry, and the checkpoint written again). The book
itself deletes the checkpoints an entry makes stale (migration 0006's triggers), in the posting's transaction.
Checkpoints are written by the reads that pass a quarter's end anyway (``balances_as_of``, the quarterly
report), in a short unit of their own, skipped when the book cannot be written (read-only, busy); the import may
write them from its own replay (``Collector``).
"""

from __future__ import annotations

import hashlib
import logging
import struct
import zlib
from collections.abc import Container, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path

import lz4.block

from fundapp.domain.periods import eve_of, quarter_bounds
from fundapp.domain.records import Balances
from fundapp.domain.replay import LoanReplay
from fundapp.domain.reporting import LoanDay, day_of
from fundapp.domain.state_parts import TOTALS
from fundapp.domain.state_snapshot import FLAT_FIXED, STATE_FORMAT
from fundapp.domain.terms import LoanTerms
from fundapp.ledger import checkpoints as ledger_checkpoints
from fundapp.ledger import state_cache
from fundapp.ledger.db import Database

log = logging.getLogger("fundapp.checkpoints")
_DOMAIN = Path(__file__).resolve().parent.parent / "domain"
# the modules whose code makes a loan's state (``domain.engine``'s parts and what they use)
_ENGINE = frozenset({"allocation", "dates", "events", "flows", "groups", "life_events", "money", "numerals", "openings",
                     "records", "replay", "schedule", "state", "state_parts", "state_snapshot", "terms"})


_TRUSTED: ContextVar[bool] = ContextVar("checkpoints_trusted", default=True)
_WRITTEN: ContextVar[bool] = ContextVar("checkpoints_written", default=True)


@contextmanager
def full_replay() -> Iterator[None]:
    """Inside the block the book's figures are computed from every entry, no checkpoint read or written: for a
    check of the book itself (a closed period's stored reports re-run), which must not rest on a cache."""
    token = _TRUSTED.set(False)
    try:
        yield
    finally:
        _TRUSTED.reset(token)


@contextmanager
def unwritten() -> Iterator[None]:
    """Inside the block checkpoints are read as usual but none is written (``Collector.write`` writes nothing): for
    figures read while this process's own unit of work holds every loan's lock — a closing computes the reports it
    stores under that lock —, where a checkpoint's write, in a unit of its own, would wait for that very unit
    (PostgreSQL: the loans' rows; SQLite: the book's write lock)."""
    token = _WRITTEN.set(False)
    try:
        yield
    finally:
        _WRITTEN.reset(token)


def in_use() -> bool:
    """False inside ``full_replay``: checkpoints are neither read nor written."""
    return _TRUSTED.get()


def loans_without_balance(s, first: date, last: date | None = None) -> set[int]:
    """The loans whose figures are zero on every day from ``first`` to ``last`` (``first`` when None) by the loan
    list's cache (``ledger.state_cache.loans_without_balance``: settled for good by ``first``, or first disbursed after
    ``last``), which a read takes as zeros without replaying them; none inside ``full_replay``, whose figures must not
    rest on that cache either (a closed period's stored reports are checked against them)."""
    return state_cache.loans_without_balance(s, first, last) if in_use() else set()


def activity_spans(s) -> dict[int, tuple[date | None, date | None]]:
    """loan id → (first disbursed or opened on, quiet from) by the loan list's cache
    (``ledger.state_cache.activity_spans``: zero figures before the first day and from the end of the second on, no
    flow before the first nor after the second); none inside ``full_replay``, as ``loans_without_balance``."""
    return state_cache.activity_spans(s) if in_use() else {}


@cache
def engine_stamp() -> str:
    """The version stamp of the engine a checkpoint is made by (≤ 40 characters): the snapshot format, the layout of
    a checkpoint's bytes (``_LAYOUT``) and a hash of the engine's source files (any change to the engine voids every checkpoint), or of the package's version
    where the source is not shipped."""
    digest = hashlib.sha256()
    files = sorted(f for f in _DOMAIN.glob("*.py") if f.stem in _ENGINE)
    if files:
        for f in files:
            digest.update(f.name.encode() + b"\0" + f.read_bytes())
    else:  # a frozen build without sources
        from fundapp import __version__

        digest.update(f"fundapp {__version__}".encode())
    return f"s{STATE_FORMAT}.{_LAYOUT}-{digest.hexdigest()[:32]}"


def run_stamp() -> str:
    """The stamp of a run of figures (``encode_run``: a loan's ``LoanDay`` at some of the import's quarter ends, no
    state to go on from; table ``replay_figures``), ``engine_stamp`` with «r» for its «s»."""
    return "r" + engine_stamp()[1:]


# the layout of a checkpoint's bytes (in ``engine_stamp``: rows of another layout are never read). 2: the head
# (``HEAD_INTS``, what a warm read takes) stored as it is, before the compressed snapshot, each with its own CRC-32 —
# the 100,000-loan book's quarterly report reads ~285,000 heads, and decompressing whole states for them took ~0.45 s
# of its ~5 s (issue 17); 1 compressed them together
_LAYOUT = 2
_PREFIX = struct.Struct("<BIII")  # the format (``STATE_FORMAT``), how many 64-bit ints in all, the CRC-32s of the
# head's bytes and of the snapshot's (before compression)
_BALANCES = len(Balances._fields) - 1
HEAD_INTS = _BALANCES + 1 + len(TOTALS)  # ints before the flat snapshot: balances, restructured 0/1, totals
_HEAD = struct.Struct(f"<{HEAD_INTS}q")
_SNAPSHOT_AT = _PREFIX.size + _HEAD.size  # where the compressed snapshot begins
_MAX_INTS = HEAD_INTS + FLAT_FIXED + 7 * 5000  # no loan has 5,000 installments: a larger count is corrupt


def encode(state: LoanReplay, day: date, loan_day: LoanDay | None = None) -> bytes | None:
    """A checkpoint's bytes: ``_PREFIX`` (the format, the count of ints, the CRC-32s of the head's and of the
    snapshot's bytes), the head as 64-bit little-endian ints — the loan's ``LoanDay`` at the end of ``day``
    (balances without their date, restructured 0/1, the flow totals) —, then the state's ``flat_snapshot`` (exact:
    ints only) as such ints, LZ4-compressed. None when an int does not fit in 64 bits (no checkpoint: a cache).
    ``state`` holds every entry dated on or before ``day`` and none after; ``loan_day``: its ``day_of(state, day)``
    when the caller has just read it (not read again)."""
    d = day_of(state, day) if loan_day is None else loan_day
    flat = state.flat_snapshot()
    try:
        head = _HEAD.pack(*d.balances[1:], int(d.restructured), *d.totals)
        raw = struct.pack(f"<{len(flat)}q", *flat)
    except struct.error:
        return None
    return (_PREFIX.pack(STATE_FORMAT, HEAD_INTS + len(flat), zlib.crc32(head), zlib.crc32(raw)) + head
            + lz4.block.compress(raw, store_size=False))


def encode_figures(state: LoanReplay, day: date, loan_day: LoanDay | None = None) -> bytes | None:
    """A figures-only checkpoint's bytes: ``encode``'s prefix (its count ``HEAD_INTS``, its snapshot's CRC-32 0) and
    head, no snapshot — the ``LoanDay`` at the end of ``day`` that a report reads (``loan_days``), ~180 bytes and no
    compression, where the loan's replay would start from an earlier checkpoint anyway (no entry of its own since
    that one: the import's quarter ends, issue 17) or where it is settled (its flow totals once after that).
    ``decode`` gives None for it: no replay starts there. None when an int does not fit in 64 bits; ``state``,
    ``loan_day`` as ``encode``'s."""
    d = day_of(state, day) if loan_day is None else loan_day
    try:
        head = _HEAD.pack(*d.balances[1:], int(d.restructured), *d.totals)
    except struct.error:
        return None
    return _PREFIX.pack(STATE_FORMAT, HEAD_INTS, zlib.crc32(head), 0) + head


def has_state(blob: bytes) -> bool:
    """True for ``encode``'s bytes (a state follows the head), False for ``encode_figures``' (the head alone)."""
    return len(blob) > _SNAPSHOT_AT


_RUN_PREFIX = struct.Struct("<BII")  # ``_RUN_FORMAT``, how many days, the CRC-32 of the bytes before compression
_RUN_FORMAT = bytes([128 + STATE_FORMAT])  # a run's first byte: never a checkpoint's (``STATE_FORMAT``)
_RUN_DAY = struct.Struct("<q")
_RUN_ITEM = _RUN_DAY.size + _SNAPSHOT_AT  # a day's ordinal, then its ``encode_figures`` bytes
RUN_MAX_DAYS = 4 * 400  # at most a day per import mark (``import_marks``: 4 a year) over four centuries


def encode_run(days: Sequence[tuple[date, bytes]]) -> bytes | None:
    """One row's bytes for a loan's figures at several days (``days``: (day, ``encode_figures`` bytes), ascending, 1
    to ``RUN_MAX_DAYS``; None for more, which ``decode_run`` would not read), stored dated its last day (issue 17:
    the import's quarter ends of a loan with no entry since its last checkpoint, and once after it is settled:
    900,704 days of the 100,000-loan book, a row each made its import ~12 s longer). ``_RUN_PREFIX``, then each day's ordinal and bytes, LZ4-compressed. The book's
    voiding triggers delete the row with the figures of its last day: a later entry leaves every one of its days
    before it."""
    if len(days) > RUN_MAX_DAYS:
        return None
    raw = b"".join(_RUN_DAY.pack(day.toordinal()) + blob for day, blob in days)
    return _RUN_PREFIX.pack(_RUN_FORMAT[0], len(days), zlib.crc32(raw)) + lz4.block.compress(raw, store_size=False)


def decode_run(blob: bytes, stored_on: date, first: date, last: date) -> dict[date, bytes] | None:
    """day → ``encode_figures`` bytes of the days from ``first`` to ``last`` of a run ``encode_run`` made, stored
    dated ``stored_on``; None when it does not load exactly (another format, a count out of bounds, corrupt or cut
    short, days not ascending or the last not ``stored_on``): such a run is ignored, the loan replayed. A day's
    bytes are checked where they are read (``loan_days``)."""
    try:
        fmt, count, crc = _RUN_PREFIX.unpack_from(blob)
        if fmt != _RUN_FORMAT[0] or not 1 <= count <= RUN_MAX_DAYS:
            return None
        size = count * _RUN_ITEM
        raw = lz4.block.decompress(memoryview(blob)[_RUN_PREFIX.size:], uncompressed_size=size)
        if len(raw) != size or zlib.crc32(raw) != crc:
            return None
        ordinals = [_RUN_DAY.unpack_from(raw, at)[0] for at in range(0, size, _RUN_ITEM)]
        if ordinals[-1] != stored_on.toordinal() or any(a >= b for a, b in pairwise(ordinals)):
            return None
        low, high = first.toordinal(), last.toordinal()
        return {date.fromordinal(day): raw[at + _RUN_DAY.size : at + _RUN_ITEM]
                for day, at in zip(ordinals, range(0, size, _RUN_ITEM), strict=True) if low <= day <= high}
    except (struct.error, lz4.block.LZ4BlockError, ValueError, TypeError, OverflowError):
        return None


def _ints(blob: bytes, head_only: bool = False) -> tuple[int, ...] | None:
    """Every int ``encode`` put in ``blob`` (only the first ``HEAD_INTS`` with ``head_only``: a warm read's figures,
    read without decompressing the snapshot; the only ones of ``encode_figures``' bytes, which give None without
    it), or None when the bytes do not load exactly (another format, a count out of bounds, corrupt or cut short)."""
    try:
        fmt, count, head_crc, crc = _PREFIX.unpack_from(blob)
        if fmt != STATE_FORMAT:
            return None
        if len(blob) == _SNAPSHOT_AT:  # figures only
            if count != HEAD_INTS or crc != 0 or not head_only:
                return None
        elif not HEAD_INTS + FLAT_FIXED <= count <= _MAX_INTS or len(blob) < _SNAPSHOT_AT:
            return None
        view = memoryview(blob)
        if zlib.crc32(view[_PREFIX.size:_SNAPSHOT_AT]) != head_crc:
            return None
        head = _HEAD.unpack_from(blob, _PREFIX.size)
        if head_only:
            return head
        size = 8 * (count - HEAD_INTS)
        raw = lz4.block.decompress(view[_SNAPSHOT_AT:], uncompressed_size=size)
        if len(raw) != size or zlib.crc32(raw) != crc:  # LZ4 has no checksum of its own
            return None
        return head + struct.unpack(f"<{count - HEAD_INTS}q", raw)
    except (struct.error, lz4.block.LZ4BlockError, ValueError, TypeError):
        return None


def loan_days(stored: Mapping[date, bytes], ends: Container[date]) -> dict[date, LoanDay] | None:
    """The ``LoanDay`` of each day of ``stored`` (day → a checkpoint's bytes): with its balances on the days
    ``ends``, only its flow totals on the others (what the day before a period gives ``period_of``); None when one
    does not load."""
    out, cut = {}, _BALANCES + 1
    for day, blob in stored.items():
        ints = _ints(blob, head_only=True)
        if ints is None:
            return None
        out[day] = (LoanDay(Balances(day, *ints[:_BALANCES]), bool(ints[_BALANCES]), ints[cut:]) if day in ends
                    else LoanDay(None, False, ints[cut:]))  # type: ignore[arg-type]
    return out


def figures_of(blob: bytes, day: date) -> Balances | None:
    """The balances at the end of ``day`` (the checkpoint's own day) that ``encode`` put in ``blob``; None when
    they do not load."""
    ints = _ints(blob, head_only=True)
    return None if ints is None else Balances(day, *ints[:_BALANCES])


def decode(blob: bytes, terms: LoanTerms | None, watch_days: int) -> LoanReplay | None:
    """The state ``encode`` gave, for a loan with ``terms`` (None if no entry will be applied to it) and a watch of
    ``watch_days`` days; None when the bytes do not load exactly (corrupt, cut short, another format, a shape that
    is not a snapshot's: ``LoanReplay.from_flat``): such a checkpoint is ignored, never trusted."""
    ints = _ints(blob)
    if ints is None:
        return None
    try:
        return LoanReplay.from_flat(terms, ints[HEAD_INTS:], watch_days)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def quarter_end_on_or_before(day: date) -> date:
    """The last day of the latest calendar quarter ending on or before ``day``."""
    first, end = quarter_bounds(day.year, (day.month - 1) // 3 + 1)  # day's quarter
    return end if end == day else eve_of(first)


class Collector:
    """Checkpoints gathered during replays, written later: by a read in one short unit of its own (``write``), by
    the import inside its own unit after its entries (``write_in``).

    ``mark(loan_id)`` gives an ``on_checkpoint(state, day[, loan_day])`` callback for ``replay_entries``/``loan_periods``;
    ``write``'s ``counts`` are the loans' entry counts read in the same snapshot as the entries replayed
    (``ledger.checkpoints.entry_counts``): a loan written since is left out at write time. A loan not yet
    disbursed on the day is kept when a caller marks it there; the reads do not where the loan list's cache knows
    its first disbursement (its zeros before it need no checkpoint), nor does the import (``services.imports``).
    A state with an int beyond 64 bits is left out (``encode``).
    """

    def __init__(self, watch_days: int) -> None:
        self.watch_days = watch_days
        self.rows: list[tuple[int, date, bytes]] = []
        self.figures: list[tuple[int, date, bytes]] = []  # the import's runs of figures (``encode_run``)

    def mark(self, loan_id):
        """The ``on_checkpoint`` callback of loan ``loan_id`` (or of any key ``write_in`` maps to a loan id, e.g. a
        loan number before the loan is written)."""
        rows = self.rows

        def keep(state: LoanReplay, day: date, loan_day: LoanDay | None = None) -> None:
            blob = encode(state, day, loan_day)
            if blob is not None:
                rows.append((loan_id, day, blob))

        return keep

    def write_in(self, s, ids: Mapping | None = None) -> int:
        """Write the gathered checkpoints inside unit of work ``s`` that wrote the entries replayed itself and holds
        the book's write lock (the import's own, after its entries are inserted), through the driver
        (``ledger.checkpoints.insert_new``; the runs of figures ``encode_run`` made, ``insert_figures``): the loans
        must have no checkpoint nor figures in the book (new loans, or ``ledger.checkpoints.forget`` first). ``ids``
        maps the keys given to ``mark`` to loan ids (None: they are loan ids). Returns rows written; none is
        gathered after (the import calls it with each batch)."""
        def by_id(gathered: list) -> list[tuple[int, date, bytes]]:
            return gathered if ids is None else [(ids[key], day, blob) for key, day, blob in gathered if key in ids]

        rows, runs = by_id(self.rows), by_id(self.figures)
        if runs:  # in a table of their own
            ledger_checkpoints.insert_figures(s, runs, run_stamp(), self.watch_days)
        written = len(runs) + (ledger_checkpoints.insert_new(s, rows, engine_stamp(), self.watch_days) if rows else 0)
        self.rows.clear()
        self.figures.clear()
        return written

    def write(self, db: Database, counts: Mapping[int, int]) -> int:
        """Write the gathered checkpoints in a unit of their own; nothing (0) when the book cannot be written now
        (read-only, busy, another error: a checkpoint is only a cache), nor inside ``unwritten``. Returns rows written."""
        if not self.rows or not in_use() or not _WRITTEN.get():
            return 0
        try:
            with db.unit() as s:
                return ledger_checkpoints.save(s, self.rows, engine_stamp(), self.watch_days, counts)
        except Exception as err:  # a cache: the figures are already right without it
            log.info("replay checkpoints not written (%s): %s", type(err).__name__, err)
            return 0


IMPORT_MARK_MONTHS = 3  # an import's earlier marks: every quarter's end (3), half-year's (6) or year's (12)


def import_marks(today: date, quarters: int = 5, since: date | None = None) -> list[date]:
    """The days an import's replay keeps checkpoints at, ascending: the ends of the last ``quarters`` calendar
    quarters on or before ``today`` (what balances as of today and the last quarters' reports start from) and,
    with ``since`` (the import's earliest entry), the end of every ``IMPORT_MARK_MONTHS`` months of the calendar
    from ``since`` to before them (a first read of any past day then replays at most that many months of entries,
    issue 17). None when ``quarters`` is 0."""
    if not quarters:
        return []
    marks = [quarter_end_on_or_before(today)]
    while len(marks) < quarters:
        marks.append(quarter_end_on_or_before(eve_of(marks[-1])))
    first = marks[-1]
    if since is not None:
        for year in range(since.year, first.year + 1):
            for quarter in range(IMPORT_MARK_MONTHS // 3, 5, IMPORT_MARK_MONTHS // 3):
                end = quarter_bounds(year, quarter)[1]
                if since <= end < first:
                    marks.append(end)
    return sorted(set(marks))
