"""The plain values a Word paper prints (issue 16): the fund, the borrower, the loan's terms and schedule, the
tranche, the application and the collateral, as text ("1.330.000.000", in words, dd/mm/yyyy) keyed by the tags of
``services.templates.SCHEMAS``. No number is taken here: ``document_number`` is the draft's ("bản nháp, chưa cấp
số"); ``services.paper_issue`` takes the register's number at issue.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from fundapp.domain.collateral import coverage_percent
from fundapp.domain.figures import schedule_totals
from fundapp.domain.messages import N_, msg
from fundapp.domain.terms import METHOD_LABELS_VI
from fundapp.domain.tranches import disbursed_through, undisbursed
from fundapp.domain.words import amount_in_words, date_in_words
from fundapp.formatting import decimal_vi, group_thousands, local_time, long_date, rate, short_date, vnd
from fundapp.ledger import lending_store

from . import collateral as collateral_service
from .context import Context
from .errors import NotFound, UserFacingError
from .settings import FundSettings, load_settings
from .templates import SCHEMAS, known_kind


# -- the context ------------------------------------------------------------------------------------------------
def _money(v: int) -> str:
    return group_thousands(v)


def _words(v: int, settings: FundSettings) -> str:
    return amount_in_words(v, zero_tens=settings.zero_tens)


def _date_keys(prefix: str, d: date | None) -> dict[str, str]:
    return {prefix: short_date(d), f"{prefix}_words": date_in_words(d) if d else ""}


CONTRACT_TIME_KINDS = ("contract", "appraisal", "decision")  # papers of the loan as granted: the contract's terms


def _fund_keys(settings: FundSettings, on: date) -> dict[str, str]:
    deputy = settings.deputy_signs and settings.deputy_director
    return {
        "fund_parent_body": settings.parent_body, "fund_name": settings.fund_name,
        "fund_abbreviation": settings.abbreviation, "fund_address": settings.address, "fund_phone": settings.phone,
        "place": settings.place, "director": settings.director, "deputy_director": settings.deputy_director,
        "chief_accountant": settings.chief_accountant, "preparer": settings.preparer,
        "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" if deputy else "GIÁM ĐỐC",
        "signer_name": settings.deputy_director if deputy else settings.director,
        "date": short_date(on), "date_long": long_date(on, settings.place), "date_words": date_in_words(on),
    }


def _borrower_keys(ctx: Context, borrower_id: int) -> dict[str, str]:
    from fundapp.domain.borrowers import kind_label

    with ctx.db.read() as s:
        b = lending_store.borrower(s, borrower_id)
        address = ", ".join(p for p in (b.address, b.ward, b.district, b.province) if p)
        return {"borrower_code": b.code, "borrower_name": b.name, "borrower_kind": kind_label(b.kind),
                "borrower_tax_code": b.tax_code or "", "borrower_representative": b.representative or "",
                "borrower_phone": b.phone or "", "borrower_address": address}


def _terms_keys(terms, settings: FundSettings) -> dict[str, str]:
    return {"amount": _money(terms.amount), "amount_words": _words(terms.amount, settings),
            "rate": rate(terms.rate, str(terms.rate_unit)),
            "overdue_factor": f"{decimal_vi(terms.overdue_factor * 100)} %",  # 1,125 → «112,5 %», as the PDF
            "late_interest_rate": rate(terms.late_interest_rate),
            "term_months": str(terms.term_months), "frequency_months": str(terms.frequency_months),
            "method": METHOD_LABELS_VI.get(terms.method, str(terms.method)), "grace_periods": str(terms.grace_periods)}


def _collateral_keys(items, base: int, settings: FundSettings) -> dict[str, object]:
    rows = [{"no": str(n), "kind": c.kind_label, "description": c.description, "owner": c.owner,
             "value": _money(c.value), "valuation_date": short_date(c.valued_on), "registration_no": c.registration_no,
             "registration_date": short_date(c.registered_on), "status": c.status_label}
            for n, c in enumerate(items, 1)]
    total = collateral_service.pledged_value(items)
    cover = coverage_percent(total, base)
    return {"collateral": rows, "collateral_total": _money(total), "collateral_total_words": _words(total, settings),
            "coverage": f"{decimal_vi(cover, 2)} %" if cover is not None else ""}


def loan_context(ctx: Context, kind: str, loan_no: str, reference: str | None = None,
                 on: date | None = None) -> dict[str, object]:
    """The plain-text values a template of ``kind`` prints for loan ``loan_no`` (see ``SCHEMAS``): amounts grouped
    "1.330.000.000" and in words, dates dd/mm/yyyy and in words, the schedule (as the engine gives it today) and the
    collateral. ``reference``: the tranche of an acknowledgment. ``document_number`` is the draft's (no number
    taken). Raises NotFound / UserFacingError."""
    return dated_loan_context(ctx, kind, loan_no, reference, on)[0]


def _draft_number(kind: str, reference: str, settings: FundSettings) -> str:
    """The draft's ``document_number``: the paper's own reference, the kind's code and "bản nháp, chưa cấp số"."""
    from .document_register import DOC_KINDS

    return f"{reference or '……'}/{DOC_KINDS[kind]}-{settings.abbreviation} ({DRAFT})"


DRAFT = "bản nháp, chưa cấp số"


class _ApplicationRow(NamedTuple):
    """What a loan paper reads of the loan's application, copied out of the unit of work (issue 13.3: named, not
    positional): amounts in đồng, ``received_on`` a date, ``appraised_at`` / ``decided_at`` aware UTC datetimes or
    None, ``approved_amount`` None until approved."""

    requested_amount: int
    plan_total: int
    own_capital: int
    received_on: date
    appraisal_notes: str
    appraised_by: str
    approved_amount: int | None
    appraised_at: datetime | None
    decided_at: datetime | None


def dated_loan_context(ctx: Context, kind: str, loan_no: str, reference: str | None = None,
                  on: date | None = None) -> tuple[dict[str, object], date]:
    """``loan_context`` and the paper's date (contract, tranche, appraisal, decision or settlement date): the date the
    paper is issued on. Raises as ``loan_context``."""
    from .loans import loan_view

    known_kind(kind)
    settings = load_settings(ctx)
    view = loan_view(ctx, loan_no, on or ctx.today())
    if kind == "release":
        _refuse_release_before_settlement(loan_no, view)
    with ctx.db.read() as s:
        record = lending_store.loan_by_no(s, loan_no)
        app = next((a for a in lending_store.applications(s) if a.loan_id == record.id), None)
        app_values = None if app is None else _ApplicationRow(
            app.requested_amount, app.plan_total, app.own_capital, app.received_on, app.appraisal_notes,
            app.appraised_by, app.approved_amount, app.appraised_at, app.decided_at)
    items = collateral_service.of_loan(ctx, loan_no)
    terms = view.terms
    schedule = [{"no": str(i.no), "due_date": short_date(i.due_on), "principal": _money(i.principal),
                 "interest": _money(i.interest), "total": _money(i.total)} for i in view.schedule]
    sp, si, st = schedule_totals(view.schedule)
    out: dict[str, object] = {
        **_borrower_keys(ctx, view.borrower_id), **_terms_keys(terms, settings),
        "number": loan_no, "loan_no": loan_no, "purpose": view.purpose, "sector": view.sector,
        **_date_keys("contract_date", view.contract_date),
        "first_due": short_date(view.schedule[0].due_on) if view.schedule else "",
        "last_due": short_date(view.schedule[-1].due_on) if view.schedule else "",
        "schedule": schedule, "schedule_principal": _money(sp), "schedule_interest": _money(si),
        "schedule_total": _money(st),
    }
    if kind not in CONTRACT_TIME_KINDS:  # the term and grace the schedule above runs on (DOMAIN.md "Restructuring")
        in_force = view.terms_in_force
        out.update({"term_months": str(in_force.term_months), "grace_periods": str(in_force.grace_periods)})
    requested = app_values.requested_amount if app_values else terms.amount
    doc_date = view.contract_date or ctx.today()
    if kind == "acknowledgment":
        tranches = [h for h in view.history if h.kind == "disbursement" and h.reversed_by is None]
        tranche = next((h for h in tranches if reference and h.reference == reference), None)
        if tranche is None:
            raise NotFound(
                msg("Khoản vay {loan_no} không có lần giải ngân nào số chứng từ «{reference}»",
                    loan_no=loan_no, reference=reference or ""))
        done = disbursed_through(tranches, tranche)
        doc_date = tranche.on
        out.update({"number": f"{loan_no}/{tranches.index(tranche) + 1:02d}",
                    "tranche_no": str(tranches.index(tranche) + 1), "tranche_reference": tranche.reference or "",
                    **_date_keys("tranche_date", tranche.on), "tranche_amount": _money(tranche.amount),
                    "tranche_amount_words": _words(tranche.amount, settings), "disbursed_total": _money(done),
                    "disbursed_total_words": _words(done, settings), "undisbursed": _money(undisbursed(terms.amount, done))})
        out.update(_collateral_keys(items, view.balances.principal_outstanding or terms.amount, settings))
    else:
        out.update(_collateral_keys(items, requested, settings))
    if kind == "appraisal":
        plan, own = (app_values.plan_total, app_values.own_capital) if app_values else (0, 0)
        if app_values and app_values.appraised_at:
            doc_date = local_time(app_values.appraised_at).date()  # the officer's day, not UTC's
        out.update({"requested_amount": _money(requested), "requested_amount_words": _words(requested, settings),
                    "plan_total": _money(plan), "own_capital": _money(own),
                    "own_capital_share": f"{decimal_vi(coverage_percent(own, plan), 2)} %" if plan else "",
                    "received_date": short_date(app_values.received_on if app_values else view.contract_date),
                    "appraisal_notes": app_values.appraisal_notes if app_values else "",
                    "appraised_by": app_values.appraised_by if app_values else ""})
    if kind == "decision":
        approved = (app_values.approved_amount if app_values and app_values.approved_amount else terms.amount)
        if app_values and app_values.decided_at:
            doc_date = local_time(app_values.decided_at).date()
        out.update({"requested_amount": _money(requested), "requested_amount_words": _words(requested, settings),
                    "approved_amount": _money(approved), "approved_amount_words": _words(approved, settings)})
    if kind == "release":
        doc_date = view.closed_on or ctx.today()
        out.update(_date_keys("settled_date", view.closed_on))
    out.update(_fund_keys(settings, doc_date))
    out["document_number"] = _draft_number(kind, str(out["number"]), settings)
    return out, doc_date


def _refuse_release_before_settlement(loan_no: str, view) -> None:
    """A release letter (thông báo giải chấp) says the loan is settled: a loan not settled (no settlement date, as
    one still owing principal or interest) is refused naming it and what it owes at ``view``'s day, before any
    number is taken (DOMAIN.md "A repayment on day t": settled and closed when nothing remains owed; issue 16)."""
    if view.closed_on is not None:
        return
    b = view.balances
    raise UserFacingError(msg("Khoản vay {loan} chưa tất toán (ngày {on} còn dư nợ gốc {principal}, lãi {interest}): "
                              "thông báo giải chấp chỉ lập được sau khi tất toán", loan=loan_no,
                              on=short_date(b.as_of), principal=vnd(b.principal_outstanding),
                              interest=vnd(b.total_interest)))


def application_context(ctx: Context, kind: str, application_id: int) -> dict[str, object]:
    """The values of an appraisal report or approval decision for application ``application_id`` before it is
    contracted (once contracted, ``loan_context`` of its loan is the same and more): requested amount, plan, own
    capital, the approved terms where approved, the collateral and its coverage of the requested amount. The
    schedule is empty (no loan yet). Raises NotFound / UserFacingError for another kind."""
    from .applications import get_application

    if known_kind(kind) not in ("appraisal", "decision"):
        raise UserFacingError(N_("Hồ sơ vay chưa ký hợp đồng chỉ in được tờ trình thẩm định và quyết định cho vay"))
    settings = load_settings(ctx)
    app = get_application(ctx, application_id)
    approved = app.approved_amount or app.requested_amount
    t = app.approved_terms or {}
    out: dict[str, object] = {key: "" for key in SCHEMAS[kind] if SCHEMAS[kind][key] is None}
    out.update({
        **_borrower_keys(ctx, app.borrower_id), "number": "", "loan_no": "", "purpose": app.purpose,
        "sector": app.sector, "amount": _money(approved), "amount_words": _words(approved, settings),
        "rate": rate(t["rate"], t.get("rate_unit", "year")) if t.get("rate") else "",
        "term_months": str(t.get("term_months", "")), "frequency_months": str(t.get("frequency_months", "")),
        "method": METHOD_LABELS_VI.get(t.get("method", ""), "") if t else "",
        "grace_periods": str(t.get("grace_periods", "")), "schedule": [],
        "schedule_principal": "0", "schedule_interest": "0", "schedule_total": "0",
        "requested_amount": _money(app.requested_amount),
        "requested_amount_words": _words(app.requested_amount, settings),
    })
    out.update(_collateral_keys(collateral_service.of_application(ctx, application_id), app.requested_amount, settings))
    if kind == "appraisal":
        out.update({"plan_total": _money(app.plan_total), "own_capital": _money(app.own_capital),
                    "own_capital_share": (f"{decimal_vi(coverage_percent(app.own_capital, app.plan_total), 2)} %"
                                          if app.plan_total else ""),
                    "received_date": short_date(app.received_on), "appraisal_notes": app.appraisal_notes,
                    "appraised_by": app.appraised_by})
    else:
        out.update({"approved_amount": _money(approved), "approved_amount_words": _words(approved, settings)})
    out.update(_fund_keys(settings, ctx.today()))
    out["document_number"] = _draft_number(kind, "", settings)
    return out
