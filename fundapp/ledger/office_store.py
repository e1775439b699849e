"""The office's records: the book's settings, the audit trail and the register of issued documents with its
number counters."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import (
    AuditRecord,
    DocumentNumberRecord,
    DocumentRecord,
    SettingRecord,
)
from .sql import added, now, upsert


def settings(s: Session) -> dict[str, str]:
    """Every setting of the book as stored text, by key (e.g. ``watch_days`` → "90"); a key never set is absent."""
    return {r.key: r.value for r in s.scalars(select(SettingRecord))}


def setting(s: Session, key: str) -> str | None:
    """The stored text of setting ``key``, None when never set (one primary-key read)."""
    record = s.get(SettingRecord, key)
    return None if record is None else record.value


def set_setting(s: Session, key: str, value: str) -> None:
    """Store ``value`` (text) under ``key``, replacing what was stored; written when the unit commits."""
    record = s.get(SettingRecord, key)
    if record is None:
        s.add(SettingRecord(key=key, value=value))
    else:
        record.value = value


def next_document_number(s: Session, year: int, kind: str) -> int:
    """The next number of a kind of document in a year, without a race between officers.

    One INSERT … ON CONFLICT DO UPDATE … RETURNING: the counter row is created with 1 or incremented; on
    PostgreSQL the conflicting insert locks the row until the transaction ends, so a second officer waits and gets
    the next number; on SQLite the write lock serialises the same way. The number is used up only if the
    transaction commits.
    """
    return s.execute(number_taken(s, year, kind)).scalar_one()  # one statement: one round trip to a server


def number_taken(s: Session, year: int, kind: str):
    """``next_document_number``'s statement (its one returned value: the number), for a caller that runs it inside
    another (a posting's CTE on PostgreSQL)."""
    D = DocumentNumberRecord
    return (upsert(s, D).values(year=year, kind=kind, last=1)
            .on_conflict_do_update(index_elements=[D.year, D.kind], set_={"last": D.last + 1}).returning(D.last))


def issued_document(s: Session, kind: str, subject: str, on_date: date) -> DocumentRecord | None:
    """The register row of a document already issued (same kind, subject and date) — the latest when its content
    changed and it was issued again with a new number — or None."""
    rows = issued_documents(s, kind, subject, on_date)
    return rows[-1] if rows else None


def issued_documents(s: Session, kind: str, subject: str, on_date: date) -> list[DocumentRecord]:
    """Every register row of one document (same kind, subject and date), oldest first: one per content issued
    (``DocumentRecord.digest``)."""
    R = DocumentRecord
    return list(s.scalars(select(R).where(R.kind == kind, R.subject == subject, R.on_date == on_date)
                          .order_by(R.issued_at, R.id)))


class DocumentConflict(Exception):
    """Another officer issued the same document (same kind, subject, date and content) at the same moment: the unit of work
    must be rolled back (giving its number back) and the issue retried, which then finds the other's row."""


def register_document(s: Session, **values) -> DocumentRecord:
    """Write a register row (its number was taken by ``next_document_number`` in the same transaction).

    Raises ``DocumentConflict`` when the same document was registered meanwhile by another transaction.
    """
    from sqlalchemy.exc import IntegrityError

    record = DocumentRecord(issued_at=now(), **values)
    s.add(record)
    try:
        s.flush()
    except IntegrityError as err:
        raise DocumentConflict(str(values.get("subject"))) from err
    return record


def document_rows(s: Session, year: int | None = None) -> list[DocumentRecord]:
    """The register, by year, code and number (every year when ``year`` is None)."""
    R = DocumentRecord
    stmt = select(R).order_by(R.year, R.code, R.number)
    if year is not None:
        stmt = stmt.where(R.year == year)
    return list(s.scalars(stmt))


def audit(s: Session, actor: str, action: str, detail: str = "", override: bool = False) -> None:
    """Write an audit record (who, what, detail); chained (``journal``) when the unit commits."""
    added(s, AuditRecord(at=now(), actor=actor, action=action, detail=detail, override=override), "audit")
