"""Collateral (tài sản bảo đảm) of applications and loans: record, revise, release, coverage, the portfolio list.

An asset belongs to an application (and so to the loan contracted from it) or directly to a loan (a loan
imported without its application). Nothing is ever edited or deleted: every change is a new revision
(``collateral.add_collateral_revision``) and ``history`` shows them all. Coverage is the domain's
(``domain.collateral``): pledged value ÷ requested amount for an application, ÷ principal outstanding for a loan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from fundapp.domain.collateral import KINDS, STATUSES, below_threshold, coverage_percent, revaluation_due
from fundapp.domain.messages import N_, msg
from fundapp.formatting import nfc
from fundapp.ledger import collateral, lending_store, office_store

from .clock import refuse_future, refuse_future_figures
from .context import Context
from .errors import NotFound, UserFacingError, ValidationError
from .loan_lookup import missing_loan
from .settings import load_settings


@dataclass(frozen=True)
class Collateral:
    """One asset as it stands (its latest revision). ``value`` in đồng; ``status`` "pledged"/"released"/"enforced"."""

    id: int
    application_id: int | None
    loan_id: int | None
    revision: int
    kind: str
    description: str
    owner: str
    value: int
    valued_on: date | None
    registration_no: str
    registered_on: date | None
    status: str
    status_on: date | None
    note: str
    entered_by: str
    entered_at: datetime

    @property
    def kind_label(self) -> str:
        """The asset kind in Vietnamese words, the raw kind when unknown."""
        return KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        """The asset's status in Vietnamese words (đang bảo đảm, đã giải chấp…), the raw status when unknown."""
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True)
class Coverage:
    """Pledged value (đồng, assets with status "pledged") against ``base`` (đồng: the requested amount or the
    principal outstanding); ``percent`` rounded half up to 2 places, None when ``base`` is 0."""

    pledged: int
    base: int
    percent: Decimal | None


FIELDS = ("kind", "description", "owner", "value", "valued_on", "registration_no", "registered_on", "status",
          "status_on", "note")


def _view(item, rev) -> Collateral:
    return Collateral(item.id, item.application_id, item.loan_id, rev.revision, rev.kind, rev.description, rev.owner,
                      rev.value, rev.valued_on, rev.registration_no, rev.registered_on, rev.status, rev.status_on,
                      rev.note, rev.entered_by, rev.entered_at)


def clean(ctx: Context, values: dict, stored: dict | None = None) -> dict:
    """Check one asset's values (kind, description, owner, value đồng ≥ 0, dates from 01/01/2000 to today, status)
    and return them normalised (NFC text). ``stored``: the revision in force (FIELDS → value) when revising; a date
    equal to the stored one is not checked again, so that an asset recorded before a date rule existed (a valuation
    of 1998) can still be released or revised. Raises ValidationError naming the field."""
    out = {k: values.get(k) for k in FIELDS}
    if out["kind"] not in KINDS:
        raise ValidationError(N_("Chọn loại tài sản bảo đảm"), field="kind")
    for name in ("description", "owner", "registration_no", "note"):
        out[name] = nfc(out[name] or "")
    if not out["description"]:
        raise ValidationError(N_("Nhập mô tả tài sản bảo đảm"), field="description")
    if len(out["owner"]) > 255 or len(out["registration_no"]) > 64:
        raise ValidationError(N_("Chủ sở hữu tối đa 255 ký tự, số đăng ký tối đa 64 ký tự"), field="owner")
    value = out["value"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(N_("Giá trị tài sản bảo đảm là số đồng không âm"), field="value")
    if value > 10**15:
        raise ValidationError(N_("Giá trị tài sản bảo đảm quá lớn"), field="value")
    out["status"] = out["status"] or "pledged"
    if out["status"] not in STATUSES:
        raise ValidationError(N_("Trạng thái: đang bảo đảm, đã giải chấp hoặc đã xử lý"), field="status")
    for name, label in (("valued_on", N_("ngày định giá")), ("registered_on", N_("ngày đăng ký giao dịch bảo đảm")),
                        ("status_on", N_("ngày đổi trạng thái"))):
        if out[name] is not None and (stored is None or out[name] != stored.get(name)):
            refuse_future(ctx, out[name], label, name)
    return out


def add(ctx: Context, values: dict, *, application_id: int | None = None, loan_no: str | None = None) -> Collateral:
    """Pledge a new asset for an application (``application_id``) or a loan (``loan_no``). ``values``: kind (a key of
    ``domain.collateral.KINDS``), description, owner, value (int đồng), valued_on, registration_no, registered_on,
    status (default "pledged"), note. Raises ValidationError / NotFound; ``RightRefused`` without the right
    «tiếp nhận hồ sơ vay» (issue 14)."""
    from .rights import require

    require(ctx, "applications")
    data = clean(ctx, values)
    with ctx.db.unit() as s:
        loan_id = None
        if loan_no is not None:
            record = lending_store.loan_by_no(s, loan_no)
            if record is None:
                raise missing_loan(s, loan_no)
            loan_id = record.id
        if application_id is not None and lending_store.application(s, application_id) is None:
            raise NotFound(msg("Không có hồ sơ vay số {application_id}", application_id=application_id))
        if application_id is None and loan_id is None:
            raise UserFacingError(N_("Tài sản bảo đảm phải thuộc một hồ sơ vay hoặc một khoản vay"))
        item_id = collateral.add_collateral(s, application_id=application_id, loan_id=loan_id, created_by=ctx.user, **data)
        office_store.audit(s, ctx.user, "collateral add", f"{item_id}: {data['description'][:80]} {data['value']} đ")
        item = collateral.collateral_item(s, item_id)
        return _view(item, collateral.collateral_history(s, item_id)[-1])


def revise(ctx: Context, item_id: int, changes: dict) -> Collateral:
    """A new revision of asset ``item_id`` with ``changes`` (any of ``FIELDS``) over the one in force; the old
    revisions stay (``history``). Raises NotFound / ValidationError / RightRefused (issue 14)."""
    from .rights import require

    require(ctx, "applications")
    with ctx.db.unit() as s:
        item = collateral.collateral_item(s, item_id)
        if item is None:
            raise NotFound(msg("Không có tài sản bảo đảm số {item_id}", item_id=item_id))
        current = collateral.collateral_history(s, item_id)[-1]
        stored = {k: getattr(current, k) for k in FIELDS}
        data = clean(ctx, {**stored, **changes}, stored)
        rev = collateral.add_collateral_revision(s, item_id, entered_by=ctx.user, **data)
        office_store.audit(s, ctx.user, "collateral revise", f"{item_id} r{rev.revision}")
        return _view(item, rev)


def release(ctx: Context, item_id: int, on: date, status: str = "released") -> Collateral:
    """Release (giải chấp) — or, with ``status="enforced"``, enforce — asset ``item_id`` on ``on``."""
    return revise(ctx, item_id, {"status": status, "status_on": on})


def history(ctx: Context, item_id: int) -> list[Collateral]:
    """Every revision of asset ``item_id``, oldest first (as ``Collateral`` values)."""
    with ctx.db.read() as s:
        item = collateral.collateral_item(s, item_id)
        if item is None:
            raise NotFound(msg("Không có tài sản bảo đảm số {item_id}", item_id=item_id))
        return [_view(item, r) for r in collateral.collateral_history(s, item_id)]


def of_application(ctx: Context, application_id: int) -> list[Collateral]:
    """The assets pledged for an application (and for the loan contracted from it)."""
    with ctx.db.read() as s:
        app = lending_store.application(s, application_id)
        loans = [app.loan_id] if app is not None and app.loan_id else []
        return [_view(i, r) for i, r in collateral.collateral_rows(s, application_ids=[application_id], loan_ids=loans)]


def _loan_ids(s, loan_no: str) -> tuple[int, list[int]]:
    record = lending_store.loan_by_no(s, loan_no)
    if record is None:
        raise missing_loan(s, loan_no)
    apps = [a.id for a in lending_store.applications(s) if a.loan_id == record.id]
    return record.id, apps


def of_loan(ctx: Context, loan_no: str) -> list[Collateral]:
    """The assets of loan ``loan_no``: pledged for it or for the application it was contracted from."""
    with ctx.db.read() as s:
        loan_id, apps = _loan_ids(s, loan_no)
        return [_view(i, r) for i, r in collateral.collateral_rows(s, application_ids=apps, loan_ids=[loan_id])]


def pledged_value(items: list[Collateral]) -> int:
    """Sum of the values (đồng) of the assets still pledged."""
    return sum(c.value for c in items if c.status == "pledged")


def loan_coverage(ctx: Context, loan_no: str, as_of: date | None = None) -> Coverage:
    """Pledged value ÷ the loan's principal outstanding at the end of ``as_of`` (default today), as the engine gives it.
    Raises ``NotFound``, ``ValidationError`` for an ``as_of`` after the book's today (``loans.loan_view``)."""
    from .loans import loan_view

    view = loan_view(ctx, loan_no, as_of or ctx.today())
    value = pledged_value(of_loan(ctx, loan_no))
    base = view.balances.principal_outstanding
    return Coverage(value, base, coverage_percent(value, base))


@dataclass(frozen=True)
class OutstandingCoverage:
    """The loan page's coverage (issue 16): ``pledged`` (đồng, assets still pledged, ``assets`` of them) against the
    principal ``outstanding`` (đồng) as the page shows it; ``percent`` rounded half up to 2 places (None when nothing
    is outstanding); ``below`` when the exact coverage is under the setting ``threshold`` (%); ``items`` counts every
    asset, released or enforced included (0: the loan has no collateral at all)."""

    pledged: int
    outstanding: int
    percent: Decimal | None
    threshold: Decimal
    below: bool
    assets: int
    items: int


def outstanding_coverage(ctx: Context, loan_id: int, outstanding: int) -> OutstandingCoverage:
    """Coverage of loan ``loan_id``'s principal ``outstanding`` (đồng, from the page's own view: no replay here) by its
    pledged collateral, as ``coverage_report`` counts it (value ÷ outstanding, the threshold setting
    ``coverage_threshold_percent``): one statement for the assets, one key read for the threshold."""
    from .settings import FundSettings

    with ctx.db.read() as s:
        assets = collateral.loan_assets(s, loan_id)
        stored = office_store.setting(s, "coverage_threshold_percent")
    try:
        threshold = Decimal(stored or FundSettings.coverage_threshold_percent)
    except ArithmeticError:  # a damaged setting: the default, as load_settings would
        threshold = Decimal(FundSettings.coverage_threshold_percent)
    pledged = [value for value, status in assets if status == "pledged"]
    value = sum(pledged)
    return OutstandingCoverage(value, outstanding, coverage_percent(value, outstanding), threshold,
                               below_threshold(value, outstanding, threshold), len(pledged), len(assets))


@dataclass(frozen=True)
class CoverageLine:
    """A loan of the portfolio list: its pledged value and outstanding (đồng), coverage %, and assets due for
    revaluation (their descriptions)."""

    loan_no: str
    borrower_name: str
    outstanding: int
    pledged: int
    percent: Decimal | None
    below: bool
    revalue: tuple[str, ...]


def coverage_report(ctx: Context, as_of: date | None = None) -> list[CoverageLine]:
    """Loans with principal outstanding on ``as_of`` whose coverage is under the setting ``coverage_threshold_percent``
    or that hold an asset valued ``revaluation_months`` ago or more (or never valued). By loan number. Raises
    ``ValidationError`` for an ``as_of`` after the book's today, before any loan is read
    (``clock.refuse_future_figures``)."""
    from .loans import loan_view
    from .queries import list_loans

    as_of = as_of or ctx.today()
    refuse_future_figures(ctx, as_of)
    settings = load_settings(ctx)
    threshold = Decimal(settings.coverage_threshold_percent)
    with ctx.db.read() as s:
        every = collateral.collateral_rows(s, every=True)
        app_loan = {a.id: a.loan_id for a in lending_store.applications(s)}
        s.expunge_all()  # the assets keep their values past the read's rollback
    by_loan: dict[int, list[Collateral]] = {}
    for item, rev in every:
        loan_id = item.loan_id or app_loan.get(item.application_id)
        if loan_id is not None:
            by_loan.setdefault(loan_id, []).append(_view(item, rev))
    out = []
    for row in sorted(list_loans(ctx), key=lambda r: r.loan_no):
        view = loan_view(ctx, row.loan_no, as_of)
        base = view.balances.principal_outstanding
        if base <= 0:
            continue
        items = by_loan.get(view.id, [])
        value = pledged_value(items)
        revalue = tuple(c.description for c in items
                        if c.status == "pledged" and revaluation_due(c.valued_on, as_of, settings.revaluation_months))
        below = below_threshold(value, base, threshold)
        if below or revalue:
            out.append(CoverageLine(view.loan_no, view.borrower_name, base, value, coverage_percent(value, base), below,
                                    revalue))
    return out


# -- interchange: the optional file/sheet ``collateral`` ------------------------------------------------------------
COLUMNS = ("loan_no", "kind", "description", "owner", "value", "valued_on", "registration_no", "registered_on",
           "status", "status_on", "note")


def export_rows(ctx: Context) -> list[dict[str, str]]:
    """Every asset of a loan as it stands, one dict of text per row with ``COLUMNS`` (dates ISO, value in đồng),
    by loan number then asset id: the ``collateral`` file of a book folder or sheet of a workbook."""
    with ctx.db.read() as s:
        numbers = {v: k for k, v in lending_store.loan_numbers(s).items()}
        app_loan = {a.id: a.loan_id for a in lending_store.applications(s)}
        rows = []
        for item, rev in collateral.collateral_rows(s, every=True):
            loan_id = item.loan_id or app_loan.get(item.application_id)
            if loan_id is None:
                continue  # an application not yet contracted: not part of the loan book's interchange
            c = _view(item, rev)
            rows.append({"loan_no": numbers[loan_id], "kind": c.kind, "description": c.description, "owner": c.owner,
                         "value": str(c.value), "valued_on": c.valued_on.isoformat() if c.valued_on else "",
                         "registration_no": c.registration_no,
                         "registered_on": c.registered_on.isoformat() if c.registered_on else "",
                         "status": c.status, "status_on": c.status_on.isoformat() if c.status_on else "",
                         "note": c.note})
    return sorted(rows, key=lambda r: r["loan_no"])


def write_csv(ctx: Context, path) -> int:
    """Write ``export_rows`` to ``path`` as ``collateral.csv`` of a book folder (UTF-8, header ``COLUMNS``);
    ``fundapp import FOLDER`` reads it back. Returns the number of rows."""
    import csv
    from pathlib import Path

    rows = export_rows(ctx)
    with open(Path(path), "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
