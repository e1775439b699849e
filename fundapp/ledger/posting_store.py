"""What a posting reads before it replays, in one statement (issue 17: PostgreSQL's round trips).

A posting on a shared book must see the loan, the book's closing date, its watch setting, whether it has users
and whether a reference is taken, all inside the writing transaction and after the loan's row is locked: one
``UPDATE loans SET version = version + 1 … RETURNING`` carries them all as scalar subqueries (SQLite ≥ 3.35 and
PostgreSQL both accept them). The update takes the loan's row lock first (PostgreSQL: a second officer posting on
the same loan waits here, then reads the entries the first one wrote; SQLite: the unit's write lock already
serialises), so the values returned are those the posting is checked against.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import exists, literal, select, update
from sqlalchemy.orm import Session

from .lending_store import LOAN_TERMS_FIELDS
from .models import EntryRecord, LoanRecord, SettingRecord
from .record_models import ClosingRecord, UserRecord

_HEAD_FIELDS = [name for name, _ in LOAN_TERMS_FIELDS] + ["contract_date", "version"]


class PostingHead(NamedTuple):
    """A loan locked for posting and the book's state the posting is checked against.

    ``loan``: its id, number, amount (đồng), stored terms (``LOAN_TERMS_FIELDS``), contract date and the version
    after the bump; ``closed_through``: the book's closed-through date (None: never closed); ``watch_days``: the
    ``watch_days`` setting as stored (text, None when never set); ``has_users``: the book has a user;
    ``reference_taken``: an entry already carries the reference asked about (False when none was asked)."""

    loan: tuple
    closed_through: date | None
    watch_days: str | None
    has_users: bool
    reference_taken: bool


def lock_for_posting(s: Session, loan_id: int, reference: str = "") -> PostingHead | None:
    """Bump loan ``loan_id``'s version inside unit of work ``s`` (taking its row lock) and read, in the same
    statement, what ``PostingHead`` holds; ``reference``: the entry reference to check (empty: none). Returns None
    when there is no such loan (nothing changed)."""
    L = LoanRecord.__table__.c
    closed = (select(ClosingRecord.closed_through).order_by(ClosingRecord.id.desc()).limit(1)
              .scalar_subquery())
    watch = select(SettingRecord.value).where(SettingRecord.key == "watch_days").scalar_subquery()
    users = exists().where(UserRecord.id.is_not(None))
    taken = (exists().where(EntryRecord.reference == reference) if reference else literal(False))
    stmt = (update(LoanRecord.__table__).where(L.id == loan_id).values(version=L.version + 1)
            .returning(*[L[name] for name in _HEAD_FIELDS], closed, watch, users, taken))
    row = s.execute(stmt).first()
    if row is None:
        return None
    n = len(_HEAD_FIELDS)
    loan = _LoanHead(*row[:n])
    return PostingHead(loan, row[n], row[n + 1], bool(row[n + 2]), bool(row[n + 3]))


_LoanHead = NamedTuple("_LoanHead", [*LOAN_TERMS_FIELDS, ("contract_date", date | None), ("version", int)])
