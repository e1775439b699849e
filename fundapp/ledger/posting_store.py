"""What a posting reads before it replays, in one statement (issue 17: PostgreSQL's round trips).

A posting on a shared book must see the loan, the book's closing date, its watch setting, whether it has users
and whether a reference is taken, all inside the writing transaction and after the loan's row is locked: one
``UPDATE loans SET version = version + 1 … RETURNING`` carries them all as scalar subqueries (SQLite ≥ 3.35 and
PostgreSQL both accept them). The update takes the loan's row lock first (PostgreSQL: a second officer posting on
the same loan waits here, then reads the entries the first one wrote; SQLite: the unit's write lock already
serialises), so the values returned are those the posting is checked against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import UniqueConstraint, bindparam, exists, insert, literal, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import journal, office_store
from .lending_store import LOAN_TERMS_FIELDS
from .models import AuditRecord, EntryRecord, LoanRecord, LoanStateRecord, SettingRecord
from .record_models import ClosingRecord, UserRecord
from .sql import now, upsert

_HEAD_FIELDS = [name for name, _ in LOAN_TERMS_FIELDS] + ["contract_date", "version"]


class PostingHead(NamedTuple):
    """A loan locked for posting and the book's state the posting is checked against.

    ``loan``: its id, number, amount (đồng), stored terms (``LOAN_TERMS_FIELDS``), contract date and the version
    after the bump; ``closed_through``: the book's closed-through date (None: never closed); ``watch_days``: the
    ``watch_days`` setting as stored (text, None when never set); ``has_users``: the book has a user;
    ``reference_taken``: an entry already carries the reference asked about (False when none was asked);
    ``number``: the document number taken (None when none was asked)."""

    loan: tuple
    closed_through: date | None
    watch_days: str | None
    has_users: bool
    reference_taken: bool
    number: int | None = None


def lock_for_posting(s: Session, loan_id: int, reference: str = "",
                     number_of: tuple[int, str] | None = None) -> PostingHead | None:
    """Bump loan ``loan_id``'s version inside unit of work ``s`` (taking its row lock) and read, in the same
    statement, what ``PostingHead`` holds; ``reference``: the entry reference to check (empty: none);
    ``number_of``: (year, document kind) whose next number ``PostingHead.number`` takes
    (``office_store.next_document_number``; on PostgreSQL in the same statement). Returns None when there is no such
    loan (nothing changed)."""
    server = s.get_bind().dialect.name == "postgresql"
    together = number_of is not None and server
    key = ("lock", bool(reference), together)
    values = dict(loan_id=loan_id, reference=reference)
    if together:
        values.update(year=number_of[0], kind=number_of[1])
    if server:  # compiled once (SQLAlchemy does not cache a statement with a DML CTE): ~2 ms of client CPU a call
        row = _run_compiled(s, key, lambda: _lock_statement(s, *key[1:]), values).first()
    else:
        row = s.execute(_lock_statement(s, bool(reference), False), values).first()
    if row is None:
        return None
    n = len(_HEAD_FIELDS)
    if number_of is not None and not together:
        row = (*row[:-1], office_store.next_document_number(s, *number_of))
    return PostingHead(_LoanHead(*row[:n]), row[n], row[n + 1], bool(row[n + 2]), bool(row[n + 3]), row[n + 4])


def _lock_statement(s: Session, with_reference: bool, with_number: bool):
    """``lock_for_posting``'s statement, its values as bound parameters: loan_id, reference, year and kind."""
    L = LoanRecord.__table__.c
    closed = (select(ClosingRecord.closed_through).order_by(ClosingRecord.id.desc()).limit(1)
              .scalar_subquery())
    watch = select(SettingRecord.value).where(SettingRecord.key == "watch_days").scalar_subquery()
    users = exists().where(UserRecord.id.is_not(None))
    taken = exists().where(EntryRecord.reference == bindparam("reference")) if with_reference else literal(False)
    stmt = update(LoanRecord.__table__).where(L.id == bindparam("loan_id")).values(version=L.version + 1)
    number = literal(None)
    if with_number:
        taken_number = office_store.number_taken(s, bindparam("year"), bindparam("kind")).cte("n")
        stmt = stmt.add_cte(taken_number)
        number = select(taken_number.c.last).scalar_subquery()
    return stmt.returning(*[L[name] for name in _HEAD_FIELDS], closed, watch, users, taken, number)


class _Compiled(NamedTuple):
    """A statement compiled for one dialect: its SQL text, the compiled form (its parameters' names and defaults)
    and the bind processors of its parameters that have one (name → function), which the driver call skips."""

    sql: str
    compiled: Any
    processors: dict[str, Callable[[Any], Any]]


_COMPILED: dict[tuple, _Compiled] = {}


def compiled_for(dialect: Dialect, key: tuple, build: Callable[[], Any]) -> _Compiled:
    """The statement ``build()`` makes, compiled once per ``dialect`` (its name, driver and server version) and
    ``key`` (what the statement's shape depends on), with the bind processors SQLAlchemy would apply."""
    full = (dialect.name, dialect.driver, getattr(dialect, "server_version_info", None), *key)
    done = _COMPILED.get(full)
    if done is None:
        compiled = build().compile(dialect=dialect)
        processors = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
        done = _COMPILED[full] = _Compiled(compiled.string, compiled, processors)
    return done


def _run_compiled(s: Session, key: tuple, build, values: dict[str, Any]):
    """Run on PostgreSQL the statement ``build()`` makes, compiled once per dialect and ``key`` (``compiled_for``),
    with ``values`` for its bound parameters passed through their types' bind processors (a bool column given 1 is
    sent as true, as SQLAlchemy's own execution would); returns the driver's result (values as psycopg gives them:
    the columns returned have no result processor on psycopg, see test_posting_round_trips)."""
    conn = s.connection()
    done = compiled_for(conn.dialect, key, build)
    params = done.compiled.construct_params(values)
    for name, process in done.processors.items():
        if name in params:
            params[name] = process(params[name])
    return conn.exec_driver_sql(done.sql, params)


_LoanHead = NamedTuple("_LoanHead", [*LOAN_TERMS_FIELDS, ("contract_date", date | None), ("version", int)])


def write_posting(s: Session, entry: dict[str, Any], audit: dict[str, Any], state: dict[str, Any] | None) -> int:
    """Write a posted transaction inside unit of work ``s``: the entry (``entry``: columns of ``entries``), the
    loan's cached figures (``state``: columns of ``loan_state``, replacing the row; None: the caller writes them)
    and the audit record (``audit``: columns of ``audit``), both records chained (``journal``) when the unit
    commits, entry first. PostgreSQL: one statement (data-modifying CTEs, one round trip); SQLite: three. Returns
    the entry's id."""
    E, A = EntryRecord.__table__, AuditRecord.__table__
    entry = {"entered_at": now(), **entry}
    audit = {"at": now(), "override": False, **audit}  # a CTE takes no column default
    if s.get_bind().dialect.name == "postgresql":
        key = ("write", tuple(entry), tuple(audit), tuple(state) if state is not None else None)
        values = {**{f"e_{k}": v for k, v in entry.items()}, **{f"a_{k}": v for k, v in audit.items()},
                  **{f"s_{k}": v for k, v in (state or {}).items()}}
        entry_id, audit_id = _run_compiled(s, key, lambda: _write_statement(s, *key[1:]), values).one()
    else:
        entry_id = s.execute(insert(E).values(**entry).returning(E.c.id)).scalar_one()
        if state is not None:
            s.execute(_state_upsert(s, state))
        audit_id = s.execute(insert(A).values(**audit).returning(A.c.id)).scalar_one()
    journal.track(s, "entry", [entry_id])
    journal.track(s, "audit", [audit_id])
    return entry_id


def _state_upsert(s: Session, state: dict[str, Any]):
    """The upsert of a loan's cached figures (``state``: columns → values or bound parameters)."""
    S = LoanStateRecord.__table__
    stmt = upsert(s, LoanStateRecord).values(**state)
    return stmt.on_conflict_do_update(index_elements=[S.c.loan_id],
                                      set_={k: stmt.excluded[k] for k in state if k != "loan_id"})


def _write_statement(s: Session, entry: tuple[str, ...], audit: tuple[str, ...], state: tuple[str, ...] | None):
    """``write_posting``'s PostgreSQL statement for these columns, its values bound as e_*, a_* and s_*."""
    E, A, S = EntryRecord.__table__, AuditRecord.__table__, LoanStateRecord.__table__
    e = insert(E).values({k: bindparam(f"e_{k}", type_=E.c[k].type) for k in entry}).returning(E.c.id).cte("e")
    a = insert(A).values({k: bindparam(f"a_{k}", type_=A.c[k].type) for k in audit}).returning(A.c.id).cte("a")
    stmt = select(e.c.id, select(a.c.id).scalar_subquery())
    if state is not None:
        cached = _state_upsert(s, {k: bindparam(f"s_{k}", type_=S.c[k].type) for k in state})
        stmt = stmt.add_cte(cached.returning(S.c.loan_id).cte("st"))
    return stmt



class ReferenceTaken(Exception):
    """An insert into entries refused by the references' unique constraint: a reference another transaction wrote
    since it was checked free (a shared PostgreSQL book: an officer's posting and an open import). The unit of work
    it was raised in must roll back (on PostgreSQL its transaction is aborted)."""


@contextmanager
def reference_clashes() -> Iterator[None]:
    """Run a write of entries; SQLAlchemy's ``IntegrityError`` of the references' unique constraint (PostgreSQL
    names the constraint, SQLite the column: ``UNIQUE constraint failed: entries.reference``) leaves as
    ``ReferenceTaken`` (``from`` it); any other error unchanged."""
    try:
        yield
    except IntegrityError as err:
        orig = err.orig
        constraint = getattr(getattr(orig, "diag", None), "constraint_name", None)
        if constraint is not None and constraint != _reference_index():
            raise
        if constraint is None and "unique constraint failed: entries.reference" not in str(orig).lower():
            raise
        raise ReferenceTaken(str(constraint or "entries.reference")) from err


def _reference_index() -> str:
    """The name of the unique constraint on ``entries.reference`` (``uq_entries_reference``)."""
    return next(c.name for c in EntryRecord.__table__.constraints
                if isinstance(c, UniqueConstraint) and [col.name for col in c.columns] == ["reference"])


def taken_references(s: Session, references: set[str]) -> set[str]:
    """Those of ``references`` (entry references, non-empty) an entry of the book carries, read on ``s``."""
    refs = sorted(r for r in references if r)
    taken: set[str] = set()
    for start in range(0, len(refs), 5000):  # a bounded IN list per statement
        chunk = refs[start:start + 5000]
        taken.update(s.scalars(select(EntryRecord.reference).where(EntryRecord.reference.in_(chunk))))
    return taken
