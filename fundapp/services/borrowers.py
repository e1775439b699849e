"""Borrowers (khách hàng vay): the list, one borrower, the checks of a borrower's fields and saving with a version
(an edit over a newer one is refused).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

from fundapp.domain.borrowers import BORROWER_KINDS, BorrowerInfo
from fundapp.domain.messages import N_, msg
from fundapp.formatting import nfc, search_key
from fundapp.ledger import lending_store, office_store

from .codes import check_code
from .context import Context
from .errors import NotFound, StaleEdit, ValidationError
from .import_cells import FieldProblem, check_text, whole_number
from .rights import require

TAX_CODE = re.compile(r"^[0-9]{10}(-?[0-9]{3})?$")


PHONE = re.compile(r"^[0-9 +().-]{0,20}$")


# -- borrowers -------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class BorrowerRow(BorrowerInfo):
    """A borrower (khách hàng vay) as the pages show it: the domain's ``BorrowerInfo`` (code, name, kind of
    ``BORROWER_KINDS``, contacts and place) with its ``id``, sector, members, related group, ``version`` for the
    optimistic edit check and ``search`` the diacritic-free search key."""

    id: int
    sector: str = ""
    members: int | None = None
    related_group: str = ""
    search: str = ""
    version: int = 1


_BORROWER_FIELDS = [f.name for f in fields(BorrowerRow) if f.name not in ("id", "search", "version")]


def _borrower_row(r) -> BorrowerRow:
    return BorrowerRow(**{f.name: getattr(r, f.name) for f in fields(BorrowerRow)})


def list_borrowers(ctx: Context) -> list[BorrowerRow]:
    """Every borrower of the book, as rows, in the store's order. Raises nothing beyond the database's errors."""
    with ctx.db.read() as s:
        return [_borrower_row(r) for r in lending_store.borrowers(s)]


def clean_borrower(data: Mapping[str, object]) -> dict:
    """A borrower's fields checked and normalised, the one way for the form (``save_borrower``) and the import
    (services.import_checks.check_borrowers): ``data`` maps field → value (text, or a whole number for members);
    every text NFC with outer spaces trimmed, fitting its column, without control characters; a code in the safe
    alphabet, a name, a kind of ``BORROWER_KINDS`` (capitals read), a tax code of 10 (or 10-3) digits, a phone of
    digits, spaces, + - ( ), members a whole number ≥ 0 or None. Returns column → value with ``search``, the
    diacritic-free search key (name, code, tax code, ward, district, representative). Raises ValidationError whose
    ``field`` names the column."""
    out = {name: _text(data, name) for name in _BORROWER_FIELDS if name != "members"}
    if not out["code"]:
        raise ValidationError(N_("Nhập mã khách hàng"), field="code")
    check_code(out["code"], N_("Mã khách hàng"), "code")  # goes into file names and cells: a safe alphabet
    if not out["name"]:
        raise ValidationError(N_("Nhập tên khách hàng"), field="name")
    out["kind"] = out["kind"].lower()
    if not out["kind"]:
        raise ValidationError(N_("Chọn loại hình khách hàng"), field="kind")
    if out["kind"] not in BORROWER_KINDS:
        raise ValidationError(msg("loại hình «{kind}» không hợp lệ: dùng một trong {kinds}", kind=out["kind"],
                                  kinds=", ".join(BORROWER_KINDS)), field="kind")
    if out["tax_code"] and not TAX_CODE.match(out["tax_code"]):
        raise ValidationError(N_("Mã số thuế gồm 10 chữ số (hoặc 10-3 chữ số cho đơn vị phụ thuộc)"), field="tax_code")
    if not PHONE.match(out["phone"]):
        raise ValidationError(N_("Số điện thoại chỉ gồm chữ số, dấu cách, +, -, (, )"), field="phone")
    out["members"] = _members(data.get("members"))
    out["search"] = search_key(out["name"], out["code"], out["tax_code"], out["ward"], out["district"],
                               out["representative"])
    return out


def _text(data: Mapping[str, object], name: str) -> str:
    """Field ``name`` of ``data`` as stored text (NFC, trimmed; a whole number as its digits), checked against its
    column (length, control characters). Raises ValidationError(field=name)."""
    value = data.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return check_text(nfc("" if value is None else str(value)), name)
    except FieldProblem as err:
        raise ValidationError(err.msg, field=name) from None


def _members(value: object) -> int | None:
    """The members typed or read (blank → None): a whole number from 0 to the sensible most, read from the text as
    given (``import_cells.whole_number``, the import's reading of a count: any whitespace around the digits trimmed,
    as the import's ``read_text`` trims it; «1_5», «１５» refused). ValidationError(field="members")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else str(value)
    if not text.strip():
        return None
    try:
        number = whole_number(text, "members", N_("Số thành viên"))
    except FieldProblem as err:
        raise ValidationError(err.msg, field="members") from None
    if number < 0:
        raise ValidationError(N_("Số thành viên không được âm"), field="members")
    return number


def save_borrower(ctx: Context, data: dict, borrower_id: int | None = None, version: int | None = None) -> BorrowerRow:
    """Add a borrower, or update one (refused if someone changed it since ``version`` was read)."""
    require(ctx, "borrowers")
    values = clean_borrower(data)
    with ctx.db.unit() as s:
        other = lending_store.borrower_by_code(s, values["code"])
        if other is not None and other.id != borrower_id:
            raise ValidationError(
                msg("Mã khách hàng «{code}» đã có trong sổ ({name})",
                    code=values['code'], name=other.name),
                field="code")
        if borrower_id is None:
            record = lending_store.add_borrower(s, **values)
            office_store.audit(s, ctx.user, "borrower add", values["code"])
        else:
            record = lending_store.borrower(s, borrower_id)
            if record is None:
                raise NotFound(msg("Không có khách hàng mã {borrower_id}", borrower_id=borrower_id))
            if version is not None and record.version != version:
                raise StaleEdit(N_("Hồ sơ khách hàng vừa được người khác sửa: hãy mở lại rồi sửa"))
            for key, value in values.items():
                setattr(record, key, value)
            s.flush()
            office_store.audit(s, ctx.user, "borrower edit", values["code"])
        return _borrower_row(record)
