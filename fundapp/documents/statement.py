"""Loan statement (sao kê khoản vay) as of a date."""

from __future__ import annotations

from reportlab.platypus import Flowable

from fundapp.formatting import long_date, short_date

from .layout import (
    DocumentStart,
    build_pdf,
    esc,
    fund_signers,
    kept_together,
    national_heading,
    para,
    signature_blocks,
    title_block,
)
from .model import LoanDocument
from .restructuring import events_section
from .sections import (
    amounts_payable,
    balances_section,
    history_table,
    parties_section,
    schedule_table,
    standing_words,
    table_heading,
)


def statement_story(doc: LoanDocument) -> list[Flowable]:
    """The statement's flowables: heading, parties and terms, balances, history, remaining schedule,
    amounts payable (in figures and words) and the fund's signatures."""
    as_of = short_date(doc.as_of)
    story: list[Flowable] = [
        DocumentStart(),
        national_heading(doc.fund, doc.number, long_date(doc.dated, doc.fund.place)),
        *title_block("Sao kê khoản vay", f"Hợp đồng tín dụng số {doc.loan_no}", f"Tính đến hết ngày {as_of}"),
        *parties_section(doc),
        balances_section(doc, f"II. SỐ DƯ ĐẾN HẾT NGÀY {as_of}"),
        *table_heading("III. LỊCH SỬ GIAO DỊCH"),
        para("Đơn vị tính: đồng", "unit") if doc.history else para("", "small"),
        history_table(doc.history),
        *events_section(doc),
        *table_heading("IV. LỊCH TRẢ NỢ CÒN LẠI"),
    ]
    standing = doc.standing
    # what is still owed, as the domain has it (``Installment.unpaid``: relieved interest is not owed): an installment
    # paid in part and relieved of the rest was listed as left to pay (HD2023-011's 3rd: an officer's trial)
    remaining = [k for k in doc.schedule if k.unpaid > 0]
    if standing in ("written_off", "not_disbursed"):  # a written-off loan's schedule stays as it stood, nothing due
        story.append(para(f"{standing_words(doc)}: không còn kỳ trả nợ nào." if standing == "written_off"
                          else f"{standing_words(doc)}: chưa có lịch trả nợ.", "italic"))
    else:
        if remaining:
            story.append(para("Đơn vị tính: đồng", "unit"))
        story += schedule_table(remaining)
    closing: list[Flowable] = []
    if doc.quote is not None:
        closing += amounts_payable(doc, "V")
        if not standing:  # nothing to pay: no code inviting a transfer
            from .qr import vietqr_block

            closing += vietqr_block(doc.fund, doc.quote.due_now, [doc.number, doc.loan_no])
    # what is payable and the signatures on one page: the signatures are never alone on the last page
    story.append(kept_together([*closing, signature_blocks(fund_signers(doc.fund))]))
    return story


def statement_pdf(doc: LoanDocument) -> bytes:
    """The loan statement of ``doc`` as PDF bytes (A4 portrait)."""
    return build_pdf(statement_story(doc), title=f"Sao kê khoản vay {esc(doc.loan_no)}", author=doc.fund.name)
