"""Read models for the lists: one frozen row per loan, from the per-loan cache (fast for 10,000 loans)."""

from __future__ import annotations

from fundapp.domain.messages import N_
from fundapp.ledger import entry_store, state_cache

from .context import Context
from .loan_states import ensure_states_current, refresh_states, states_current

STATUS_LABELS = {"approved": N_("Chưa giải ngân"), "active": N_("Trong hạn"), "overdue": N_("Quá hạn"), "closed": N_("Đã tất toán"),
                 "written_off": N_("Đã xử lý rủi ro")}  # written off: off the balance sheet (DOMAIN.md "Write-off")
# an active loan past its last due date with its principal repaid and day D_n's in-term interest still owed, payable
# at once and never overdue (DOMAIN.md "Daily accrual"): not «Trong hạn»
AFTER_TERM_LABEL = N_("Hết hạn, còn lãi phải trả")


class LoanListRow(state_cache.LoanListRow):
    """The one row of the loan list (``state_cache.LoanListRow``'s fields, read as the database gives them: all money in
    đồng, 0 and debt group 1 for a loan the cache has not seen) with its status in words."""

    __slots__ = ()

    @property
    def status_label(self) -> str:
        """The loan's status in Vietnamese words (``STATUS_LABELS``; ``AFTER_TERM_LABEL`` when ``after_term``), the
        raw status when unknown."""
        return AFTER_TERM_LABEL if self.after_term else STATUS_LABELS.get(self.status, self.status)

    @property
    def after_term(self) -> bool:
        """Active, its principal all repaid, no installment left to fall due, and interest still owed: the in-term
        interest of its last due date, payable at once and never overdue (DOMAIN.md "Daily accrual"). HD2022-027,
        repaid in 2023, was listed «Trong hạn» with no next due date while a notice asked it for 124.767 đ (an
        officer's trial on the events book)."""
        return (self.status == "active" and self.disbursed > 0 and self.principal_outstanding == 0
                and self.next_due_on is None and self.total_interest > 0)

    @property
    def overdue_by_interest_only(self) -> bool:
        """In arrears with no installment past due (0 days past due, no overdue principal): only overdue or
        late-payment interest is owed, which is arrears too (DOMAIN.md "A repayment on day t"). The list said
        «Quá hạn» beside 0 days and 0 đồng overdue, and nothing said why."""
        return self.status == "overdue" and self.days_past_due == 0 and self.principal_overdue == 0


def outstanding_by_borrower(rows: list[LoanListRow]) -> dict[str, int]:
    """Each borrower's principal outstanding today (sum over the borrower's loans of the list)."""
    out: dict[str, int] = {}
    for row in rows:
        out[row.borrower_code] = out.get(row.borrower_code, 0) + row.principal_outstanding
    return out


def list_loans(ctx: Context, borrower_id: int | None = None, *, current: bool = True,
               limit: int | None = None) -> list[LoanListRow]:
    """Every loan (of ``borrower_id``; the first ``limit`` by loan number) with its cached figures, sorted by loan
    number. ``current``: the cache is first brought to today if a day has passed (``ensure_states_current``:
    a replay of every loan, minutes on a 100,000-loan book); the GUI passes False, shows the list at once and
    brings it to today in the background (``list_is_current``, ``bring_list_to_today``)."""
    if current:
        ensure_states_current(ctx)
    with ctx.db.read() as s:
        return state_cache.loan_list_rows(s, limit=limit, borrower_id=borrower_id, row_type=LoanListRow)


def list_is_current(ctx: Context) -> bool:
    """Whether every loan's cached figures are as of today (three small aggregate queries, no replay)."""
    with ctx.db.read() as s:
        return states_current(s, ctx.today())


def bring_list_to_today(ctx: Context, limit: int | None = None) -> int:
    """Replay the loans whose cached figures are older than today (or missing) and store today's; returns how
    many loans were refreshed (0 when the cache was current). ``limit``: at most so many loans, each batch a unit of
    work of its own (the GUI calls it again while it returns ``limit``, so the write lock is held briefly and other
    jobs run between the batches)."""
    if limit is None:
        return ensure_states_current(ctx)
    today = ctx.today()
    with ctx.db.unit() as s:
        ids = state_cache.stale_state_loans(s, today, limit)
        return refresh_states(s, ids, today) if ids else 0


def restructured_loan_ids(ctx: Context) -> set[int]:
    """Ids of the loans with a restructuring in force in the book (the list's filter "đã cơ cấu lại"; an opening's
    earlier restructurings do not count, as in DOMAIN.md "Reported")."""
    with ctx.db.read() as s:
        rows, _events = entry_store.entries_in_force(s)
    return {r.loan_id for r in rows if r.kind == "restructure"}
