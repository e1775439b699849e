"""Decree 30/2020 page furniture shared by every printed document and report, in one import.

Each job has its module: the page, fonts, styles, text helpers and ``build_pdf`` (``page``), the national
heading and title (``letterhead``), the signature columns and "Nơi nhận:" (``signatures``), the tables of
plain strings with right-aligned money (``tables``). The documents import these names from here.
"""

from __future__ import annotations

from .letterhead import national_heading, title_block
from .page import (
    BASE_STYLE,
    BODY_SIZE,
    CELL_PAD,
    FONT,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    LANDSCAPE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PORTRAIT,
    TABLE_SIZE,
    DocumentStart,
    Rule,
    build_pdf,
    ellipsize,
    esc,
    frame_width,
    name_in_sentence,
    para,
    register_fonts,
    styles,
    text_width,
    vnd_kept,
    words_line,
)
from .signatures import (
    LENDER_BORROWER,
    PARTIES_A_B,
    SIGNATURE_SPACE,
    Signer,
    closing_block,
    director_signer,
    fund_signers,
    kept_together,
    party_signers,
    recipients_block,
    signature_blocks,
)
from .tables import FastTable, data_table, fit_widths, info_table

__all__ = ["BASE_STYLE", "BODY_SIZE", "CELL_PAD", "FONT", "FONT_BOLD", "FONT_BOLD_ITALIC", "FONT_ITALIC", "LANDSCAPE", "LENDER_BORROWER", "MARGIN_BOTTOM", "MARGIN_LEFT", "MARGIN_RIGHT", "MARGIN_TOP", "PARTIES_A_B", "PORTRAIT", "SIGNATURE_SPACE", "TABLE_SIZE", "DocumentStart", "FastTable", "Rule", "Signer", "build_pdf", "closing_block", "data_table", "director_signer", "ellipsize", "esc", "fit_widths", "frame_width", "fund_signers", "info_table", "kept_together", "name_in_sentence", "national_heading", "para", "party_signers", "recipients_block", "register_fonts", "signature_blocks", "styles", "text_width", "title_block", "vnd_kept", "words_line"]
