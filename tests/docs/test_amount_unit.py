"""An amount on a paper is written with a space before «đ», through the one money formatting path.

A new officer read «Lãi đến hạn chưa trả chuyển sang kỳ sau: 0đ» on a restructuring decision. The PDF holds
«0 đ» (one Tj string with its space, drawn so): poppler's text flow (pdftotext, a viewer's copy) joins two
one-letter words alone on a line, «0 d» in plain ASCII alike. This keeps the paper's text as written: every
amount followed by its unit has the space, and formatting.vnd is domain.money.format_dong's text.
"""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from fundapp.domain.money import format_dong
from fundapp.formatting import vnd
from fundapp.services import event_documents, events

D = date(2024, 12, 31)
GLUED = re.compile(r"\d(đ|₫)(?!\w)")


def test_vnd_is_the_one_amount_with_its_unit():
    for amount in (0, 7, -500_000, 29_589, 9_450_000_000):
        assert vnd(amount) == format_dong(amount) == f"{format_dong(amount)[:-2]} đ"


def test_the_restructuring_decision_writes_its_zero_with_a_space(sample_ctx, tmp_path):
    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, "HD2024-001")  # on time on D: nothing deferred
    posted = events.restructure(ctx, loan_id, D, 6, 0, "QĐ-CC-0100", "Lũ lụt")
    assert posted.allocation.deferred_interest == 0
    for amendment in (False, True):
        path = tmp_path / f"qd-{amendment}.pdf"
        event_documents.write_event_document(ctx, "QĐ-CC-0100", path, amendment=amendment)
        lines = [line for page in PdfReader(io.BytesIO(path.read_bytes())).pages
                 for line in (page.extract_text() or "").splitlines()]
        assert [line for line in lines if GLUED.search(line)] == []
        if not amendment:
            at = lines.index("Lãi đến hạn chưa trả chuyển sang kỳ sau:")
            assert lines[at + 1] == "0 đ"
