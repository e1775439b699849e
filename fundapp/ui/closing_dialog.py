"""Khóa sổ (issue 14): the close-period dialog. It shows the date the book is closed through and the history of
closings; the administrator closes through a date (a quarter end is suggested), the director reopens with a reason.
The services check the rights; a button whose right the user lacks is disabled with a tooltip naming it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import short_date, short_date_time, too_late_message
from fundapp.services import closing
from fundapp.services.context import Context
from fundapp.services.rights import allowed

from .errors import attempt
from .i18n import tr
from .login import right_tooltip
from .messages import confirm
from .pages._common import fill_table, read_only_table
from .widgets.fields import DateEdit, error_label


def last_quarter_end(today: date) -> date:
    """The last day of the latest quarter that has ended on or before ``today`` (31/03, 30/06, 30/09, 31/12)."""
    ends = [date(y, m, 31 if m in (3, 12) else 30) for y in (today.year - 1, today.year) for m in (3, 6, 9, 12)]
    return max(e for e in ends if e <= today)


class ClosingDialog(QDialog):
    """Sổ → Khóa sổ…: close the book through a date (no posting on or before it) or reopen it, with a reason."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Khóa sổ"))
        self.setObjectName("closingDialog")
        self.state = QLabel("")
        self.state.setObjectName("closedThrough")
        font = self.state.font()
        font.setBold(True)
        self.state.setFont(font)
        self.through = DateEdit(last_quarter_end(ctx.today()))
        today = ctx.today()  # a period is closed once it has happened
        self.through.limit_to(today, lambda day: too_late_message(day, today))
        self.through_problem = error_label("error_through")
        self.through.problem.connect(self.through_problem.setText)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("Lý do (bắt buộc khi mở lại)"))
        self.close_button = QPushButton(tr("&Khóa sổ đến ngày này"))
        self.reopen_button = QPushButton(tr("&Mở lại kỳ đã khóa"))
        done = QPushButton(tr("Đóng"))
        self.close_button.clicked.connect(self.close_period)
        self.reopen_button.clicked.connect(self.reopen_period)
        done.clicked.connect(self.accept)
        for button, right in ((self.close_button, "close"), (self.reopen_button, "reopen")):
            if not allowed(ctx, right):
                button.setEnabled(False)
                button.setToolTip(right_tooltip(right))
        self.history = read_only_table([tr("Việc"), tr("Đến ngày"), tr("Sổ khóa đến"), tr("Người thực hiện"),
                                        tr("Lúc"), tr("Lý do")],
                                       tr("Chưa khóa sổ lần nào: mỗi lần khóa sổ hoặc mở lại được ghi ở đây."))
        self.history.horizontalHeader().setStretchLastSection(True)
        note = QLabel(tr("Sau khi khóa sổ, mọi bút toán và việc hủy bút toán có ngày đến hết ngày khóa đều bị từ chối; "
                         "báo cáo của kỳ được lưu lại và in «đã khóa sổ». Chỉ giám đốc mở lại được, có ghi lý do."))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Khóa sổ đến hết ngày"), self.through)
        form.addRow("", self.through_problem)
        form.addRow(tr("Lý do"), self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.reopen_button)
        buttons.addStretch(1)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(tr("Lịch sử khóa sổ")))
        layout.addWidget(self.history, 1)
        self.resize(720, 460)
        self.refresh()

    def refresh(self) -> None:
        """Show the date the book is closed through (or that it is not closed) and the stored reports."""
        through = closing.closed_through(self.ctx)
        self.state.setText(tr("Sổ đang khóa đến hết ngày {d}").format(d=short_date(through)) if through
                           else tr("Sổ chưa khóa kỳ nào"))
        fill_table(self.history, [[tr("Khóa sổ") if r.action == "close" else tr("Mở lại"), short_date(r.through),
                                   short_date(r.closed_through) if r.closed_through else "—", r.by,
                                   short_date_time(r.at), r.reason]
                                  for r in reversed(closing.closing_history(self.ctx))], right_from=None)
        self.history.resizeColumnsToContents()

    def _date(self) -> date | None:
        """The day typed; None (said under the field) when it is no day or after today: never another day."""
        self.through.read_text()
        return None if self.through.problem_text() else self.through.value()

    def close_period(self) -> None:
        """Close the book through the date typed, with the reason; a refusal is shown in words."""
        through = self._date()
        if through is None:
            return
        # every posting and reversal dated up to that day is refused afterwards, and only the director reopens:
        # asked first, Không by default (the button closed the book at one click: a new officer's trial)
        if not confirm(self, tr("Khóa sổ"), tr("Khóa sổ đến hết ngày {d}? Sau đó mọi bút toán và việc hủy bút toán có "
                                               "ngày đến hết ngày này đều bị từ chối; chỉ giám đốc mở lại được.").format(
                d=short_date(through)), default_yes=False):
            return
        attempt(self, lambda: closing.close_period(self.ctx, through, self.reason.text()))
        self.refresh()

    def reopen_period(self) -> None:
        """Reopen the book from the date typed, with the reason; a refusal is shown in words."""
        through = self._date()
        if through is not None:
            attempt(self, lambda: closing.reopen_period(self.ctx, through, self.reason.text()))
            self.refresh()
