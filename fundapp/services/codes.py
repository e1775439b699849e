"""Loan numbers and borrower codes: one safe alphabet, checked on entry (services) and on import.

A code ends up in file names, folder names, spreadsheet cells and command lines: letters A–Z a–z
(no diacritics), digits 0–9 and ``-`` ``_`` ``.``; no space, no slash, nothing else; 1 to 32 characters
(the columns hold 32), not starting with ``.`` or ``-``.
"""

from __future__ import annotations

import re
import unicodedata

from fundapp.domain.messages import N_, Message, msg

from .errors import ValidationError

SAFE_CODE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$")
RULE_VI = N_("chỉ dùng chữ cái không dấu A–Z a–z, chữ số 0–9 và các dấu - _ . (không dấu cách, không dấu /), tối "
             "đa 32 ký tự, không bắt đầu bằng . hay -")


def code_message(value: str, label: str) -> Message | None:
    """Why ``value`` is not a safe code («Số hợp đồng «HD/1» không hợp lệ: chỉ dùng …»; ``label`` a msgid marked
    ``N_``), or None if it is."""
    if SAFE_CODE.match(value):
        return None
    hidden = next(((i, ch) for i, ch in enumerate(value) if unicodedata.category(ch) in ("Cf", "Cc")), None)
    if hidden is not None:  # a zero-width space, a soft hyphen, a BOM: the code looks right and is not
        return msg("{label} «{value}» có ký tự ẩn {code} (ký tự thứ {position}, thường do dán từ trang web hay Word): "
                   "xóa ô đó và gõ lại mã", label=msg(label), value=value, code=f"U+{ord(hidden[1]):04X}",
                   position=str(hidden[0] + 1))
    return msg("{label} «{value}» không hợp lệ: {rule}", label=msg(label), value=value, rule=msg(RULE_VI))


def check_code(value: str, label: str, field: str) -> str:
    """``value`` if it is a safe code; raises ValidationError(field) naming the rule otherwise."""
    message = code_message(value, label)
    if message is not None:
        raise ValidationError(message, field=field)
    return value

