"""Vietnamese amounts in words, in the formal style of bank and invoice practice.

Written here because num2words' Vietnamese misreads 2024, 1010, 1.000.050, 10^15, negatives,
and a GPL package would bind our licence. Rules (shared/golden/words.json): zero hundreds read
"không trăm" inside a number, zero tens "linh" (or "lẻ" by setting), 1 after a tens digit ≥ 2
"mốt", 5 after a tens digit "lăm", empty groups of three skipped; above a tỷ the count of tỷ
is read again ("một nghìn tỷ", "một triệu tỷ").
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")  # groups of three below a tỷ
BILLION = 10**9


def _three(n: int, full: bool, zero_tens: str) -> list[str]:
    """Words of 0 < n < 1000; ``full`` reads a leading "không trăm" (a group inside a number)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append(zero_tens)
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def _below_billion(n: int, leading: bool, zero_tens: str) -> list[str]:
    """Words of 0 < n < 10^9; ``leading`` when nothing stands before it in the number."""
    groups = [(n // 10**6) % 1000, (n // 1000) % 1000, n % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        full = not leading or bool(words)
        words += _three(group, full, zero_tens)
        scale = SCALES[2 - index]
        if scale:
            words.append(scale)
    return words


def _words(n: int, leading: bool, zero_tens: str) -> list[str]:
    high, low = divmod(n, BILLION)
    words: list[str] = []
    if high:
        words += [*_words(high, leading, zero_tens), "tỷ"]
    if low:
        words += _below_billion(low, leading and not high, zero_tens)
    return words


def number_in_words(n: int, *, zero_tens: str = "linh") -> str:
    """Read an integer in Vietnamese: 2024 → "hai nghìn không trăm hai mươi bốn"."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("number_in_words takes an int")
    if zero_tens not in ("linh", "lẻ"):
        raise ValueError("zero_tens is 'linh' or 'lẻ'")
    if n == 0:
        return DIGITS[0]
    if n < 0:
        return "âm " + number_in_words(-n, zero_tens=zero_tens)
    return " ".join(_words(n, True, zero_tens))


def amount_in_words(dong: int, *, zero_tens: str = "linh") -> str:
    """The "Bằng chữ" line of a document: capitalised, followed by " đồng" (9.450.000.000 → "Chín tỷ …")."""
    text = number_in_words(dong, zero_tens=zero_tens) + " đồng"
    return text[0].upper() + text[1:]


def date_in_words(d) -> str:
    """A date read out as contracts write it: 2024-03-28 → "ngày hai mươi tám tháng ba năm hai nghìn không trăm
    hai mươi bốn" (``d``: a datetime.date; day and month as numbers in words, month 4 read "tư")."""
    month = "tư" if d.month == 4 else number_in_words(d.month)
    return f"ngày {number_in_words(d.day)} tháng {month} năm {number_in_words(d.year)}"
