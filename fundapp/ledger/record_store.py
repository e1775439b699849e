"""Queries and writes of the book of record (issue 14): users, proposals, closings and stored period reports. Each
takes the unit of work's session; no business rules here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import AuditRecord, ClosingRecord, EntryRecord, PeriodReportRecord, ProposalRecord, UserRecord
from .sql import added, now


# -- users -----------------------------------------------------------------------------------
def user_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(UserRecord)) or 0)


def user_by_name(s: Session, name: str) -> UserRecord | None:
    return s.scalar(select(UserRecord).where(UserRecord.name == name))


def users(s: Session) -> Sequence[UserRecord]:
    return s.scalars(select(UserRecord).order_by(UserRecord.name)).all()


def add_user(s: Session, **fields: Any) -> UserRecord:
    return added(s, UserRecord(created_at=now(), **fields))


# -- proposals -------------------------------------------------------------------------------
def add_proposal(s: Session, **fields: Any) -> ProposalRecord:
    return added(s, ProposalRecord(proposed_at=now(), **fields))


def proposal(s: Session, proposal_id: int) -> ProposalRecord | None:
    return s.get(ProposalRecord, proposal_id)


def proposals(s: Session, status: str | None = "pending") -> Sequence[ProposalRecord]:
    stmt = select(ProposalRecord).order_by(ProposalRecord.id)
    if status is not None:
        stmt = stmt.where(ProposalRecord.status == status)
    return s.scalars(stmt).all()


# -- closings --------------------------------------------------------------------------------
def last_closing(s: Session) -> ClosingRecord | None:
    return s.scalar(select(ClosingRecord).order_by(ClosingRecord.id.desc()).limit(1))


def closed_through(s: Session) -> date | None:
    """The date the book is closed through (entries dated on or before it are refused), or None."""
    last = last_closing(s)
    return None if last is None else last.closed_through


def closings(s: Session) -> Sequence[ClosingRecord]:
    return s.scalars(select(ClosingRecord).order_by(ClosingRecord.id)).all()


def add_closing(s: Session, **fields: Any) -> ClosingRecord:
    return added(s, ClosingRecord(at=now(), **fields), "closing")


def add_period_report(s: Session, **fields: Any) -> PeriodReportRecord:
    return added(s, PeriodReportRecord(**fields), "report")


def period_reports(s: Session, through: date | None = None) -> Sequence[PeriodReportRecord]:
    """Stored reports (of closings still in force when ``through`` is None: all of them), oldest first."""
    stmt = select(PeriodReportRecord).order_by(PeriodReportRecord.id)
    if through is not None:
        stmt = stmt.where(PeriodReportRecord.through == through)
    return s.scalars(stmt).all()


def entry_by_reference(s: Session, reference: str) -> EntryRecord | None:
    return s.scalar(select(EntryRecord).where(EntryRecord.reference == reference))


# -- audit -----------------------------------------------------------------------------------
def audit_rows(s: Session, text: str = "", actor: str = "", start: date | None = None, end: date | None = None,
               limit: int = 5000) -> Sequence[AuditRecord]:
    """Audit records, newest first, filtered by actor, a text in action or detail, and the day range."""
    A = AuditRecord
    stmt = select(A).order_by(A.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(A.actor == actor)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(A.action.ilike(like) | A.detail.ilike(like))
    if start is not None:
        stmt = stmt.where(A.at >= start)
    if end is not None:
        from datetime import timedelta

        stmt = stmt.where(A.at < end + timedelta(days=1))
    return s.scalars(stmt).all()
