"""argparse's own texts in Vietnamese: "usage:", "options", "-h, --help", "invalid int value", "the following
arguments are required"… (the reviewer's finding: they were English under Vietnamese help texts).

argparse words its texts through ``gettext`` (``from gettext import gettext as _, ngettext``): ``install()``
gives it a translation of the "argparse" domain, a ``gettext.NullTranslations`` holding the catalogue below (the
standard library ships no Vietnamese one). FUNDAPP_LANGUAGE=en keeps argparse's English. The placeholders
(``%(prog)s``, ``%s``, ``%r``) are argparse's and stay as they are.
"""

from __future__ import annotations

import argparse
import gettext

CATALOGUE: dict[str, str] = {
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số theo vị trí",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "unrecognized arguments: %s": "không hiểu các tham số: %s",
    "the following arguments are required: %s": "thiếu các tham số bắt buộc: %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r không dùng được ở đây",
    "expected one argument": "cần một giá trị",
    "expected at most one argument": "chỉ được nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn %(option)s chưa rõ: có thể là %(matches)s",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không hợp lệ (cần kiểu %(type)s)",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn %(value)r không có (chọn một trong %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "không có lệnh %(parser_name)r (chọn: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "không mở được «%(filename)s»: %(error)s",
    "cannot have multiple subparser arguments": "không thể có nhiều nhóm lệnh con",
}
PLURALS: dict[str, str] = {  # singular msgid → Vietnamese (one form: Vietnamese has no plural)
    "expected %s argument": "cần %s giá trị",
    "conflicting option string: %s": "tùy chọn trùng nhau: %s",
}


class ArgparseVietnamese(gettext.NullTranslations):
    """The "argparse" domain's Vietnamese: ``gettext(msgid)`` from ``CATALOGUE``, ``ngettext`` from ``PLURALS``;
    a text not in them stays as argparse wrote it."""

    def gettext(self, message: str) -> str:
        """The Vietnamese of argparse's ``message``, or ``message`` itself."""
        return CATALOGUE.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """The Vietnamese of argparse's singular ``msgid1`` (one form for every ``n``), or English."""
        if msgid1 in PLURALS:
            return PLURALS[msgid1]
        return msgid1 if n == 1 else msgid2


def install(language: str | None = None) -> None:
    """Make argparse word its texts in ``language`` (default: the officer's, ``fundapp.i18n.language()``: "en" when
    FUNDAPP_LANGUAGE=en, else "vi"): argparse looks its module-level ``_``/``ngettext`` up at each call, so they are
    pointed at this domain's translation (English: argparse's own texts untouched)."""
    from fundapp.i18n import language as officer_language

    language = language or officer_language()
    translation = ArgparseVietnamese() if language != "en" else gettext.NullTranslations()
    argparse._ = translation.gettext
    argparse.ngettext = translation.ngettext


def text(message: str) -> str:
    """argparse's English ``message`` ("show program's version number and exit") in the language ``install`` chose:
    for the texts argparse writes without looking them up (the --version action's help, on Python 3.11)."""
    return argparse._(message)
