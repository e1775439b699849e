"""The kinds of borrower the fund lends to (INTERCHANGE.md), with their names in documents."""

from __future__ import annotations

from .messages import N_

BORROWER_KIND_LABELS: dict[str, str] = {
    "htx": N_("Hợp tác xã"),
    "lhhtx": N_("Liên hiệp hợp tác xã"),
    "tht": N_("Tổ hợp tác"),
    "tv_htx": N_("Thành viên hợp tác xã"),
    "tv_tht": N_("Thành viên tổ hợp tác"),
    "other": N_("Khác"),
}
BORROWER_KINDS: tuple[str, ...] = tuple(BORROWER_KIND_LABELS)


def kind_label(kind: str) -> str:
    """"Hợp tác xã" for "htx"; the code itself when unknown."""
    return BORROWER_KIND_LABELS.get(kind, kind)
