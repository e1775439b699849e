"""The kinds of borrower the fund lends to (INTERCHANGE.md), with their names in documents."""

from __future__ import annotations

BORROWER_KIND_LABELS: dict[str, str] = {
    "htx": "Hợp tác xã",
    "lhhtx": "Liên hiệp hợp tác xã",
    "tht": "Tổ hợp tác",
    "tv_htx": "Thành viên hợp tác xã",
    "tv_tht": "Thành viên tổ hợp tác",
    "other": "Khác",
}
BORROWER_KINDS: tuple[str, ...] = tuple(BORROWER_KIND_LABELS)


def kind_label(kind: str) -> str:
    """"Hợp tác xã" for "htx"; the code itself when unknown."""
    return BORROWER_KIND_LABELS.get(kind, kind)
