"""Loan numbers and borrower codes: one safe alphabet, checked on entry (services) and on import.

A code ends up in file names, folder names, spreadsheet cells and command lines: letters A–Z a–z
(no diacritics), digits 0–9 and ``-`` ``_`` ``.``; no space, no slash, nothing else; 1 to 32 characters
(the columns hold 32), not starting with ``.`` or ``-``.
"""

from __future__ import annotations

import re

from .errors import ValidationError

SAFE_CODE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$")
RULE_VI = ("chỉ dùng chữ cái không dấu A–Z a–z, chữ số 0–9 và các dấu - _ . (không dấu cách, không dấu /), tối đa "
           "32 ký tự, không bắt đầu bằng . hay -")
RULE_EN = "only letters A-Z a-z, digits 0-9 and - _ . (no space, no slash), at most 32, not starting with . or -"


def code_problem(value: str, label: str) -> str | None:
    """The Vietnamese reason ``value`` is not a safe code («số hợp đồng «HD/1»: chỉ dùng …»), or None if it is."""
    if SAFE_CODE.match(value):
        return None
    return f"{label} «{value}» không hợp lệ: {RULE_VI}"


def check_code(value: str, label: str, field: str) -> str:
    """``value`` if it is a safe code; raises ValidationError(field) naming the rule otherwise."""
    problem = code_problem(value, label)
    if problem:
        raise ValidationError(problem, f"{field} {value!r}: {RULE_EN}", field)
    return value
