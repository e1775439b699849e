"""Settings read from the environment (``FUNDAPP_*``), read where they are used and refused in words.

A value read at import time crashed every command that imported its module (``FUNDAPP_IMPORT_CHECKPOINTS=abc``:
``ValueError`` from ``int()``, "lỗi không mong muốn"); here a value is read when the setting is needed and a bad
one is a ``UserFacingError`` naming the variable, its value and what it takes (the command line exits 2).
"""

from __future__ import annotations

import os

from fundapp.domain.messages import msg

from .errors import UserFacingError


def whole_number(name: str, default: int) -> int:
    """The environment variable ``name`` as a whole number ≥ 0, ``default`` when unset or blank.

    Raises ``UserFacingError`` (field ``name``) naming the variable and its value when it is not a whole number ≥ 0
    ("abc", "-1", "2.5")."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isascii() or not text.isdigit():
        raise UserFacingError(msg("Biến môi trường {name}={value} không hợp lệ: cần một số nguyên không âm (ví dụ "
                                  "{name}={default}), hoặc bỏ biến này để dùng mặc định {default}",
                                  name=name, value=text, default=str(default)), field=name)
    return int(text)
