"""Queries and writes of the book of record (issue 14): users, proposals, closings and stored period reports. Each
takes the unit of work's session; no business rules here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import AuditRecord, EntryEventRecord, EntryRecord, LoanRecord
from .record_models import ClosingRecord, PeriodReportRecord, ProposalRecord, UserRecord
from .sql import added, now


# -- users -----------------------------------------------------------------------------------
def user_count(s: Session) -> int:
    """How many users the book has (0: a book without users, where no login is asked)."""
    return int(s.scalar(select(func.count()).select_from(UserRecord)) or 0)


def user_by_name(s: Session, name: str) -> UserRecord | None:
    """The user named ``name`` (exactly, as stored), None when there is none."""
    return s.scalar(select(UserRecord).where(UserRecord.name == name))


def users(s: Session) -> Sequence[UserRecord]:
    """Every user of the book (disabled ones too), by name."""
    return s.scalars(select(UserRecord).order_by(UserRecord.name)).all()


def add_user(s: Session, **fields: Any) -> UserRecord:
    """A new user (``fields``: name, full_name, roles as comma-separated codes, password_hash…), added and flushed.
    A name already taken raises SQLAlchemy's ``IntegrityError`` at the flush."""
    return added(s, UserRecord(created_at=now(), **fields))


# -- proposals -------------------------------------------------------------------------------
def add_proposal(s: Session, **fields: Any) -> ProposalRecord:
    """A new maker-checker proposal (``fields``: action, params as JSON text, preview, loan_no, proposed_by), added and
    flushed; ``proposed_at`` is now."""
    return added(s, ProposalRecord(proposed_at=now(), **fields))


def proposal(s: Session, proposal_id: int) -> ProposalRecord | None:
    """The proposal ``proposal_id`` (one primary-key read), None when there is none."""
    return s.get(ProposalRecord, proposal_id)


def proposal_to_decide(s: Session, proposal_id: int) -> ProposalRecord | None:
    """The proposal ``proposal_id`` read for deciding it, its row locked until the unit of work ends (PostgreSQL's
    ``FOR UPDATE``; SQLite's unit holds the book's write lock already): a second checker deciding the same proposal
    meanwhile waits, then reads it decided. None when there is none."""
    return s.scalar(select(ProposalRecord).where(ProposalRecord.id == proposal_id)
                    .with_for_update().execution_options(populate_existing=True))


def proposals(s: Session, status: str | None = "pending") -> Sequence[ProposalRecord]:
    """The proposals with ``status`` (pending, confirmed, refused or failed; None: every one), oldest first."""
    stmt = select(ProposalRecord).order_by(ProposalRecord.id)
    if status is not None:
        stmt = stmt.where(ProposalRecord.status == status)
    return s.scalars(stmt).all()


# -- closings --------------------------------------------------------------------------------
def last_closing(s: Session) -> ClosingRecord | None:
    """The latest closing or reopening record of the book (by id), None when the book was never closed."""
    return s.scalar(select(ClosingRecord).order_by(ClosingRecord.id.desc()).limit(1))


def closed_through(s: Session) -> date | None:
    """The date the book is closed through (entries dated on or before it are refused), or None."""
    last = last_closing(s)
    return None if last is None else last.closed_through


def closings(s: Session) -> Sequence[ClosingRecord]:
    """Every closing and reopening record, oldest first."""
    return s.scalars(select(ClosingRecord).order_by(ClosingRecord.id)).all()


def add_closing(s: Session, **fields: Any) -> ClosingRecord:
    """A closing or reopening record (``fields``: action close/reopen, through, closed_through, by, reason),
    added, flushed and chained by the journal when the unit commits."""
    return added(s, ClosingRecord(at=now(), **fields), "closing")


def add_period_report(s: Session, **fields: Any) -> PeriodReportRecord:
    """A report stored at a closing (``fields``: closing_id, kind, through date, payload as JSON text), added, flushed and
    chained by the journal when the unit commits: re-running it must give the same figures."""
    return added(s, PeriodReportRecord(**fields), "report")


def period_reports(s: Session, through: date | None = None) -> Sequence[PeriodReportRecord]:
    """Stored reports (of closings still in force when ``through`` is None: all of them), oldest first."""
    stmt = select(PeriodReportRecord).order_by(PeriodReportRecord.id)
    if through is not None:
        stmt = stmt.where(PeriodReportRecord.through == through)
    return s.scalars(stmt).all()


def entry_by_reference(s: Session, reference: str) -> EntryRecord | None:
    """The entry carrying ``reference`` (references are unique), None when there is none."""
    return s.scalar(select(EntryRecord).where(EntryRecord.reference == reference))


# -- audit -----------------------------------------------------------------------------------
def audit_rows(s: Session, text: str = "", actor: str = "", since: datetime | None = None,
               before: datetime | None = None, limit: int = 5000, detail_or_actions: tuple[str, tuple[str, ...]]
               | None = None) -> Sequence[AuditRecord]:
    """Audit records, newest first, filtered by actor, a text in action or detail, and the times ``since``
    (included) to ``before`` (excluded), aware datetimes (the caller's days: ``services.audit``).
    ``detail_or_actions``: (a text, actions) — only the records whose detail holds the text (ASCII case ignored)
    or whose action is one of those (a loan's records: its number, or the asset records naming it elsewhere)."""
    A = AuditRecord
    stmt = select(A).order_by(A.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(A.actor == actor)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(A.action.ilike(like) | A.detail.ilike(like))
    if detail_or_actions is not None:
        held, actions = detail_or_actions
        stmt = stmt.where(A.detail.ilike(f"%{held}%") | A.action.in_(actions))
    if since is not None:
        stmt = stmt.where(A.at >= since)
    if before is not None:
        stmt = stmt.where(A.at < before)
    return s.scalars(stmt).all()


def audit_actors(s: Session) -> list[str]:
    """Every name the audit journal holds, each once (the whole journal: an officer who last wrote long ago too)."""
    return list(s.scalars(select(AuditRecord.actor).distinct()))


class AuditedEntry(NamedTuple):
    """An entry as the audit journal names it: loan number, kind, date, amount and reference as posted, the split as
    posted (``principal``, ``interest``: a write-off's or a recovery's), the entry it reverses, and a life event's
    parameters (``extend_months``, ``grace_periods``, ``relief_of``; None for another kind)."""

    id: int
    loan_no: str
    on_date: date
    kind: str
    amount: int
    reference: str | None
    reverses_id: int | None
    principal: int
    interest: int
    extend_months: int | None
    grace_periods: int | None
    relief_of: str | None


def entries_of_loans(s: Session, loan_nos: Iterable[str]) -> list[AuditedEntry]:
    """Every entry (reversals and reversed ones included) of the loans numbered ``loan_nos``, by id, with its loan
    number and a life event's parameters: what the audit journal's records name."""
    E, X, L = EntryRecord, EntryEventRecord, LoanRecord
    numbers = sorted(set(loan_nos))
    out: list[AuditedEntry] = []
    for start in range(0, len(numbers), 500):
        stmt = (select(E.id, L.loan_no, E.on_date, E.kind, E.amount, E.reference, E.reverses_id, E.principal,
                       E.interest, X.extend_months, X.grace_periods, X.relief_of)
                .join(L, L.id == E.loan_id).outerjoin(X, X.entry_id == E.id)
                .where(L.loan_no.in_(numbers[start:start + 500])).order_by(E.id))
        out.extend(AuditedEntry._make(r) for r in s.execute(stmt).tuples())
    out.sort(key=lambda e: e.id)
    return out
