"""Suggested file names for save dialogs: safe on Windows, macOS and Linux whatever a loan number holds."""

from __future__ import annotations

import unicodedata

MAX_LENGTH = 120  # characters of the whole name; Windows paths stay well under 260 in a usual folder
FALLBACK = "tai-lieu"


def safe_file_name(name: str, max_length: int = MAX_LENGTH) -> str:
    """``name`` made into one safe file name (no folder): a suggestion for a save dialog.

    In: a name built from the book's data, e.g. ``f"sao-ke-{loan_no}.pdf"``, its extension last. Out: the same
    name (NFC) with path separators, the characters Windows refuses (``<>:"/\\|?*``), control characters and
    reserved device names made harmless (CON → CON_), no leading or trailing dots or spaces, at most
    ``max_length`` characters with the extension kept ("sao-ke-..-a-b.pdf" for loan "../a/b"). Never empty:
    "tai-lieu" stands for a name with nothing left. Raises nothing.
    """
    from pathvalidate import sanitize_filename

    name = unicodedata.normalize("NFC", str(name))
    stem, dot, ext = name.rpartition(".")
    if not dot or not 1 <= len(ext) <= 5 or not ext.isalnum():
        stem, ext = name, ""
    ext = sanitize_filename(ext, replacement_text="", platform="universal")
    stem = sanitize_filename(stem.replace("/", "-").replace("\\", "-"), replacement_text="-", platform="windows")
    stem = stem.strip(" .") or FALLBACK
    room = max(1, max_length - (len(ext) + 1 if ext else 0))
    stem = stem[:room].rstrip(" .") or FALLBACK
    return f"{stem}.{ext}" if ext else stem
