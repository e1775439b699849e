"""The plain values every printed document takes: who the fund is, who borrowed, and the loan's figures.

The services layer fills these from the ledger and the domain engine; the renderers only lay them
out. Money is int đồng, rates are Decimal; nothing here computes a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fundapp.domain.engine import Balances, Installment, Quote
from fundapp.domain.terms import LoanTerms

BORROWER_KIND_LABELS = {
    "htx": "Hợp tác xã",
    "lhhtx": "Liên hiệp hợp tác xã",
    "tht": "Tổ hợp tác",
}


@dataclass(frozen=True, slots=True)
class FundInfo:
    """The issuing fund as it appears in headings and signature blocks."""

    parent_body: str = "LIÊN MINH HỢP TÁC XÃ TỈNH QUẢNG TRỊ"
    name: str = "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ"
    abbreviation: str = "QHT"
    place: str = "Quảng Trị"
    address: str = ""
    phone: str = ""
    director: str = ""
    deputy_director: str = ""
    chief_accountant: str = ""
    preparer: str = ""
    # When True the deputy signs "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" on the director's behalf
    deputy_signs: bool = False


@dataclass(frozen=True, slots=True)
class BorrowerInfo:
    """A borrower (HTX, LHHTX, THT) as printed; ``kind`` is the code "htx"/"lhhtx"/"tht"."""

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
        return BORROWER_KIND_LABELS.get(self.kind, self.kind)

    @property
    def full_address(self) -> str:
        """Address, ward, district, province joined with commas, blanks skipped."""
        return ", ".join(p for p in (self.address, self.ward, self.district, self.province) if p)


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One posted entry of the loan as printed in a statement.

    ``kind`` is "disbursement", "repayment" or "reversal". For a repayment the split comes from
    the engine's Allocation (principal includes any prepaid principal). ``reversed`` marks an entry
    later cancelled by a reversal: it is printed struck through with "Đã hủy".
    """

    on: date
    kind: str
    reference: str
    amount: int
    principal: int = 0
    interest: int = 0
    overdue_interest: int = 0
    late_interest: int = 0
    reversed: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class LoanDocument:
    """Everything a loan document prints, as of ``as_of``.

    ``balances``, ``schedule`` and ``quote`` come from ``domain.engine.replay``/``quote``;
    ``number`` is the document number text, e.g. "05/SK-QHT".
    """

    fund: FundInfo
    borrower: BorrowerInfo
    loan_no: str
    contract_date: date | None
    purpose: str
    terms: LoanTerms
    as_of: date
    balances: Balances
    schedule: tuple[Installment, ...] = ()
    history: tuple[HistoryLine, ...] = ()
    quote: Quote | None = None
    number: str = ""
    disbursed: int = 0
    recipients: tuple[str, ...] = field(default_factory=tuple)
