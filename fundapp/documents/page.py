"""The page of every printed document: Liberation Serif fonts (registered once), A4 portrait and landscape with
Decree 30/2020 margins, the paragraph styles, text measuring and escaping, and ``build_pdf``, which numbers
pages "Trang x/y" at the top from page 2 of each document (a batch of notices restarts the count per notice).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from typing import Any

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
    PageTemplate,
    Paragraph,
)

from fundapp.domain.words import amount_in_words
from fundapp.formatting import nfc, vnd
from fundapp.resources import resource_path

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
        """reportlab's layout call: the rule takes the frame's width and 5 points of height."""
        self.width = avail_width
        return avail_width, 5

    def draw(self) -> None:
        """Draw the line, ``length`` points long, centred."""
        self.canv.setLineWidth(self.thickness)
        x = (self.width - self.length) / 2
        self.canv.line(x, 1, x + self.length, 1)


class DocumentStart(Flowable):
    """Zero-size marker: a new document starts on this page (page numbers restart in a batch)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """No size: the marker takes no room on the page."""
        return 0, 0

    def draw(self) -> None:
        """Note on the canvas that a document starts on this page."""
        self.canv._fund_doc_starts.add(self.canv.getPageNumber())  # type: ignore[attr-defined]


def vnd_kept(amount: int) -> str:
    """``vnd`` with a no-break space before «đ», for an amount in running text: «24.667 đ» never ends a line with
    «đ.» alone on the next (a relief decision did: an officer's trial). Table cells keep ``vnd``."""
    return vnd(amount).replace(" ", "\u00a0")


def words_line(amount: int, style: str = "italic") -> Paragraph:
    """"Bằng chữ: Chín tỷ … đồng." from the domain's amount_in_words."""
    return Paragraph(f"Bằng chữ: {esc(amount_in_words(amount))}.", styles()[style])


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
