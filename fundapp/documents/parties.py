"""The two parties of a paper the fund and a borrower both sign (the contract's amendment, the reconciliation
minutes, the disbursement receipt, the repayment schedule): how the contract, the lender and the meeting are named.
Plain text from the document's values; nothing is computed here."""

from __future__ import annotations

from reportlab.platypus import Flowable

from fundapp.formatting import short_date

from .layout import director_signer, esc, name_in_sentence, para
from .model import FundInfo, LoanHeading


def contract_text(doc: LoanHeading) -> str:
    """The credit contract as a paper names it: "HD2022-024 ngày 29/10/2022", the number alone while unsigned."""
    return doc.loan_no + (f" ngày {short_date(doc.contract_date)}" if doc.contract_date else "")


def lender_pairs(fund: FundInfo) -> list[tuple[str, str]]:
    """The lender's printed (label, text) lines: the fund's name as in a sentence, its address when known, and the
    director (or the deputy who signs) who represents it when named."""
    director = director_signer(fund)
    pairs = [("Tên tổ chức:", name_in_sentence(fund.name))]
    if fund.address:
        pairs.append(("Địa chỉ:", fund.address))
    if director.name:
        pairs.append(("Người đại diện:", f"{director.name}, {director.title.capitalize()}"))
    return pairs


def met_line(when: str, fund: FundInfo) -> Flowable:
    """The opening of minutes or an amendment: "Hôm nay, ``when``, tại <the fund>, chúng tôi gồm:" (``when`` a date
    in words, e.g. ``long_date(day)``)."""
    return para(f"Hôm nay, {esc(when)}, tại {esc(name_in_sentence(fund.name))}, chúng tôi gồm:")
