"""Vietnamese collation: one sort key for every list of names the services, documents and reports order.

Python's ``sorted()`` compares code points, which puts "Đakrông" after "Vĩnh Linh" and "Hướng Hóa" before
"Hải Lăng". Qt's ``QCollator(QLocale("vi_VN"))`` (ICU) is right but Qt lives only in the ui; babel has no
collation and PyICU is a large native dependency for one key. Vietnamese needs little: the 29 letters in
their own order (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư) as primary weights over the NFC text, the five tone
marks as secondary weights in dictionary order (none, huyền, hỏi, ngã, sắc, nặng), and lower case before upper
case as a tertiary difference — the same order ICU's Vietnamese tailoring gives (a test compares the two).
"""

from __future__ import annotations

import unicodedata

_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_LETTERS)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHAPES = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
           ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}


def vi_sort_key(text: str | None) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The key that orders ``text`` as a Vietnamese dictionary does: (letters, tones, case) compared in turn.

    Spaces and punctuation sort before digits, digits before letters, other scripts after the Latin letters.
    ``None`` sorts as "". Pure function of the text (NFC and NFD inputs give the same key).
    """
    primary: list[int] = []
    tones: list[int] = []
    case: list[int] = []
    for ch in unicodedata.normalize("NFC", text or ""):
        base, *marks = unicodedata.normalize("NFD", ch)
        letter = base.lower()
        tone = 0
        for m in marks:
            if m in _TONES:
                tone = _TONES[m]
            else:
                letter = _SHAPES.get((letter, m), letter)
        rank = _RANK.get(letter)
        if rank is not None:
            primary.append(3000 + rank)
        elif letter.isdigit():
            primary.append(2000 + (unicodedata.digit(letter, 0)))
        elif letter.isalpha():
            primary.append(4000 + ord(letter))
        else:  # space and punctuation first, in code-point order among themselves
            primary.append(min(ord(letter), 1999))
        tones.append(tone)
        case.append(0 if base == base.lower() else 1)
    return tuple(primary), tuple(tones), tuple(case)


def vi_sorted(names, key=None) -> list:
    """``sorted(names)`` in Vietnamese order; ``key`` picks the text of each item (default: the item itself)."""
    pick = key or (lambda x: x)
    return sorted(names, key=lambda x: vi_sort_key(pick(x)))
