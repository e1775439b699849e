"""The check that a refusal has its English in the catalogue: no Vietnamese letter left, not the Vietnamese."""

from __future__ import annotations

import re

from fundapp.i18n import render

VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ]")


def assert_english(err) -> str:
    """``err`` (a DomainError or UserFacingError) rendered in English from the catalogue: not empty, not the
    Vietnamese, no Vietnamese letter (a parameter such as a borrower's name excepted by the caller). Returns it."""
    english = render(err.msg, "en")
    assert english and english != render(err.msg, "vi"), f"no English in the catalogue for {err.msg.msgid!r}"
    assert not VIETNAMESE_LETTERS.search(re.sub(r"(?<=\d) đ\b", "", english)), english  # "500.000 đ": the unit
    return english
