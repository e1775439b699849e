"""A page never holds only a paper's signatures (an officer's trial of the printed papers): the January 2025 notices
put «Nơi nhận / GIÁM ĐỐC / name» alone on a second page; a statement and a schedule did the same with their
signature columns. The last lines before the closing now move with it; each page with a signature holds them."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from datetime import date

from pypdf import PdfReader


def _pages(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", unicodedata.normalize("NFC", p.extract_text() or ""))
            for p in PdfReader(io.BytesIO(pdf)).pages]


def _bank(ctx) -> None:
    from fundapp.services.settings import load_settings, save_settings

    save_settings(ctx, dataclasses.replace(load_settings(ctx), bank_bin="970405", bank_account="3900201012345",
                                           bank_account_name="QUY HO TRO PHAT TRIEN HTX", director="Nguyễn Văn An"))


def _signatures_with(pages: list[str], signature: str, last_lines: str) -> int:
    """How many pages carry ``signature``; each of them must carry ``last_lines`` too."""
    signed = [i for i, p in enumerate(pages, 1) if signature in p]
    for i in signed:
        assert last_lines in pages[i - 1], f"page {i} holds the signatures without «{last_lines}»"
    return len(signed)


def test_no_notice_leaves_its_signature_alone_on_a_page(sample_ctx, tmp_path):
    from fundapp.services.documents import write_notices

    _bank(sample_ctx)
    count = write_notices(sample_ctx, 2025, 1, tmp_path / "n.pdf")
    pages = _pages((tmp_path / "n.pdf").read_bytes())
    assert _signatures_with(pages, "Nơinhận:", "ĐềnghịQuýkháchhàngthuxếpnguồntiền") == count == 12


def test_no_statement_or_schedule_leaves_its_signatures_alone_on_a_page(sample_ctx):
    from fundapp.services.documents import preview_document

    _bank(sample_ctx)
    for loan_no, on in (("HD2024-019", date(2024, 4, 26)), ("HD2024-019", date(2024, 12, 31)),
                        ("HD2024-037", date(2024, 12, 31))):
        pages = _pages(preview_document(sample_ctx, "statement", loan_no, on))
        assert _signatures_with(pages, "NGƯỜILẬPBIỂU", "V.SỐTIỀNPHẢITRẢNGÀY") == 1, (loan_no, on)
    for loan_no in ("HD2024-019", "HD2024-037"):
        pages = _pages(preview_document(sample_ctx, "schedule", loan_no, date(2024, 12, 31)))
        assert _signatures_with(pages, "ĐẠIDIỆNBÊNVAY", "Bênvaytrảnợđúnghạntheolịchnày") == 1, loan_no
