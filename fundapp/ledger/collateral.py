"""Collateral: assets pledged for an application or a loan and their append-only revisions (migration 0004), and
the loan page's read of the assets in force of one loan in one statement (issue 16: no replay, no read of every
application), for its coverage of the outstanding. Each takes the unit of work's session; no business rules here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from .models import ApplicationRecord, CollateralItemRecord, CollateralRevisionRecord, LoanRecord
from .sql import added, now


def loan_assets(s: Session, loan_id: int) -> list[tuple[int, str]]:
    """(value in đồng, status) of the revision in force of every asset of loan ``loan_id``: pledged for the loan or
    for the application it was contracted from; one statement."""
    item, rev = CollateralItemRecord, CollateralRevisionRecord
    newer = aliased(CollateralRevisionRecord)
    latest = select(func.max(newer.revision)).where(newer.item_id == item.id).scalar_subquery()
    from_application = select(ApplicationRecord.id).where(ApplicationRecord.loan_id == loan_id)
    stmt = (select(rev.value, rev.status).join(item, rev.item_id == item.id)
            .where(or_(item.loan_id == loan_id, item.application_id.in_(from_application)), rev.revision == latest)
            .order_by(item.id))
    return [(value, status) for value, status in s.execute(stmt)]


def add_collateral(s: Session, *, application_id: int | None, loan_id: int | None, created_by: str,
                   **fields: Any) -> int:
    """A new asset for an application and/or a loan with its first revision (``fields``: the revision's columns
    but item_id/revision/entered_*). Returns the item's id."""
    item = added(s, CollateralItemRecord(application_id=application_id, loan_id=loan_id, created_by=created_by,
                                         created_at=now()))
    add_collateral_revision(s, item.id, entered_by=created_by, **fields)
    return item.id


def add_collateral_revision(s: Session, item_id: int, entered_by: str, **fields: Any):
    """Append the next revision of asset ``item_id`` (the revision number is the last + 1)."""
    R = CollateralRevisionRecord
    last = s.scalar(select(func.max(R.revision)).where(R.item_id == item_id)) or 0
    return added(s, R(item_id=item_id, revision=last + 1, entered_by=entered_by, entered_at=now(), **fields))


def collateral_rows(s: Session, *, application_ids: Iterable[int] = (), loan_ids: Iterable[int] = (),
                    every: bool = False) -> list[tuple[Any, Any]]:
    """(item, revision in force) of the assets of the given applications or loans (or ``every`` asset), by id."""
    C, R = CollateralItemRecord, CollateralRevisionRecord
    latest = select(R.item_id, func.max(R.revision).label("rev")).group_by(R.item_id).subquery()
    stmt = (select(C, R).join(latest, latest.c.item_id == C.id)
            .join(R, and_(R.item_id == C.id, R.revision == latest.c.rev)).order_by(C.id))
    if not every:
        apps, loans = list(application_ids), list(loan_ids)
        if not apps and not loans:
            return []
        cond = []
        if apps:
            cond.append(C.application_id.in_(apps))
        if loans:
            cond.append(C.loan_id.in_(loans))
        stmt = stmt.where(or_(*cond))
    return [(i, r) for i, r in s.execute(stmt)]


def collateral_history(s: Session, item_id: int) -> list[Any]:
    """Every revision of asset ``item_id``, oldest first."""
    R = CollateralRevisionRecord
    return list(s.scalars(select(R).where(R.item_id == item_id).order_by(R.revision)))


def collateral_item(s: Session, item_id: int):
    """The collateral asset ``item_id`` (a ``CollateralItemRecord``: its owner application/loan and creation),
    None when there is none; its values are in its revisions (``collateral_history``)."""
    return s.get(CollateralItemRecord, item_id)


def item_loan_numbers(s: Session, item_ids: Iterable[int]) -> dict[int, str]:
    """asset id → the number of the loan it is pledged for: its own loan's, else that of the loan its application
    was contracted into (assets of an application not yet a loan, and unknown ids, are absent)."""
    ids = sorted({int(i) for i in item_ids})
    item, app = CollateralItemRecord, ApplicationRecord
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        stmt = (select(item.id, LoanRecord.loan_no).select_from(item)
                .outerjoin(app, app.id == item.application_id)
                .join(LoanRecord, LoanRecord.id == func.coalesce(item.loan_id, app.loan_id))
                .where(item.id.in_(ids[start:start + 500])))
        out.update((i, no) for i, no in s.execute(stmt))
    return out
