"""The audit journal reads in the fund's words, whatever its stored records say (they are chained: never rewritten):
actions and documents by their Vietnamese labels, a recovery as one, entries by their reference with what they moved,
dates dd/mm/yyyy and amounts grouped (a new officer's trial: «write_off: 03/QĐ-QHT», «HD2025-018 2026-12-03 50000000
PT-2026-00001» logged «Ghi thu nợ» for a recovery)."""

from __future__ import annotations

import re
from datetime import date

from fundapp.services.audit import audit_log
from fundapp.services.audit_text import plain
from tests.unit.test_life_events_described import _g, _undo_all, _written_off, book  # noqa: F401  (the fixture)


def test_the_audit_journal_reads_in_the_funds_words(book, tmp_path):  # noqa: F811  (the fixture)
    w = _written_off(book)
    _undo_all(book, tmp_path)
    rows = audit_log(book, start=date(2000, 1, 1), end=date(2100, 1, 1))
    total = w.principal + w.interest
    by_label: dict[str, list[str]] = {}
    for r in rows:
        by_label.setdefault(r.label, []).append(r.detail)
    assert by_label["Thu hồi nợ đã xử lý rủi ro"] == ["HD2024-028 ngày 15/07/2025, số PT-0900: 10.000.000 đ "
                                                       "(thu hồi gốc 10.000.000 đ, lãi 0 đ)"]
    assert by_label["Xử lý rủi ro"] == [f"HD2024-028 ngày 30/06/2025, số QĐ-XL-0200: {_g(total)} đ (ngoại bảng: gốc "
                                        f"850.000.000 đ, lãi {_g(w.interest)} đ) — Giải thể"]
    assert by_label["Cấp số tài liệu"][0].startswith("Quyết định xử lý rủi ro: 01/QĐ-")
    assert any(d.startswith("HD2024-028: hủy bút toán QĐ-XL-0200 ngày 30/06/2025 — Xử lý rủi ro: " + _g(total))
               for d in by_label["Hủy bút toán"])
    for r in rows:  # no ISO date, no ungrouped amount, no raw kind anywhere
        assert not re.search(r"\d{4}-\d\d-\d\d|\b\d{5,}\b|write_off|statement:", r.detail), r.detail
    # found as shown: the recovery by its label, and its reversal, which names it so
    assert [r.label for r in audit_log(book, text="thu hồi nợ")] == ["Hủy bút toán", "Thu hồi nợ đã xử lý rủi ro"]
    assert len(audit_log(book, text="15/07/2025")) == 2  # the recovery and its reversal, found as shown



def test_records_of_every_format_read_with_dates_and_amounts_as_the_officer_writes_them():
    assert plain("HD2025-018 2026-12-03 50000000 PT-2026-00001") == "HD2025-018 03/12/2026 50.000.000 PT-2026-00001"
    assert plain("#12 500000000") == "#12 500.000.000"
    assert plain("TS-1: Nhà xưởng 1500 đ") == "TS-1: Nhà xưởng 1.500 đ"
    # references, loan numbers, years and small counts stay as written
    assert plain("QĐ-CC-0019/HD2024-019 năm 2024: 3 khoản vay, PT-2026-00001") == \
        "QĐ-CC-0019/HD2024-019 năm 2024: 3 khoản vay, PT-2026-00001"
