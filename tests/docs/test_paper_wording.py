"""The papers' words for their figures (an officer's trial of the printed papers): a footnote says what a projected
interest is, one figure has one name on the notice and the statement, and the schedule's footnotes are printed
once each, only when a row is projected."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

from pypdf import PdfReader

from fundapp.domain.labels import QUOTE_LABELS


def _squashed(pdf: bytes) -> str:
    text = "\n".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _sq(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _notice(ctx, loan_no: str) -> str:
    from fundapp.services.documents import preview_document

    return _squashed(preview_document(ctx, "notice", loan_no, date(2024, 12, 31), month=(2025, 1)))


def test_the_projected_interest_footnote_says_it_is_on_the_scheduled_balance(sample_ctx):
    from fundapp.services.loans import loan_view

    # HD2024-019's January installment: 5.014.356 đ projected on the scheduled 820.000.000 đ, 840.000.000 đ owed
    view = loan_view(sample_ctx, "HD2024-019", date(2024, 12, 31))
    assert view.balances.principal_outstanding == 840_000_000
    t = _notice(sample_ctx, "HD2024-019")
    assert _sq("5.014.356 đ*") in t
    assert _sq("(*) Lãi dự kiến: lãi cả kỳ tính trên dư nợ gốc theo lịch trả nợ của kỳ.") in t
    assert _sq("dư nợ gốc hiện tại") not in t
    from fundapp.services.documents import preview_document

    statement = _squashed(preview_document(sample_ctx, "statement", "HD2024-019", date(2024, 12, 31)))
    assert _sq("theo lịch trả nợ của kỳ") in statement and _sq("dư nợ gốc hiện tại") not in statement


def test_the_interest_payable_after_the_last_due_date_has_one_name(sample_ctx):
    from fundapp.services.documents import preview_document

    label = "Lãi trong hạn sau ngày đến hạn cuối"  # the statement's name, the glossary's term
    notice = _notice(sample_ctx, "HD2022-002")  # past its last due date: the arrears carry the column
    statement = _squashed(preview_document(sample_ctx, "statement", "HD2022-002", date(2024, 12, 31)))
    for t in (notice, statement):
        assert _sq(label) in t
        assert _sq("sau hạn cuối") not in t  # the notice's other name for it
    assert QUOTE_LABELS.get("interest_payable_after_term") == label  # both read it from the one table


def test_the_schedule_says_what_is_projected_once_and_only_when_a_row_is(sample_ctx):
    from fundapp.services.documents import preview_document

    running = _squashed(preview_document(sample_ctx, "schedule", "HD2024-019", date(2024, 12, 31)))
    assert running.count(_sq("dự kiến")) == 1 and _sq("5.014.356*") in running
    settled = _squashed(preview_document(sample_ctx, "schedule", "HD2024-037", date(2024, 12, 31)))
    assert "*" not in settled and _sq("dự kiến") not in settled  # settled 27/10/2024: nothing is projected
    for t in (running, settled):
        assert t.count(_sq("Bên vay trả nợ đúng hạn theo lịch này")) == 1
