"""The officer reverses a write-off from the loan page: the dialog says what is undone (the principal and interest
written off, by its decision number), the history keeps the write-off's figure and names the reversed entry by its
reference, and the audit page reads in the fund's words (a new officer's trial: «QĐ-XL-0003 …: 0 đ», «↶ #360»)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fundapp.services import events
from fundapp.services.imports import check_and_import
from fundapp.services.posting import reverse_entry
from tests.golden import GOLDEN

from .conftest import shown_window, wait_jobs


def _shot(widget, name: str) -> None:
    folder = os.environ.get("FUNDAPP_SCREENSHOTS")
    if folder:
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / name))


@pytest.fixture
def written_off(book_url):
    """sample-fund-events, HD2024-028 written off on 30/06/2025 under QĐ-XL-0200."""
    from fundapp.app import open_book

    ctx = open_book(book_url, user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    events.write_off(ctx, events.loan_id_of(ctx, "HD2024-028"), date(2025, 6, 30), "QĐ-XL-0200", "Giải thể")
    yield ctx
    ctx.db.dispose()


def _cells(model) -> list[dict[str, str]]:
    heads = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return [{h: str(model.data(model.index(r, c)) or "") for c, h in enumerate(heads)} for r in range(model.rowCount())]


def test_reversing_a_write_off_says_what_is_undone_and_the_history_and_audit_name_it(written_off, qsettings, qtbot,
                                                                                     boxes):
    from fundapp.ui.dialogs.reversal import ReverseDialog

    win = shown_window(written_off, qsettings, qtbot)
    detail = win.show_page("loans").open_loan(events.loan_id_of(written_off, "HD2024-028"))
    wait_jobs(qtbot, win.env)
    row = next(h for h in detail.view.history if h.reference == "QĐ-XL-0200")
    dialog = ReverseDialog(win.env, row, win)
    qtbot.addWidget(dialog)
    dialog.show()
    _shot(dialog, "reversal-write-off.png")
    assert dialog.intro.text() == ("Hủy bút toán QĐ-XL-0200 ngày 30/06/2025 — Xử lý rủi ro: 870.323.554 đ (ngoại bảng: "
                                   "gốc 850.000.000 đ, lãi 20.323.554 đ). Mọi số liệu sau ngày này được tính lại.")
    dialog.close()

    reverse_entry(written_off, row.id, "Quyết định bị thu hồi")
    detail.reload()
    wait_jobs(qtbot, win.env)
    _shot(win, "history-after-reversal.png")
    cells = _cells(detail.history_model)
    off = next(c for c in cells if c["Chứng từ"] == "QĐ-XL-0200")
    undo = next(c for c in cells if c["Loại"] == "Hủy bút toán")
    assert off["Số tiền"] == "870.323.554" and off["Ghi chú"].startswith("Đã hủy. ngoại bảng: gốc 850.000.000 đ")
    assert (undo["Chứng từ"], undo["Số tiền"]) == ("↶ QĐ-XL-0200", "870.323.554")
    assert undo["Ghi chú"] == ("Xử lý rủi ro: 870.323.554 đ (ngoại bảng: gốc 850.000.000 đ, lãi 20.323.554 đ); "
                               "Quyết định bị thu hồi")

    page = win.show_page("audit")
    page.refresh()
    wait_jobs(qtbot, win.env)
    _shot(win, "audit-after-reversal.png")
    shown = _cells(page.model)
    assert any(c["Thao tác"] == "Xử lý rủi ro" and c["Nội dung"] == (
        "HD2024-028 ngày 30/06/2025, số QĐ-XL-0200: 870.323.554 đ (ngoại bảng: gốc 850.000.000 đ, lãi 20.323.554 đ)"
        " — Giải thể") for c in shown)
    assert any(c["Thao tác"] == "Hủy bút toán" and c["Nội dung"].startswith(
        "HD2024-028: hủy bút toán QĐ-XL-0200 ngày 30/06/2025 — Xử lý rủi ro: 870.323.554 đ") for c in shown)
