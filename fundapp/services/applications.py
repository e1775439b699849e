"""The loan application workflow (hồ sơ vay) with Decree 45/2021's limits checked at approval.

received → appraised → approved | rejected → contracted (a loan is created, its terms editable
until the first disbursement). Nothing skips a step; who and when is recorded at each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from fundapp.domain.limits import LimitCheck, credit_exposure, lending_limits
from fundapp.domain.messages import N_, capitalised, join, msg
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import nfc, short_date
from fundapp.ledger import lending_store, office_store, sql, state_cache

from .clock import refuse_future
from .codes import check_code
from .context import Context
from .errors import NotFound, UserFacingError, ValidationError
from .loan_states import refresh_states
from .loan_terms import terms_dict
from .proposals import record_confirmation
from .rights import require, require_action
from .settings import load_settings

STATUS_LABELS = {
    "received": N_("Đã tiếp nhận"),
    "appraised": N_("Đã thẩm định"),
    "approved": N_("Đã phê duyệt"),
    "rejected": N_("Từ chối"),
    "contracted": N_("Đã ký hợp đồng"),
}


# -- applications ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplicationRow:
    """One loan application as the pages show it: borrower, requested and approved amounts (đồng), approved
    terms (a dict of ``terms_dict`` values), the workflow's status and who decided each step and when."""

    id: int
    borrower_id: int
    borrower_code: str
    borrower_name: str
    product_id: int | None
    purpose: str
    sector: str
    requested_amount: int
    plan_total: int
    own_capital: int
    status: str
    received_on: date
    received_by: str
    appraisal_notes: str
    appraised_by: str
    decided_by: str
    appraised_on: date | None
    rejection_reason: str
    limit_override_reason: str
    approved_amount: int | None
    approved_terms: dict
    loan_id: int | None
    version: int
    approved_on: date | None = None  # the workflow's entered dates (issue 14): received ≤ appraised ≤ approved

    @property
    def status_label(self) -> str:
        """The status in Vietnamese words (``STATUS_LABELS``), the raw status when unknown."""
        return STATUS_LABELS.get(self.status, self.status)


def _application_row(s, r) -> ApplicationRow:
    b = lending_store.borrower(s, r.borrower_id)
    return ApplicationRow(
        id=r.id, borrower_id=r.borrower_id, borrower_code=b.code, borrower_name=b.name, product_id=r.product_id,
        purpose=r.purpose, sector=r.sector, requested_amount=r.requested_amount, plan_total=r.plan_total,
        own_capital=r.own_capital, status=r.status, received_on=r.received_on, received_by=r.received_by,
        appraisal_notes=r.appraisal_notes, appraised_by=r.appraised_by, decided_by=r.decided_by,
        appraised_on=r.appraised_on, approved_on=r.approved_on, rejection_reason=r.rejection_reason, limit_override_reason=r.limit_override_reason,
        approved_amount=r.approved_amount, approved_terms=json.loads(r.approved_terms or "{}"), loan_id=r.loan_id,
        version=r.version)


def list_applications(ctx: Context) -> list[ApplicationRow]:
    """Every application of the book, as rows, in the store's order. Raises nothing beyond the database's errors."""
    with ctx.db.read() as s:
        return [_application_row(s, r) for r in lending_store.applications(s)]


def get_application(ctx: Context, application_id: int) -> ApplicationRow:
    """The application ``application_id`` as a row. Raises ``NotFound`` for an unknown id."""
    with ctx.db.read() as s:
        return _application_row(s, _application(s, application_id))


def _application(s, application_id: int):
    r = lending_store.application(s, application_id)
    if r is None:
        raise NotFound(msg("Không có hồ sơ vay mã {id}", id=application_id))
    return r


def _step(r, allowed: tuple[str, ...], action: str) -> None:
    if r.status not in allowed:
        raise UserFacingError(
            msg("Không thể {action}: hồ sơ đang ở bước «{status}» (cần bước {needed})", action=msg(action),
                status=msg(STATUS_LABELS[r.status]),
                needed=msg("«{first}» hoặc «{second}»", first=msg(STATUS_LABELS[allowed[0]]),
                           second=msg(STATUS_LABELS[allowed[1]])) if len(allowed) == 2
                else msg("«{step}»", step=msg(STATUS_LABELS[allowed[0]]))))



def receive_application(ctx: Context, borrower_id: int, requested_amount: int, purpose: str, sector: str = "",
                        plan_total: int = 0, own_capital: int = 0, product_id: int | None = None,
                        received_on: date | None = None) -> ApplicationRow:
    """Record a new application (tiếp nhận hồ sơ) received on ``received_on`` (entered; default today)."""
    require(ctx, "applications")
    if not isinstance(requested_amount, int) or requested_amount <= 0:
        raise ValidationError(N_("Số tiền đề nghị vay phải lớn hơn 0 đồng"), field="requested_amount")
    if not nfc(purpose):
        raise ValidationError(N_("Nhập mục đích vay"), field="purpose")
    if plan_total < 0 or own_capital < 0:
        raise ValidationError(N_("Tổng vốn dự án và vốn tự có không được âm"), field="plan_total")
    refuse_future(ctx, received_on, N_("ngày tiếp nhận hồ sơ"), "received_on")
    with ctx.db.unit() as s:
        if lending_store.borrower(s, borrower_id) is None:
            raise ValidationError(N_("Chọn khách hàng"), field="borrower")
        r = lending_store.add_application(
            s, borrower_id=borrower_id, product_id=product_id, purpose=nfc(purpose), sector=nfc(sector),
            requested_amount=requested_amount, plan_total=plan_total, own_capital=own_capital, status="received",
            received_on=received_on or ctx.today(), received_by=ctx.user)
        office_store.audit(s, ctx.user, "application receive", f"#{r.id}")
        return _application_row(s, r)


def _order(earlier: date | None, later: date, earlier_vi: str, later_vi: str, field: str) -> None:
    """Workflow dates in order (issue 14): received ≤ appraised ≤ approved ≤ contract ≤ first disbursement."""
    if earlier is not None and later < earlier:
        raise ValidationError(
            msg("{later_label} ({later}) không được trước {earlier_label} ({earlier})",
                later_label=capitalised(later_vi), later=short_date(later),
                earlier_label=msg(earlier_vi), earlier=short_date(earlier)),
            field=field)


def _entered(ctx: Context, on: date | None, label: str, field: str) -> date | None:
    """A workflow date as entered: required on a book with users (issue 14: entered, not stamped); on a book
    without users it may be left out (None: not recorded, as before). Never after today."""
    if on is None and ctx.roles is not None:
        raise ValidationError(msg("Nhập {label}", label=msg(label)), field=field)
    refuse_future(ctx, on, label, field)
    return on


def appraise_application(ctx: Context, application_id: int, notes: str,
                         appraised_on: date | None = None) -> ApplicationRow:
    """Record the appraisal (thẩm định) on ``appraised_on`` (entered: required on a book with users; not before the
    day received);
    notes are required. Right ``appraise``."""
    require(ctx, "appraise")
    if not nfc(notes):
        raise ValidationError(N_("Nhập ý kiến thẩm định"), field="appraisal_notes")
    on = _entered(ctx, appraised_on, N_("ngày thẩm định"), "appraised_on")
    with ctx.db.unit() as s:
        r = _application(s, application_id)
        _step(r, ("received",), N_("thẩm định"))
        if on is not None:
            _order(r.received_on, on, N_("ngày tiếp nhận"), N_("ngày thẩm định"), "appraised_on")
        r.appraised_on = on
        r.appraisal_notes, r.appraised_by, r.appraised_at, r.status = nfc(notes), ctx.user, sql.now(), "appraised"
        s.flush()
        office_store.audit(s, ctx.user, "application appraise", f"#{r.id}")
        return _application_row(s, r)


def reject_application(ctx: Context, application_id: int, reason: str) -> ApplicationRow:
    """Reject (từ chối) with a reason; possible before approval. Right ``approve``."""
    require(ctx, "approve")
    if not nfc(reason):
        raise ValidationError(N_("Nhập lý do từ chối"), field="rejection_reason")
    with ctx.db.unit() as s:
        r = _application(s, application_id)
        _step(r, ("received", "appraised"), N_("từ chối"))
        r.rejection_reason, r.decided_by, r.decided_at, r.status = nfc(reason), ctx.user, sql.now(), "rejected"
        s.flush()
        office_store.audit(s, ctx.user, "application reject", f"#{r.id}: {reason}")
        return _application_row(s, r)



def check_limits(ctx: Context, application_id: int, amount: int) -> LimitCheck:
    """Decree 45/2021's limits (``domain.limits.lending_limits``, percents rounded half up) for approving ``amount``
    đồng on application ``application_id``: the borrower's and its related group's credit exposure
    (``domain.limits.credit_exposure``: outstanding principal plus the undisbursed part of their loans, and the
    approved amount of their applications approved and not yet signed), against the book's charter capital and
    percents. Raises ``NotFound`` for an unknown application."""
    settings = load_settings(ctx)
    with ctx.db.read() as s:
        return _limits_in(s, settings, _application(s, application_id), amount)


def _limits_in(s, settings, r, amount: int, lock: bool = False) -> LimitCheck:
    """``check_limits`` read inside unit of work ``s`` for application record ``r``. ``lock``: first lock the rows
    of the borrower and its related group (PostgreSQL; SQLite's writing unit holds the book's one write lock), as
    ``sign_contract`` locks its borrower, so no contract of theirs is signed between this read and the unit's
    commit (issue 13.2: checked in the transaction that writes)."""
    borrower = lending_store.borrower(s, r.borrower_id)
    group = lending_store.borrowers_in_group(s, borrower.related_group) if borrower.related_group else [borrower]
    if lock:
        lending_store.lock_borrowers(s, [b.id for b in group])
    outstanding = {b.id: 0 for b in group}  # only the group's loans: the book's others are not read
    for b in group:
        for row in state_cache.loan_list_rows(s, borrower_id=b.id):
            outstanding[b.id] += credit_exposure(row.principal_outstanding or 0, row.amount or 0, row.disbursed or 0,
                                                 row.closed_on is None and row.status != "written_off")
    for a in lending_store.applications(s):  # approved, not yet signed: a commitment too
        if a.status == "approved" and a.loan_id is None and a.id != r.id and a.borrower_id in outstanding:
            outstanding[a.borrower_id] += credit_exposure(0, a.approved_amount or 0, 0, True)
    return lending_limits(
        charter_capital=settings.charter_capital, single_limit_percent=settings.single_limit_percent,
        group_limit_percent=settings.group_limit_percent, own_capital_percent=settings.own_capital_percent,
        customer_outstanding=outstanding[borrower.id], group_outstanding=sum(outstanding.values()), amount=amount,
        plan_total=r.plan_total, own_capital=r.own_capital)


def _over_limits(limits: LimitCheck) -> UserFacingError:
    """The refusal of an approval over Decree 45's limits without the director's reason, naming each breach."""
    return UserFacingError(msg("Không thể phê duyệt: {breaches}. Giám đốc có thể phê duyệt vượt giới hạn khi ghi rõ "
                               "lý do.", breaches=join("; ", limits.breaches)), field="amount")


def approve_application(ctx: Context, application_id: int, terms: LoanTerms, override_reason: str = "",
                        approved_on: date | None = None) -> ApplicationRow:
    """Approve an appraised application with ``terms`` (amount included) on ``approved_on`` (entered: required on
    a book with users; not before the appraisal). Right ``approve``; on a book with users the one who appraised may not approve.

    A breach of Decree 45's limits blocks approval unless the director overrides with a recorded reason (right
    ``limit_override``; with maker-checker on, a proposal another director confirms: ``proposals.propose``).
    """
    require(ctx, "approve")
    on = _entered(ctx, approved_on, N_("ngày phê duyệt"), "approved_on")
    with ctx.db.unit() as s:
        r = _application(s, application_id)
        _step(r, ("appraised",), N_("phê duyệt"))
        if on is not None:
            _order(r.appraised_on or r.received_on, on, N_("ngày thẩm định"), N_("ngày phê duyệt"), "approved_on")
        if ctx.roles is not None and r.appraised_by == ctx.user:
            raise UserFacingError(
                msg("Người đã thẩm định hồ sơ #{id} («{user}») không được phê duyệt chính hồ sơ đó",
                    id=r.id, user=ctx.user))
    limits = check_limits(ctx, application_id, terms.amount)
    override_reason = nfc(override_reason)
    if not limits.ok and not override_reason:
        raise _over_limits(limits)
    if not limits.ok:
        require_action(ctx, "limit_override", lambda: dict(
            application_id=application_id, terms=dict(amount=terms.amount, **terms_dict(terms)),
            override_reason=override_reason, approved_on=on.isoformat() if on else None))
    settings = load_settings(ctx)
    with ctx.db.unit() as s:
        record_confirmation(s, ctx)  # a confirmed limit override: written with its confirmation, or neither
        r = _application(s, application_id)
        _step(r, ("appraised",), N_("phê duyệt"))
        # checked again in the transaction that writes: a contract another officer signed meanwhile counts (13.2);
        # a breach the director has not overridden above is refused
        now = _limits_in(s, settings, r, terms.amount, lock=True)
        if not now.ok and limits.ok:
            raise _over_limits(now)
        r.approved_on = on
        r.approved_amount, r.approved_terms = terms.amount, json.dumps(terms_dict(terms))
        r.decided_by, r.decided_at, r.status = ctx.user, sql.now(), "approved"
        r.limit_override_reason = override_reason if not limits.ok else ""
        s.flush()
        office_store.audit(s, ctx.user, "application approve", f"#{r.id} {terms.amount}", override=not limits.ok)
        return _application_row(s, r)


def next_loan_no(ctx: Context, year: int) -> str:
    """The next free contract number of ``year`` in the fund's pattern "HD{year}-NNN": one above the highest
    number of that year in the book ("HD2026-005" after HD2026-004; "HD2026-001" in a year with none), at least
    three digits. A suggestion for the officer; ``sign_contract`` still refuses a duplicate. Reads only.
    """
    prefix = f"HD{year}-"
    with ctx.db.read() as s:
        numbers = lending_store.loan_numbers(s)
    tails = [no[len(prefix):] for no in numbers if no.startswith(prefix)]
    # ASCII digits of a sensible length: «HD2026-²» (a digit to str.isdigit) or «HD2026-１２» is no number of ours
    n = max((int(t) for t in tails if t.isascii() and t.isdigit() and len(t) < 12), default=0) + 1
    while f"{prefix}{n:03d}" in numbers:
        n += 1
    return f"{prefix}{n:03d}"


def sign_contract(ctx: Context, application_id: int, loan_no: str, contract_date: date) -> int:
    """Sign the contract (ký hợp đồng) dated ``contract_date`` (not before the approval): creates the loan with the
    approved terms; returns its id. Right ``sign``."""
    require(ctx, "sign")
    loan_no = nfc(loan_no)
    if not loan_no:
        raise ValidationError(N_("Nhập số hợp đồng"), field="loan_no")
    check_code(loan_no, N_("Số hợp đồng"), "loan_no")
    refuse_future(ctx, contract_date, N_("ngày ký hợp đồng"), "contract_date")
    with ctx.db.unit() as s:
        r = _application(s, application_id)
        lending_store.lock_borrowers(s, [r.borrower_id])  # an approval's limits check for them waits (13.2)
        _step(r, ("approved",), N_("ký hợp đồng"))
        _order(r.approved_on, contract_date, N_("ngày phê duyệt"), N_("ngày ký hợp đồng"), "contract_date")

        if lending_store.loan_by_no(s, loan_no) is not None:
            raise ValidationError(msg("Số hợp đồng «{loan_no}» đã có trong sổ", loan_no=loan_no), field="loan_no")
        terms = json.loads(r.approved_terms)
        loan = lending_store.add_loan(s, loan_no=loan_no, borrower_id=r.borrower_id, purpose=r.purpose, sector=r.sector,
                              amount=r.approved_amount, contract_date=contract_date, **terms)
        r.loan_id, r.status, r.contracted_by, r.contracted_at = loan.id, "contracted", ctx.user, sql.now()
        s.flush()
        refresh_states(s, [loan.id], ctx.today())
        office_store.audit(s, ctx.user, "contract", f"#{r.id} → {loan_no}")
        return loan.id
