"""The fund's own Word papers (issue 16): credit contract, debt acknowledgment per tranche, appraisal report, approval
decision and the collateral release letter, rendered from .docx templates (docxtpl) fed by the book's plain values.

A paper saved as .docx/PDF is issued: it takes its number from the register of issued documents
(``services.documents.take_numbers``: gap-free per code and year, given at issue) and prints it in the tag
``{{ document_number }}`` ("01/HĐTD-QHT"); a draft (``render_loan_paper``) takes none and says so in that tag.

A default template of each kind ships in ``resources/templates/`` (built by ``scripts/build_templates.py``). The
fund may replace one with its own .docx (``install_template``): its tags are checked against ``SCHEMAS`` first and a
template with an unknown or misspelt tag is refused naming it; ``restore_default`` goes back. A replaced template is
kept in the book (setting ``template_<kind>``, base64), so every officer of a shared book prints the same one.
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fundapp.domain.collateral import coverage_percent
from fundapp.domain.messages import N_, msg
from fundapp.domain.terms import METHOD_LABELS_VI
from fundapp.domain.words import amount_in_words, date_in_words
from fundapp.formatting import decimal_vi, group_thousands, long_date, percent, rate, short_date
from fundapp.i18n import render
from fundapp.ledger import store
from fundapp.resources import resource_path

from . import collateral as collateral_service
from .errors import NotFound, UserFacingError, ValidationError
from .portfolio import Context
from .settings import FundSettings, load_settings

KINDS = {
    "contract": ("Hợp đồng tín dụng", "Credit contract"),
    "acknowledgment": ("Khế ước nhận nợ", "Debt acknowledgment"),
    "appraisal": ("Tờ trình thẩm định", "Appraisal report"),
    "decision": ("Quyết định cho vay", "Approval decision"),
    "release": ("Thông báo giải chấp tài sản bảo đảm", "Collateral release letter"),
}

SCHEDULE_ROW = ("no", "due_date", "principal", "interest", "total")
COLLATERAL_ROW = ("no", "kind", "description", "owner", "value", "valuation_date", "registration_no",
                  "registration_date", "status")
COMMON = (
    "fund_parent_body", "fund_name", "fund_abbreviation", "fund_address", "fund_phone", "place",
    "director", "deputy_director", "chief_accountant", "preparer", "signer_title", "signer_name",
    "number", "document_number", "date", "date_long", "date_words",
    "borrower_code", "borrower_name", "borrower_kind", "borrower_tax_code", "borrower_representative",
    "borrower_phone", "borrower_address",
    "loan_no", "purpose", "sector", "amount", "amount_words", "rate", "overdue_factor", "late_interest_rate",
    "term_months", "frequency_months", "method", "grace_periods", "contract_date", "contract_date_words",
    "first_due", "last_due", "schedule_principal", "schedule_interest", "schedule_total",
    "collateral_total", "collateral_total_words", "coverage",
)
EXTRA = {
    "contract": (),
    "acknowledgment": ("tranche_no", "tranche_reference", "tranche_date", "tranche_date_words", "tranche_amount",
                       "tranche_amount_words", "disbursed_total", "disbursed_total_words", "undisbursed"),
    "appraisal": ("requested_amount", "requested_amount_words", "plan_total", "own_capital", "own_capital_share",
                  "received_date", "appraisal_notes", "appraised_by"),
    "decision": ("requested_amount", "requested_amount_words", "approved_amount", "approved_amount_words"),
    "release": ("settled_date", "settled_date_words"),
}
SCHEMAS: dict[str, dict[str, tuple[str, ...] | None]] = {
    kind: {**dict.fromkeys(COMMON + EXTRA[kind]), "schedule": SCHEDULE_ROW, "collateral": COLLATERAL_ROW}
    for kind in KINDS
}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise UserFacingError(msg("Không có loại văn bản mẫu «{kind}»", kind=kind))
    return kind


def default_template(kind: str) -> bytes:
    """The shipped template of ``kind`` (bytes of resources/templates/<kind>.docx)."""
    return resource_path("templates", f"{_kind(kind)}.docx").read_bytes()


def template(ctx: Context, kind: str) -> bytes:
    """The template in use for ``kind``: the fund's own if it installed one, else the default."""
    with ctx.db.unit() as s:
        stored = store.settings(s).get(f"template_{_kind(kind)}", "")
    if stored:
        try:
            return base64.b64decode(stored, validate=True)
        except binascii.Error:
            pass  # a damaged setting: print with the default rather than fail
    return default_template(kind)


def is_custom(ctx: Context, kind: str) -> bool:
    """True when the fund replaced the default template of ``kind``."""
    with ctx.db.unit() as s:
        return bool(store.settings(s).get(f"template_{_kind(kind)}", ""))


def check_template(kind: str, data: bytes) -> list[str]:
    """Vietnamese sentences naming each unknown or misspelt tag of ``data`` (a .docx) for ``kind``; [] if usable."""
    from fundapp.documents.word import check_template as check

    return check(data, SCHEMAS[_kind(kind)])


def template_warnings(data: bytes) -> list[str]:
    """Vietnamese sentences about a usable template ``data`` (a .docx) that the fund should still know: it has no
    ``{{ document_number }}`` tag, so the number the register gives at issue is not printed on the paper. []
    when it has the tag (or cannot be read: ``check_template`` names that)."""
    from docxtpl import DocxTemplate

    try:
        names = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except Exception:  # an unreadable file is check_template's refusal, not a warning
        return []
    if "document_number" in names:
        return []
    return [render(msg(NO_NUMBER_TAG))]


NO_NUMBER_TAG = N_("Mẫu không có thẻ số giấy tờ «document_number» (viết trong Word giữa hai cặp ngoặc nhọn): số cấp "
                   "trong sổ đăng ký tài liệu sẽ không in trên giấy (vẫn ghi trong sổ đăng ký)")


def install_template(ctx: Context, kind: str, data: bytes) -> list[str]:
    """Use the fund's own .docx ``data`` for ``kind`` from now on, after checking its tags.
    Returns the warnings of a usable template (``template_warnings``: no ``{{ document_number }}`` tag), [] when
    none. Raises ValidationError listing every bad tag by name (nothing is stored then); RightRefused without the
    right «thay đổi cài đặt» (issue 14)."""
    from .rights import require

    require(ctx, "settings")
    problems = check_template(kind, data)
    if problems:
        raise ValidationError(msg("Mẫu không dùng được: {problems}", problems="; ".join(problems)), field="template")
    with ctx.db.unit() as s:
        store.set_setting(s, f"template_{kind}", base64.b64encode(data).decode("ascii"))
        store.audit(s, ctx.user, "template install", f"{kind}: {len(data)} bytes")
    return template_warnings(data)


def restore_default(ctx: Context, kind: str) -> None:
    """Go back to the shipped template of ``kind`` (right «thay đổi cài đặt», issue 14)."""
    from .rights import require

    require(ctx, "settings")
    with ctx.db.unit() as s:
        store.set_setting(s, f"template_{_kind(kind)}", "")
        store.audit(s, ctx.user, "template restore", kind)


# -- the context ------------------------------------------------------------------------------------------------
def _money(v: int) -> str:
    return group_thousands(v)


def _words(v: int, settings: FundSettings) -> str:
    return amount_in_words(v, zero_tens=settings.zero_tens)


def _date_keys(prefix: str, d: date | None) -> dict[str, str]:
    return {prefix: short_date(d), f"{prefix}_words": date_in_words(d) if d else ""}


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

    with ctx.db.unit() as s:
        b = store.borrower(s, borrower_id)
        address = ", ".join(p for p in (b.address, b.ward, b.district, b.province) if p)
        return {"borrower_code": b.code, "borrower_name": b.name, "borrower_kind": kind_label(b.kind),
                "borrower_tax_code": b.tax_code or "", "borrower_representative": b.representative or "",
                "borrower_phone": b.phone or "", "borrower_address": address}


def _terms_keys(terms, settings: FundSettings) -> dict[str, str]:
    return {"amount": _money(terms.amount), "amount_words": _words(terms.amount, settings),
            "rate": rate(terms.rate, str(terms.rate_unit)),
            "overdue_factor": percent(terms.overdue_factor * 100, 0),
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


@dataclass(frozen=True)
class WordPaper:
    """A rendered paper: the .docx bytes, the context it was filled with (plain text) and a file-name subject."""

    kind: str
    subject: str
    context: dict
    docx: bytes


def loan_context(ctx: Context, kind: str, loan_no: str, reference: str | None = None,
                 on: date | None = None) -> dict[str, object]:
    """The plain-text values a template of ``kind`` prints for loan ``loan_no`` (see ``SCHEMAS``): amounts grouped
    "1.330.000.000" and in words, dates dd/mm/yyyy and in words, the schedule (as the engine gives it today) and the
    collateral. ``reference``: the tranche of an acknowledgment. ``document_number`` is the draft's (no number
    taken). Raises NotFound / UserFacingError."""
    return _loan_context(ctx, kind, loan_no, reference, on)[0]


def _draft_number(kind: str, reference: str, settings: FundSettings) -> str:
    """The draft's ``document_number``: the paper's own reference, the kind's code and "bản nháp, chưa cấp số"."""
    from .document_register import DOC_KINDS

    return f"{reference or '……'}/{DOC_KINDS[kind]}-{settings.abbreviation} ({DRAFT})"


DRAFT = "bản nháp, chưa cấp số"


def _loan_context(ctx: Context, kind: str, loan_no: str, reference: str | None = None,
                  on: date | None = None) -> tuple[dict[str, object], date]:
    """``loan_context`` and the paper's date (contract, tranche, appraisal, decision or settlement date)."""
    from .loans import loan_view

    _kind(kind)
    settings = load_settings(ctx)
    view = loan_view(ctx, loan_no, on or ctx.today())
    with ctx.db.unit() as s:
        record = store.loan_by_no(s, loan_no)
        app = next((a for a in store.applications(s) if a.loan_id == record.id), None)
        app_values = None if app is None else (app.requested_amount, app.plan_total, app.own_capital, app.received_on,
                                               app.appraisal_notes, app.appraised_by, app.approved_amount,
                                               app.appraised_at, app.decided_at)
    items = collateral_service.of_loan(ctx, loan_no)
    terms = view.terms
    schedule = [{"no": str(i.no), "due_date": short_date(i.due_on), "principal": _money(i.principal),
                 "interest": _money(i.interest), "total": _money(i.principal + i.interest)} for i in view.schedule]
    sp, si = sum(i.principal for i in view.schedule), sum(i.interest for i in view.schedule)
    out: dict[str, object] = {
        **_borrower_keys(ctx, view.borrower_id), **_terms_keys(terms, settings),
        "number": loan_no, "loan_no": loan_no, "purpose": view.purpose, "sector": view.sector,
        **_date_keys("contract_date", view.contract_date),
        "first_due": short_date(view.schedule[0].due_on) if view.schedule else "",
        "last_due": short_date(view.schedule[-1].due_on) if view.schedule else "",
        "schedule": schedule, "schedule_principal": _money(sp), "schedule_interest": _money(si),
        "schedule_total": _money(sp + si),
    }
    requested = app_values[0] if app_values else terms.amount
    doc_date = view.contract_date or ctx.today()
    if kind == "acknowledgment":
        tranches = [h for h in view.history if h.kind == "disbursement" and h.reversed_by is None]
        tranche = next((h for h in tranches if reference and h.reference == reference), None)
        if tranche is None:
            raise NotFound(
                msg("Khoản vay {loan_no} không có lần giải ngân nào số chứng từ «{reference}»",
                    loan_no=loan_no, reference=reference or ""))
        done = sum(h.amount for h in tranches if (h.on, h.id) <= (tranche.on, tranche.id))
        doc_date = tranche.on
        out.update({"number": f"{loan_no}/{tranches.index(tranche) + 1:02d}",
                    "tranche_no": str(tranches.index(tranche) + 1), "tranche_reference": tranche.reference or "",
                    **_date_keys("tranche_date", tranche.on), "tranche_amount": _money(tranche.amount),
                    "tranche_amount_words": _words(tranche.amount, settings), "disbursed_total": _money(done),
                    "disbursed_total_words": _words(done, settings), "undisbursed": _money(terms.amount - done)})
        out.update(_collateral_keys(items, view.balances.principal_outstanding or terms.amount, settings))
    else:
        out.update(_collateral_keys(items, requested, settings))
    if kind == "appraisal":
        plan, own = (app_values[1], app_values[2]) if app_values else (0, 0)
        if app_values and app_values[7]:
            doc_date = app_values[7].date()
        out.update({"requested_amount": _money(requested), "requested_amount_words": _words(requested, settings),
                    "plan_total": _money(plan), "own_capital": _money(own),
                    "own_capital_share": f"{decimal_vi(coverage_percent(own, plan), 2)} %" if plan else "",
                    "received_date": short_date(app_values[3] if app_values else view.contract_date),
                    "appraisal_notes": app_values[4] if app_values else "",
                    "appraised_by": app_values[5] if app_values else ""})
    if kind == "decision":
        approved = (app_values[6] if app_values and app_values[6] else terms.amount)
        if app_values and app_values[8]:
            doc_date = app_values[8].date()
        out.update({"requested_amount": _money(requested), "requested_amount_words": _words(requested, settings),
                    "approved_amount": _money(approved), "approved_amount_words": _words(approved, settings)})
    if kind == "release":
        doc_date = view.closed_on or ctx.today()
        out.update(_date_keys("settled_date", view.closed_on))
    out.update(_fund_keys(settings, doc_date))
    out["document_number"] = _draft_number(kind, str(out["number"]), settings)
    return out, doc_date


def render_loan_paper(ctx: Context, kind: str, loan_no: str, reference: str | None = None) -> WordPaper:
    """The draft .docx of ``kind`` for loan ``loan_no`` from the template in use (``reference``: the tranche of an
    acknowledgment): no number is taken, ``{{ document_number }}`` says "bản nháp, chưa cấp số". Raises NotFound, or
    UserFacingError when the fund's template cannot be used."""
    context = loan_context(ctx, kind, loan_no, reference)
    return WordPaper(kind, _subject(loan_no, reference), context, _render(ctx, kind, context))


def _subject(loan_no: str, reference: str | None) -> str:
    return f"{loan_no} {reference}" if reference else loan_no


def _render(ctx: Context, kind: str, context: dict[str, object], data: bytes | None = None) -> bytes:
    from fundapp.documents.word import TemplateError, render

    try:
        return render(template(ctx, kind) if data is None else data, context, SCHEMAS[kind])
    except TemplateError as e:
        raise UserFacingError(msg("Mẫu văn bản không dùng được: {problems}", problems="; ".join(e.problems))) from None


@dataclass(frozen=True)
class IssuedPaper:
    """A Word paper issued: its register row (``register.label`` "01/HĐTD-QHT", printed in the paper), the paths
    written (.docx and/or PDF) and the warnings the officer should read (a fund's template without the number tag)."""

    register: object  # services.documents.RegisterRow
    paths: list[Path]
    warnings: list[str]


def _refuse_missing_folder(paths: list[Path]) -> None:
    for path in paths:
        folder = Path(path).parent
        if not folder.is_dir():
            raise ValidationError(msg("Thư mục «{folder}» không có: tạo thư mục đó trước hoặc chọn thư mục khác",
                                      folder=str(folder)), field="path")


def _issue(ctx: Context, kind: str, context: dict[str, object], on: date, subject: str, loan_no: str | None,
           docx_path: Path | None, pdf_path: Path | None) -> IssuedPaper:
    """Check everything that can refuse (paths, template, LibreOffice, the date), then take the number and write.
    A refused issue takes no number; a paper issued again (same kind, subject and date) keeps its number."""
    from fundapp.documents.word import to_pdf

    from .document_register import take_numbers

    paths = [p for p in (docx_path, pdf_path) if p is not None]
    if not paths:
        raise ValidationError(N_("Cần chọn tệp .docx hoặc PDF để lưu giấy tờ"), field="path")
    _refuse_missing_folder(paths)
    data = template(ctx, kind)
    _render(ctx, kind, context, data)  # a template that cannot be used is refused before a number is taken
    if pdf_path is not None and not pdf_available():
        raise UserFacingError(N_("Không tạo được PDF: máy chưa cài LibreOffice Writer (lưu tệp .docx thay thế)"))
    [row] = take_numbers(ctx, kind, [(subject, on, loan_no)])  # refuses a date after today: no number then
    docx = _render(ctx, kind, {**context, "document_number": row.label}, data)
    written = []
    if docx_path is not None:
        Path(docx_path).write_bytes(docx)
        written.append(Path(docx_path))
    if pdf_path is not None:
        pdf = to_pdf(docx)
        if pdf is None:
            raise UserFacingError(msg("Không tạo được PDF: LibreOffice Writer không chuyển được tệp (số {number} đã "
                                      "cấp; lưu lại sẽ giữ số này)", number=row.label))
        Path(pdf_path).write_bytes(pdf)
        written.append(Path(pdf_path))
    return IssuedPaper(row, written, template_warnings(data))


def issue_loan_paper(ctx: Context, kind: str, loan_no: str, docx_path: Path | None = None,
                     pdf_path: Path | None = None, reference: str | None = None) -> IssuedPaper:
    """Issue the paper ``kind`` of loan ``loan_no`` (``reference``: the tranche of an acknowledgment): the number is
    taken from the register of issued documents (gap-free per code and year, DOMAIN.md / issue 16) only once the
    paper can be made, printed in ``{{ document_number }}``, and the .docx (``docx_path``) and/or PDF (``pdf_path``,
    by LibreOffice) written. Raises NotFound; ValidationError for a missing folder, no path, or a paper dated after
    today (no number taken); UserFacingError for an unusable template or no LibreOffice for a PDF."""
    context, on = _loan_context(ctx, kind, loan_no, reference)
    return _issue(ctx, kind, context, on, _subject(loan_no, reference), loan_no, docx_path, pdf_path)


def write_loan_paper(ctx: Context, kind: str, loan_no: str, docx_path: Path | None = None, pdf_path: Path | None = None,
                     reference: str | None = None) -> list[Path]:
    """``issue_loan_paper``'s paths written (.docx and/or PDF): the paper takes its number at issue. Raises as
    ``issue_loan_paper``."""
    return issue_loan_paper(ctx, kind, loan_no, docx_path, pdf_path, reference).paths


def write_loan_draft(ctx: Context, kind: str, loan_no: str, docx_path: Path, reference: str | None = None) -> Path:
    """Write the draft .docx (no number taken, "bản nháp, chưa cấp số" where the number goes) to ``docx_path``.
    Raises as ``render_loan_paper``, ValidationError for a missing folder."""
    _refuse_missing_folder([Path(docx_path)])
    Path(docx_path).write_bytes(render_loan_paper(ctx, kind, loan_no, reference).docx)
    return Path(docx_path)


def pdf_available() -> bool:
    """True when LibreOffice Writer can convert a .docx to PDF on this computer."""
    from fundapp.documents.word import soffice

    return soffice() is not None


def application_context(ctx: Context, kind: str, application_id: int) -> dict[str, object]:
    """The values of an appraisal report or approval decision for application ``application_id`` before it is
    contracted (once contracted, ``loan_context`` of its loan is the same and more): requested amount, plan, own
    capital, the approved terms where approved, the collateral and its coverage of the requested amount. The
    schedule is empty (no loan yet). Raises NotFound / UserFacingError for another kind."""
    from .applications import get_application

    if _kind(kind) not in ("appraisal", "decision"):
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


def issue_application_paper(ctx: Context, kind: str, application_id: int, docx_path: Path | None = None,
                            pdf_path: Path | None = None) -> IssuedPaper:
    """Issue the appraisal report or approval decision of application ``application_id`` (before its contract),
    dated today, numbered from the register at issue as ``issue_loan_paper`` does. Raises as ``issue_loan_paper``."""
    context = application_context(ctx, kind, application_id)
    return _issue(ctx, kind, context, ctx.today(), f"hồ sơ vay #{application_id}", None, docx_path, pdf_path)


def write_application_paper(ctx: Context, kind: str, application_id: int, docx_path: Path | None = None,
                            pdf_path: Path | None = None) -> list[Path]:
    """The appraisal report or approval decision of an application as .docx and/or PDF, issued with its number;
    returns the paths written. Raises as ``issue_application_paper``."""
    return issue_application_paper(ctx, kind, application_id, docx_path, pdf_path).paths
