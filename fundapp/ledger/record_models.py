"""The book of record's tables (migration 0005, issue 14): the officers who log in, maker-checker proposals, the
closings of the book with the reports stored at each, and the hash chain (``journal``) over entries, events, audit
records, closings and stored reports. Declared on the book's ``Base`` (``models``); ``models.schema()`` holds them
all."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, one_of
from .timestamps import UtcDateTime

PROPOSAL_STATUSES = ("pending", "confirmed", "refused", "failed")
CLOSING_ACTIONS = ("close", "reopen")


class UserRecord(Base):
    """An officer who logs in: roles a comma list of codes (officer, head, director, accountant, controller,
    admin); the password only as an argon2 hash; never deleted (``disabled`` instead), so entries keep the name."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(128), default="")
    roles: Mapped[str] = mapped_column(String(128), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(64), default="")


class ProposalRecord(Base):
    """A maker-checker proposal: ``action`` with ``params`` (JSON), the exact ``preview`` text the maker saw; who
    proposed and when; who confirmed or refused it and when (never the maker)."""

    __tablename__ = "proposals"
    __table_args__ = (CheckConstraint(one_of("status", PROPOSAL_STATUSES), name="status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(32))
    params: Mapped[str] = mapped_column(Text, default="{}")
    preview: Mapped[str] = mapped_column(Text, default="")
    loan_no: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    proposed_by: Mapped[str] = mapped_column(String(64))
    proposed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ClosingRecord(Base):
    """One close or reopen of the book: ``closed_through`` is the date the book is closed through after it (None:
    nothing closed). The latest row (highest id) is in force; the rows are the history."""

    __tablename__ = "closings"
    __table_args__ = (CheckConstraint(one_of("action", CLOSING_ACTIONS), name="action"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(8))
    through: Mapped[date] = mapped_column(Date)
    closed_through: Mapped[date | None] = mapped_column(Date, nullable=True)
    by: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")


class PeriodReportRecord(Base):
    """A report stored when its period was closed (``kind``: balances, quarterly…; ``payload`` its JSON)."""

    __tablename__ = "period_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    closing_id: Mapped[int] = mapped_column(ForeignKey("closings.id"))
    kind: Mapped[str] = mapped_column(String(32))
    through: Mapped[date] = mapped_column(Date)
    payload: Mapped[str] = mapped_column(Text)


class JournalRecord(Base):
    """The hash chain: one row per entry, event, audit record, closing and stored report, in the order written.
    ``payload_hash`` is SHA-256 of the record's canonical JSON, ``hash`` chains it to ``prev_hash``."""

    __tablename__ = "journal"
    __table_args__ = (UniqueConstraint("kind", "record_id", name="uq_journal_record"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(Integer)
    payload_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
