"""Every save dialog suggests a safe file name (issue 11 item 7): no folder separators, nothing Windows refuses,
no trailing dots or spaces, not too long — whatever the loan number holds."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from fundapp.services.filenames import safe_file_name

WINDOWS_REFUSES = set('<>:"/\\|?*')


@pytest.mark.parametrize(("name", "safe"), [
    ("sao-ke-../HD2026-001.pdf", "sao-ke-..-HD2026-001.pdf"),
    ("sao-ke-a/b.pdf", "sao-ke-a-b.pdf"),
    ("thong-bao-a\\b:c*d?e.pdf", "thong-bao-a-b-c-d-e.pdf"),
    ('giay-nhan-no-"x"<y>|z.pdf', "giay-nhan-no--x--y--z.pdf"),
    ("doi-chieu-HD 1. .pdf", "doi-chieu-HD 1.pdf"),
    ("..", "tai-lieu"),
    ("CON.pdf", "CON_.pdf"),
])
def test_safe_file_name(name, safe):
    assert safe_file_name(name) == safe


def test_long_names_keep_their_extension():
    name = safe_file_name("sao-ke-" + "Hợp tác xã " * 40 + ".xlsx")
    assert len(name) == 120 and name.endswith(".xlsx") and not name[:-5].endswith((" ", "."))


def _suggested(monkeypatch) -> list[str]:
    seen: list[str] = []

    def fake(parent, title, suggested, *args, **kwargs):
        seen.append(suggested)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return seen


@pytest.mark.parametrize("loan_no", ["../HD2026-001", "a/b"])
def test_pdf_preview_suggests_a_safe_name(qtbot, monkeypatch, loan_no):
    from fundapp.ui.pdf_preview import PdfPreview

    seen = _suggested(monkeypatch)
    preview = PdfPreview(b"%PDF-1.4", f"sao-ke-{loan_no}.pdf")
    qtbot.addWidget(preview)
    preview.save()
    [suggested] = seen
    assert "/" not in suggested and "\\" not in suggested and not WINDOWS_REFUSES & set(suggested)
    assert suggested == f"sao-ke-{loan_no.replace('/', '-')}.pdf"


def test_reports_page_suggests_safe_names_in_its_folder(qtbot, monkeypatch, ctx, qsettings, tmp_path):
    from fundapp.ui.pages.reports import Page
    from tests.gui.pages_env import make_env

    seen = _suggested(monkeypatch)
    qsettings.setValue("reports/folder", str(tmp_path))
    env = make_env(ctx, qsettings)
    env.fund_named = True  # the fund's name is asked before the first document (test_first_impression)
    page = Page(env)
    qtbot.addWidget(page)
    page.save_quarterly("pdf")
    page.save_notices()
    page.save_portfolio()
    assert len(seen) == 3
    for suggested in seen:
        assert suggested.startswith(str(tmp_path)) and "/" not in suggested[len(str(tmp_path)) + 1:]
