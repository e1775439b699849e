"""The loan page's life-event dialogs: Cơ cấu lại thời hạn trả nợ, Miễn, giảm lãi, Xử lý rủi ro (xóa nợ), and a repayment on
a written-off loan taken as a recovery (DOMAIN.md "Life events").

Each dialog (an ``event_form.EventDialog``) asks ``services.event_previews`` what the event would do, shows it, asks
confirmation and posts through ``services.events``. The engine's
refusals show beside the field they name. No figure is computed here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from fundapp.domain.event_words import restructure_words
from fundapp.domain.events import RELIEF_LABELS, relief_label
from fundapp.formatting import decimal_comma_text, group_thousands, short_date, vnd

from .env import UiEnv
from .event_form import EventDialog, html_table, rich_label, set_rich
from .i18n import tr
from .widgets.fields import MoneyEdit, allow, spin_box
from .widgets.table_model import Column, RowTableModel


# -- restructuring ---------------------------------------------------------------------------------
def schedule_columns(paid: bool = False) -> list[Column]:
    """The columns of a schedule's rows (``Installment``): number, due date, principal and interest due (đồng),
    whether the interest is projected or actual (the engine's ``interest_projected``), total; with ``paid`` (the
    loan page) also the principal and interest paid. The restructuring preview and the loan page show the same
    schedule through them."""
    due = [
        Column(tr("Kỳ"), lambda i: i.no, "int"),
        Column(tr("Ngày đến hạn"), lambda i: i.due_on, "date"),
        Column(tr("Gốc phải trả"), lambda i: i.principal, "money"),
        Column(tr("Lãi phải trả"), lambda i: i.interest, "money"),
        Column(tr("Lãi"), lambda i: tr("dự kiến") if i.interest_projected else tr("thực tế"), "center"),
        Column(tr("Tổng"), lambda i: i.total, "money"),
    ]
    if not paid:
        return due
    # interest a relief forgave is neither paid nor owed: its own column, shown when the loan has any (as the papers'
    # schedule prints it), else HD2023-011's 3rd read 3.446.167 due beside 2.412.317 paid, as if 1.033.850 were owed
    return [*due, Column(tr("Gốc đã trả"), lambda i: i.principal_paid, "money"),
            Column(tr("Lãi đã trả"), lambda i: i.interest_paid, "money"),
            Column(tr("Lãi được miễn, giảm"), lambda i: i.interest_relieved or None, "money")]


RELIEVED_COLUMN = 8  # the loan page's «Lãi được miễn, giảm» in ``schedule_columns(paid=True)``


def _schedule_view(model: RowTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setMinimumHeight(180)
    for column, width in enumerate((38, 88, 108, 96, 64, 108)):
        view.setColumnWidth(column, width)
    return view


class RestructureDialog(EventDialog):
    """Cơ cấu lại thời hạn trả nợ: extension months, grace periods, the schedule before and after side by side,
    the deferred interest, the debt group it brings (Circular 14/2024) and what ends its watch."""

    prefix = "CC"

    def __init__(self, env: UiEnv, view: Any, on: date, parent: QWidget | None = None) -> None:
        super().__init__(env, view, tr("Cơ cấu lại thời hạn trả nợ — khoản vay {no}"), on, parent)
        self.setMinimumWidth(1080)
        f = view.terms.frequency_months
        self.set_intro(tr("Điều chỉnh kỳ hạn trả nợ, gia hạn nợ. Khoản vay trả nợ {f} tháng một kỳ: số tháng gia hạn là "
                          "bội số của {f}.").format(f=f))
        self.extend = self.form.add("extend_months", tr("Số tháng gia hạn"), spin_box(0, 600, f, f))
        self.grace = self.form.add("grace_periods", tr("Số kỳ ân hạn gốc (từ kỳ đầu sau ngày cơ cấu)"), spin_box(0, 120, 0))
        self.add_common()
        self.summary = rich_label("summary")
        self.form.addRow(tr("Kết quả cơ cấu lại"), self.summary)
        self.before_model = RowTableModel(schedule_columns(), self)
        self.after_model = RowTableModel(schedule_columns(), self)
        grid = QGridLayout()
        grid.addWidget(QLabel(tr("Lịch trả nợ hiện tại")), 0, 0)
        grid.addWidget(QLabel(tr("Lịch trả nợ sau khi cơ cấu lại")), 0, 1)
        grid.addWidget(_schedule_view(self.before_model, "before"), 1, 0)
        grid.addWidget(_schedule_view(self.after_model, "after"), 1, 1)
        self.layout_.addLayout(grid, 1)
        self.finish_layout()
        self.extend.valueChanged.connect(lambda *_: self._timer.start())
        self.grace.valueChanged.connect(lambda *_: self._timer.start())
        self.ask_preview()
        self.extend.setFocus()

    def preview_call(self):
        """``preview_restructure`` for the day, months of extension and grace periods typed (DOMAIN.md
        "Restructuring on day t")."""
        from fundapp.services.event_previews import preview_restructure

        ctx, loan_id, on, e, g = self.env.ctx, self.loan_id, self.day("on", self.on), self.extend.value(), self.grace.value()
        return lambda: preview_restructure(ctx, loan_id, on, e, g)

    def clear_preview(self) -> None:
        """Empty the preview and the schedule after the restructuring."""
        set_rich(self.summary, "")
        self.after_model.set_rows([])

    def show_preview(self, p: Any) -> None:
        """Show the schedule before and after and the restructuring's figures (đồng, debt group, dates)."""
        self.before_model.set_rows(p.before)
        self.after_model.set_rows(p.after)
        rows = [
            (tr("Dư nợ gốc được cơ cấu lại"), vnd(p.principal_outstanding)),
            (tr("Lãi đến hạn chưa trả chuyển sang kỳ đầu sau ngày cơ cấu"), vnd(p.deferred_interest)),
            (tr("Hạn trả nợ cuối cùng"), f"{short_date(p.last_due_before)} → {short_date(p.last_due_after)}"),
            (tr("Lần cơ cấu lại"), str(p.number)),
            (tr("Nhóm nợ sau cơ cấu lại"), tr("nhóm {g} (trước đó nhóm {b})").format(g=p.debt_group, b=p.group_before)),
        ]
        why = tr("Thông tư 14/2024, Điều 5: cơ cấu lại lần {r}, {d} ngày quá hạn theo lịch mới → nhóm {rule}; theo số "
                 "ngày quá hạn: nhóm {days}; lấy nhóm cao hơn trong thời gian theo dõi.").format(
            r=p.number, d=p.days_past_due, rule=p.group_rule, days=p.group_by_days)
        watch = tr("Hết theo dõi khi khoản vay đủ {n} ngày liên tục không quá hạn và kỳ đến hạn {due} được trả đủ "
                   "đúng hạn: sớm nhất hết ngày {end}.").format(
            n=p.watch_days, due=short_date(p.watch_first_due), end=short_date(p.watch_earliest_end))
        set_rich(self.summary, f"{html_table(rows)}<p>{why}</p><p>{watch}</p>", 700)

    def submit(self) -> None:
        """Ask the user to confirm, then post the restructuring with its decision number and reason."""
        from fundapp.services.events import restructure

        reference, reason = self.values()
        ctx, loan_id, on, e, g = self.env.ctx, self.loan_id, self.day("on", self.on), self.extend.value(), self.grace.value()
        self.confirm_and_post(
            tr("Xác nhận cơ cấu lại thời hạn trả nợ"),
            tr("Cơ cấu lại thời hạn trả nợ khoản vay {no} ngày {on}: {terms}?").format(
                no=self.view.loan_no, on=short_date(on), terms=restructure_words(e, g)),
            lambda: restructure(ctx, loan_id, on, e, g, reference, reason))


# -- interest relief -------------------------------------------------------------------------------
class ReliefDialog(EventDialog):
    """Miễn, giảm lãi: the kind, the most that can be relieved of it on the day, the amount."""

    prefix = "MG"

    def __init__(self, env: UiEnv, view: Any, on: date, parent: QWidget | None = None) -> None:
        super().__init__(env, view, tr("Miễn, giảm lãi — khoản vay {no}"), on, parent)
        self.setMinimumWidth(760)
        self.limits: Any = None
        self.kind = QComboBox()
        for key, label in RELIEF_LABELS.items():  # the domain's one label of each kind, as the papers print it
            text = tr(label)
            self.kind.addItem(text[:1].upper() + text[1:], key)
        self.form.add("relief_of", tr("Loại lãi"), self.kind)
        self.most = rich_label("most")
        self.most_button = QPushButton(tr("Miễn, giảm toàn bộ"))
        self.most_button.setToolTip(tr("Điền số tối đa được miễn, giảm của loại lãi này"))
        self.most_button.clicked.connect(self._fill_most)
        self.form.addRow(tr("Số tối đa được miễn, giảm"), self.most)
        self.form.addRow("", self.most_button)
        self.amount = self.form.add("amount", tr("Số tiền miễn, giảm (đồng)"), MoneyEdit())
        self.add_common()
        self.summary = rich_label("summary")
        self.form.addRow(tr("Sau khi miễn, giảm"), self.summary)
        self.finish_layout()
        self.kind.currentIndexChanged.connect(lambda *_: (self._show_most(), self._timer.start()))
        self.amount.valueChanged.connect(lambda *_: self._timer.start())
        self.on.dateChanged.connect(lambda *_: self._ask_limits())
        self._ask_limits()
        self.amount.setFocus()

    def _ask_limits(self) -> None:
        from fundapp.services.event_previews import relief_limits

        self.read_on_day(relief_limits, self._limits_shown)

    def _limits_shown(self, limits: Any) -> None:
        first = self.limits is None
        self.limits = limits
        if first and not limits.most(self.kind.currentData()):
            # opened on a kind with nothing to relieve («0 đ», the button greyed) while another has some (HD2023-011:
            # no late interest, 1.800.417 đ interest due): the first kind that has some is chosen
            for i in range(self.kind.count()):
                if limits.most(self.kind.itemData(i)) > 0:
                    self.kind.setCurrentIndex(i)  # its own signal shows the most
                    return
        self._show_most()

    def _show_most(self) -> None:
        if self.limits is None:
            return
        most = self.limits.most(self.kind.currentData())
        set_rich(self.most, tr("{amount} (phải trả ngày {on}, tính đến hết ngày trước đó)").format(
            amount=f"<b>{vnd(most)}</b>", on=short_date(self.limits.on)))
        allow(self.most_button, "" if most > 0 else tr("Không còn lãi loại này để miễn, giảm"))

    def _fill_most(self) -> None:
        if self.limits is not None:
            self.amount.setText(group_thousands(self.limits.most(self.kind.currentData())))

    def preview_call(self):
        """``preview_relief`` for the amount (đồng) and interest kind typed, None while no amount is typed (DOMAIN.md
        "Interest relief on day t")."""
        from fundapp.services.event_previews import preview_relief

        if not self.amount.text().strip():
            return None
        amount = self.money("amount", self.amount)
        ctx, loan_id, on, kind = self.env.ctx, self.loan_id, self.day("on", self.on), self.kind.currentData()
        return lambda: preview_relief(ctx, loan_id, on, kind, amount)

    def show_preview(self, p: Any) -> None:
        """Show the relief and the balances after it (đồng)."""
        b = p.balances
        rows = [
            (tr("Miễn, giảm"), f"{vnd(p.result.amount)} {tr(relief_label(p.result.relief_of))}"),
            (tr("Lãi quá hạn còn phải trả"), vnd(b.overdue_interest_accrued)),
            (tr("Lãi chậm trả còn phải trả"), vnd(b.late_interest_accrued)),
            (tr("Lãi đến hạn chưa trả"), vnd(b.interest_due_unpaid)),
            (tr("Nhóm nợ"), tr("nhóm {g} (trước đó nhóm {b})").format(g=b.debt_group, b=p.group_before)),
        ]
        why = tr("Khoản vay được miễn, giảm lãi ít nhất nhóm 3 trong thời gian theo dõi (Thông tư 14/2024, Điều 5).")
        set_rich(self.summary, f"{html_table(rows)}<p>{why}</p>")

    def submit(self) -> None:
        """Ask the user to confirm, then post the interest relief."""
        from fundapp.services.events import relieve_interest

        amount = self.money("amount", self.amount)
        reference, reason = self.values()
        ctx, loan_id, on, kind = self.env.ctx, self.loan_id, self.day("on", self.on), self.kind.currentData()
        self.confirm_and_post(
            tr("Xác nhận miễn, giảm lãi"),
            tr("Miễn, giảm {amount} {kind} cho khoản vay {no} ngày {on}?").format(
                amount=vnd(amount), kind=self.kind.currentText().lower(), no=self.view.loan_no, on=short_date(on)),
            lambda: relieve_interest(ctx, loan_id, on, kind, amount, reference, reason))


# -- write-off -------------------------------------------------------------------------------------
class WriteOffDialog(EventDialog):
    """Xử lý rủi ro (xóa nợ bằng dự phòng): what goes off-balance at the end of the day and the provision."""

    prefix = "XL"

    def __init__(self, env: UiEnv, view: Any, on: date, parent: QWidget | None = None) -> None:
        super().__init__(env, view, tr("Xử lý rủi ro (xóa nợ) — khoản vay {no}"), on, parent)
        self.setMinimumWidth(760)
        self.set_intro(tr("Cuối ngày xử lý, toàn bộ nợ gốc và lãi được xóa khỏi bảng cân đối và theo dõi ngoại bảng; "
                          "số tiền thu được sau đó là thu hồi nợ đã xử lý rủi ro."))
        self.add_common()
        self.summary = rich_label("summary")
        self.form.addRow(tr("Chuyển ra ngoại bảng"), self.summary)
        self.finish_layout()
        self.ask_preview()
        self.reason.setFocus()

    def preview_call(self):
        """``preview_write_off`` on the day typed (DOMAIN.md "Write-off on day t")."""
        from fundapp.services.event_previews import preview_write_off

        ctx, loan_id, on = self.env.ctx, self.loan_id, self.day("on", self.on)
        return lambda: preview_write_off(ctx, loan_id, on)

    def show_preview(self, p: Any) -> None:
        """Show the principal and interest that would be written off (đồng)."""
        rows = [
            (tr("Nợ gốc"), vnd(p.principal)),
            (tr("Nợ lãi (trong hạn, quá hạn, chậm trả)"), vnd(p.interest)),
            (tr("Tổng số xóa nợ, theo dõi ngoại bảng"), vnd(p.total)),
            (tr("Nhóm nợ trước khi xử lý"), str(p.debt_group)),
            (tr("Dự phòng cụ thể bù đắp ({rate} % dư nợ gốc)").format(rate=decimal_comma_text(p.provision_rate)),
             vnd(p.provision)),
            (tr("Phần gốc chưa được dự phòng bù đắp"), vnd(p.uncovered)),
        ]
        set_rich(self.summary, html_table(rows))

    def submit(self) -> None:
        """Ask the user to confirm, then post the write-off."""
        from fundapp.services.events import write_off

        reference, reason = self.values()
        ctx, loan_id, on = self.env.ctx, self.loan_id, self.day("on", self.on)
        self.confirm_and_post(
            tr("Xác nhận xử lý rủi ro"),
            tr("Xóa nợ khoản vay {no} cuối ngày {on}, chuyển theo dõi ngoại bảng?").format(
                no=self.view.loan_no, on=short_date(on)),
            lambda: write_off(ctx, loan_id, on, reference, reason))


# -- recovery --------------------------------------------------------------------------------------
class RecoveryDialog(EventDialog):
    """A repayment on a written-off loan: taken as a recovery (thu hồi nợ đã xử lý), principal first, then interest."""

    prefix = "PT"

    def __init__(self, env: UiEnv, view: Any, events: Any, on: date, parent: QWidget | None = None) -> None:
        super().__init__(env, view, tr("Thu hồi nợ đã xử lý rủi ro — khoản vay {no}"), on, parent)
        self.setMinimumWidth(760)
        self._show_off_balance(events)
        self.amount = self.form.add("amount", tr("Số tiền thu hồi (đồng)"), MoneyEdit())
        self.reference = self.form.add("reference", tr("Số chứng từ"), QLineEdit())
        self.reference.setPlaceholderText(tr("để trống: tự đánh số PT-năm-số"))
        self.note = self.form.add("note", tr("Ghi chú"), QLineEdit())
        self.summary = rich_label("summary")
        self.form.addRow(tr("Phân bổ dự kiến"), self.summary)
        self.finish_layout()
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.ask_preview)
        self.on.dateChanged.connect(lambda *_: (self._timer.start(), self._ask_off_balance()))
        self.amount.valueChanged.connect(lambda *_: self._timer.start())
        if events is None or events.written_off_on is None or events.as_of != on:
            self._ask_off_balance()
        self.amount.setFocus()

    def _ask_off_balance(self) -> None:
        from fundapp.services.event_previews import loan_events

        self.read_on_day(loan_events, self._show_off_balance)

    def _show_off_balance(self, events: Any) -> None:
        """What remains off-balance on the recovery's date (the page may show another date)."""
        if events is None or events.written_off_on is None:
            self.set_intro(tr("Khoản vay đã xóa nợ: số tiền thu được hạch toán là <b>thu hồi nợ đã xử lý rủi ro</b> "
                              "(gốc trước, lãi sau), không phải thu nợ."))
            return
        self.set_intro(tr("Khoản vay đã xóa nợ ngày {on}: số tiền thu được hạch toán là <b>thu hồi nợ đã xử lý rủi ro"
                          "</b> (gốc trước, lãi sau), không phải thu nợ. Còn theo dõi ngoại bảng: gốc {p}, lãi {i}.")
                       .format(on=short_date(events.written_off_on), p=vnd(events.off_principal),
                               i=vnd(events.off_interest)))

    def preview_call(self):
        """``preview_recovery`` for the amount typed (đồng), None while no amount is typed."""
        from fundapp.services.event_previews import preview_recovery

        if not self.amount.text().strip():
            return None
        amount = self.money("amount", self.amount)
        ctx, loan_id, on = self.env.ctx, self.loan_id, self.day("on", self.on)
        return lambda: preview_recovery(ctx, loan_id, on, amount)

    def show_preview(self, p: Any) -> None:
        """Show the principal and interest the recovery would collect (đồng)."""
        r = p.result
        set_rich(self.summary, html_table([(tr("Thu hồi gốc đã xử lý"), vnd(r.principal)),
                                       (tr("Thu hồi lãi đã xử lý"), vnd(r.interest))])
                 + f"<p>{tr('Đây là khoản thu hồi nợ đã xử lý rủi ro, không tính vào thu nợ.')}</p>")

    def submit(self) -> None:
        """Ask the user to confirm, then post the recovery (a repayment on a written-off loan)."""
        from fundapp.services.posting import Kind, post_transaction

        from .dialogs.money import twin_html

        amount = self.money("amount", self.amount)
        ctx, loan_id, on = self.env.ctx, self.loan_id, self.day("on", self.on)
        reference, note = self.reference.text(), self.note.text()
        self.confirm_and_post(
            tr("Xác nhận thu hồi nợ đã xử lý rủi ro"),
            tr("Ghi nhận thu hồi {amount} ngày {on} của khoản vay đã xóa nợ {no}?").format(
                amount=vnd(amount), on=short_date(on), no=self.view.loan_no)
            + twin_html(ctx, loan_id, Kind.REPAYMENT, on, amount),
            lambda: post_transaction(ctx, loan_id, Kind.REPAYMENT, on, amount, reference, note))
