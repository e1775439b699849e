"""GUI fixtures: SQLite books only, a private QSettings file, confirmations answered, jobs awaited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox


@pytest.fixture
def book_url(tmp_path):
    """GUI tests run on a SQLite book (the services' tests cover PostgreSQL)."""
    return str(tmp_path / "book.sqlite")


@pytest.fixture
def sample_ctx(sample_ctx):
    """The sample book as a fund that has entered its name (Settings): documents print without asking first.
    The defaults are stored, so ``load_settings`` still equals ``FundSettings()``."""
    from fundapp.services.settings import FundSettings, save_settings

    save_settings(sample_ctx, FundSettings())
    return sample_ctx


@pytest.fixture
def qsettings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


class Boxes:
    """Every message box the code under test opened: (icon, title, text); answers Yes/OK."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes
        self.defaults: list[object] = []  # each question's default button (what Enter answers), None if unset

    def texts(self) -> str:
        return "\n".join(f"{title}: {text}" for _, title, text in self.shown)


@pytest.fixture
def boxes(monkeypatch):
    """Message boxes are modal and block offscreen: record them and answer Yes (or ``boxes.answer``)."""
    record = Boxes()

    def fake_exec(box):
        record.shown.append((box.icon().name, box.windowTitle(), box.text()))
        buttons = box.standardButtons()
        if record.answer & buttons:
            return record.answer
        return QMessageBox.StandardButton.Ok if buttons & QMessageBox.StandardButton.Ok else buttons.value

    def fake_static(kind):
        def show(parent, title, text, *args, **kwargs):
            record.shown.append((kind, title, text))
            if kind == "question":
                record.defaults.append(args[1] if len(args) > 1 else kwargs.get("defaultButton"))
            return record.answer if kind == "question" else QMessageBox.StandardButton.Ok
        return staticmethod(show)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    for kind in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, fake_static(kind))
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: record.shown.append(
        ("about", title, text))))
    return record


def shown_window(ctx, qsettings, qtbot):
    """The main window of ``ctx``'s book at 1366×768, shown, its first jobs done."""
    from fundapp.ui.app import create_window

    win = create_window(ctx, qsettings)
    # the jobs a test leaves running end before pytest-qt closes the window, which it does before any fixture's
    # teardown: a result reaching the deleted window's runner would never count as done
    qtbot.addWidget(win, before_close_func=lambda w: wait_jobs(qtbot, w.env))
    win.resize(1366, 768)
    win.show()
    wait_jobs(qtbot, win.env)
    return win


@pytest.fixture
def window(sample_ctx, qsettings, qtbot, boxes):
    """The main window over the sample book."""
    return shown_window(sample_ctx, qsettings, qtbot)


@pytest.fixture
def empty_window(ctx, qsettings, qtbot, boxes):
    """The main window over an empty book."""
    return shown_window(ctx, qsettings, qtbot)


def wait_jobs(qtbot, env, timeout: int = 20000) -> None:
    """Wait until every database job started from the GUI has finished and its result is shown."""
    qtbot.waitUntil(lambda: not env.jobs.busy, timeout=timeout)


def run_dialog(dialog: QDialog) -> None:
    """Open a dialog without blocking (tests then fill it in and accept it)."""
    dialog.setModal(False)
    dialog.show()
