"""The plain values every printed document takes: who the fund is, who borrowed, and the loan's figures.

The services layer fills these from the ledger and the domain engine; the renderers only lay them
out. Money is int đồng, rates are Decimal; nothing here computes a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from fundapp.domain.borrowers import BorrowerInfo
from fundapp.domain.engine import Allocation, Balances, Installment, Kind, Quote, Transaction, ordered
from fundapp.domain.reporting import LifeEvent
from fundapp.domain.terms import LoanTerms
from fundapp.domain.terms_in_force import TermsInForce


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
    # the fund's bank account for transfers: NAPAS BIN (6 digits), account number and name (VietQR, issue 16)
    bank_bin: str = ""
    bank_account: str = ""
    bank_account_name: str = ""


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
    amount: int | None  # None: the entry moves no money (a restructuring, ``event_words.figure``), printed «-»
    principal: int = 0
    interest: int = 0
    overdue_interest: int = 0
    late_interest: int = 0
    reversed: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class LoanHeading:
    """The loan a paper is about, as every loan paper heads it: the fund, the borrower, the loan's number, contract
    date (None: not signed yet), purpose and terms (rate %/năm or %/tháng, term and frequency in months)."""

    fund: FundInfo
    borrower: BorrowerInfo
    loan_no: str
    contract_date: date | None
    purpose: str
    terms: LoanTerms


@dataclass(frozen=True, slots=True)
class LoanDocument(LoanHeading):
    """Everything a loan document prints, as of ``as_of``.

    ``balances``, ``schedule`` and ``quote`` come from ``domain.engine.replay``/``quote``, ``terms_in_force`` from
    ``domain.terms_in_force`` (the term and grace as restructurings in force on ``as_of`` set them);
    ``number`` is the document number text, e.g. "05/SK-QHT"; ``issued_on`` the day the paper is made (its date
    line, «Quảng Trị, ngày …»; None: ``as_of``), which may be after the day its figures are of. ``closed_on`` is the day the loan was settled and
    ``written_off_on`` the day it was written off (DOMAIN.md "A repayment on day t", "Write-off on day t"), each
    None when it was not by ``as_of``: a paper of such a loan, or of one not disbursed yet (``disbursed`` 0), asks
    for no payment (``standing``).
    """

    as_of: date
    balances: Balances
    schedule: tuple[Installment, ...] = ()
    history: tuple[HistoryLine, ...] = ()
    quote: Quote | None = None
    number: str = ""
    disbursed: int = 0
    recipients: tuple[str, ...] = field(default_factory=tuple)
    life_events: tuple[LifeEvent, ...] = ()  # restructurings, reliefs, write-off and recoveries to ``as_of``
    terms_in_force: TermsInForce | None = None  # the terms in force at ``as_of`` (None: the contract's ``terms``)
    issued_on: date | None = None
    closed_on: date | None = None
    written_off_on: date | None = None

    @property
    def standing(self) -> str:
        """Why nothing is payable on the loan at ``as_of``: "written_off" (DOMAIN.md "Write-off on day t": nothing is
        due from then on), "settled" (closed), "not_disbursed" (nothing lent yet: no schedule, nothing owed), or ""
        for a loan running, whose statement prints what is payable and the settlement amount."""
        if self.written_off_on is not None:
            return "written_off"
        if self.closed_on is not None:
            return "settled"
        return "not_disbursed" if self.disbursed == 0 else ""

    @property
    def dated(self) -> date:
        """The paper's own date (its date line): the day it is issued, ``as_of`` when none is given."""
        return self.issued_on or self.as_of


def history_lines(
    transactions: Sequence[Transaction],
    allocations: Sequence[Allocation],
    reversed_entries: Sequence[Transaction] = (),
) -> tuple[HistoryLine, ...]:
    """History lines from the posted entries and ``replay(...).allocations``, plus entries later
    reversed (shown cancelled). Pure copying: each repayment takes its own Allocation's split.

    ``transactions`` are the entries still in force (those replayed); allocations pair with their
    repayments in replay order.
    """
    lines: list[HistoryLine] = []
    splits = iter(allocations)
    for tx in ordered(transactions):
        if tx.kind is Kind.DISBURSEMENT:
            lines.append(HistoryLine(tx.on, "disbursement", tx.reference, tx.amount, principal=tx.amount))
            continue
        a = next(splits, None)
        if a is None:  # replayed only up to as_of: later repayments have no split yet
            break
        lines.append(
            HistoryLine(tx.on, "repayment", tx.reference, tx.amount, a.principal, a.interest, a.overdue_interest,
                        a.late_interest, note="Tất toán" if a.settled else "")
        )
    for tx in reversed_entries:
        lines.append(HistoryLine(tx.on, str(tx.kind), tx.reference, tx.amount, reversed=True, note="Đã hủy"))
    return tuple(sorted(lines, key=lambda h: (h.on, h.kind != "disbursement")))


@dataclass(frozen=True, slots=True)
class DueItem:
    """One installment falling due in the notice's month, with the loan it belongs to."""

    loan_no: str
    installment: Installment
    contract_date: date | None = None
    principal_outstanding: int = 0


@dataclass(frozen=True, slots=True)
class ArrearsLine:
    """What one loan owes on the notice's date and is already due: the engine's ``quote`` on that day (its
    principal and interest due, overdue and late-payment interest, in-term interest payable after the last due date
    and ``due_now``, all đồng; DOMAIN.md "A repayment on day t", "Daily accrual") and the loan's days past due."""

    loan_no: str
    quote: Quote
    days_past_due: int = 0


@dataclass(frozen=True, slots=True)
class DueNotice:
    """A notice of debt due (thông báo nợ đến hạn) to one borrower for the installments due in a month, and for
    a borrower in arrears what is already due and unpaid on ``issued_on`` (issue 10.2).

    ``items`` are the month's installments still unpaid (actual interest once due, projected after
    ``issued_on``); ``arrears`` the loans' amounts due and unpaid on ``issued_on`` (these include the month's
    installments due by then); ``total`` = arrears totals + the items not yet due on ``issued_on``, đồng, the
    domain's ``figures.notice_total`` (``services.documents.due_notice`` fills it; the notice only prints it).
    """

    fund: FundInfo
    borrower: BorrowerInfo
    year: int
    month: int
    issued_on: date
    items: tuple[DueItem, ...]
    total: int
    number: str = ""
    pay_to: str = ""
    recipients: tuple[str, ...] = ()
    arrears: tuple[ArrearsLine, ...] = ()
    not_yet_due: int = 0  # the part of ``total`` from installments due after ``issued_on``

    @property
    def overdue(self) -> bool:
        """True when one of the arrears lines is past due (days past due > 0): the notice then says so."""
        return any(a.days_past_due > 0 for a in self.arrears)


    @property
    def items_in_arrears(self) -> tuple[DueItem, ...]:
        """The month's installments already counted in the arrears lines: those due on or before ``issued_on``
        (their loan's quote holds them), none without arrears lines; the others make ``not_yet_due``
        (``figures.notice_total``'s split). The notice says which of its rows the arrears include."""
        if not self.arrears:
            return ()
        return tuple(i for i in self.items if i.installment.due_on <= self.issued_on)
