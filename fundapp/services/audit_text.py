"""How a stored audit record reads to the officer (issue 14): its action by its Vietnamese label, what it names in the
fund's words — a document by its kind's label, an entry by its reference with what it moved, dates dd/mm/yyyy and
amounts grouped (``formatting``). The stored record is never changed (it is chained, ``ledger.journal``): only how it
is shown. Records of every version of the program read this way, each format as it was written."""

from __future__ import annotations

import json
import re
from collections.abc import Container, Iterable
from datetime import date

from fundapp.domain.event_words import moved, restructure_words, shown_kind
from fundapp.domain.events import (
    ENTRY_KIND_LABELS,
    Kind,
    RecoveryResult,
    ReliefResult,
    WriteOffResult,
)
from fundapp.domain.messages import N_, Message, join, msg
from fundapp.formatting import group_thousands, short_date, vnd
from fundapp.ledger.record_store import AuditedEntry

from .document_register import DOC_KIND_LABELS
from .rights import ACTIONS

# the action a record stores → its label (a catalogue msgid); a recovery is told from the entry it posted
ACTION_LABELS = {
    "post disbursement": N_("Ghi giải ngân"), "post repayment": N_("Ghi thu nợ"),
    "post restructure": N_("Cơ cấu lại thời hạn trả nợ"), "post interest_relief": N_("Miễn, giảm lãi"),
    "post write_off": N_("Xử lý rủi ro"), "post opening": N_("Chuyển số dư"),
    "post restructure batch": ENTRY_KIND_LABELS[Kind.RESTRUCTURE],
    "reverse": N_("Hủy bút toán"), "import": N_("Nhập dữ liệu"), "settings": N_("Cập nhật cài đặt"),
    "borrower add": N_("Thêm khách hàng"), "borrower edit": N_("Sửa khách hàng"), "application receive": N_("Tiếp nhận hồ sơ"),
    "application appraise": N_("Thẩm định hồ sơ"), "application reject": N_("Từ chối hồ sơ"),
    "application approve": N_("Phê duyệt hồ sơ"), "contract": N_("Ký hợp đồng"), "loan terms": N_("Sửa điều kiện vay"),
    "document issue": N_("Cấp số tài liệu"), "user add": N_("Thêm người dùng"), "user disable": N_("Khóa người dùng"),
    "user enable": N_("Mở khóa người dùng"), "user grant": N_("Đặt vai trò"), "user password": N_("Đổi mật khẩu"),
    "login": N_("Đăng nhập"), "login locked": N_("Tạm khóa đăng nhập"), "propose": N_("Lập đề xuất"),
    "proposal confirmed": N_("Xác nhận đề xuất"), "proposal refused": N_("Từ chối đề xuất"),
    "maker-checker": N_("Bật/tắt hai người duyệt"), "close": N_("Khóa sổ"), "reopen": N_("Mở lại kỳ đã khóa sổ"),
    "collateral add": N_("Thêm tài sản bảo đảm"), "collateral revise": N_("Cập nhật tài sản bảo đảm"),
    "collateral import": N_("Nhập tài sản bảo đảm"),  # written by versions before f25bb0f
    "template install": N_("Dùng mẫu riêng của Quỹ"), "template restore": N_("Dùng mẫu mặc định"),
    "product add": N_("Thêm sản phẩm vay"),
}
RECOVERY_LABEL = ENTRY_KIND_LABELS["recovery"]

_POSTED = re.compile(r"(?P<loan>\S+) (?P<on>\d{4}-\d{2}-\d{2}) (?P<amount>\d+)(?: (?P<rest>.*))?", re.S)
_REVERSED = re.compile(r"(?P<loan>\S+): bút toán (?P<ref>.+?) — (?P<reason>.*)", re.S)
_ISSUED = re.compile(r"(?P<kind>[a-z_]+): (?P<rest>.*)", re.S)
_PROPOSAL = re.compile(r"(?P<head>#\d+) (?P<action>[a-z_]+)(?P<rest>(?: .*)?)", re.S)
_TEMPLATE = re.compile(r"(?P<kind>[a-z_]+): (?P<size>\d+) bytes")
_ASSET = re.compile(r"(?P<item>\d+): (?P<description>.*) (?P<value>\d+) đ", re.S)
_ASSET_REVISION = re.compile(r"(?P<item>\d+) r(?P<revision>\d+)")
_ASSETS_IMPORTED = re.compile(r"(?P<count>\d+) from (?P<source>.*)", re.S)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LONG_NUMBER = re.compile(r"(?<![\w./#,-])\d{5,}(?![\w./,-])")  # an amount: 5 digits or more, standing alone
_DONG = re.compile(r"(?<![\w./#,-])(\d{4})(?= đ\b)")  # 1000 đ: an amount by its unit


def loan_numbers(details: Iterable[str]) -> set[str]:
    """The loan numbers the posting and reversal records among ``details`` name (their first word): the loans whose
    entries ``shown`` needs."""
    out = set()
    for d in details:
        found = _POSTED.fullmatch(d) or _REVERSED.fullmatch(d)
        if found:
            out.add(found.group("loan"))
    return out


_LOAN_HD = re.compile(r"\bHD[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")  # a loan number as the fund's own begin
# a word that may be a loan number (``codes.SAFE_CODE``) with a letter in it, not after «#» (an application's or a
# proposal's number) nor inside a date: «#5 → HD2024-001» or «khóa sổ đến 31/12/2024» named no loan «5» or «31»
_WORD = re.compile(r"(?<![#/\w.-])(?=[A-Za-z0-9._-]*[A-Za-z])[A-Za-z0-9_][A-Za-z0-9._-]*")
# records that name no loan: settings (the officer's free words), closings, imports, papers' numbers, users, logins,
# loan products (their code and name are the officer's words: «HD-SX12» is a product, no loan)
_NO_LOAN = frozenset({"settings", "close", "reopen", "import", "document issue", "login", "login locked",
                      "maker-checker", "template install", "template restore", "product add"})


def loan_of(action: str, detail: str, known: Container[str]) -> str:
    """The loan a record with ``action`` and ``detail`` is about ("" when none): a posting's or a reversal's first
    word, else the first word of the detail that is a loan of the book (``known``: every loan number; «TD2024-021»
    and «04.2024.TDQHT» as well as «HD…», a word's closing «.» or «-» left out), else a number beginning «HD» (a
    loan the book no longer has). An asset's records name the asset: their loan is the asset's (``asset_of``)."""
    if action in _NO_LOAN:
        return ""
    found = _POSTED.fullmatch(detail) or _REVERSED.fullmatch(detail)
    if found and found["loan"] in known:
        return found["loan"]
    for word in _WORD.findall(detail):
        for candidate in (word, word.rstrip(".-")):
            if candidate in known:
                return candidate
    found = _LOAN_HD.search(detail)
    return found.group(0) if found else ""


def plain(detail: str) -> str:
    """A stored text with its ISO dates as dd/mm/yyyy and its amounts grouped with «.» (a number of 5 digits or more
    standing alone, or of 4 before «đ»): «HD2025-018 2026-12-03 50000000» → «HD2025-018 03/12/2026 50.000.000»."""
    text = _ISO_DATE.sub(lambda m: f"{m.group(3)}/{m.group(2)}/{m.group(1)}", detail)
    text = _LONG_NUMBER.sub(lambda m: group_thousands(int(m.group(0))), text)
    return _DONG.sub(lambda m: group_thousands(int(m.group(1))), text)


class _Book:
    """The entries the records name, found by their loan, kind, date, amount and reference, each with what it was
    when posted (a recovery: a repayment posted while the loan stood written off)."""

    def __init__(self, entries: list[AuditedEntry]) -> None:
        self.by_id = {e.id: e for e in entries}
        self.by_reference = {e.reference: e for e in entries if e.reference}
        self.by_posting: dict[tuple, list[AuditedEntry]] = {}
        for e in entries:
            if e.reference:
                self.by_posting.setdefault((e.loan_no, e.kind, e.on_date, e.amount), []).append(e)
        self.reversal = {e.reverses_id: e.id for e in entries if e.reverses_id is not None}
        self.write_offs: dict[str, list[AuditedEntry]] = {}
        for e in entries:
            if e.kind == Kind.WRITE_OFF:
                self.write_offs.setdefault(e.loan_no, []).append(e)

    def posted(self, loan_no: str, kind: str, on: date, amount: int, rest: str) -> tuple[AuditedEntry, str] | None:
        """The entry a posting record names and the reason after its reference in ``rest``; None when not found."""
        for e in self.by_posting.get((loan_no, kind, on, amount), ()):
            if rest == e.reference or rest.startswith(e.reference + " "):
                return e, rest[len(e.reference):].strip()
        return None

    def recovery(self, e: AuditedEntry) -> bool:
        """Whether repayment ``e`` was a recovery when posted: its loan then stood written off (a write-off posted
        before it, dated before its day — a write-off is the day's last entry — and not yet reversed)."""
        return e.kind == Kind.REPAYMENT and any(
            w.id < e.id and w.on_date < e.on_date and self.reversal.get(w.id, e.id + 1) > e.id
            for w in self.write_offs.get(e.loan_no, ()))

    def result(self, e: AuditedEntry) -> object:
        """What entry ``e`` moved as posted (the engine's record built from what the entry stores), None for a
        transaction or a restructuring (its months are in ``e``)."""
        if e.kind == Kind.WRITE_OFF:
            return WriteOffResult(e.on_date, e.principal, e.interest)
        if e.kind == Kind.INTEREST_RELIEF:
            return ReliefResult(e.on_date, e.relief_of or "", e.amount)
        if self.recovery(e):
            return RecoveryResult(e.on_date, e.amount, e.principal, e.interest)
        return None

    def what(self, e: AuditedEntry) -> Message | None:
        """What entry ``e`` moved, as posted: a restructuring's months, else ``event_words.moved``."""
        if e.kind == Kind.RESTRUCTURE:
            return restructure_words(e.extend_months or 0, e.grace_periods or 0)
        return moved(e.kind, e.amount, self.result(e))


def _setting_changes(detail: str) -> Message | None:
    """A settings record's changes (``settings.changes_shown`` as JSON) with each setting named as the settings
    page names it and each code in its words, «không có gì thay đổi» in the officer's language; None for a detail of
    another form (before this one: «cập nhật cài đặt», which said nothing of what changed)."""
    from .settings import SETTING_LABELS, SETTING_VALUE_WORDS

    if detail == "không có gì thay đổi":
        return msg("không có gì thay đổi")
    try:
        changes = json.loads(detail) if detail.startswith("{") else None
    except ValueError:
        return None
    if not isinstance(changes, dict) or not changes:
        return None

    def word(key: str, value: object) -> Message | str:
        said = SETTING_VALUE_WORDS.get(key, {}).get(str(value))
        return msg(said) if said else str(value)

    parts = []
    for key, pair in changes.items():
        old, new = pair if isinstance(pair, list) and len(pair) == 2 else ("", pair)
        parts.append(msg("{setting}: «{old}» → «{new}»", old=word(key, old), new=word(key, new),
                         setting=msg(SETTING_LABELS[key]) if key in SETTING_LABELS else key))
    return join("; ", parts)


ASSET_ACTIONS = ("collateral add", "collateral revise")  # the records that name an asset (``asset_of``), not its loan


def asset_of(action: str, detail: str) -> re.Match | None:
    """The match naming the asset (group ``item``: its id as text) of an asset's audit record («collateral add»
    «12: … 1500000 đ», «collateral revise» «12 r2»); None for any other record or a detail of another form."""
    if action == "collateral add":
        return _ASSET.fullmatch(detail)
    if action == "collateral revise":
        return _ASSET_REVISION.fullmatch(detail)
    return None


def shown(action: str, detail: str, book: _Book) -> tuple[str, Message | str]:
    """(the action's label msgid, the detail as the officer reads it: a ``Message`` or plain text) of a stored
    record with ``action`` and ``detail``; ``book``: the entries the records name (``entries_book``)."""
    label = ACTION_LABELS.get(action, action)
    if action.startswith("post ") and action != "post restructure batch":
        found = _POSTED.fullmatch(detail)
        if found is None:
            return label, plain(detail)
        loan_no, on, amount, rest = found["loan"], date.fromisoformat(found["on"]), int(found["amount"]), found["rest"] or ""
        posted = book.posted(loan_no, action[5:], on, amount, rest)
        if posted is None:  # a record without its entry: its words as stored, dates and amounts readable
            return label, plain(f"{loan_no} {on} " + (vnd(amount) + " " if amount else "") + rest).strip()
        e, reason = posted
        if book.recovery(e):
            label = RECOVERY_LABEL
        what = book.what(e)
        text = msg("{loan_no} ngày {on}, số {reference}: {what}", loan_no=loan_no, on=short_date(on),
                   reference=e.reference, what=what) if what is not None else \
            msg("{loan_no} ngày {on}, số {reference}", loan_no=loan_no, on=short_date(on), reference=e.reference)
        return label, (msg("{text} — {reason}", text=text, reason=reason) if reason else text)
    if action == "reverse":
        found = _REVERSED.fullmatch(detail)
        if found is None:
            return label, plain(detail)
        ref = found["ref"]
        # an entry's id in ASCII digits: a reference «²» is a digit to str.isdigit() and int() then raises
        is_id = ref.isascii() and ref.isdigit() and len(ref) < 19
        e = book.by_reference.get(ref) or (book.by_id.get(int(ref)) if is_id else None)
        if e is None:
            return label, plain(detail)
        kind, what = shown_kind(e.kind, book.result(e)), book.what(e)
        named = msg(ENTRY_KIND_LABELS.get(kind, kind))
        return label, msg("{loan_no}: hủy bút toán {reference} ngày {on} — {what}. Lý do: {reason}", loan_no=found["loan"],
                          reference=e.reference or ref, on=short_date(e.on_date), reason=found["reason"],
                          what=named if what is None else msg("{kind}: {what}", kind=named, what=what))
    if action == "document issue":
        found = _ISSUED.fullmatch(detail)
        if found and found["kind"] in DOC_KIND_LABELS:
            return label, msg("{kind}: {numbers}", kind=msg(DOC_KIND_LABELS[found["kind"]]), numbers=found["rest"])
    if action in ("template install", "template restore"):
        found = _TEMPLATE.fullmatch(detail) if action == "template install" else None
        kind = found["kind"] if found else detail
        if kind in DOC_KIND_LABELS:
            return label, (msg("{kind}: tệp {size} byte", kind=msg(DOC_KIND_LABELS[kind]),
                               size=group_thousands(int(found["size"]))) if found else msg(DOC_KIND_LABELS[kind]))
    if action == "settings" and (changes := _setting_changes(detail)) is not None:
        return label, changes
    if (found := asset_of(action, detail)) is not None:
        if action == "collateral add":
            return label, msg("tài sản số {item}: {description}, giá trị {value}", item=found["item"],
                              description=found["description"], value=vnd(int(found["value"])))
        return label, msg("tài sản số {item}, phiên bản {revision}", item=found["item"], revision=found["revision"])
    if action == "collateral import" and (found := _ASSETS_IMPORTED.fullmatch(detail)):
        return label, msg("{count} tài sản từ «{source}»", count=found["count"], source=found["source"])
    if action in ("propose", "proposal confirmed", "proposal refused"):
        found = _PROPOSAL.fullmatch(detail)
        if found and found["action"] in ACTIONS:
            return label, msg("{head} {action}{rest}", head=found["head"], action=msg(ACTIONS[found["action"]][0]),
                              rest=plain(found["rest"]))
    return label, plain(detail)


def entries_book(entries: list[AuditedEntry]) -> _Book:
    """The entries the shown records name (``record_store.entries_of_loans`` of their ``loan_numbers``)."""
    return _Book(entries)
