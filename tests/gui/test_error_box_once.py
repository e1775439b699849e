"""One box per error at a time: when a server stops, every page's background refresh fails while the first warning
waits for the officer, and each stacked one more identical box («Mất kết nối…», about ten to close one by one: a
shared book's trial). A box with the same text is not opened again while one is open; a different error still is, and
the same error once the first box is closed."""

from PySide6.QtWidgets import QMessageBox

from fundapp.services.errors import UserFacingError
from fundapp.ui.errors import present_error


def test_an_error_already_on_screen_is_not_stacked_again(qtbot, monkeypatch):
    shown: list[str] = []
    lost = UserFacingError("Mất kết nối tới máy chủ sổ «fundapp»")
    other = UserFacingError("Khoản vay HD2022-002 không có trong sổ")

    def exec_(box):
        shown.append(box.text())
        if len(shown) == 1:  # while the first box waits, the other pages' refreshes fail the same way
            for _ in range(9):
                present_error(None, lost)
            present_error(None, other)  # another error still says itself
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    present_error(None, lost)
    assert shown == [lost.message, other.message]
    present_error(None, lost)  # closed: the same error later is shown again
    assert shown == [lost.message, other.message, lost.message]
