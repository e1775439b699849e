"""The fund's Word templates (issue 16): which papers exist (``KINDS``), the tags each may hold (``SCHEMAS``), the
template in use, and the fund's own template checked and installed or the default restored.

A default template of each kind ships in ``resources/templates/`` (built by ``scripts/build_templates.py``). The
fund may replace one with its own .docx (``install_template``): its tags are checked against ``SCHEMAS`` first and a
template with an unknown or misspelt tag is refused naming it; ``restore_default`` goes back. A replaced template is
kept in the book (setting ``template_<kind>``, base64), so every officer of a shared book prints the same one.
The values a paper prints are ``services.paper_values``; rendering and issuing them is ``services.paper_issue``.
"""

from __future__ import annotations

import base64
import binascii
import io

from fundapp.domain.messages import N_, msg
from fundapp.i18n import render
from fundapp.ledger import office_store
from fundapp.resources import resource_path

from .context import Context
from .errors import UserFacingError, ValidationError

KINDS = ("contract", "acknowledgment", "appraisal", "decision", "release")  # names: document_register.DOC_KIND_LABELS

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


def known_kind(kind: str) -> str:
    """``kind`` itself when it is one of ``KINDS``; raises UserFacingError naming it otherwise."""
    if kind not in KINDS:
        raise UserFacingError(msg("Không có loại văn bản mẫu «{kind}»", kind=kind))
    return kind


def default_template(kind: str) -> bytes:
    """The shipped template of ``kind`` (bytes of resources/templates/<kind>.docx)."""
    return resource_path("templates", f"{known_kind(kind)}.docx").read_bytes()


def template(ctx: Context, kind: str) -> bytes:
    """The template in use for ``kind``: the fund's own if it installed one, else the default."""
    with ctx.db.read() as s:
        stored = office_store.settings(s).get(f"template_{known_kind(kind)}", "")
    if stored:
        try:
            return base64.b64decode(stored, validate=True)
        except binascii.Error:
            pass  # a damaged setting: print with the default rather than fail
    return default_template(kind)


def is_custom(ctx: Context, kind: str) -> bool:
    """True when the fund replaced the default template of ``kind``."""
    with ctx.db.read() as s:
        return bool(office_store.settings(s).get(f"template_{known_kind(kind)}", ""))


def check_template(kind: str, data: bytes) -> list[str]:
    """Vietnamese sentences naming each unknown or misspelt tag of ``data`` (a .docx) for ``kind``; [] if usable."""
    from fundapp.documents.word import check_template as check

    return check(data, SCHEMAS[known_kind(kind)])


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
        office_store.set_setting(s, f"template_{kind}", base64.b64encode(data).decode("ascii"))
        office_store.audit(s, ctx.user, "template install", f"{kind}: {len(data)} bytes")
    return template_warnings(data)


def restore_default(ctx: Context, kind: str) -> None:
    """Go back to the shipped template of ``kind`` (right «thay đổi cài đặt», issue 14)."""
    from .rights import require

    require(ctx, "settings")
    with ctx.db.unit() as s:
        office_store.set_setting(s, f"template_{known_kind(kind)}", "")
        office_store.audit(s, ctx.user, "template restore", kind)
