"""A disabled button of the two import pages says why in its tooltip, at every step (a new officer's trial: «Kiểm tra
lại», «Kiểm tra» and «Nhập vào sổ» greyed out with nothing said, or «Nhập vào sổ» still saying «Chỉ nhập được sau khi
kiểm tra…» once the source was imported): nothing chosen yet, a check or an import running, a check with bad rows,
the source imported."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QPushButton

from tests.golden import SAMPLE
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import Files
from tests.unit.test_migration import foreign_workbook

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def silent(page) -> list[str]:
    """The page's disabled buttons whose tooltip does not say why (empty)."""
    return [b.text() for b in page.findChildren(QPushButton) if not b.isEnabled() and not b.toolTip().strip()]


def tips(page) -> dict[str, str]:
    """Each disabled button's text → its tooltip."""
    return {b.text(): b.toolTip() for b in page.findChildren(QPushButton) if not b.isEnabled()}


def test_the_import_pages_disabled_buttons_say_why(empty_window, qtbot, boxes, tmp_path, monkeypatch):
    page = empty_window.show_page("imports")
    assert silent(page) == []
    assert tips(page) == {"Kiểm tra lại": page.no_source(), "Nhập vào sổ": page.no_source()}

    broken = tmp_path / "broken"
    shutil.copytree(SAMPLE, broken)
    with open(broken / "transactions.csv", "a", encoding="utf-8") as f:
        f.write("HD9999-999,2024-05-02,repayment,1000000,PT-X\n")  # no such loan
    page.set_source(broken)  # the check runs: every button it stops says so
    assert silent(page) == [] and tips(page)["Kiểm tra lại"] == "Đang kiểm tra «broken»…"
    wait_jobs(qtbot, empty_window.env)
    assert "dòng có lỗi" in page.status.text()
    assert silent(page) == [] and tips(page) == {"Nhập vào sổ": "Chỉ nhập được sau khi kiểm tra không có dòng lỗi"}

    files = Files(monkeypatch)
    files.folder = str(SAMPLE)
    page.folder_button.click()
    wait_jobs(qtbot, empty_window.env)
    assert page.import_button.isEnabled() and tips(page) == {}
    page.import_button.click()  # asked, answered yes: the import runs
    assert silent(page) == [] and set(tips(page)) == {"Chọn thư mục CSV…", "Chọn tệp Excel…", "Kiểm tra lại",
                                                      "Nhập vào sổ"}
    assert set(tips(page).values()) == {"Đang nhập «sample-fund»…"}
    wait_jobs(qtbot, empty_window.env)
    assert page.imported is not None and silent(page) == []
    done = "«sample-fund» đã được nhập vào sổ: kiểm tra hay nhập lại chỉ thấy các dòng đã có"
    assert tips(page) == {"Kiểm tra lại": done, "Nhập vào sổ": done}


def test_the_old_workbook_pages_disabled_buttons_say_why(empty_window, qtbot, boxes, tmp_path):
    page = empty_window.show_page("migration")
    assert silent(page) == []
    assert tips(page) == {"Kiểm tra": page.no_workbook(), "Nhập vào sổ": page.no_workbook()}

    page.set_source(foreign_workbook(tmp_path / "so-cu.xlsx", broken=True))
    assert silent(page) == [] and tips(page)["Kiểm tra"] == "Đang đọc «so-cu.xlsx»…"
    wait_jobs(qtbot, empty_window.env)
    assert silent(page) == [] and tips(page) == {"Nhập vào sổ": "Chỉ nhập được sau khi kiểm tra không có dòng lỗi"}
    page.check_button.click()
    assert silent(page) == [] and tips(page)["Kiểm tra"] == "Đang kiểm tra «so-cu.xlsx»…"
    wait_jobs(qtbot, empty_window.env)
    assert "dòng có lỗi" in page.status.text()
    assert silent(page) == [] and tips(page) == {"Nhập vào sổ": "Chỉ nhập được sau khi kiểm tra không có dòng lỗi"}

    unreadable = tmp_path / "hong.xlsx"  # not a workbook: its read fails, the one read before is not offered
    unreadable.write_bytes(b"not a workbook")
    page.accept_unusual_rates = True  # confirmed for the workbook before: a new one is asked about again
    page.set_source(unreadable)
    wait_jobs(qtbot, empty_window.env)
    assert page.accept_unusual_rates is False
    assert page.current_sheet() is None and page.sheets.count() == 0
    assert silent(page) == [] and tips(page) == {"Kiểm tra": page.no_workbook(), "Nhập vào sổ": page.no_workbook()}
    # nothing of the workbook before stays under the new name: its mapping, preview, bad lines and sheet's line
    assert (page.mapping.rowCount(), page.preview.rowCount(), page.problems_table.rowCount()) == (0, 0, 0)
    assert page.sheet_info.text() == "" and page.problems == []
    assert page.status.text().endswith("(.xlsx). Chưa ghi gì vào sổ.")  # two sentences, not «(.xlsx) Chưa ghi…»

    page.set_source(foreign_workbook(tmp_path / "so-cu-2.xlsx"))
    wait_jobs(qtbot, empty_window.env)
    page.check_button.click()
    wait_jobs(qtbot, empty_window.env)
    assert page.import_button.isEnabled() and tips(page) == {}
    page.import_button.click()  # asked, answered yes: the import runs
    assert silent(page) == [] and set(tips(page)) == {"Chọn tệp Excel…", "Kiểm tra", "Nhập vào sổ"}
    assert set(tips(page).values()) == {"Đang nhập «so-cu-2.xlsx»…"}
    wait_jobs(qtbot, empty_window.env)
    assert page.imported is not None and silent(page) == []
    done = "«so-cu-2.xlsx» đã được nhập vào sổ: kiểm tra hay nhập lại chỉ thấy các dòng đã có"
    assert tips(page) == {"Kiểm tra": done, "Nhập vào sổ": done}
