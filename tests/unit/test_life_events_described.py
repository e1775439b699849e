"""A life event is described by what it moved and named by its reference wherever an officer reads it — the history
of a reversed write-off and of its reversal, a reversal's proposal, the refusal to print a reversed decision
— never by its stored amount 0 or an internal id (a new officer's trial: «QĐ-XL-0003 … : 0 đ», «↶ #360»)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from fundapp.domain.event_words import described, figure, shown_kind
from fundapp.services import events
from fundapp.services.errors import NotFound
from fundapp.services.event_documents import write_event_document
from fundapp.services.imports import check_and_import
from fundapp.services.loans import loan_view
from fundapp.services.posting import post_transaction, reverse_entry
from fundapp.services.proposals import preview_text
from tests.golden import GOLDEN

T = date(2025, 6, 30)


@pytest.fixture
def book(book_url):
    """sample-fund-events imported, read on 31/12/2025, HD2024-028 written off on 30/06/2025 (QĐ-XL-0200), its
    decision issued, a recovery on 15/07/2025, both then reversed (the recovery first)."""
    from fundapp.app import open_book

    ctx = open_book(book_url, user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    loan_id = events.loan_id_of(ctx, "HD2024-028")
    events.write_off(ctx, loan_id, T, "QĐ-XL-0200", "Giải thể")
    yield ctx
    ctx.db.dispose()


def _undo_all(ctx, tmp_path):
    loan_id = events.loan_id_of(ctx, "HD2024-028")
    write_event_document(ctx, "QĐ-XL-0200", tmp_path / "qd.pdf")
    recovery = post_transaction(ctx, loan_id, events.Kind.REPAYMENT, date(2025, 7, 15), 10_000_000, "PT-0900")
    reverse_entry(ctx, recovery.entry_id, "Ghi nhầm")
    history = loan_view(ctx, "HD2024-028").history
    reverse_entry(ctx, next(h.id for h in history if h.reference == "QĐ-XL-0200"), "Quyết định bị thu hồi")


def test_a_reversed_write_off_and_its_reversal_say_what_was_written_off_and_name_its_decision(book, tmp_path):
    w = _written_off(book)
    total = w.principal + w.interest
    assert w.principal == 850_000_000 and w.interest > 0
    _undo_all(book, tmp_path)
    history = loan_view(book, "HD2024-028").history
    off = next(h for h in history if h.reference == "QĐ-XL-0200")
    undo = next(h for h in history if h.reverses == off.id)
    assert off.reversed_by == undo.id and off.amount == 0  # the stored 0 stays; what it moved is its result
    assert figure(off.kind, off.amount, off.result) == total
    assert (undo.reverses_reference, undo.reverses_kind) == ("QĐ-XL-0200", "write_off")
    assert figure(undo.reverses_kind, undo.amount, undo.result) == total
    assert described(undo.reverses_kind, undo.amount, undo.result).render() == (
        f"Xử lý rủi ro: {_g(total)} đ (ngoại bảng: gốc 850.000.000 đ, lãi {_g(w.interest)} đ)")
    recovery = next(h for h in history if h.reference == "PT-0900")
    assert shown_kind(recovery.kind, recovery.result) == "recovery"  # reversed, still told as what it was


def test_a_reversals_proposal_says_what_it_undoes(book):
    _, text = preview_text(book, "reverse", {"reference": "QĐ-XL-0200", "reason": "Quyết định bị thu hồi"})
    w = _written_off(book)
    total = w.principal + w.interest
    assert f"Hủy bút toán QĐ-XL-0200 (xử lý rủi ro) ngày 30/06/2025, số tiền {_g(total)} đ (ngoại bảng: gốc 850.000.000 đ" in text
    assert "số tiền 0 đ" not in text


def test_the_decision_of_a_reversed_write_off_is_refused_saying_when_and_why_it_was_reversed(book, tmp_path):
    _undo_all(book, tmp_path)
    with pytest.raises(NotFound) as refused:
        write_event_document(book, "QĐ-XL-0200", tmp_path / "again.pdf")
    text = refused.value.message if hasattr(refused.value, "message") else str(refused.value)
    assert re.search(r"Quyết định số «QĐ-XL-0200» \(lần xử lý rủi ro khoản vay HD2024-028 ngày 30/06/2025\) đã bị hủy "
                     r"ngày \d\d/\d\d/\d{4}, lý do: Quyết định bị thu hồi\.", str(text))
    assert "Văn bản đã cấp số 01/QĐ-" in str(text)
    assert not (tmp_path / "again.pdf").exists()


def _written_off(ctx):
    """The write-off QĐ-XL-0200 as the engine reads it while in force (its ``WriteOffResult``)."""
    return next(h.result for h in loan_view(ctx, "HD2024-028").history if h.reference == "QĐ-XL-0200")


def _g(n: int) -> str:
    from fundapp.formatting import group_thousands

    return group_thousands(n)
