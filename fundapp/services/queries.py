"""Read models for the lists: one frozen row per loan, from the per-loan cache (fast for 10,000 loans)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fundapp.ledger import store

from .portfolio import Context, ensure_states_current

STATUS_LABELS = {"approved": "Chưa giải ngân", "active": "Trong hạn", "overdue": "Quá hạn", "closed": "Đã tất toán",
                 "written_off": "Đã xử lý rủi ro"}  # written off: off the balance sheet (DOMAIN.md "Write-off")


@dataclass(frozen=True, slots=True)
class LoanListRow:
    """A line of the loans page (all money in đồng, None figures of a loan the cache has not seen read as 0,
    debt group 1): loan and borrower, terms, disbursed, principal outstanding and overdue, all interest owed,
    days past due, debt group, next due date and amount, status."""

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
    total_interest: int  # all interest owed at the cache's day (Balances.total_interest; the loan_state column interest_due)
    days_past_due: int
    debt_group: int
    next_due_on: date | None
    next_due_amount: int
    status: str
    first_disbursed_on: date | None
    closed_on: date | None
    search: str

    @property
    def status_label(self) -> str:
        """The loan's status in Vietnamese words (``STATUS_LABELS``), the raw status when unknown."""
        return STATUS_LABELS.get(self.status, self.status)


def outstanding_by_borrower(rows: list[LoanListRow]) -> dict[str, int]:
    """Each borrower's principal outstanding today (sum over the borrower's loans of the list)."""
    out: dict[str, int] = {}
    for row in rows:
        out[row.borrower_code] = out.get(row.borrower_code, 0) + row.principal_outstanding
    return out


def list_loans(ctx: Context, borrower_id: int | None = None) -> list[LoanListRow]:
    """Every loan with today's figures (the cache is brought to today first if a day has passed)."""
    ensure_states_current(ctx)
    with ctx.db.unit() as s:
        rows = store.loan_list_rows(s)
        if borrower_id is not None:
            codes = {b.code for b in [store.borrower(s, borrower_id)] if b is not None}
            rows = [r for r in rows if r[2] in codes]
    return [
        LoanListRow(*r[:12], r[12] or 0, r[13] or 0, r[14] or 0, r[15] or 0, r[16] or 0, r[17] or 1, r[18], r[19] or 0,
                    r[20] or "approved", r[21], r[22], f"{r[23]} {r[1].lower()}")
        for r in rows
    ]


def restructured_loan_ids(ctx: Context) -> set[int]:
    """Ids of the loans with a restructuring in force in the book (the list's filter "đã cơ cấu lại"; an opening's
    earlier restructurings do not count, as in DOMAIN.md "Reported")."""
    with ctx.db.unit() as s:
        rows, _events = store.entries_in_force(s)
    return {r.loan_id for r in rows if r.kind == "restructure"}
