"""What a new officer meets first (issue 10 item 9, GUI part): the window title names the book; a new book opened
from the command line asks for the fund's name before anything prints; the contract number is suggested."""

from __future__ import annotations

import io

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from fundapp.services.settings import fund_named, load_settings
from tests.gui.conftest import wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_window_title_names_the_book(window, empty_window):
    from fundapp.ui.main_window import book_name, window_title

    assert window.windowTitle().startswith("book.sqlite — ")
    assert book_name("postgresql+psycopg://canbo:***@192.168.1.10:5432/quyhtx") == "quyhtx trên 192.168.1.10:5432"
    title = window_title("postgresql+psycopg://canbo:***@192.168.1.10/quyhtx")
    assert title.startswith("quyhtx trên 192.168.1.10 — ") and "canbo" not in title and "***" not in title


def _fill_fund(dialog, province: str = "Tỉnh Nghệ An") -> None:
    dialog.fund.province.setCurrentText(province)
    dialog.fund.director.setText("Lê Văn Minh")
    dialog.accept()


def test_new_book_from_the_command_line_asks_the_fund_first(qtbot, tmp_path, boxes, monkeypatch):
    """``main.py --db new.sqlite``: the fund page comes before the window; its answers are in the book."""
    from fundapp.app import open_book
    from fundapp.ui.app import _Session
    from fundapp.ui.wizard import FundNameDialog

    book = tmp_path / "new.sqlite"
    seen: list[QDialog] = []

    def answer(dialog) -> int:
        seen.append(dialog)
        dialog.accept()  # nothing chosen: refused beside the fields, the dialog stays
        assert dialog.result() != QDialog.DialogCode.Accepted and "Chọn tỉnh của Quỹ" in dialog.error.text()
        _fill_fund(dialog)
        return dialog.result()

    monkeypatch.setattr(FundNameDialog, "exec", answer)
    session = _Session(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat), "tester")
    assert session.open(str(book))
    qtbot.addWidget(session.window)
    assert len(seen) == 1 and session.window.env.fund_named
    assert session.window.windowTitle().startswith("new.sqlite — ")
    settings = load_settings(open_book(book))
    assert (settings.fund_name, settings.parent_body, settings.province, settings.director) == (
        "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH NGHỆ AN", "LIÊN MINH HỢP TÁC XÃ TỈNH NGHỆ AN", "Tỉnh Nghệ An",
        "Lê Văn Minh")
    wait_jobs(qtbot, session.window.env)
    session.window.close()


def test_first_document_of_an_unnamed_book_asks_the_fund_first(ctx, qsettings, qtbot, boxes, monkeypatch):
    """The book was skipped past the question ("Để sau"): the first statement asks again, then prints the fund's
    own province, never the default's Quảng Trị."""
    from pypdf import PdfReader

    from fundapp.services.imports import check_and_import
    from fundapp.services.queries import list_loans
    from fundapp.ui import pdf_preview
    from fundapp.ui.app import create_window
    from tests.golden import SAMPLE

    check_and_import(ctx, SAMPLE)
    assert not fund_named(ctx)
    win = create_window(ctx, qsettings)
    qtbot.addWidget(win)
    win.show()
    wait_jobs(qtbot, win.env)
    made: list[bytes] = []
    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", lambda dialog: made.append(dialog.pdf) or 1)
    loan = next(r for r in list_loans(ctx) if r.loan_no == "HD2022-002")
    detail = win.show_page("loans").open_loan(loan.id)
    wait_jobs(qtbot, win.env)

    asked: list[str] = []

    def later(dialog) -> int:
        asked.append(type(dialog).__name__)
        dialog.reject()  # "Để sau": nothing prints
        return QDialog.DialogCode.Rejected

    from fundapp.ui.wizard import FundNameDialog

    monkeypatch.setattr(FundNameDialog, "exec", later)
    detail.print_document("statement")
    wait_jobs(qtbot, win.env)
    assert asked == ["FundNameDialog"] and made == []

    def fill(dialog) -> int:
        asked.append(type(dialog).__name__)
        _fill_fund(dialog)
        return dialog.result()

    monkeypatch.setattr(FundNameDialog, "exec", fill)
    detail.print_document("statement")
    wait_jobs(qtbot, win.env)
    assert asked == ["FundNameDialog", "FundNameDialog"] and len(made) == 1
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(made[0])).pages)
    assert "NGHỆ AN" in text and "QUẢNG TRỊ" not in text
    detail.print_document("statement")  # asked once: the next document prints at once
    wait_jobs(qtbot, win.env)
    assert len(asked) == 2 and len(made) == 2


def test_next_contract_number(sample_ctx):
    from fundapp.services.applications import next_loan_no

    assert next_loan_no(sample_ctx, 2024) == "HD2024-038"  # after the sample's HD2024-037
    assert next_loan_no(sample_ctx, 2026) == "HD2026-001"  # a year with no contract yet
