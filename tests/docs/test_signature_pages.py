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
    """A fund's settings as an officer fills them: its name and parent body (each on two lines of the letterhead),
    the place, the director and the account a transfer's code pays to."""
    from fundapp.services.settings import load_settings, save_settings

    save_settings(ctx, dataclasses.replace(
        load_settings(ctx), bank_bin="970405", bank_account="3900201012345", director="Nguyễn Văn An",
        bank_account_name="QUY HO TRO PHAT TRIEN HTX QUANG TRI", fund_name="QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH "
        "QUẢNG TRỊ", parent_body="LIÊN MINH HỢP TÁC XÃ TỈNH QUẢNG TRỊ", province="Tỉnh Quảng Trị", place="Quảng Trị"))


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
    assert _signatures_with(pages, "Nơinhận:", "ChuyểnkhoảnbằngmãVietQR") == count == 12
    # nor moves its total and the request to pay to the second page when they fit on the first: 20/TB-QHT carried
    # them over with the code and the signature, its first page 40 % blank (an officer's trial)
    second = [i for i, p in enumerate(pages) if "THÔNGBÁONỢĐẾNHẠN" not in p]  # a notice's second page
    assert second, "the batch of 01/2025 has a notice of two pages"
    for i in second:
        assert "Tổngsốtiềnphảitrả:" in pages[i - 1] and "ĐềnghịQuýkháchhàngthuxếpnguồntiền" in pages[i - 1]
        assert "Tổngsốtiềnphảitrả:" not in pages[i]


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
