"""Decree 30/2020's closing: the signature columns (party, authority, title, note, space, name), the
"Nơi nhận:" list and the two side by side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import _listWrapOn

from .model import FundInfo
from .page import BASE_STYLE, esc, frame_width, styles


@dataclass(frozen=True, slots=True)
class Signer:
    """One signature column: ``title`` ("GIÁM ĐỐC") and the printed name; optionally the party
    line on top ("ĐẠI DIỆN BÊN CHO VAY"), the authority line ("KT. GIÁM ĐỐC") and the note under
    the title ("(Ký, họ tên, đóng dấu)")."""

    title: str
    name: str = ""
    on_behalf: str = ""
    note: str = "(Ký, họ tên)"
    party: str = ""

def fund_signers(fund: FundInfo, preparer: bool = True, accountant: bool = True) -> list[Signer]:
    """The fund's usual signers left to right: preparer, chief accountant, director (or deputy)."""
    out = []
    if preparer:
        out.append(Signer("NGƯỜI LẬP BIỂU", fund.preparer))
    if accountant:
        out.append(Signer("KẾ TOÁN TRƯỞNG", fund.chief_accountant))
    out.append(director_signer(fund))
    return out


def director_signer(fund: FundInfo) -> Signer:
    """The director, or "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" with the deputy's name when the deputy signs."""
    if fund.deputy_signs:
        return Signer("PHÓ GIÁM ĐỐC", fund.deputy_director, on_behalf="KT. GIÁM ĐỐC", note="(Ký, họ tên, đóng dấu)")
    return Signer("GIÁM ĐỐC", fund.director, note="(Ký, họ tên, đóng dấu)")


# the party lines above the two sides' signatures: in the contract's words, or as minutes and amendments name them
LENDER_BORROWER = ("ĐẠI DIỆN BÊN VAY", "ĐẠI DIỆN BÊN CHO VAY")
PARTIES_A_B = ("ĐẠI DIỆN BÊN B", "ĐẠI DIỆN BÊN A")


def party_signers(fund: FundInfo, representative: str, parties: tuple[str, str] = LENDER_BORROWER,
                  between: Sequence[Signer] = ()) -> list[Signer]:
    """The signature columns of a paper the borrower and the fund both sign, left to right: the borrower's
    ``representative`` under ``parties[0]`` (with the seal note), then ``between`` (e.g. the chief accountant), then
    the director (or the deputy who signs) under ``parties[1]``."""
    borrower = Signer(parties[0], representative, note="(Ký, họ tên, đóng dấu)")
    return [borrower, *between, replace(director_signer(fund), party=parties[1])]


def _signer_titles(signer: Signer) -> list[Flowable]:
    s = styles()
    lines = [x for x in (signer.party, signer.on_behalf, signer.title) if x]
    cell: list[Flowable] = [Paragraph(esc(x).upper(), s["sign_title"]) for x in lines]
    if signer.note:
        cell.append(Paragraph(esc(signer.note), s["sign_note"]))
    return cell


def _signer_name(signer: Signer) -> Flowable | str:
    return Paragraph(esc(signer.name), styles()["sign_name"]) if signer.name else ""


# Room for the hand signature and the seal
SIGNATURE_SPACE = 20 * mm
_SIGN_STYLE = [
    *BASE_STYLE,
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 2),
    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ("TOPPADDING", (0, -1), (-1, -1), SIGNATURE_SPACE),
]


def signature_blocks(
    signers: Sequence[Signer], width: float | None = None, place_date: str = ""
) -> Flowable:
    """Signature columns side by side, names aligned on one line, kept together on one page;
    ``place_date`` (italic) sits above the rightmost column when given."""
    s = styles()
    width = width or frame_width()
    n = max(1, len(signers))
    rows: list[list[Any]] = []
    if place_date:
        rows.append([""] * (n - 1) + [Paragraph(esc(place_date), s["place_date"])])
    rows.append([_signer_titles(x) for x in signers])
    rows.append([_signer_name(x) for x in signers])
    table = Table(rows, colWidths=[width / n] * n, style=TableStyle(_SIGN_STYLE))
    return KeepTogether([Spacer(1, 2 * mm), table])


def kept_together(flowables: Sequence[Flowable], head: int = 0) -> KeepTogether:
    """``flowables`` kept on one page (moved whole to the next when they do not fit where they fall): a paper's last
    lines with its closing, so the signatures are never alone on a page. A KeepTogether among ``flowables`` (the
    signature blocks are one) is opened: reportlab measures a KeepTogether as 0xffffff high, so one inside another
    would always move to a new page. With ``head`` the first ``head`` flowables stay on the page where they fall when
    they fit there but the whole does not, and only the rest moves: a notice's total line is not carried to a second
    page with its signature, leaving the first 40 % blank (an officer's trial)."""
    flat: list[Flowable] = []
    for f in flowables:
        flat += f._content if isinstance(f, KeepTogether) else [f]
    return _HeadThenKept(flat, head) if head else KeepTogether(flat)


class _HeadThenKept(KeepTogether):
    """``kept_together``'s flowables, but the first ``head`` of them stay where they fall when they fit there and the
    whole does not: only the rest moves to the next page, kept together (``kept_together(..., head=n)``)."""

    def __init__(self, flowables: Sequence[Flowable], head: int) -> None:
        super().__init__(flowables)
        self._head = head

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        head, rest = self._content[:self._head], self._content[self._head:]
        if self._H > aH and head and _listWrapOn(head, aW, self.canv)[1] <= aH:
            return [*head, KeepTogether(rest)]
        return super().split(aW, aH)


def recipients_block(recipients: Sequence[str]) -> list[Flowable]:
    """"Nơi nhận:" in bold italics, then one "- …;" line per recipient, the last ending "- Lưu: VT."."""
    s = styles()
    lines = [f"- {esc(r)};" for r in recipients] + ["- Lưu: VT."]
    return [Paragraph("Nơi nhận:", s["recipients_title"]), *(Paragraph(t, s["recipients"]) for t in lines)]


def closing_block(recipients: Sequence[str], signer: Signer, width: float | None = None) -> Flowable:
    """Decree 30's closing: "Nơi nhận:" on the left beside the signer's block on the right."""
    width = width or frame_width()
    rows = [[recipients_block(recipients), _signer_titles(signer)], ["", _signer_name(signer)]]
    table = Table(rows, colWidths=[width * 0.5, width * 0.5], style=TableStyle([
        *_SIGN_STYLE, ("SPAN", (0, 0), (0, 1)), ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    return KeepTogether([Spacer(1, 2 * mm), table])
