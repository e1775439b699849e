"""Decree 30/2020's letterhead: the two-column national heading (the fund and the document's number on the
left, the national title, motto, place and date on the right) and the document's title block."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from fundapp.formatting import nfc

from .model import FundInfo
from .page import BASE_STYLE, FONT, FONT_BOLD, Rule, esc, frame_width, styles, text_width


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
