"""The loan page's collateral read (issue 16): the assets in force of one loan, in one statement (no replay, no read
of every application), for its coverage of the outstanding."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from .models import ApplicationRecord, CollateralItemRecord, CollateralRevisionRecord, SettingRecord


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


def setting(s: Session, key: str) -> str | None:
    """The stored text of setting ``key``, None when never set (one primary-key read)."""
    record = s.get(SettingRecord, key)
    return None if record is None else record.value
