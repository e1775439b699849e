"""Repayment schedule (lịch trả nợ) attached to a loan contract."""

from __future__ import annotations

from reportlab.platypus import Flowable

from fundapp.formatting import long_date

from .layout import (
    DocumentStart,
    build_pdf,
    esc,
    kept_together,
    national_heading,
    para,
    party_signers,
    signature_blocks,
    title_block,
)
from .model import LoanDocument
from .parties import contract_text
from .sections import heading, parties_section, schedule_table


def schedule_story(doc: LoanDocument) -> list[Flowable]:
    """Heading, parties and terms, every installment (with what is already paid), both parties' signatures."""
    table, *notes = schedule_table(doc.schedule)
    return [
        DocumentStart(),
        national_heading(doc.fund, doc.number, long_date(doc.dated, doc.fund.place)),
        *title_block("Lịch trả nợ", f"Kèm theo Hợp đồng tín dụng số {contract_text(doc)}"),
        *parties_section(doc),
        heading("II. LỊCH TRẢ NỢ GỐC VÀ LÃI"),
        para("Đơn vị tính: đồng", "unit"),
        table,
        # the footnotes and the signatures on one page: the signatures are never alone on the last page
        kept_together([
            *notes,  # what a projected interest is: schedule_table's one footnote, only when a row is projected
            para("Bên vay trả nợ đúng hạn theo lịch này; quá hạn chịu lãi quá hạn và lãi chậm trả theo hợp đồng.",
                 "small"),
            signature_blocks(party_signers(doc.fund, doc.borrower.representative)),
        ]),
    ]


def schedule_pdf(doc: LoanDocument) -> bytes:
    """The repayment schedule of ``doc`` as PDF bytes (A4 portrait)."""
    return build_pdf(schedule_story(doc), title=f"Lịch trả nợ {esc(doc.loan_no)}", author=doc.fund.name)
