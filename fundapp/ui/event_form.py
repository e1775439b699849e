"""What every life-event dialog of the loan page shares: the date, the decision number and reason, a preview asked
of ``services.event_previews`` again after each pause in typing (through the job runner, nothing written), and the
confirmation before posting (irreversible except by reversal); with the rich-text helpers the previews are shown
with. The dialogs themselves are in ``event_dialogs``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QWidget

from fundapp.services.errors import UserFacingError, ValidationError

from .dialogs.form import FormDialog, rich_label, set_rich  # noqa: F401  (the event dialogs' helpers)
from .env import UiEnv
from .errors import present_error
from .i18n import tr
from .messages import confirm
from .widgets.fields import DateEdit

RED = "#b00020"


def html_table(rows: list[tuple[str, str]]) -> str:
    """An HTML table of (label, value) rows, the value right-aligned in bold, for a rich-text label."""
    body = "".join(f"<tr><td>{a}</td><td align='right'>&nbsp;&nbsp;<b>{b}</b></td></tr>" for a, b in rows)
    return f"<table>{body}</table>"


class EventDialog(FormDialog):
    """Shared parts: the date (the engine's "date"/"kind" refusals show beside it), decision number, reason, and a
    preview asked again after each pause in typing."""

    prefix = ""

    def __init__(self, env: UiEnv, view: Any, title: str, on: date, parent: QWidget | None = None) -> None:
        super().__init__(env, title.format(no=view.loan_no), parent)
        self.view = view
        self.loan_id = view.id
        self.preview: Any = None
        self.on = self.form.add("on", tr("Ngày"), DateEdit(on), aliases=("date", "kind"))

    def add_common(self) -> None:
        """Add the fields every life event has: decision number (blank: numbered automatically) and reason."""
        self.reference = self.form.add("reference", tr("Số quyết định"), QLineEdit())
        self.reference.setPlaceholderText(tr("để trống: tự đánh số {prefix}-năm-số").format(prefix=self.prefix))
        self.reason = self.form.add("reason", tr("Lý do"), QLineEdit())
        self.reason.setPlaceholderText(tr("ví dụ: thiệt hại do bão lũ tháng 10/2024"))
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.ask_preview)
        self.on.dateChanged.connect(lambda *_: self._timer.start())
        self.on.problem.connect(lambda text: self._date_refused() if text else None)

    def values(self) -> tuple[str, str]:
        """(decision number, reason); the reason is required."""
        reason = self.reason.text().strip()
        if not reason:
            raise ValidationError(tr("Phải ghi lý do (ví dụ: thiệt hại do bão lũ)"), field="reason")
        return self.reference.text(), reason

    # the preview ---------------------------------------------------------------------------------
    def preview_call(self):  # returns a callable of no argument, or None when a field is not filled yet
        """The service call of the preview (a callable of no argument), or None while a field is not filled yet.
        Subclasses override it; raising ``ValidationError`` shows the refusal beside its field."""
        raise NotImplementedError

    def show_preview(self, preview: Any) -> None:
        """Show ``preview`` (the service's preview of the event: figures in đồng). Subclasses override it."""
        raise NotImplementedError

    def ask_preview(self) -> None:
        """Ask the service for the preview of the fields as typed, in a read-only job."""
        self.form.clear_errors()
        if self.form.refuse_unread_dates(focus=False):  # said at the field, nothing previewed for another day
            return self._date_refused()
        try:
            call = self.preview_call()
        except ValidationError as err:
            self.form.show_error(err.field, err.message)
            return
        if call is not None:
            self._read(call, self._previewed)

    def _date_refused(self) -> None:
        # the date field says why; no preview of another day stays under it
        self.preview = None
        self.clear_preview()

    def read_on_day(self, read: Callable[[Any, int, date], Any], shown: Callable[[Any], None]) -> None:
        """Run ``read(ctx, loan_id, on)`` (a service's read of this loan on the day chosen) in a read-only job, then
        ``shown(result)``; a failure shows as a preview's does (``preview_failed``). Nothing while the date field
        holds no allowed day (the field says why)."""
        if self.on.problem_text():
            return
        ctx, loan_id, on = self.env.ctx, self.loan_id, self.on.value()
        self._read(lambda: read(ctx, loan_id, on), shown)

    def _read(self, call: Callable[[], Any], shown: Callable[[Any], None]) -> None:
        """The one background read of the dialog: ``call()`` in a read-only job without a progress bar, then
        ``shown(result)``, a failure shown by ``preview_failed``."""
        self.env.jobs.run(lambda _c: call(), shown, parent=self, progress=False, on_failed=self.preview_failed,
                          read_only=True)

    def _previewed(self, preview: Any) -> None:
        self.preview = preview
        self.show_preview(preview)

    def preview_failed(self, exc: BaseException) -> None:
        """Clear the preview and show why it failed (beside its field for a refusal, else in the summary)."""
        self.preview = None
        self.clear_preview()
        if isinstance(exc, UserFacingError):
            if not self.form.show_error(exc.field, exc.message):
                set_rich(self.summary, f"<span style='color:{RED}'>{exc.message}</span>")
        else:
            present_error(self, exc)

    def clear_preview(self) -> None:
        """Empty the preview."""
        set_rich(self.summary, "")

    def confirm_and_post(self, title: str, question: str, post) -> None:
        """Preview exactly what is posted, ask (Không by default: only a reversal undoes it), then post."""
        call = self.preview_call()

        def decide(preview: Any) -> None:
            self._previewed(preview)
            text = f"{question}<br><br>{self.summary.text()}<br><br>" + tr(
                "Sau khi ghi, chỉ có thể hủy bằng bút toán hủy (đảo).")
            if confirm(self, title, text, default_yes=False):
                self.run_job(lambda _c: post(), self.close_with)

        self.run_job(lambda _c: call(), decide)
