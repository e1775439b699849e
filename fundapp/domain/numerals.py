"""A number written as text (typed in a form, read from a file or an option) read only in the forms an officer means.

Python's ``int()`` and ``Decimal()`` read more than any officer writes: «1_5» is 15 (underscores group digits),
«１５» (full-width), «١٥» (Arabic-Indic) or «१५» (Devanagari) are 15. A number's text goes through ``numeral`` before
any of them reads it: ASCII only inside, no «_». Around it, every Unicode whitespace goes, as ``str.strip()`` trims it
(``AROUND``): a thin space (U+2009), a narrow no-break space (U+202F), an ideographic space (U+3000) or a file
separator (U+001C) pasted from a PDF, a web page or Excel is no part of the number, and every reader of the program
trims the same. Each place then reads it as before and refuses the rest with its own message.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# what str.strip() trims (every str.isspace() character), spelled out for the readers that strip(AROUND): spaces of
# every width, tabs, line breaks, the separators U+001C–U+001F that a pasted cell may carry
AROUND = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
          "\u200a\u2028\u2029\u202f\u205f\u3000")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_COMMA_DECIMAL = re.compile(r"[+-]?([0-9]+,[0-9]*|,[0-9]+)")  # «7,2», «+7,2», «,5», «7,»: as Decimal reads «7.», «.5»


def numeral(text: str) -> str | None:
    """``text`` without the whitespace at its ends (``AROUND``, as ``str.strip()``), when every character left is
    printable ASCII other than «_» (a number's digits, sign, decimal mark and exponent; what else is there the reader
    refuses); None otherwise: «1_5», «１５», «١٥», «1\u30005» (a space of another script inside). "" for blank text."""
    core = text.strip(AROUND)
    return core if core.isascii() and core.isprintable() and "_" not in core else None


def decimal_comma(text: str) -> str:
    """One decimal comma among ASCII digits read as the point, as Excel under Vietnamese settings and the officer
    write it, wherever a dot would be read: "7,2" → "7.2", "-0,5" → "-0.5", "+7,2" → "+7.2", ",5" → ".5", "7," →
    "7."; any other text unchanged ("6,6,6", "1,5 %", "７,２", ",")."""
    return text.replace(",", ".") if _COMMA_DECIMAL.fullmatch(text) else text


def to_decimal(text: str) -> Decimal | None:
    """``numeral(text)`` read by ``Decimal`` (a dot as the decimal mark, an exponent allowed: "1E-7"); None for text
    that is no numeral or that Decimal does not read. NaN and infinities come back as Decimals: the caller refuses
    them in its own words, as it refuses more decimal places than it keeps."""
    core = numeral(text)
    if not core:
        return None
    try:
        return Decimal(core)
    except InvalidOperation:
        return None


def to_int(text: str) -> int | None:
    """``numeral(text)`` as a whole number: an optional sign and ASCII digits ("36", "-3", "+5"); None otherwise
    ("3.0", "1_2", "１２", "" , or more digits than Python converts)."""
    core = numeral(text)
    if core is None or not _INTEGER.fullmatch(core):
        return None
    try:
        return int(core)
    except ValueError:  # past sys.get_int_max_str_digits()
        return None


def unsigned_zero(value: Decimal) -> Decimal:
    """``value`` with a negative zero made positive («-0» → «0», «-0.0» → «0.0»), as a rate or percentage is stored
    and shown; any other value unchanged."""
    return value.copy_abs() if value.is_zero() else value
