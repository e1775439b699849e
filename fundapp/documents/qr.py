"""The VietQR block of notices and statements: the code (reportlab's own QR widget) and the transfer details beside it."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from fundapp.domain.vietqr import payload, transfer_note
from fundapp.formatting import vnd

from .layout import esc, para
from .model import FundInfo

SIZE = 32 * mm


def qr_drawing(text: str, size: float = SIZE) -> Drawing:
    """A square Drawing of ``size`` points holding the QR code of ``text`` (error correction M)."""
    widget = QrCodeWidget(text, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return d


def vietqr_block(fund: FundInfo, amount: int, note_parts: Sequence[str]) -> list[Flowable]:
    """The QR to pay ``amount`` đồng (the figure the document shows as payable; 0: the payer types it) to the
    fund's account with the transfer note of ``note_parts`` (the document's number, then the loan's number or the
    borrower's code: ``domain.vietqr.transfer_note`` keeps the whole parts that fit the field); [] when Settings hold
    no bank BIN and account."""
    if not (fund.bank_bin and fund.bank_account):
        return []
    note = transfer_note(note_parts)
    text = payload(fund.bank_bin, fund.bank_account, amount or None, note)
    lines = [para("<b>Chuyển khoản bằng mã VietQR</b> (quét bằng ứng dụng ngân hàng):"),
             para(f"Tài khoản: {esc(fund.bank_account)}" + (f" — {esc(fund.bank_account_name)}"
                                                            if fund.bank_account_name else "")),
             para(f"Số tiền: {vnd(amount)}" if amount else "Số tiền: khách hàng tự nhập"),
             para(f"Nội dung chuyển khoản: {esc(note)}")]
    table = Table([[qr_drawing(text), lines]], colWidths=[SIZE + 4 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [table]
