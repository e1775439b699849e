"""Per-loan replay checkpoints (issue 17; table ``replay_checkpoints``, migration 0006) and figures (table
``replay_figures``, migration 0011): queries and writes.

A checkpoint is the engine's state of one loan at the end of a day (``on_date``), as opaque bytes the services
encode, made under one engine stamp (``engine``) and one watch length (``watch_days``): rows of another stamp or
watch are never read. It is a cache: the database's own triggers (migration 0006) delete a loan's checkpoints
dated on or after an entry inserted for it (or after the entry a reversal reverses), and all of them when its
terms change, inside the writing transaction; the same triggers delete a loan's figures by the same rule (0011).
No business rule here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import Column, Date, Integer, LargeBinary, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

from . import bulk_rows, entry_store, lending_store, models, sql
from .models import EntryRecord, LoanRecord

checkpoints = Table(
    "replay_checkpoints", MetaData(),
    Column("loan_id", Integer, primary_key=True),
    Column("on_date", Date, primary_key=True),
    Column("engine", String(40), nullable=False),
    Column("watch_days", Integer, nullable=False),
    Column("state", LargeBinary, nullable=False),
)
C = checkpoints.c
figures = Table(  # migration 0011: a loan's figures only (no state to replay from) at days up to its date
    "replay_figures", MetaData(),
    Column("loan_id", Integer, primary_key=True),
    Column("on_date", Date, primary_key=True),
    Column("engine", String(40), nullable=False),
    Column("watch_days", Integer, nullable=False),
    Column("figures", LargeBinary, nullable=False),
)
F = figures.c


def _usable(as_of: date, engine: str, watch_days: int):
    return (C.on_date <= as_of) & (C.engine == engine) & (C.watch_days == watch_days)


def latest(s: Session, as_of: date, engine: str, watch_days: int,
           only: Sequence[int] | None = None) -> dict[int, tuple[date, bytes]]:
    """loan id → (date, state bytes) of each loan's last checkpoint dated on or before ``as_of`` made under
    ``engine`` with a watch of ``watch_days`` days (loans without one are absent); of the loans ``only`` if given."""
    where = _usable(as_of, engine, watch_days)
    if only is not None:
        where = where & C.loan_id.in_([int(i) for i in only])
    if s.get_bind().dialect.name == "sqlite":  # SQLite: the other columns of a max() row are that row's
        stmt = select(C.loan_id, func.max(C.on_date), C.state).where(where).group_by(C.loan_id)
    else:
        stmt = (select(C.loan_id, C.on_date, C.state).where(where)  # the primary key's index read backwards: no sort
                .order_by(C.loan_id.desc(), C.on_date.desc()).distinct(C.loan_id))
    return {loan_id: (on, bytes(state)) for loan_id, on, state in sql.dated_rows(s, stmt, (1,))}


def at_days(s: Session, days: Sequence[date], engine: str, watch_days: int,
            only: Sequence[int] | None = None) -> dict[int, dict[date, bytes]]:
    """loan id → {day: state bytes} of the checkpoints dated exactly on one of ``days`` made under ``engine`` with
    a watch of ``watch_days`` days (of the loans ``only`` if given)."""
    stmt = select(C.loan_id, C.on_date, C.state).where(
        C.on_date.in_(list(days)), C.engine == engine, C.watch_days == watch_days)
    if only is not None:
        stmt = stmt.where(C.loan_id.in_([int(i) for i in only]))
    # the few days looked up rather than each row's date parsed (``sql.dated_rows``): SQLite's driver gives them as
    # ISO text, PostgreSQL's as dates (327,244 rows for the quarterly report of the 100,000-loan book)
    day = {d: d for d in days} | {d.isoformat(): d for d in days}
    out: dict[int, dict[date, bytes]] = {}
    for loan_id, on, state in sql.driver_rows(s, stmt):
        out.setdefault(loan_id, {})[day[on]] = bytes(state)
    return out


def figures_in(s: Session, days: Sequence[date], engine: str, watch_days: int,
               only: Sequence[int] | None = None) -> dict[int, list[tuple[date, bytes]]]:
    """loan id → [(date, bytes)…] of the rows of ``replay_figures`` made under ``engine`` with a watch of
    ``watch_days`` days dated on or after the first of ``days`` (a row holds figures of days up to its date:
    ``services.checkpoints.encode_run``), of the loans ``only`` if given."""
    out: dict[int, list[tuple[date, bytes]]] = {}
    if days:
        stmt = select(F.loan_id, F.on_date, F.figures).where(
            F.on_date >= min(days), F.engine == engine, F.watch_days == watch_days)
        if only is not None:
            stmt = stmt.where(F.loan_id.in_([int(i) for i in only]))
        for loan_id, on, blob in sql.dated_rows(s, stmt, (1,)):
            out.setdefault(loan_id, []).append((on, bytes(blob)))
    return out


def disbursements(s: Session, first: date, last: date) -> list[tuple[date, int]]:
    """(day, đồng disbursed that day) of the disbursements in force dated ``first``..``last``, in date order: one
    row a day, summed by the database (the quarterly's chart of 8 quarters read ~20,000 rows of the 100,000-loan
    book one by one: 0.9 s)."""
    E = EntryRecord
    stmt = (select(E.on_date, func.sum(E.amount)).where(entry_store.in_force(E), E.kind == "disbursement",
                                                         E.on_date >= first, E.on_date <= last)
            .group_by(E.on_date).order_by(E.on_date))
    return [(on, int(total)) for on, total in sql.dated_rows(s, stmt, (0,))]


def _last_checkpoints(after: date, until: date, engine: str, watch_days: int, only: list[int] | None = None):
    """Each loan's last usable checkpoint day on or before ``after``, of the loans whose last is before ``until``
    (one dated ``until`` has no entry after it to read: a warm read as of a quarter's end joins no entry at all);
    of the loans ``only`` if given."""
    last = func.max(C.on_date)
    where = _usable(after, engine, watch_days)
    if only is not None:
        where = where & C.loan_id.in_(only)
    return select(C.loan_id, last.label("on_date")).where(where).group_by(C.loan_id).having(last < until).subquery()


def entries_after(s: Session, until: date, engine: str, watch_days: int, after: date | None = None,
                  only: Sequence[int] | None = None) -> tuple[list[entry_store.EntryRow], dict[int, entry_store.EventRow]]:
    """The entries in force dated after each loan's last usable checkpoint dated on or before ``after`` (default
    ``until``) and on or before ``until``, of the loans that have such a checkpoint (of those among ``only`` if
    given), in posting order, with the life events' parameters by entry id (``entry_store.entries_in_force``'s shapes).
    One index-driven read: from each checkpoint into its loan's later entries."""
    E = EntryRecord
    ids = None if only is None else [int(i) for i in only]
    last = _last_checkpoints(after or until, until, engine, watch_days, ids)
    stmt = (select(E.id, E.loan_id, E.on_date, E.kind, E.amount, E.reference).select_from(last)
            .join(E, (E.loan_id == last.c.loan_id) & (E.on_date > last.c.on_date) & (E.on_date <= until))
            .where(entry_store.in_force(E)))
    if ids is not None:
        stmt = stmt.where(E.loan_id.in_(ids))
    entries = sql.dated_rows(s, stmt.order_by(E.id), (2,), entry_store.EntryRow)
    return entries, entry_store.events_of(s, [e.id for e in entries if e.kind in models.EVENT_KINDS])


TermsRow = NamedTuple("TermsRow", lending_store.LOAN_TERMS_FIELDS)
TermsRow.__doc__ = "A loan's id, number and stored terms (``lending_store.LOAN_TERMS_FIELDS``; rates as exact decimal text)."


def terms_rows(s: Session, loan_ids: Sequence[int] | None = None) -> dict[int, TermsRow]:
    """loan id → its number and terms (of ``loan_ids``, every loan when None; no borrower: balances need none)."""
    L = LoanRecord
    stmt = select(L.id, L.loan_no, L.amount, *lending_store.terms_columns(L))
    if loan_ids is None:
        return {r[0]: TermsRow._make(r) for r in sql.driver_rows(s, stmt)}
    ids, out = sorted(int(i) for i in loan_ids), {}
    for start in range(0, len(ids), 5000):  # within every driver's count of parameters of one statement
        out.update((r[0], TermsRow._make(r)) for r in sql.driver_rows(s, stmt.where(L.id.in_(ids[start:start + 5000]))))
    return out


class LoanNumber(NamedTuple):
    """A loan's id and number."""

    id: int
    loan_no: str


def loan_numbers(s: Session) -> list[LoanNumber]:
    """Every loan's id and number, sorted by loan number code point by code point (SQLite's order; sorted here, not
    by the server: PostgreSQL spilled the sort of 100,000 numbers to disk, and its order follows its collation)."""
    L = LoanRecord
    return sorted(map(LoanNumber._make, sql.driver_rows(s, select(L.id, L.loan_no))), key=itemgetter(1))


COUNT_BY_IDS = 20_000  # fewer loans than this: their entries counted through the index, 500 loans a query
# (PostgreSQL counted all 906,000 entries of the 100,000-loan book in 1.25 s for a warm quarter's ~2,000 loans)


def entry_counts(s: Session, loan_ids: Iterable[int] | None = None) -> dict[int, int]:
    """loan id → number of its entry rows of any kind and date (reversals included): any write changes it."""
    E = EntryRecord
    stmt = select(E.loan_id, func.count()).group_by(E.loan_id)
    if loan_ids is None:
        return dict(s.execute(stmt).tuples().all())
    ids, out = sorted(int(i) for i in loan_ids), {}
    if len(ids) > 500:  # a report's part of the book (``services.book_reads.loan_chunks``): one statement of plain
        # SQL, no bound parameters (a driver's count of them; SQLAlchemy's expanding bind compiles slower)
        return dict(sql.driver_rows(s, stmt.where(E.loan_id.in_(ids))))
    out.update(s.execute(stmt.where(E.loan_id.in_(ids))).tuples().all())
    return out


def save(s: Session, rows: Sequence[tuple[int, date, bytes]], engine: str, watch_days: int,
         counts_seen: Mapping[int, int]) -> int:
    """Write the checkpoints ``rows`` (loan id, date, state bytes) made from a read in which each loan had
    ``counts_seen[loan id]`` entry rows; a loan written since (another count now) is left out, so a checkpoint is
    never made from entries a concurrent posting has changed (on PostgreSQL the loans are locked first, as a
    posting locks its loan). An existing checkpoint of the same loan and date is replaced. Returns rows written."""
    ids = sorted({r[0] for r in rows})
    if not ids:
        return 0
    if s.get_bind().dialect.name == "postgresql":
        for start in range(0, len(ids), 500):
            s.execute(select(LoanRecord.id).where(LoanRecord.id.in_(ids[start : start + 500])).with_for_update())
    now = entry_counts(s, ids if len(ids) < COUNT_BY_IDS else None)
    fresh = [(i, d, engine, watch_days, b) for i, d, b in rows if now.get(i, 0) == counts_seen.get(i, -1)]
    for start in range(0, len(fresh), 20_000):
        bulk_rows.upsert_rows(s.connection(), checkpoints, ["loan_id", "on_date", "engine", "watch_days", "state"],
                              ["loan_id", "on_date"], fresh[start : start + 20_000])
    return len(fresh)


def forget(s: Session, loan_ids: Iterable[int]) -> None:
    """Delete every checkpoint and figures row of ``loan_ids`` (e.g. before an import replays them from their first
    entry and writes them anew with ``insert_new`` and ``insert_figures``)."""
    ids = sorted(int(i) for i in loan_ids)
    for start in range(0, len(ids), 500):
        s.execute(checkpoints.delete().where(C.loan_id.in_(ids[start : start + 500])))
        s.execute(figures.delete().where(F.loan_id.in_(ids[start : start + 500])))


def insert_new(s: Session, rows: Sequence[tuple[int, date, bytes]], engine: str, watch_days: int) -> int:
    """Insert the checkpoints ``rows`` (loan id, date, state bytes) through the driver (``bulk_rows``: no per-row
    work of SQLAlchemy), inside unit of work ``s`` that wrote the loans' entries replayed itself and holds the
    book's write lock, with no checkpoint of those loans in the book (new loans, or ``forget`` first): no count is
    compared and none conflicts. Returns rows written."""
    return _insert(s, checkpoints, "state", rows, engine, watch_days)


def insert_figures(s: Session, rows: Sequence[tuple[int, date, bytes]], engine: str, watch_days: int) -> int:
    """Insert the figures ``rows`` (loan id, date, bytes) into ``replay_figures`` as ``insert_new`` inserts
    checkpoints (the import's unit, no row of those loans in the table). Returns rows written."""
    return _insert(s, figures, "figures", rows, engine, watch_days)


def _insert(s: Session, table: Table, column: str, rows: Sequence[tuple[int, date, bytes]], engine: str,
            watch_days: int) -> int:
    bulk_rows.write_rows(s.connection(), table, ["loan_id", "on_date", "engine", "watch_days", column],
                         [(i, d, engine, watch_days, b) for i, d, b in rows])
    return len(rows)
