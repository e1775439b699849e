"""Debt reconciliation minutes (biên bản đối chiếu công nợ) between the fund and a borrower."""

from __future__ import annotations

from reportlab.platypus import Flowable

from fundapp.formatting import long_date, short_date, vnd

from .layout import (
    PARTIES_A_B,
    DocumentStart,
    Signer,
    build_pdf,
    director_signer,
    esc,
    info_table,
    kept_together,
    national_heading,
    para,
    party_signers,
    signature_blocks,
    title_block,
)
from .model import LoanDocument
from .parties import met_line
from .restructuring import events_section
from .sections import (
    amounts_payable,
    balances_section,
    borrower_pairs,
    heading,
    history_table,
    loan_pairs,
    table_heading,
)


def reconciliation_story(doc: LoanDocument, met_on: str = "") -> list[Flowable]:
    """The minutes: who met, the loan, the balances as of ``doc.as_of`` (with amount lent and
    disbursed), the entries, what is payable on the quote's day item by item and the settlement amount, in words
    (``sections.amounts_payable``, the statement's), the agreement and both parties' signatures.
    ``met_on`` is the meeting's date text; ``long_date(doc.dated)`` (the day the minutes are made) when empty."""
    fund = doc.fund
    as_of = short_date(doc.as_of)
    director = director_signer(fund)
    fund_people = [
        ("Ông/Bà:", f"{director.name} - {director.title.capitalize()}" if director.name else ""),
        ("Ông/Bà:", f"{fund.chief_accountant} - Kế toán trưởng" if fund.chief_accountant else ""),
    ]
    story: list[Flowable] = [
        DocumentStart(),
        national_heading(fund, doc.number, long_date(doc.dated, fund.place)),
        *title_block("Biên bản đối chiếu công nợ", f"Hợp đồng tín dụng số {doc.loan_no}",
                     f"Số liệu tính đến hết ngày {as_of}"),
        met_line(met_on or long_date(doc.dated), fund),
        heading(f"BÊN A (BÊN CHO VAY): {esc(fund.name.upper())}"),
        info_table([(k, v) for k, v in [("Địa chỉ:", fund.address), *fund_people] if v]),
        heading(f"BÊN B (BÊN VAY): {esc(doc.borrower.name.upper())}"),
        info_table(borrower_pairs(doc.borrower)[1:]),
        para("Hai bên cùng đối chiếu công nợ của khoản vay dưới đây và xác nhận số liệu như sau:"),
        heading("I. KHOẢN VAY"),
        info_table(loan_pairs(doc)),
        balances_section(doc, f"II. SỐ DƯ NỢ ĐẾN HẾT NGÀY {as_of}",
                         extra=[["Số tiền vay theo hợp đồng", vnd(doc.terms.amount)],
                                ["Số tiền đã giải ngân", vnd(doc.disbursed)]]),
        *table_heading("III. CÁC GIAO DỊCH ĐÃ PHÁT SINH"),
        para("Đơn vị tính: đồng", "unit"),
        history_table(doc.history),
        *events_section(doc),
    ]
    # what is payable, the conclusion and the signatures on one page, as on the statement: the signatures were alone
    # on page 3 once section IV listed what is payable item by item
    story.append(kept_together([
        *(amounts_payable(doc, "IV") if doc.quote is not None else []),
        heading("KẾT LUẬN"),
        para(
            "Hai bên thống nhất số liệu đối chiếu trên. Nếu có sai lệch, Bên B thông báo cho Bên A trong 10 ngày "
            "kể từ ngày nhận biên bản; quá thời hạn trên, số liệu được coi là đã xác nhận. Biên bản được lập thành "
            "02 bản có giá trị như nhau, mỗi bên giữ 01 bản."
        ),
        signature_blocks(party_signers(fund, doc.borrower.representative, PARTIES_A_B,
                                       between=[Signer("KẾ TOÁN TRƯỞNG", fund.chief_accountant)])),
    ]))
    return story


def reconciliation_pdf(doc: LoanDocument, met_on: str = "") -> bytes:
    """The reconciliation minutes of ``doc`` as PDF bytes (A4 portrait)."""
    return build_pdf(reconciliation_story(doc, met_on), title=f"Biên bản đối chiếu công nợ {esc(doc.loan_no)}",
                     author=doc.fund.name)
