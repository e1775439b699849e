"""Settings read from the environment (``FUNDAPP_*``), read where they are used and refused in words.

A value read at import time crashed every command that imported its module (``FUNDAPP_IMPORT_CHECKPOINTS=abc``:
``ValueError`` from ``int()``, "lỗi không mong muốn"); here a value is read when the setting is needed and a bad
one is a ``UserFacingError`` naming the variable, its value and what it takes (the command line exits 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from fundapp.domain.messages import N_, Message, as_message, msg

from .errors import UserFacingError

T = TypeVar("T")


def environment_value(name: str, read: Callable[[str], T], takes: Message | str, example: str,
                      otherwise: Message | str) -> T | None:
    """The environment variable ``name`` read by ``read`` (text stripped, in; the value, out; ``ValueError`` for a
    bad one), None when unset or blank: the one way a ``FUNDAPP_*`` value is read and refused.

    Raises ``UserFacingError`` (field ``name``; the command line exits 2) naming the variable, its value, what it
    ``takes`` (a msgid such as ``N_("một số nguyên không âm")``), an ``example`` value and what is used without it
    (``otherwise``)."""
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        return read(text)
    except ValueError:
        raise UserFacingError(msg("Biến môi trường {name}={value} không hợp lệ: cần {takes} (ví dụ {name}={example}), "
                                  "hoặc bỏ biến này để dùng {otherwise}",
                                  name=name, value=text, takes=as_message(takes), example=example,
                                  otherwise=as_message(otherwise)),
                              field=name) from None


def _whole(text: str) -> int:
    """``text`` as a whole number ≥ 0 written in ASCII digits; ``ValueError`` otherwise ("-1", "2.5", "²")."""
    if not text.isascii() or not text.isdigit():
        raise ValueError(text)
    return int(text)


def whole_number(name: str, default: int) -> int:
    """The environment variable ``name`` as a whole number ≥ 0, ``default`` when unset or blank.

    Raises ``UserFacingError`` (field ``name``) naming the variable and its value when it is not a whole number ≥ 0
    ("abc", "-1", "2.5")."""
    value = environment_value(name, _whole, N_("một số nguyên không âm"), str(default),
                              msg("mặc định {default}", default=str(default)))
    return default if value is None else value
