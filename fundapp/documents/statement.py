"""Loan statement (sao kê khoản vay) as of a date."""

from __future__ import annotations

from reportlab.platypus import Flowable

from fundapp.formatting import long_date, short_date

from .layout import DocumentStart, build_pdf, esc, fund_signers, national_heading, para, signature_blocks, title_block
from .model import LoanDocument
from .restructuring import events_section
from .sections import balances_table, heading, history_table, parties_section, payable_section, schedule_table


def statement_story(doc: LoanDocument) -> list[Flowable]:
    """The statement's flowables: heading, parties and terms, balances, history, remaining schedule,
    amounts payable (in figures and words) and the fund's signatures."""
    as_of = short_date(doc.as_of)
    story: list[Flowable] = [
        DocumentStart(),
        national_heading(doc.fund, doc.number, long_date(doc.dated, doc.fund.place)),
        *title_block("Sao kê khoản vay", f"Hợp đồng tín dụng số {doc.loan_no}", f"Tính đến hết ngày {as_of}"),
        *parties_section(doc),
        heading(f"II. SỐ DƯ ĐẾN HẾT NGÀY {as_of}"),
        balances_table(doc.balances),
        heading("III. LỊCH SỬ GIAO DỊCH"),
        para("Đơn vị tính: đồng", "unit") if doc.history else para("", "small"),
        history_table(doc.history),
        *events_section(doc),
        heading("IV. LỊCH TRẢ NỢ CÒN LẠI"),
    ]
    remaining = [k for k in doc.schedule if k.principal_paid < k.principal or k.interest_paid < k.interest]
    if remaining:
        story.append(para("Đơn vị tính: đồng", "unit"))
    story += schedule_table(remaining)
    if doc.quote is not None:
        from .qr import vietqr_block

        story += [heading(f"V. SỐ TIỀN PHẢI TRẢ NGÀY {short_date(doc.quote.on)}"), *payable_section(doc.quote),
                  *vietqr_block(doc.fund, doc.quote.due_now, f"{doc.loan_no} {doc.number}".strip())]
    story.append(signature_blocks(fund_signers(doc.fund)))
    return story


def statement_pdf(doc: LoanDocument) -> bytes:
    """The loan statement of ``doc`` as PDF bytes (A4 portrait)."""
    return build_pdf(statement_story(doc), title=f"Sao kê khoản vay {esc(doc.loan_no)}", author=doc.fund.name)
