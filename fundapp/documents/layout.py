"""Decree 30/2020 page furniture shared by every printed document and report.

Fonts (Liberation Serif, registered once), A4 portrait and landscape templates with Decree 30
margins, the two-column national heading, the title, signature blocks, "Nơi nhận:", tables of
plain strings with right-aligned money, and ``build_pdf`` which numbers pages "Trang x/y" at the
top from page 2 of each document (a batch of notices restarts the count per notice).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from fundapp.domain.words import amount_in_words
from fundapp.formatting import nfc
from fundapp.resources import resource_path

from .model import FundInfo

FONT = "LiberationSerif"
FONT_BOLD = "LiberationSerif-Bold"
FONT_ITALIC = "LiberationSerif-Italic"
FONT_BOLD_ITALIC = "LiberationSerif-BoldItalic"

PORTRAIT = A4
LANDSCAPE = landscape(A4)
# Decree 30/2020 Appendix I: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm

BODY_SIZE = 13
TABLE_SIZE = 10
CELL_PAD = 3
# Table's default cell font is Helvetica, drawn even for empty cells: name ours in every table
BASE_STYLE = [("FONT", (0, 0), (-1, -1), FONT, BODY_SIZE)]


@cache
def register_fonts() -> str:
    """Register the four Liberation Serif faces with reportlab (once) and return the family name."""
    faces = {
        FONT: "LiberationSerif-Regular.ttf",
        FONT_BOLD: "LiberationSerif-Bold.ttf",
        FONT_ITALIC: "LiberationSerif-Italic.ttf",
        FONT_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)
    return FONT


def frame_width(pagesize: tuple[float, float] = PORTRAIT) -> float:
    """The usable text width of a page (points) between Decree 30's left and right margins."""
    return pagesize[0] - MARGIN_LEFT - MARGIN_RIGHT


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in Liberation Serif: body, small, table, title, subtitle, heading, words, …"""
    register_fonts()

    def style(name: str, **kw: Any) -> ParagraphStyle:
        kw.setdefault("fontName", FONT)
        kw.setdefault("fontSize", BODY_SIZE)
        kw.setdefault("leading", kw["fontSize"] * 1.25)
        return ParagraphStyle(name, **kw)

    return {
        "body": style("body", alignment=TA_JUSTIFY, spaceAfter=3),
        "body_left": style("body_left", alignment=TA_LEFT),
        "small": style("small", fontSize=11),
        "italic": style("italic", fontName=FONT_ITALIC),
        "heading": style("heading", fontName=FONT_BOLD, spaceBefore=6, spaceAfter=3),
        "title": style("title", fontName=FONT_BOLD, fontSize=14, alignment=TA_CENTER, spaceBefore=10),
        "subtitle": style("subtitle", fontName=FONT_BOLD, alignment=TA_CENTER, spaceAfter=2),
        "center_italic": style("center_italic", fontName=FONT_ITALIC, alignment=TA_CENTER),
        "unit": style("unit", fontName=FONT_ITALIC, fontSize=11, alignment=TA_RIGHT, leading=13),
        "cell": style("cell", fontSize=TABLE_SIZE),
        "head_left": style("head_left", fontSize=12, alignment=TA_CENTER, leading=14.5),
        "head_left_bold": style("head_left_bold", fontName=FONT_BOLD, fontSize=12, alignment=TA_CENTER, leading=14.5),
        "head_right_bold": style("head_right_bold", fontName=FONT_BOLD, fontSize=12, alignment=TA_CENTER, leading=14.5),
        "motto": style("motto", fontName=FONT_BOLD, fontSize=13, alignment=TA_CENTER, leading=15.5),
        "number": style("number", alignment=TA_CENTER),
        "place_date": style("place_date", fontName=FONT_ITALIC, alignment=TA_CENTER),
        "sign_title": style("sign_title", fontName=FONT_BOLD, fontSize=12, alignment=TA_CENTER, leading=14.5),
        "sign_note": style("sign_note", fontName=FONT_ITALIC, fontSize=12, alignment=TA_CENTER, leading=14.5),
        "sign_name": style("sign_name", fontName=FONT_BOLD, fontSize=13, alignment=TA_CENTER),
        "recipients_title": style("recipients_title", fontName=FONT_BOLD_ITALIC, fontSize=12, leading=14),
        "recipients": style("recipients", fontSize=11, leading=13),
    }


def text_width(text: str, font: str = FONT, size: float = TABLE_SIZE) -> float:
    """Width of ``text`` in points as reportlab will draw it."""
    register_fonts()
    return pdfmetrics.stringWidth(text, font, size)


def ellipsize(text: str, width: float, font: str = FONT, size: float = TABLE_SIZE) -> str:
    """``text`` shortened with "…" so that it fits ``width`` points (one-line cells never overlap)."""
    limit = width - 2 * CELL_PAD - 1
    if text_width(text, font, size) <= limit:
        return text
    while text and text_width(text + "…", font, size) > limit:
        text = text[:-1]
    return text.rstrip() + "…"


def name_in_sentence(name: str) -> str:
    """An organisation's name written in capitals for headings ("QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG
    TRỊ") as it reads inside a sentence: "Quỹ hỗ trợ phát triển hợp tác xã tỉnh Quảng Trị" — the first letter and
    the place name after "tỉnh"/"thành phố" capitalised. A name not all in capitals is returned as typed."""
    if not name or not name.isupper():
        return name
    text = name.lower()
    for word in ("tỉnh", "thành phố"):  # the province (or city) is a proper name: "tỉnh Quảng Trị"
        at = text.rfind(f" {word} ")
        if at >= 0:
            start = at + len(word) + 2
            text = text[:start] + " ".join(w.capitalize() for w in text[start:].split(" "))
            break
    return text[0].upper() + text[1:]


def esc(text: str) -> str:
    """NFC text escaped for a Paragraph's mini-markup."""
    return nfc(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, style: str = "body") -> Paragraph:
    """A Paragraph in one of ``styles()``; ``text`` may hold <b>/<i> markup (escape data with ``esc``)."""
    return Paragraph(text, styles()[style])


class Rule(Flowable):
    """A short centred horizontal line (the rule under the fund name and the motto)."""

    def __init__(self, length: float, thickness: float = 0.6) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 5

    def draw(self) -> None:
        self.canv.setLineWidth(self.thickness)
        x = (self.width - self.length) / 2
        self.canv.line(x, 1, x + self.length, 1)


class DocumentStart(Flowable):
    """Zero-size marker: a new document starts on this page (page numbers restart in a batch)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._fund_doc_starts.add(self.canv.getPageNumber())  # type: ignore[attr-defined]


def _balanced(text: str, font: str, size: float, width: float) -> str:
    """Escaped ``text``, broken into two lines of near-equal width when it does not fit ``width``."""
    if text_width(text, font, size) <= width - 4:
        return esc(text)
    words = text.split()
    best = min(
        range(1, len(words)),
        key=lambda i: abs(text_width(" ".join(words[:i]), font, size) - text_width(" ".join(words[i:]), font, size)),
        default=len(words),
    )
    return esc(" ".join(words[:best])) + "<br/>" + esc(" ".join(words[best:]))


def national_heading(
    fund: FundInfo, number: str, place_date: str, width: float | None = None
) -> Table:
    """Decree 30's heading: the fund (parent body, bold name, rule, "Số: …") on the left; the
    national title and motto (with rule) on the right, place and date in italics on the number's line.

    ``number`` is the document number text ("05/TB-QHT"); ``place_date`` usually ``long_date(d, place)``.
    """
    s = styles()
    width = width or frame_width()
    motto = "Độc lập - Tự do - Hạnh phúc"
    nation = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # The right column must hold the national title on one line; the fund's side takes the rest
    right = min(text_width(nation, FONT_BOLD, 12) + 12, width * 0.62)
    left = width - right
    fund_name = nfc(fund.name).upper()
    left_cell = [
        Paragraph(_balanced(nfc(fund.parent_body).upper(), FONT, 12, left), s["head_left"]),
        Paragraph(_balanced(fund_name, FONT_BOLD, 12, left), s["head_left_bold"]),
        Rule(min(text_width(fund_name, FONT_BOLD, 12), left - 8) / 3),
    ]
    right_cell = [
        Paragraph(nation, s["head_right_bold"]),
        Paragraph(motto, s["motto"]),
        Rule(text_width(motto, FONT_BOLD, 13)),
    ]
    number_cell = Paragraph(f"Số: {esc(number)}" if number else "Số: ……", s["number"])
    table = Table(
        [[left_cell, right_cell], [number_cell, Paragraph(esc(place_date), s["place_date"])]],
        colWidths=[left, right],
    )
    table.setStyle(
        TableStyle(
            [
                *BASE_STYLE,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 4),
            ]
        )
    )
    return table


def title_block(title: str, *subtitles: str) -> list[Flowable]:
    """The document's name in bold capitals, then centred lines (e.g. "V/v …", "Tính đến ngày …")."""
    s = styles()
    out: list[Flowable] = [Spacer(1, 4 * mm), Paragraph(esc(title).upper(), s["title"])]
    out += [Paragraph(esc(line), s["subtitle"] if i == 0 else s["center_italic"]) for i, line in enumerate(subtitles)]
    out.append(Spacer(1, 3 * mm))
    return out


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


def words_line(amount: int, style: str = "italic") -> Paragraph:
    """"Bằng chữ: Chín tỷ … đồng." from the domain's amount_in_words."""
    return Paragraph(f"Bằng chữ: {esc(amount_in_words(amount))}.", styles()[style])


def fit_widths(
    rows: Sequence[Sequence[str]],
    header: Sequence[str],
    width: float,
    flexible: Sequence[int] = (),
    size: float = TABLE_SIZE,
) -> list[float]:
    """Column widths that hold the widest cell of each fixed column (no clipping), the rest of
    ``width`` shared by the ``flexible`` columns (their text should wrap or be short).

    Header cells may contain "\\n" (each line measured). Only distinct strings are measured.
    """
    n = len(header)
    widest = [0.0] * n
    for c in range(n):
        seen = {r[c] for r in rows if c < len(r)} | set(header[c].split("\n"))
        # Measure the longest few strings only: digits and đ have near-equal advances
        cands = sorted(seen, key=len, reverse=True)[:8]
        font = FONT
        widest[c] = max((text_width(t, font, size) for t in cands), default=0.0)
        widest[c] = max(widest[c], *(text_width(h, FONT_BOLD, size) for h in header[c].split("\n")))
        widest[c] += 2 * CELL_PAD + 1
    fixed = sum(w for c, w in enumerate(widest) if c not in flexible)
    need = sum(widest[c] for c in flexible)
    if need:
        # Flexible columns share what is left, in proportion to their widest text
        scale = max(width - fixed, 0.0) / need
        for c in flexible:
            widest[c] *= scale
    return widest


class FastTable(Table):
    """A Table that draws nothing for an empty string cell (reportlab would still set up a text object)."""

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:
        if cellval == "" or cellval is None:
            return
        super()._drawCell(cellval, cellstyle, pos, size)


def data_table(
    header: Sequence[str] | Sequence[Sequence[str]],
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    right: Sequence[int] = (),
    center: Sequence[int] = (),
    bold_rows: Sequence[int] = (),
    extra_style: Sequence[tuple] = (),
    size: float = TABLE_SIZE,
    fixed_heights: bool = True,
) -> FastTable:
    """A ruled table of plain strings: bold centred header rows repeated on every page, ``right``
    columns right-aligned (money), ``bold_rows`` (indexes into ``rows``, negatives allowed) in bold.

    With ``fixed_heights`` every body row is one line high (fast: no per-cell measuring); pass
    False when a cell holds a Paragraph or a "\\n".
    """
    register_fonts()
    heads = [list(header)] if header and isinstance(header[0], str) else [list(h) for h in header]
    nh = len(heads)
    data = [*heads, *(list(r) for r in rows)]
    heights = None
    if fixed_heights:
        head_h = [max(h.count("\n") + 1 if isinstance(h, str) else 1 for h in hr) * size * 1.2 + 2 * CELL_PAD for hr in heads]
        heights = head_h + [size * 1.2 + 2 * CELL_PAD] * len(rows)
    cmds: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, size, size * 1.2),
        ("FONT", (0, 0), (-1, nh - 1), FONT_BOLD, size, size * 1.2),
        ("ALIGN", (0, 0), (-1, nh - 1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD - 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD + 1),
    ]
    cmds += [("ALIGN", (c, nh), (c, -1), "RIGHT") for c in right]
    cmds += [("ALIGN", (c, nh), (c, -1), "CENTER") for c in center]
    for r in bold_rows:
        row = nh + r if r >= 0 else r
        cmds.append(("FONT", (0, row), (-1, row), FONT_BOLD, size, size * 1.2))
    cmds += list(extra_style)
    table = FastTable(data, colWidths=list(col_widths), rowHeights=heights, repeatRows=nh, style=TableStyle(cmds))
    return table


def info_table(pairs: Sequence[tuple[str, str]], width: float | None = None,
               label_width: float = 45 * mm) -> Flowable:
    """Label/value lines ("Tên khách hàng:" / "Hợp tác xã …"); values wrap as paragraphs. Nothing when empty
    (a fund whose address and signatories are not yet in Settings still gets its documents)."""
    if not pairs:
        return Spacer(0, 0)
    s = styles()
    width = width or frame_width()
    data = [[Paragraph(esc(k), s["body_left"]), Paragraph(esc(v), s["body_left"])] for k, v in pairs]
    table = Table(data, colWidths=[label_width, width - label_width])
    table.setStyle(
        TableStyle(
            [
                *BASE_STYLE,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    return table


class _NumberedCanvas(Canvas):
    """Holds pages until the end so each can say "Trang x/y" of its own document."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict] = []
        self._fund_doc_starts: set[int] = {1}

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        starts = sorted(self._fund_doc_starts)
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            page = self._pageNumber
            first = max(s for s in starts if s <= page)
            nxt = [s for s in starts if s > first]
            last = (nxt[0] - 1) if nxt else total
            if page > first:
                self.setFont(FONT, 12)
                self.drawCentredString(self._pagesize[0] / 2, self._pagesize[1] - 12 * mm, f"Trang {page - first + 1}/{last - first + 1}")
            super().showPage()
        super().save()


def build_pdf(
    story: Sequence[Flowable],
    pagesize: tuple[float, float] = PORTRAIT,
    title: str = "",
    author: str = "",
    subject: str = "",
) -> bytes:
    """Lay out ``story`` on A4 (or ``LANDSCAPE``) with Decree 30 margins and return the PDF bytes.

    Page numbers "Trang x/y" are centred at the top from page 2 of each document (a
    ``DocumentStart`` in the story restarts the count). ``invariant=1``: same input, same bytes.
    """
    register_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="fundapp",
        invariant=1,
        # reportlab's default Helvetica would otherwise be written into every page's resources
        initialFontName=FONT,
        initialFontSize=BODY_SIZE,
    )
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, frame_width(pagesize), pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=pagesize)])
    doc.build(list(story), canvasmaker=_NumberedCanvas)
    return buf.getvalue()
