"""Disbursement receipt (giấy nhận nợ): the borrower acknowledges one tranche."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from fundapp.formatting import long_date, short_date, vnd

from .layout import (
    DocumentStart,
    build_pdf,
    esc,
    fund_signers,
    info_table,
    national_heading,
    para,
    party_signers,
    signature_blocks,
    title_block,
    words_line,
)
from .model import HistoryLine, LoanDocument
from .parties import lender_pairs
from .sections import borrower_pairs, heading, terms_text

LABEL = 52 * mm
# The receipt fits one page: the borrower's code and kind are on the contract already
_SKIP = ("Mã khách hàng:", "Loại hình:", "Điện thoại:")


def receipt_story(doc: LoanDocument, tranche: HistoryLine, tranche_no: int = 0) -> list[Flowable]:
    """The receipt for ``tranche`` (a disbursement line of ``doc.history``); ``doc.disbursed`` is
    the total received up to and including it; ``tranche_no`` prints "lần thứ …" when given."""
    fund = doc.fund
    contract = doc.loan_no + (f" ký ngày {short_date(doc.contract_date)}" if doc.contract_date else "")
    last_due = doc.schedule[-1].due_on if doc.schedule else None
    times = f" lần thứ {tranche_no}" if tranche_no else ""
    tranche_pairs = [
        (f"Số tiền nhận nợ{times}:", vnd(tranche.amount)),
        ("Ngày nhận nợ:", short_date(tranche.on) + (f" (chứng từ {tranche.reference})" if tranche.reference else "")),
    ]
    if doc.disbursed:
        tranche_pairs.append(("Tổng số đã nhận nợ:", f"{vnd(doc.disbursed)} (kể cả lần này)"))
    if last_due:
        tranche_pairs.append(("Hạn trả nợ cuối cùng:", short_date(last_due)))
    story: list[Flowable] = [
        DocumentStart(),
        national_heading(fund, doc.number, long_date(tranche.on, fund.place)),
        *title_block("Giấy nhận nợ", f"Hợp đồng tín dụng số {contract}"),
        heading("BÊN CHO VAY"),
        info_table([(k, v) for k, v in lender_pairs(fund) if v], label_width=LABEL),
        heading("BÊN VAY"),
        info_table([p for p in borrower_pairs(doc.borrower) if p[0] not in _SKIP], label_width=LABEL),
        heading("NỘI DUNG NHẬN NỢ"),
        info_table(tranche_pairs[:1], label_width=LABEL),
        words_line(tranche.amount),
        info_table([*tranche_pairs[1:], *terms_text(doc.terms, doc.terms_in_force)], label_width=LABEL),
        para(
            "Bên vay xác nhận đã nhận đủ số tiền trên, cam kết sử dụng vốn vay đúng mục đích, trả nợ gốc và lãi "
            "đúng hạn theo lịch trả nợ. Giấy nhận nợ này là bộ phận không tách rời của hợp đồng tín dụng, "
            "lập thành 02 bản, mỗi bên giữ 01 bản."
        ),
        signature_blocks(party_signers(fund, doc.borrower.representative,
                                       between=fund_signers(fund, preparer=False)[:1])),
    ]
    return story


def receipt_pdf(doc: LoanDocument, tranche: HistoryLine, tranche_no: int = 0) -> bytes:
    """The disbursement receipt for one tranche as PDF bytes (A4 portrait)."""
    return build_pdf(receipt_story(doc, tranche, tranche_no), title=f"Giấy nhận nợ {esc(doc.loan_no)}",
                     author=doc.fund.name)
