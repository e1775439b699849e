"""The fund's settings kept in the book: names for documents, signatures, limits, provision rates."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal

from fundapp.documents.model import FundInfo
from fundapp.domain.messages import N_, Message, join, msg
from fundapp.domain.numerals import AROUND, decimal_comma, to_decimal, unsigned_zero
from fundapp.domain.terms import MAX_PLACES
from fundapp.formatting import decimal_shown, plain_decimal
from fundapp.ledger import office_store

from .context import Context
from .errors import StaleEdit, ValidationError
from .loan_states import refresh_states
from .proposals import record_confirmation

_PRINTED = FundInfo()  # the printed fund's defaults are documents.model.FundInfo's, written once there


@dataclass(frozen=True)
class FundSettings:
    """Settings as plain values (strings and ints), with the defaults of a provincial fund. The fields the papers
    print (``FundInfo``'s; ``fund_name`` is its ``name``) take FundInfo's defaults, and ``fund_info`` (services.
    document_register) builds a FundInfo from them."""

    parent_body: str = _PRINTED.parent_body
    fund_name: str = _PRINTED.name
    abbreviation: str = _PRINTED.abbreviation
    province: str = "Tỉnh Quảng Trị"
    place: str = _PRINTED.place
    address: str = _PRINTED.address
    phone: str = _PRINTED.phone
    director: str = _PRINTED.director
    deputy_director: str = _PRINTED.deputy_director
    chief_accountant: str = _PRINTED.chief_accountant
    preparer: str = _PRINTED.preparer
    deputy_signs: bool = _PRINTED.deputy_signs
    charter_capital: int = 0  # vốn điều lệ thực có, đồng: Decree 45 limits need it
    single_limit_percent: str = "15"  # one customer ≤ 15 % of charter capital
    group_limit_percent: str = "25"  # with related persons ≤ 25 %
    own_capital_percent: str = "20"  # the borrower's own capital ≥ 20 % of the plan
    provision_rates: str = "0,2,25,50,100"  # % per debt group 1–5 (Decree 86/2024)
    zero_tens: str = "linh"  # "linh" or "lẻ" in amounts in words
    period_convention: str = "calendar"  # or "administrative" (Decree 09/2019)
    language: str = "vi"
    # collateral (issue 16): the coverage a loan should keep, and how often an asset is valued again
    coverage_threshold_percent: str = "100"  # % of the outstanding principal; below it the report lists the loan
    revaluation_months: int = 12
    # VietQR on notices and statements (issue 16): the fund's bank (NAPAS BIN, 6 digits) and account
    bank_bin: str = _PRINTED.bank_bin
    bank_account: str = _PRINTED.bank_account
    bank_account_name: str = _PRINTED.bank_account_name
    # the watch after a restructuring or a relief (DOMAIN.md "Restructuring on day t", item 4; issue 12): days
    watch_days: int = 90

    def provision_map(self) -> dict[int, Decimal]:
        """Debt group 1–5 → its specific provision rate in % of outstanding principal, exact (DOMAIN.md
        "Provisions and bad debt"; default 0 / 2 / 25 / 50 / 100). Raises decimal.InvalidOperation for a stored
        rate that is not a number (``save_settings`` refuses one)."""
        return {g + 1: Decimal(v) for g, v in enumerate(self.provision_rates.split(","))}


PERCENT_SETTINGS = ("single_limit_percent", "group_limit_percent", "own_capital_percent", "coverage_threshold_percent")
PROVISION_SEPARATOR = "; "  # as shown: the comma is each rate's decimal mark («0,5; 2; 25; 50; 100»)
# the label of each setting the service checks, as the Settings page shows it and as its refusals name it (a new
# officer met «Ngưỡng tỷ lệ bảo đảm» in a refusal beside the field labelled «Tỷ lệ bảo đảm tối thiểu»)
SETTING_LABELS = {
    "charter_capital": N_("Vốn điều lệ thực có (đồng)"),
    "single_limit_percent": N_("Cho vay một khách hàng tối đa (% vốn điều lệ)"),
    "group_limit_percent": N_("Một khách hàng và người có liên quan tối đa (% vốn điều lệ)"),
    "own_capital_percent": N_("Vốn đối ứng tối thiểu của khách hàng (% phương án)"),
    "provision_rates": N_("Tỷ lệ dự phòng nhóm 1–5 (%)"),
    "watch_days": N_("Theo dõi sau cơ cấu lại, miễn giảm lãi (ngày)"),
    "zero_tens": N_("Số 0 hàng chục khi đọc số tiền"),
    "bank_bin": N_("Mã ngân hàng (BIN NAPAS, 6 số)"),
    "bank_account": N_("Số tài khoản của Quỹ"),
    "coverage_threshold_percent": N_("Tỷ lệ bảo đảm tối thiểu (% dư nợ gốc)"),
    "revaluation_months": N_("Định giá lại tài sản sau (tháng)"),
    # as the settings page labels them (the audit names a change by them)
    "fund_name": N_("Tên quỹ"), "parent_body": N_("Cơ quan chủ quản"), "abbreviation": N_("Tên viết tắt"),
    "province": N_("Tỉnh"), "place": N_("Địa danh (ghi trên văn bản)"), "address": N_("Địa chỉ"),
    "phone": N_("Điện thoại"), "director": N_("Giám đốc"), "deputy_director": N_("Phó giám đốc"),
    "chief_accountant": N_("Kế toán trưởng"), "preparer": N_("Người lập biểu"),
    "deputy_signs": N_("Phó giám đốc ký thay (KT. GIÁM ĐỐC)"), "bank_account_name": N_("Tên tài khoản"),
    "period_convention": N_("Kỳ báo cáo"), "language": N_("Ngôn ngữ giao diện"),
}


def percent_text(stored: str) -> str:
    """A stored percentage as the officer reads and types it: "15.5" → "15,5", "1E-7" → "0,0000001", an older
    book's "-0" → "0" (``formatting.decimal_shown``: no exponent, the Vietnamese decimal comma, no sign on a zero);
    text that is no number as stored."""
    return decimal_shown(stored)


def percent_value(typed: str) -> str:
    """A percentage as typed ("15,5", "15.5", "1E-7", "15 %") → as stored, a dot and no exponent ("15.5",
    "0.0000001", "15"), a negative zero "0"; its decimal comma read as the program reads one everywhere
    (``numerals.decimal_comma``: «,5», «7,» too); text that is no such number («1_5», «１５»: ``_percent``) is handed
    on as typed (trimmed, any comma a dot: kept, it would separate stored provision rates), for ``save_settings`` to
    refuse naming its field."""
    text = _typed(typed)
    value = _percent(decimal_comma(text))
    return plain_decimal(value) if value is not None else text.replace(",", ".")


def _typed(text: str) -> str:
    """A percentage's text without the whitespace around it (``numerals.AROUND``: any Unicode space, as
    ``str.strip()``) and one trailing «%» the field's unit makes natural to type, after any such space («15 %»,
    «15%», «15\u202f%» → «15»)."""
    text = text.strip(AROUND)
    return text[:-1].rstrip(AROUND) if text.endswith("%") else text


_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+")  # «1.000», «12.500»: dots grouping thousands


def typed_percent(name: str, typed: str) -> str:
    """Setting ``name``'s percentage as the officer typed it on the Settings page → as stored (``percent_value``).
    Raises ValidationError (field ``name``) for a number whose dots group thousands the Vietnamese way («1.000»,
    «12.500»): read with a decimal dot it would be 1 % or 12,5 % without a word (a new officer's trial: «1.000» in
    the coverage threshold, 0–1000 %, was saved as 1 %)."""
    text = _typed(typed)
    if _GROUPED.fullmatch(text):
        raise ValidationError(msg("«{text}»: dấu chấm trong số là dấu phân cách hàng nghìn; viết {whole} nếu là {whole} "
                                  "%, hoặc dùng dấu phẩy cho phần thập phân ({comma})", text=text,
                                  whole=text.replace(".", ""), comma=text.replace(".", ",", 1).replace(".", "")),
                              field=name)
    return percent_value(text)


def typed_provision_rates(typed: str) -> str:
    """The provision rates as typed on the Settings page → as stored (``provision_rates_value``). Raises
    ValidationError (field ``provision_rates``) for a rate whose dots group thousands (``typed_percent``)."""
    for rate in _rates(typed) if ";" in typed else ():  # the old comma-separated form holds decimal dots
        typed_percent("provision_rates", rate)
    return provision_rates_value(typed)


def _rates(text: str) -> list[str]:
    """The provision rates of ``text`` one by one, each without the spaces around it: separated by «;» (each with a
    decimal comma), or, without a «;», by commas (each with a decimal dot, the stored form). Spaces inside a rate stay
    («1 5» is no number, not 15)."""
    return [rate.strip(AROUND) for rate in text.split(";" if ";" in text else ",")]


def provision_rates_text(stored: str) -> str:
    """The stored provision rates ("0,2,25,50,100": % of groups 1–5, dot decimals) as the page shows them: each
    ``percent_text``, separated by «; » — "0.5,2,25,50,100" → "0,5; 2; 25; 50; 100"."""
    return PROVISION_SEPARATOR.join(percent_text(rate) for rate in stored.split(","))


def provision_rates_value(typed: str) -> str:
    """The provision rates as typed → as stored ("0,2,25,50,100"): separated by «;» with decimal commas
    ("0,5; 2; 25; 50; 100"), or, without a «;», by commas with decimal dots ("0.5,2,25,50,100", the stored form).
    Each rate as ``percent_value``; ``save_settings`` refuses a list that is not five rates from 0 to 100."""
    return ",".join(percent_value(rate) for rate in _rates(typed))


def setting_text(name: str, value: object) -> str:
    """A setting's value as the officer reads it: the percentages (``percent_text``) and the provision rates
    (``provision_rates_text``) with the Vietnamese decimal comma, anything else as stored."""
    if name in PERCENT_SETTINGS:
        return percent_text(str(value))
    if name == "provision_rates":
        return provision_rates_text(str(value))
    return str(value)


# the words of settings stored as codes, as the settings page offers them (the journal shows a change in them)
SETTING_VALUE_WORDS = {
    "deputy_signs": {"True": N_("có"), "False": N_("không")},
    "period_convention": {"calendar": N_("Theo năm dương lịch (quý kết thúc 31/3, 30/6, 30/9, 31/12)"),
                          "administrative": N_("Theo kỳ báo cáo hành chính (Nghị định 09/2019/NĐ-CP)")},
    "language": {"vi": N_("Tiếng Việt"), "en": N_("English")},
}


def changes_shown(before: dict, after: dict) -> dict[str, list[str]]:
    """The settings ``after`` changes from ``before`` (name → value, as ``asdict(FundSettings)``): name → [value
    before, value after] as the officer reads them (``setting_text``), sorted by name; empty when nothing would
    change. The audit stores it as JSON (a value quoting «…» or «;» cannot pass for another setting's change) and
    ``audit_text`` shows each name by its ``SETTING_LABELS`` and each code by its ``SETTING_VALUE_WORDS``."""
    out = {}
    for k, v in sorted(after.items()):
        if same_setting(k, before.get(k), v):
            continue
        old, new = setting_text(k, before.get(k)), setting_text(k, v)
        if old != new:  # a value stored in an older form («1E-7») reads as the new one: no «0,0000001» → «0,0000001»
            out[k] = [old, new]
    return out


def changes_vietnamese(changes: dict[str, list[str]]) -> str:
    """``changes_shown`` in Vietnamese words, each setting by its label and each code by its words (a proposal's
    stored preview): «Giám đốc: «A» → «B»; …», "" when there is none."""
    def word(k: str, value: str) -> str:
        return SETTING_VALUE_WORDS.get(k, {}).get(value, value)

    return "; ".join(f"{SETTING_LABELS.get(k, k)}: «{word(k, old)}» → «{word(k, new)}»" for k, (old, new) in changes.items())


def _value(name: str, value: object) -> object:
    """What setting ``name`` holds, whatever text it was written in: a percentage as its number (the same for
    «1E-7», «0.0000001» and «0,0000001», or «15.50» and «15,5»), the provision rates as the tuple of theirs (spaces
    and the separator aside); text that is no such number trimmed, any other setting as is."""
    if name in PERCENT_SETTINGS:
        return _number(value)
    if name == "provision_rates":
        return tuple(_number(rate) for rate in _rates(str(value)))
    return value


def _number(value: object) -> object:
    """A percentage's number, its decimal mark a comma (``numerals.decimal_comma``) or a dot (``_percent``); text that
    is no such number trimmed of the whitespace around it (``numerals.AROUND``)."""
    text = str(value).strip(AROUND)
    number = _percent(decimal_comma(text))
    return number if number is not None else text


def same_setting(name: str, old: object, new: object) -> bool:
    """Whether ``old`` and ``new`` are one value of setting ``name``: the percentages and the provision rates are
    compared as numbers, not as texts (a book saved by an older page keeps «1E-7» or «15.50»), the rest as stored."""
    return _value(name, old) == _value(name, new)


def setting_changes(before: FundSettings, after: FundSettings) -> dict[str, object]:
    """The settings of ``after`` whose value differs from ``before``'s (``same_setting``), as name → ``after``'s
    value; empty when a save would change nothing."""
    old = asdict(before)
    return {name: value for name, value in asdict(after).items() if not same_setting(name, old.get(name), value)}


_INTS = {"charter_capital", "revaluation_months", "watch_days"}
WATCH_DAYS_MAX = 3650  # ten years: longer than any loan of the fund
_BOOLS = {"deputy_signs"}


def load_settings(ctx: Context) -> FundSettings:
    """The fund's settings kept in the book: each stored value read into its field (ints for đồng and counts,
    "1" → True for flags), the defaults for those never stored; inside ``papers_without_defaults`` a name, parent body
    or place never entered prints as dotted blanks. A read: it never waits behind another officer's import holding
    SQLite's write lock (every report asks it for the period convention). Database errors leave as
    ``Database.read``'s refusals."""
    with ctx.db.read() as s:
        stored = office_store.settings(s)
    values = _stored_values(stored)
    if _UNNAMED.get():  # papers of a book whose fund never gave its name: dotted blanks, never the defaults'
        values.update({k: v for k, v in UNNAMED_PLACEHOLDERS.items() if not str(stored.get(k, "")).strip()})
    return FundSettings(**values)


def _stored_values(stored: dict[str, str]) -> dict[str, object]:
    """The settings kept in the book (``stored``: name → text) read into their fields' types; those never stored are
    left out (their defaults apply)."""
    values: dict[str, object] = {}
    for f in fields(FundSettings):
        if f.name not in stored:
            continue
        raw = stored[f.name]
        if f.name in _INTS:
            values[f.name] = int(raw or 0)
        elif f.name in _BOOLS:
            values[f.name] = raw == "1"
        else:
            values[f.name] = raw
    return values


# what a paper prints where the fund's name, parent body and place were never entered (issue: no default province)
UNNAMED_PLACEHOLDERS = {"parent_body": "……………………", "fund_name": "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ ……………………",
                        "province": "……………………", "place": "……………………"}
_UNNAMED: ContextVar[bool] = ContextVar("fundapp_unnamed_fund_papers", default=False)


@contextmanager
def papers_without_defaults(ctx: Context) -> Iterator[bool]:
    """While inside, a book whose fund never entered its name (``fund_named`` False) has ``load_settings`` give
    dotted placeholders (``UNNAMED_PLACEHOLDERS``) for the parent body, the fund's name, the province and the place
    instead of the defaults' (another province's) — for the command line, which cannot ask as the GUI does first.
    Yields True when the placeholders are in force (the caller warns the user), False for a named book."""
    if fund_named(ctx):
        yield False
        return
    token = _UNNAMED.set(True)
    try:
        yield True
    finally:
        _UNNAMED.reset(token)


# the settings the papers print (documents.model.FundInfo's, and the province), as the Settings page's «Đơn vị»,
# «Người ký văn bản» and bank boxes hold them: what ``fundapp settings`` lists and sets
PAPER_SETTINGS = ("fund_name", "parent_body", "abbreviation", "province", "place", "address", "phone", "director",
                  "deputy_director", "chief_accountant", "preparer", "deputy_signs", "bank_bin", "bank_account",
                  "bank_account_name")


def naming_missing(ctx: Context, values: dict[str, object]) -> tuple[str, ...]:
    """Of the settings a paper of a never-named book prints as dotted blanks (``UNNAMED_PLACEHOLDERS``: the fund's
    name, parent body, province and place), those neither ``values`` (name → new value) nor the book gives, in that
    order, when the fund was never named (``fund_named``): a save without them would store another province's
    defaults for them (the window's first start asks for them together). () for a named book. Reads only."""
    if fund_named(ctx):
        return ()
    with ctx.db.read() as s:
        stored = office_store.settings(s)
    return tuple(name for name in UNNAMED_PLACEHOLDERS
                 if not str(values.get(name, "")).strip() and not str(stored.get(name, "")).strip())


def fund_named(ctx: Context) -> bool:
    """Whether the fund's own name and parent body were entered for this book (first-run wizard, Settings, the demo).

    A book created by ``--db new.sqlite`` holds none: its documents would print the defaults (another province's
    name), so the GUI asks for them before the first document. Returns a bool; reads only (never the write lock).
    """
    with ctx.db.read() as s:
        stored = office_store.settings(s)
    return bool(stored.get("fund_name", "").strip() and stored.get("parent_body", "").strip())


def _percent(text: object) -> Decimal | None:
    """``text`` as a percentage the figures can compute with: a finite Decimal with at most ``MAX_PLACES`` decimal
    places (as a loan's rate, domain.terms), a negative zero made 0; None otherwise — text in a form no officer means
    («1_5», «１５», a file separator U+001C inside it: ``numerals.to_decimal``), «NaN» (it would raise in every
    comparison), «1e-999999999» (a provision's exact fraction over 10^999999999 would hold every report)."""
    value = to_decimal(str(text))
    if value is None or not value.is_finite() or value.as_tuple().exponent < -MAX_PLACES:
        return None
    return unsigned_zero(value)


def _named(name: str) -> Message:
    """Setting ``name``'s label (``SETTING_LABELS``), as its refusals begin."""
    return msg(SETTING_LABELS[name])


def _check(settings: FundSettings) -> None:
    """Refuse the first setting out of its sense, naming it as the page labels it (``SETTING_LABELS``)."""
    if settings.charter_capital < 0:
        raise ValidationError(msg("{label}: không được âm", label=_named("charter_capital")), field="charter_capital")
    for name in ("single_limit_percent", "group_limit_percent", "own_capital_percent"):
        value = _percent(getattr(settings, name))
        if value is None:
            raise ValidationError(msg("{label}: phải là số (ví dụ 15)", label=_named(name)), field=name)
        if not 0 <= value <= 100:
            raise ValidationError(msg("{label}: phải từ 0 đến 100 %", label=_named(name)), field=name)
    rates = [_percent(v) for v in settings.provision_rates.split(",")]
    if len(rates) != 5 or any(r is None or not 0 <= r <= 100 for r in rates):
        raise ValidationError(
            msg("{label}: năm số từ 0 đến 100, cách nhau bằng dấu chấm phẩy, ví dụ 0; 2; 25; 50; 100 (phần thập phân "
                "sau dấu phẩy: 0,5)", label=_named("provision_rates")),
            field="provision_rates")
    threshold = _percent(settings.coverage_threshold_percent)
    if threshold is None or not 0 <= threshold <= 1000:
        raise ValidationError(msg("{label}: một số từ 0 đến 1000", label=_named("coverage_threshold_percent")),
                              field="coverage_threshold_percent")
    if not 1 <= settings.revaluation_months <= 120:
        raise ValidationError(msg("{label}: từ 1 đến 120 tháng", label=_named("revaluation_months")),
                              field="revaluation_months")
    if not 1 <= settings.watch_days <= WATCH_DAYS_MAX:
        raise ValidationError(msg("{label}: từ 1 đến {most} ngày (mặc định 90)", label=_named("watch_days"),
                                  most=WATCH_DAYS_MAX), field="watch_days")
    # ASCII only: «９７０４０５» is digits to str.isdigit, and a VietQR holding it cannot be encoded
    bin_ = settings.bank_bin
    if bin_ and not (bin_.isascii() and bin_.isdigit() and len(bin_) == 6):
        raise ValidationError(msg("{label}: đúng 6 chữ số, ví dụ 970405", label=_named("bank_bin")), field="bank_bin")
    account = settings.bank_account
    if account and not (account.isascii() and account.isalnum() and len(account) <= 19):
        raise ValidationError(msg("{label}: chữ số và chữ cái không dấu, tối đa 19 ký tự", label=_named("bank_account")),
                              field="bank_account")
    short = settings.abbreviation
    if not (1 <= len(short) <= 20 and all(c.isalnum() or c in "-." for c in short)):  # it is in every paper's number
        # («01/SK-QHT»): blank gave «01/SK-», «A/B C» gave «02/SK-A/B C» (a review)
        raise ValidationError(msg("{label}: từ 1 đến 20 chữ cái, chữ số hoặc dấu «-», «.», không có khoảng trắng hay "
                                  "«/» (in trong số văn bản, ví dụ 01/TB-QHT)", label=_named("abbreviation")),
                              field="abbreviation")
    if settings.zero_tens not in ("linh", "lẻ"):
        raise ValidationError(msg("{label}: «linh» hoặc «lẻ»", label=_named("zero_tens")), field="zero_tens")


def _plainly(settings: FundSettings) -> FundSettings:
    """``settings`` (checked) with each percentage and provision rate written plainly: «1E-7» is kept «0.0000001»."""
    plain = {name: plain_decimal(_percent(getattr(settings, name))) for name in PERCENT_SETTINGS}
    rates = ",".join(plain_decimal(_percent(rate)) for rate in settings.provision_rates.split(","))
    return replace(settings, **plain, provision_rates=rates)


def _refuse_changed_meanwhile(loaded: FundSettings, mine: dict, now: dict) -> None:
    """Refuse (``StaleEdit``) a save of the settings ``mine`` (name → new value) when another officer changed one of
    them since the form read ``loaded``, naming them: saving would silently put back what the form still showed."""
    was = asdict(loaded)
    clash = [name for name in mine if not same_setting(name, was.get(name), now.get(name))]
    if clash:
        raise StaleEdit(msg("Người khác vừa sửa {names} trong lúc trang Cài đặt đang mở: chưa lưu gì. Mở lại trang "
                            "Cài đặt (hoặc fundapp settings) để xem giá trị mới rồi sửa lại.",
                            names=join(", ", [_named(n) for n in clash])), field=clash[0])


def _changes(ctx: Context, settings: FundSettings) -> dict:
    """The settings whose value differs from the stored ones (name → new value; ``setting_changes``)."""
    return setting_changes(load_settings(ctx), settings)


def save_settings(ctx: Context, settings: FundSettings, loaded: FundSettings | None = None) -> FundSettings:
    """Check and store every setting in one transaction (audited). Right ``settings``; on a book with users a
    change is a proposal another administrator confirms unless the fund switched that off (issue 14).

    ``loaded``: the settings as the officer's form read them. Then only what the officer changed from them is
    written (or proposed): a setting another officer saved meanwhile is kept, not put back to what this form still
    showed; one both changed is refused (``StaleEdit`` naming it: reopen and edit again). Returns the settings as
    stored after the save."""
    from .rights import require_action

    _check(settings)
    settings = _plainly(settings)
    mine = setting_changes(loaded, settings) if loaded is not None else None
    if mine is not None:
        _refuse_changed_meanwhile(loaded, mine, asdict(load_settings(ctx)))
    require_action(ctx, "settings", lambda: dict(values=mine if mine is not None else _changes(ctx, settings)))
    before = load_settings(ctx)
    with ctx.db.unit() as s:
        record_confirmation(s, ctx)  # a confirmed change of settings: written with its confirmation, or neither
        if mine is not None:  # read again in the unit that writes: a save that landed since the check above counts
            now = FundSettings(**_stored_values(office_store.settings(s)))
            _refuse_changed_meanwhile(loaded, mine, asdict(now))
            before, settings = now, replace(now, **mine)
        watch_changed = before.watch_days != settings.watch_days
        for name, value in asdict(settings).items():
            text = ("1" if value else "0") if isinstance(value, bool) else str(value)
            office_store.set_setting(s, name, text)
        # what changed, from what to what (the journal read «Cập nhật cài đặt — cập nhật cài đặt» for every save)
        changes = changes_shown(asdict(before), asdict(settings))
        office_store.audit(s, ctx.user, "settings",
                           json.dumps(changes, ensure_ascii=False) if changes else "không có gì thay đổi")
        if watch_changed:  # the loan list's cached groups were read with the old watch
            refresh_states(s, None, ctx.today())
    return settings
