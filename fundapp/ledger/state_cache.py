"""The per-loan state cache (``loan_state``): its writes after a replay and the loan list, the overview's positions
and the staleness checks read from it."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fundapp.formatting import fold

from .bulk import insert_rows
from .models import (
    BorrowerRecord,
    LoanRecord,
    LoanStateRecord,
)
from .sql import dated_rows, driver_rows, upsert


def replace_states(s: Session, rows: list[dict[str, Any]]) -> None:
    """Rewrite the cached figures of the loans in ``rows``."""
    if not rows:
        return
    ids = [r["loan_id"] for r in rows]
    for start in range(0, len(ids), 500):
        s.execute(delete(LoanStateRecord).where(LoanStateRecord.loan_id.in_(ids[start : start + 500])))
    insert_rows(s, LoanStateRecord, rows)


def put_state(s: Session, row: dict[str, Any]) -> None:
    """Write one loan's cached figures (``row``: the columns of ``loan_state``), replacing what was cached, in one
    statement (INSERT … ON CONFLICT DO UPDATE): a posting's round trips to a server count."""
    S = LoanStateRecord
    stmt = upsert(s, S).values(**row)
    s.execute(stmt.on_conflict_do_update(index_elements=[S.loan_id],
                                         set_={k: stmt.excluded[k] for k in row if k != "loan_id"}))


def loans_without_balance(s: Session, as_of: date, until: date | None = None) -> set[int]:
    """Loans whose figures at the end of ``as_of`` — and of every day up to ``until`` when given: no flow dated in
    between either — are all zero (debt group 1) by the cache: quiet from a day on or before ``as_of`` (settled,
    and no restructuring or relief whose watch could still hold), or not disbursed or opened until after
    ``until`` (the cache is rewritten with every entry, and a settlement is final)."""
    S = LoanStateRecord
    stmt = select(S.loan_id).where((S.quiet_from <= as_of) | (S.first_disbursed_on > (until or as_of)))
    return set(s.scalars(stmt))


def activity_spans(s: Session) -> dict[int, tuple[date | None, date | None]]:
    """loan id → (first disbursed or opened on, quiet from) by the cache, of every loan with either known: on every
    day before the first, and at the end of the second and every day after, its figures are zero (debt group 1);
    no flow is dated before the first nor after the second (the settling repayment is dated on it). The cache is
    rewritten with every entry, and a settlement is final: ``loans_without_balance``'s two columns, for each loan
    rather than for one span of days. A loan absent, or None in a place, is not known there."""
    S = LoanStateRecord
    stmt = (select(S.loan_id, S.first_disbursed_on, S.quiet_from)
            .where(S.first_disbursed_on.is_not(None) | S.quiet_from.is_not(None)))
    return {loan_id: (first, quiet) for loan_id, first, quiet in dated_rows(s, stmt, (1, 2))}


def cached_positions(s: Session) -> list[tuple[int, int, int]]:
    """(principal outstanding, principal overdue, debt group) of every loan whose cached figures hold either
    (đồng; a loan with both 0 adds nothing to a position): three integer columns, no join — the overview's cards
    read 60,000 of them instead of the whole loan list."""
    S = LoanStateRecord
    stmt = (select(S.principal_outstanding, S.principal_overdue, S.debt_group)
            .where((S.principal_outstanding > 0) | (S.principal_overdue > 0)))
    return [tuple(r) for r in driver_rows(s, stmt)]


def stale_state_loans(s: Session, as_of: date, limit: int) -> list[int]:
    """Up to ``limit`` ids of loans whose cached figures are older than ``as_of`` or missing, by id."""
    L, S = LoanRecord, LoanStateRecord
    stmt = (select(L.id).outerjoin(S, S.loan_id == L.id).where(S.as_of.is_(None) | (S.as_of < as_of))
            .order_by(L.id).limit(int(limit)))
    return list(s.scalars(stmt))


def state_dates(s: Session) -> tuple[date | None, int, int]:
    """(oldest as_of among cached states, states cached, loans in the book)."""
    oldest = s.scalar(select(func.min(LoanStateRecord.as_of)))
    cached = s.scalar(select(func.count()).select_from(LoanStateRecord))
    loans = s.scalar(select(func.count()).select_from(LoanRecord))
    return oldest, cached, loans


class LoanListRow(NamedTuple):
    """A line of the loan list (DOMAIN.md "Balances as of a date t", at the cache's day): the loan and its
    borrower, terms, and the cached figures of ``loan_state`` in đồng — a loan the cache has not seen yet reads
    0 for every figure, debt group 1, status "approved". ``status``: approved, active, overdue, closed or
    written_off. ``search``: the borrower's diacritic-free search key and the loan number, folded."""

    id: int
    loan_no: str
    borrower_code: str
    borrower_name: str
    borrower_kind: str
    district: str
    ward: str
    sector: str
    amount: int
    rate: str
    rate_unit: str
    term_months: int
    disbursed: int
    principal_outstanding: int
    principal_overdue: int
    total_interest: int  # all interest owed at the cache's day (Balances.total_interest)
    days_past_due: int
    debt_group: int
    next_due_on: date | None
    next_due_amount: int
    status: str
    first_disbursed_on: date | None
    closed_on: date | None
    search: str


def loan_list_rows(s: Session, limit: int | None = None, borrower_id: int | None = None,
                   row_type: type[LoanListRow] = LoanListRow) -> list[LoanListRow]:
    """The loan list sorted by loan number (the first ``limit`` loans only, or those of ``borrower_id``), one
    ``row_type`` (a ``LoanListRow``) per loan. Plain driver SQL with the defaults and the search key made by the
    database: 100,000 loans read in about half the time of typed result rows."""
    L, B, S = LoanRecord, BorrowerRecord, LoanStateRecord
    zero = func.coalesce
    stmt = (
        select(L.id, L.loan_no, B.code, B.name, B.kind, B.district, B.ward, L.sector, L.amount, L.rate, L.rate_unit,
               L.term_months, zero(S.disbursed, 0), zero(S.principal_outstanding, 0), zero(S.principal_overdue, 0),
               zero(S.total_interest, 0), zero(S.days_past_due, 0), zero(S.debt_group, 1), S.next_due_on,
               zero(S.next_due_amount, 0), zero(S.status, "approved"), S.first_disbursed_on, S.closed_on,
               B.search + " " + func.lower(L.loan_no))
        .join(B, B.id == L.borrower_id)
        .outerjoin(S, S.loan_id == L.id)
        .order_by(L.loan_no)
    )
    if borrower_id is not None:
        stmt = stmt.where(L.borrower_id == int(borrower_id))
    if limit is not None:
        stmt = stmt.limit(int(limit))
    out = dated_rows(s, stmt, (18, 21, 22), row_type)  # next_due_on, first_disbursed_on, closed_on
    for i, r in enumerate(out):
        if not r.loan_no.isascii():  # SQL lower() folds ASCII only: "HĐ-01" is searched as "hd-01"
            out[i] = r._replace(search=f"{r.search.rsplit(' ', 1)[0]} {fold(r.loan_no)}")
    return out
