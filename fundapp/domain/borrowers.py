"""The borrowers the fund lends to: their kinds (INTERCHANGE.md) with their names in documents, and the borrower as
every screen and paper names it."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class BorrowerInfo:
    """A borrower (HTX, LHHTX, THT…) as the fund names it on screen and on paper: ``code``, ``name``, ``kind`` (a key
    of ``BORROWER_KIND_LABELS``), tax code, representative, phone and place (address, ward, district, province).
    The papers print it as it is; the borrowers page's row (``services.borrowers.BorrowerRow``) adds its id, version
    and the rest of the record."""

    code: str
    name: str
    kind: str = ""
    tax_code: str = ""
    representative: str = ""
    phone: str = ""
    address: str = ""
    ward: str = ""
    district: str = ""
    province: str = ""

    @property
    def kind_label(self) -> str:
        """"Hợp tác xã" for "htx"; the code itself when unknown."""
        return kind_label(self.kind)

    @property
    def full_address(self) -> str:
        """Address, ward, district, province joined with commas, blanks skipped."""
        return ", ".join(p for p in (self.address, self.ward, self.district, self.province) if p)
