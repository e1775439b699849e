"""The skeleton shared by the two import pages (Nhập dữ liệu, Nhập sổ cũ): the status line, the table of bad rows,
the progress bar beside the import button, the job that reports its progress, and what an import says when done.

Each page adds its own source chooser and its own check; the service writes all or nothing either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from fundapp.services.errors import ImportRefused

from ..env import UiEnv
from ..i18n import tr
from ..jobs import JobControl
from ..messages import confirm, inform
from ..widgets.fields import allow
from ._common import ProgressRelay, page_title, read_only_table

PROBLEM = re.compile(r"^(?P<file>.+?):(?P<line>\d+):\s*(?P<reason>.*)$", re.DOTALL)
OK_STYLE = "color: #1b6e2d; font-weight: bold;"
BAD_STYLE = "color: #b00020; font-weight: bold;"
UNUSUAL_SHOWN = 20  # rows listed in the question about unusual rates; the rest counted


def nothing_written(message: str) -> str:
    """``message`` (a refusal, in the officer's language) followed by «Chưa ghi gì vào sổ.» as its own sentence: a
    message without a closing stop («… Excel Workbook (.xlsx)») ran into it."""
    text = message.rstrip()
    if text and not text.endswith((".", "!", "?", "…")):
        text += "."
    return f"{text} {tr('Chưa ghi gì vào sổ.')}".lstrip()


def split_problem(problem: str) -> tuple[str, str, str]:
    """"loans.csv:7: số tiền …" → ("loans.csv", "7", "số tiền …"); text without a place → ("", "", text)."""
    m = PROBLEM.match(problem)
    if not m:
        return "", "", problem
    return m["file"], m["line"], m["reason"]


class ImportPage(QWidget):
    """A page that checks a source and imports it: ``status`` (a selectable line), ``progress`` (0–4 steps, as the
    import reports), ``import_button`` (enabled only after a check without problems; calls ``run_import``), the
    last passing check (``checked``), the last import (``imported``), the problems shown (``problems``) and
    whether the officer confirmed unusual rates (``accept_unusual_rates``). Each page disables its buttons with
    ``allow``: a disabled button says why in its tooltip (nothing chosen yet, a job running, no check passed…)."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.checked = None  # the passing check's ImportSummary
        self.imported = None
        self.problems: list[str] = []
        self.accept_unusual_rates = False  # the officer confirmed the unusual rates of the source
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar()
        self.progress.setRange(0, 4)
        self.progress.setValue(0)
        self.progress.setFormat("%p%")
        self.import_button = QPushButton(tr("Nhập vào sổ"))
        allow(self.import_button, self.not_checked())
        self.import_button.clicked.connect(self.run_import)
        self._relay = ProgressRelay(self)
        self._relay.moved.connect(self._moved)

    def run_import(self) -> None:
        """Import the checked source (each page asks first); here nothing."""

    @staticmethod
    def not_checked() -> str:
        """Why the import button is disabled while no check of the source has passed."""
        return tr("Chỉ nhập được sau khi kiểm tra không có dòng lỗi")

    @staticmethod
    def imported_already(name: str) -> str:
        """Why the check and import buttons are disabled once source ``name`` (its file or folder name) is imported."""
        return tr("«{name}» đã được nhập vào sổ: kiểm tra hay nhập lại chỉ thấy các dòng đã có").format(name=name)

    def confirm_unusual_rates(self, exc: BaseException) -> bool:
        """When ``exc`` refuses only unusual contract rates (not yet confirmed), list them and ask the officer
        whether they are right; True when they say yes (``accept_unusual_rates`` is then set: the page checks
        again). The one question both import pages ask."""
        if not isinstance(exc, ImportRefused) or not getattr(exc, "unusual_rates_only", False) \
                or self.accept_unusual_rates:
            return False
        shown = exc.problems[:UNUSUAL_SHOWN]
        more = len(exc.problems) - len(shown)
        listing = "\n".join(f"• {p}" for p in shown) + (
            "\n" + tr("… và {n} dòng khác.").format(n=more) if more else "")
        question = tr("Lãi suất của {n} khoản vay nằm ngoài khoảng thường gặp 0,5–30 %/năm:\n\n{rows}\n\n"
                      "Đây đúng là lãi suất ghi trong hợp đồng (không phải gõ nhầm %/tháng hay thiếu dấu phẩy)? "
                      "Chọn «Có» để kiểm tra lại và nhập với các lãi suất này, «Không» để sửa tệp nguồn.").format(
            n=len(exc.problems), rows=listing)
        if not confirm(self, tr("Lãi suất bất thường"), question, default_yes=False):
            return False
        self.accept_unusual_rates = True
        return True

    def heading(self, title: str, explanation: str, source_row: QHBoxLayout) -> QVBoxLayout:
        """The page's layout, begun as both import pages begin it: the page's ``title``, its ``explanation``
        (wrapped), then the ``source_row`` (``source_row()``); the page adds its body, status and bottom row."""
        label = QLabel(explanation)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(title))
        layout.addWidget(label)
        layout.addLayout(source_row)
        return layout

    def source_row(self, label: str, placeholder: str, *buttons: QPushButton) -> QHBoxLayout:
        """``label``, the chosen source's path (``self.path``, read-only, ``placeholder`` while none), ``buttons``."""
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(placeholder)
        row = QHBoxLayout()
        row.addWidget(QLabel(label))
        row.addWidget(self.path, 1)
        for button in buttons:
            row.addWidget(button)
        return row

    def ask_workbook(self, title: str, start: str) -> Path | None:
        """An .xlsx/.xlsm file the officer picks (dialog ``title``, opening in folder ``start``); None if cancelled."""
        chosen, _ = QFileDialog.getOpenFileName(self, title, start, tr("Tệp Excel (*.xlsx *.xlsm)"))
        return Path(chosen) if chosen else None

    def make_problems_table(self, first: str, empty: str) -> QTableWidget:
        """A read-only table of bad rows: ``first`` (the file or sheet column's title), line, reason (stretched);
        ``empty`` is shown while it has no row."""
        table = read_only_table([first, tr("Dòng"), tr("Lỗi")], empty)
        table.before_check = empty
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(True)
        return table

    @staticmethod
    def problems_state(table: QTableWidget, name: str | None) -> None:
        """What the empty problems ``table`` says: that source ``name``'s check found no bad line, or (``name`` None:
        a check started, and stays so if it is cancelled) what it said before any check (``make_problems_table``'s
        ``empty``); a clean check no longer leaves «Chưa kiểm tra nguồn nào» under «Kiểm tra xong»."""
        table.empty_text = (table.before_check if name is None
                            else tr("Không có dòng lỗi nào trong «{name}».").format(name=name))
        table.viewport().update()

    def bottom_row(self, *buttons: QPushButton) -> QHBoxLayout:
        """The progress bar (stretched), then ``buttons``, then the import button."""
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress, 1)
        for button in (*buttons, self.import_button):
            bottom.addWidget(button)
        return bottom

    def import_job(self, call: Callable[..., object]) -> Callable[[JobControl], object]:
        """A job for ``env.jobs.run`` that runs ``call(progress=…, cancelled=…)`` (the import service with its
        other arguments bound), its progress (done, total steps) shown on the job and on this page's bar."""
        relay = self._relay

        def job(control: JobControl) -> object:
            def progress(done: int, total: int) -> None:
                control.progress(done, total)
                relay.moved.emit(int(done), int(total))

            return call(progress=progress, cancelled=control.cancelled)

        return job

    def set_status(self, text: str, style: str = "") -> None:
        """Show ``text`` on the status line (``OK_STYLE``, ``BAD_STYLE`` or plain)."""
        self.status.setStyleSheet(style)
        self.status.setText(text)

    def show_imported(self, summary) -> None:
        """Say what the import wrote (on the status line and in a message box) and tell the other pages."""
        self.imported = summary
        self.progress.setValue(self.progress.maximum())
        text = tr("Đã nhập {counts} từ «{name}».").format(counts=summary.counts(), name=summary.source)
        self.set_status(text, OK_STYLE)
        self.env.changes.announce("borrowers", "loans")
        inform(self, tr("Đã nhập dữ liệu"), text)

    @Slot(int, int)
    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
