"""The form dialog every dialog builds on (fields, Đồng ý/Hủy, the job runner, a refusal beside its field) and the
label/value grid of figures.

Enter confirms, Esc cancels. The dialogs never compute a figure: quotes, previews and limit checks come from the services.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fundapp.formatting import DateTextError
from fundapp.services.clock import future_message
from fundapp.services.errors import UserFacingError, ValidationError

from ..env import UiEnv
from ..errors import present_error
from ..i18n import tr
from ..widgets.fields import DateEdit, FieldForm, MoneyEdit


class FormDialog(QDialog):
    """A dialog with a field form and Đồng ý/Hủy; ``submit()`` starts the job, the dialog closes when it succeeds."""

    def __init__(self, env: UiEnv, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.result_value: Any = None
        self.setWindowTitle(title)
        self.layout_ = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.layout_.addWidget(self.intro)
        self.form = FieldForm()
        self.layout_.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._busy = False
        self.setMinimumWidth(640)

    def finish_layout(self) -> None:
        """Called by subclasses once their fields are in: the buttons go last. Every date field takes no day after
        the book's today (an entry records what happened) and says so at the field, before any preview or question."""
        self.layout_.addWidget(self.buttons)
        today = self.env.ctx.today()
        for name, edit in self.form.date_fields().items():
            what = self.form.labels[name]
            what = what[:1].lower() + what[1:]
            edit.limit_to(today, lambda day, what=what: future_message(day, today, what))

    def set_intro(self, html: str) -> None:
        """Show ``html`` (rich text) above the fields."""
        self.intro.setText(html)
        self.intro.show()

    # subclasses return the job to run (a callable taking the JobControl), after checking their fields
    def job(self) -> Callable[[Any], Any] | None:
        """The write to run (a callable taking the JobControl) after the fields are checked, or None to stay open.
        Subclasses override it; raising ``ValidationError`` shows the refusal beside its field."""
        raise NotImplementedError

    def submit(self) -> None:
        """Check the fields and start the write; a dialog needing a service answer first overrides this."""
        fn = self.job()
        if fn is not None:
            self.run_job(fn, self.close_with)

    def accept(self) -> None:
        if self._busy:
            return
        self.form.clear_errors()
        if self.form.refuse_unread_dates():
            return
        try:
            self.submit()
        except ValidationError as err:
            self.show_refusal(err)

    def run_job(self, fn: Callable[[Any], Any], then: Callable[[Any], None]) -> None:
        """Run ``fn`` on the worker; ``then(result)`` on success, the refusal beside its field otherwise."""
        self._busy = True
        self.ok_button.setEnabled(False)

        def done(result: Any) -> None:
            self._busy = False
            self.ok_button.setEnabled(True)
            try:
                then(result)
            except ValidationError as err:
                self.show_refusal(err)

        self.env.jobs.run(fn, done, parent=self, on_failed=self._failed, label=tr("Đang ghi…"))

    def close_with(self, result: Any) -> None:
        """Keep ``result`` as ``result_value`` and close the dialog as accepted."""
        self.result_value = result
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        self.show_refusal(exc)

    def show_refusal(self, exc: BaseException) -> None:
        """Beside the field the refusal names, else in a message box. A proposal recorded instead (maker-checker,
        issue 14) is said and closes the dialog: another user confirms it on «Chờ tôi duyệt»."""
        from fundapp.services.rights import ProposalMade

        if isinstance(exc, ProposalMade):
            present_error(self, exc)
            QDialog.accept(self)  # closes without submitting again (our accept() submits)
            return
        if isinstance(exc, UserFacingError) and self.form.show_error(exc.field, exc.message):
            return
        present_error(self, exc)

    def day(self, field: str, edit: DateEdit) -> date:
        """The day in ``edit``; a ValidationError naming ``field`` if it is no day or one not allowed (after today)."""
        try:
            return edit.value()
        except DateTextError as err:
            raise ValidationError(err.msg, field=field) from None

    def money(self, field: str, edit: MoneyEdit, required: bool = True) -> int:
        """The amount in ``edit``; a ValidationError naming ``field`` if it is not an amount."""
        if not edit.text().strip() and not required:
            return 0
        try:
            return edit.value()
        except ValueError as err:
            raise ValidationError(getattr(err, "msg", str(err)), field=field) from None  # AmountError's Message


def rich_label(name: str) -> QLabel:
    """An empty word-wrapped rich-text label named ``name`` (tests find it by that name), as wide as its column."""
    label = QLabel("…")
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)  # a short text at the top of its box
    return label


def rich_height(label: QLabel, html: str, width: int) -> int:
    """The height ``html`` takes in ``label`` at the width it has (never less than ``width``), without showing it."""
    probe = QLabel()
    probe.setFont(label.font())
    probe.setWordWrap(True)
    probe.setTextFormat(Qt.TextFormat.RichText)
    probe.setText(html)
    return probe.heightForWidth(max(width, label.width() if label.isVisible() else 0))


def set_rich(label: QLabel, html: str, width: int = 460, reserve: str = "") -> None:
    """Set a rich-text label's text and reserve the height it needs at its width (never less than ``width``), and
    at least what ``reserve`` (the longest text the label will show) needs: a wrapped label does not grow by
    itself, and its window then grows to show it whole (never past the screen)."""
    label.setMinimumWidth(width)
    label.setText(html)
    need = max(rich_height(label, html, width) if html else 0, rich_height(label, reserve, width) if reserve else 0)
    label.setMinimumHeight(need)
    grow_to_fit(label.window())


def grow_to_fit(window: QWidget) -> None:
    """Make ``window`` (a shown dialog) as high as its layout needs at its width, wrapped texts included, up to the
    screen's available height; never shrinks it."""
    lay = window.layout()
    if lay is None or not window.isWindow() or not window.isVisible():
        return
    lay.activate()
    need = lay.totalMinimumSize().height()
    if lay.hasHeightForWidth():
        need = max(need, lay.totalHeightForWidth(window.width()))
    screen = window.screen()
    if screen is not None:
        frame = window.frameGeometry().height() - window.height()
        need = min(need, screen.availableGeometry().height() - frame)
    if window.height() < need:
        window.resize(window.width(), need)


def figures_grid(pairs: list[tuple[str, str, str]], columns: int = 2) -> tuple[QGridLayout, dict[str, QLabel]]:
    """Label/value pairs in a grid; values are selectable labels named ``name`` (tests read them)."""
    grid = QGridLayout()
    grid.setHorizontalSpacing(16)
    labels: dict[str, QLabel] = {}
    for i, (name, caption, tooltip) in enumerate(pairs):
        r, c = divmod(i, columns)
        cap = QLabel(caption)
        cap.setToolTip(tooltip)
        value = QLabel("")
        value.setObjectName(name)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = value.font()
        font.setBold(True)
        value.setFont(font)
        grid.addWidget(cap, r, c * 2)
        grid.addWidget(value, r, c * 2 + 1)
        labels[name] = value
    return grid, labels
