"""One loan: terms, balances as of a chosen date, schedule, history with each repayment's split.

Every figure is the engine's, read through ``loans.loan_page`` (one read, one replay); the actions
(``loan_actions``) post through the services and announce "loans" so every list refreshes; the papers are
``loan_documents``', the history table ``loan_history``'s.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fundapp.domain.labels import BALANCE_LABELS, QUOTE_LABELS
from fundapp.domain.terms import METHOD_LABELS_VI
from fundapp.domain.terms_in_force import TermsInForce
from fundapp.formatting import decimal_vi, future_figures_message, group_thousands, rate_message, short_date, vnd

from .dialogs.form import figures_grid
from .env import UiEnv
from .event_dialogs import RELIEVED_COLUMN, schedule_columns
from .i18n import tr
from .loan_actions import LoanActions
from .loan_documents import LoanDocuments
from .loan_events import EventsBox
from .loan_history import history_table
from .pages._common import page_title
from .widgets.fields import DateEdit, allow, error_label, push_button
from .widgets.flow import FlowLayout, scroll_area
from .widgets.table_model import RowTableModel
from .widgets.table_view import TableView

# the balances box: (figure, its label — the domain's, as the statement prints it —, a tooltip)
BALANCES = tuple((name, {**BALANCE_LABELS, **QUOTE_LABELS}[name], tip) for name, tip in (
    ("principal_outstanding", ""),
    ("principal_overdue", "Gốc của các kỳ đến hạn trước ngày xem chưa trả"),
    ("interest_due_unpaid", ""),
    ("interest_accrued", "Lãi kỳ hiện tại tính đến hết ngày xem"),
    ("overdue_interest_accrued", "Lãi trên gốc quá hạn"),
    ("late_interest_accrued", "Lãi trên lãi chậm trả (≤ 10 %/năm)"),
    ("days_past_due", ""),
    ("debt_group", "Thông tư 14/2024: nhóm 1 dưới 10 ngày … nhóm 5 từ 180 ngày"),
    ("due_now", "Số tiền đến hạn phải trả trong ngày xem"),
    ("settlement", "Số tiền tất toán khoản vay trong ngày xem"),
))


class LoanDetail(LoanActions, LoanDocuments, QWidget):
    """The loan page; ``back`` asks the list to come back (Esc)."""

    back = Signal()

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.loan_id: int | None = None
        self.view: Any = None  # the LoanView shown
        self.events: Any = None  # its LoanEvents (services.event_previews)

        self.back_button = QPushButton(tr("← Danh sách khoản vay"))
        self.back_button.setToolTip(tr("Quay lại danh sách (Esc)"))
        self.back_button.clicked.connect(self.back.emit)
        self.title = page_title("")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.as_of = DateEdit(env.ctx.today())
        self.as_of.setToolTip(tr("Xem số dư tại cuối ngày này"))
        self.as_of.limit_to(env.ctx.today(), lambda day: future_figures_message(day, env.ctx.today()))
        self.as_of.dateChanged.connect(lambda *_: self.reload())
        self.as_of_problem = error_label("error_as_of")  # what is wrong with the date typed, beside it
        self.as_of.problem.connect(self.as_of_problem.setText)
        today = QPushButton(tr("Hôm nay"))
        today.clicked.connect(lambda: self.as_of.setValue(env.ctx.today()))

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(QLabel(tr("Số dư tại ngày")))
        top.addWidget(self.as_of)
        top.addWidget(self.as_of_problem)
        top.addWidget(today)

        self.disburse_button = push_button(tr("&Giải ngân…"), self.disburse)
        self.repay_button = push_button(tr("&Thu nợ…"), self.repay)
        self.reverse_button = push_button(tr("&Hủy bút toán…"), self.reverse)
        self.terms_button = push_button(tr("Sửa điều &kiện vay…"), self.edit_terms,
                                        tr("Điều kiện vay chỉ sửa được khi chưa giải ngân lần nào."))
        self.statement_button = push_button(tr("In &sao kê…"), lambda: self.print_document("statement"))
        self.schedule_button = push_button(tr("In &lịch trả nợ…"), lambda: self.print_document("schedule"))
        self.notice_button = push_button(tr("In thông &báo nợ…"), lambda: self.print_document("notice"))
        self.more_button = QPushButton(tr("In &khác"))
        more = QMenu(self.more_button)
        self.receipt_action = more.addAction(tr("Giấy nhận nợ của lần giải ngân đang chọn"))
        self.receipt_action.triggered.connect(lambda: self.print_document("receipt"))
        self.reconciliation_action = more.addAction(tr("Biên bản đối chiếu công nợ tại ngày đang xem"))
        self.reconciliation_action.triggered.connect(lambda: self.print_document("reconciliation"))
        self.decision_action = more.addAction(tr("Quyết định của lần cơ cấu lại, miễn giảm lãi, xử lý rủi ro đang chọn"))
        self.decision_action.triggered.connect(lambda: self.print_document("decision"))
        self.amendment_action = more.addAction(tr("Phụ lục hợp đồng của lần cơ cấu lại đang chọn"))
        self.amendment_action.triggered.connect(lambda: self.print_document("amendment"))
        self.papers_action = more.addAction(tr("Giấy tờ Word (hợp đồng, khế ước…) và tài sản bảo đảm…"))
        self.papers_action.triggered.connect(self.open_papers)
        more.setToolTipsVisible(True)  # a disabled paper says why
        self.more_button.setMenu(more)
        self.events_button = QPushButton(tr("Cơ cấu, miễn giảm, xóa &nợ"))
        events_menu = QMenu(self.events_button)
        self.restructure_action = events_menu.addAction(tr("Cơ cấu lại thời hạn trả nợ…"))
        self.restructure_action.triggered.connect(lambda: self._run(self.make_dialog("restructure")))
        self.relief_action = events_menu.addAction(tr("Miễn, giảm lãi…"))
        self.relief_action.triggered.connect(lambda: self._run(self.make_dialog("relief")))
        self.write_off_action = events_menu.addAction(tr("Xử lý rủi ro (xóa nợ)…"))
        self.write_off_action.triggered.connect(lambda: self._run(self.make_dialog("write_off")))
        self.events_button.setMenu(events_menu)
        actions = FlowLayout()  # wraps at 125 % instead of widening the window past the screen
        for b in (self.disburse_button, self.repay_button, self.reverse_button, self.events_button, self.terms_button):
            actions.addWidget(b)
        actions.addStretch(1)
        for b in (self.statement_button, self.schedule_button, self.notice_button, self.more_button):
            actions.addWidget(b)

        balances_box = QGroupBox(tr("Số dư"))
        grid, self.figures = figures_grid([(n, tr(c), tr(t)) for n, c, t in BALANCES], columns=2)
        balances_box.setLayout(grid)
        terms_box = QGroupBox(tr("Điều kiện vay"))
        self.terms_form = QFormLayout(terms_box)
        self.terms_labels: dict[str, QLabel] = {}
        for name, caption in (("amount", "Số tiền vay"), ("rate", "Lãi suất"), ("term", "Thời hạn / kỳ hạn"),
                              ("method", "Phương thức"), ("grace", "Ân hạn gốc"), ("overdue", "Lãi quá hạn / chậm trả"),
                              ("dates", "Ngày hợp đồng / giải ngân đầu"), ("disbursed", "Đã giải ngân")):
            label = QLabel()
            label.setObjectName(f"terms_{name}")
            label.setWordWrap(True)
            self.terms_labels[name] = label
            self.terms_form.addRow(tr(caption), label)
        self.events_box = EventsBox()
        self.coverage_box = self._coverage_box()
        # figures and what happened to the loan on the left, its terms and security on the right: every box whole
        # at 1366×768 with a history of about ten rows below (an officer's laptop)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(balances_box)
        left.addWidget(self.events_box)
        left.addStretch(1)
        right.addWidget(terms_box)
        right.addWidget(self.coverage_box)
        right.addStretch(1)
        boxes = QHBoxLayout()
        boxes.addLayout(left, 3)
        boxes.addLayout(right, 2)

        self.history_model, self.history = history_table(env, lambda: self.events, self)
        self.history.selectionModel().currentChanged.connect(lambda *_: self._enable())
        self.schedule_model = RowTableModel(schedule_columns(paid=True), self)
        self.schedule = TableView(env.qsettings, "loan_schedule", sortable=False)
        self.schedule.setModel(self.schedule_model)
        self.schedule.horizontalHeader().setStretchLastSection(False)
        self.schedule.set_default_widths([50, 110, 130, 130, 80, 130, 130, 130, 140])
        self.schedule.set_empty_texts(tr("Chưa có lịch trả nợ: lịch được lập từ ngày giải ngân đầu tiên."))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history, tr("Lịch sử giao dịch"))
        self.tabs.addTab(self.schedule, tr("Lịch trả nợ"))

        self.upper = WholeHeight()
        self.upper.setLayout(boxes)
        boxes.setContentsMargins(0, 0, 0, 0)
        self.tabs.setMinimumHeight(150)  # the tab bar, the header and four rows
        # the boxes never get less than their wrapped texts need; the officer may give the tables more
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.upper)
        self.splitter.addWidget(self.tabs)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)
        state = env.qsettings.value("loan_detail/splitter")
        if state:
            self.splitter.restoreState(state)

        body = FitsViewport()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.subtitle)
        layout.addLayout(actions)
        layout.addWidget(self.splitter, 1)
        # the page scrolls when the window is smaller than all of it (125 % scaling): nothing is cut
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll_area(body))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back.emit)
        self._enable()

    def keyPressEvent(self, event) -> None:
        # Esc goes back to the list even when the window is not active (the shortcut needs an active window)
        if event.key() == Qt.Key.Key_Escape:
            self.back.emit()
            return
        super().keyPressEvent(event)

    def save_layout(self) -> None:
        """Save the splitter and the history and schedule tables' column widths in QSettings."""
        self.env.qsettings.setValue("loan_detail/splitter", self.splitter.saveState())
        self.history.save_state()
        self.schedule.save_state()

    # -- loading ----------------------------------------------------------------------------------
    def open(self, loan_id: int) -> None:
        """Show loan ``loan_id``: the title says it is loading and ``reload`` reads its view in a job."""
        self.loan_id = loan_id
        self.view = None
        self.events = None
        self.title.setText(tr("Đang tải…"))
        self.as_of.blockSignals(True)
        self.as_of.setValue(self.env.ctx.today())
        self.as_of.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Read the shown loan's view, events and collateral coverage again in one read-only job (nothing when no
        loan is shown)."""
        if self.loan_id is None or self.as_of.problem_text():  # the field says why; no figures of another day
            return
        ctx, loan_id, as_of = self.env.ctx, self.loan_id, self.as_of.value()
        self.env.jobs.run(lambda _c: _read_page(ctx, loan_id, as_of), self._show_page, parent=self,
                          label=tr("Đang tính số dư…"), read_only=True)

    def _show_page(self, page: tuple) -> None:
        view, events, cover = page
        if view.id == self.loan_id:
            self.events = events
            self.events_box.show_events(events)
        self.show_view(view, cover)

    def show_view(self, v: Any, cover: Any = None) -> None:
        """Show ``v`` (``services.loans.LoanView``: figures in đồng, history, schedule) and ``cover`` (its
        ``services.collateral.OutstandingCoverage``; None: read it in a job of its own); an answer for a loan no
        longer shown is dropped."""
        if v.id != self.loan_id:
            return  # an answer for a loan no longer shown
        self.view = v
        self.title.setText(tr("Khoản vay {no}").format(no=v.loan_no))
        status = tr("Đã tất toán ngày {d}").format(d=short_date(v.closed_on)) if v.closed_on else ""
        self.subtitle.setText(f"{v.borrower_code} — {v.borrower_name} · {v.purpose} · {v.sector}"
                              + (f" · <b>{status}</b>" if status else ""))
        b, q = v.balances, v.quote
        for name, *_ in BALANCES:
            value = getattr(q, name) if name in ("due_now", "settlement") else getattr(b, name)
            self.figures[name].setText(str(value) if name in ("days_past_due", "debt_group") else vnd(value))
        self.figures["principal_overdue"].setStyleSheet("color:#b00020;" if b.principal_overdue else "")
        self.figures["days_past_due"].setStyleSheet("color:#b00020;" if b.days_past_due else "")
        t = v.terms
        unit = "year" if str(t.rate_unit) == "year" else "month"
        self.terms_labels["amount"].setText(vnd(t.amount))
        self.terms_labels["rate"].setText(str(rate_message(t.rate, unit)))
        term, grace = _terms_texts(v.terms_in_force)
        self.terms_labels["term"].setText(term)
        self.terms_labels["method"].setText(tr(METHOD_LABELS_VI.get(t.method, str(t.method))))
        self.terms_labels["grace"].setText(grace)
        self.terms_labels["overdue"].setText(tr("{f} × lãi trong hạn / {r}").format(
            f=decimal_vi(t.overdue_factor), r=rate_message(t.late_interest_rate)))
        self.terms_labels["dates"].setText(f"{short_date(v.contract_date) or '—'} / {short_date(v.anchor) or '—'}")
        self.terms_labels["disbursed"].setText(vnd(v.disbursed))
        self.history_model.set_rows(v.history)
        self.schedule_model.set_rows(v.schedule)
        relieved = any(i.interest_relieved for i in v.schedule)
        self.schedule.setColumnHidden(RELIEVED_COLUMN, not relieved)
        if relieved:
            self.schedule.widen_to_headers([RELIEVED_COLUMN])
        if cover is None:
            self.coverage_box.show_loan(v)
        else:
            self.coverage_box.loan_id = v.id
            self.coverage_box.show_coverage(v.id, cover)
        self._enable()

    def _enable(self) -> None:
        """Enable the actions the shown loan allows; each one disabled says why in its tooltip."""
        v = self.view
        if v is None:
            loading = tr("Đang tải khoản vay…")
            for b in (self.disburse_button, self.repay_button, self.events_button, self.reverse_button,
                      self.statement_button, self.schedule_button, self.notice_button, self.more_button):
                allow(b, loading)
            return
        closed = tr("Khoản vay đã tất toán ngày {d}").format(d=short_date(v.closed_on)) if v.closed_on else ""
        # written off in the book (the page's date may come before it): a repayment is then a recovery
        write_off = next((h for h in v.history if h.kind == "write_off" and h.active), None)
        written_off = (tr("Khoản vay đã xử lý rủi ro (xóa nợ) ngày {d}").format(d=short_date(write_off.on))
                       if write_off is not None else "")
        off_balance = bool(written_off) and (self.events is None or self.events.written_off_on is None
                                             or self.events.off_principal + self.events.off_interest > 0)
        undisbursed = tr("Khoản vay chưa giải ngân lần nào") if v.disbursed <= 0 else ""
        allow(self.disburse_button, closed or (tr("Đã giải ngân đủ số tiền vay {amount} đ").format(
            amount=group_thousands(v.terms.amount)) if v.disbursed >= v.terms.amount else ""))  # English: VND
        no_principal = undisbursed or tr("Khoản vay không còn dư nợ gốc")
        # the principal repaid, interest may still be owed (after the last due date, overdue or late interest): the
        # domain takes a repayment up to the settlement (HD2022-027: 124.767 đ «phải trả ngay», the button greyed)
        owed = v.balances.principal_outstanding > 0 or v.quote.settlement > 0
        allow(self.repay_button, closed or ("" if owed or off_balance else
                                            (tr("Khoản vay đã xóa nợ và đã thu hồi hết") if written_off
                                             else undisbursed or tr("Khoản vay không còn nợ phải thu"))))
        allow(self.events_button, closed or (written_off and tr("{why}: chỉ còn thu hồi nợ (nút «Thu nợ…»)").format(
            why=written_off)) or ("" if v.balances.principal_outstanding > 0 else no_principal))
        entry = self.history.current_row()
        allow(self.reverse_button, tr("Chọn một bút toán trong lịch sử giao dịch để hủy") if entry is None else
              ("" if entry.active else tr("Bút toán đang chọn không còn hiệu lực (đã hủy hoặc là bút toán hủy)")))
        self.terms_button.setEnabled(v.anchor is None and not v.history)  # its tooltip says when it can be edited
        for b in (self.statement_button, self.schedule_button, self.notice_button, self.more_button):
            allow(b, undisbursed and tr("{why}: chưa có gì để in").format(why=undisbursed))
        allow(self.receipt_action, "" if entry is not None and entry.kind == "disbursement" and entry.active else
              tr("Chọn một lần giải ngân còn hiệu lực trong lịch sử giao dịch"))
        event = entry is not None and entry.active and entry.kind in ("restructure", "interest_relief", "write_off")
        allow(self.decision_action, "" if event else
              tr("Chọn một lần cơ cấu lại, miễn giảm lãi hoặc xử lý rủi ro còn hiệu lực trong lịch sử giao dịch"))
        allow(self.amendment_action, "" if event and entry.kind == "restructure" else
              tr("Chọn một lần cơ cấu lại còn hiệu lực trong lịch sử giao dịch"))


def _terms_texts(t: TermsInForce) -> tuple[str, str]:
    """The «Thời hạn / kỳ hạn» and «Ân hạn gốc» texts of ``t`` (months, installments, grace from an installment's
    grid number): the contract's as they are; after a restructuring in force, those in force, saying since when and
    what the contract said (DOMAIN.md "Restructuring on day t")."""
    every = tr("{term} tháng, trả hằng tháng ({n} kỳ)") if t.frequency_months == 1 else tr(
        "{term} tháng, trả {freq} tháng một kỳ ({n} kỳ)")  # "repaid monthly", not "every 1 months"
    term = every.format(term=t.term_months, freq=t.frequency_months, n=t.installments)
    c = t.contract
    contract_grace = tr("1 kỳ") if c.grace_periods == 1 else tr("{n} kỳ").format(n=c.grace_periods)
    if not t.restructured:
        return term, contract_grace
    contract_term = tr("{term} tháng, {n} kỳ").format(term=c.term_months, n=c.installments)
    on = short_date(t.last_restructured_on)
    times = len(t.restructured_on)
    term = (tr("{now} — sau cơ cấu lại ngày {on} (hợp đồng: {contract})").format(
        now=term, on=on, contract=contract_term) if times == 1 else
        tr("{now} — sau {count} lần cơ cấu lại, lần cuối ngày {on} (hợp đồng: {contract})").format(
            now=term, count=times, on=on, contract=contract_term))
    g = t.grace_periods
    grace = (tr("{n} kỳ").format(n=0) if g == 0 else tr("1 kỳ từ kỳ {no}").format(no=t.grace_first) if g == 1
             else tr("{n} kỳ từ kỳ {no}").format(n=g, no=t.grace_first))
    return term, tr("{now} (hợp đồng: {contract})").format(now=grace, contract=contract_grace)


class WholeHeight(QWidget):
    """The loan page's boxes: never less high than its layout needs at its width (wrapped texts included), so a
    splitter or a restored state cannot cut a box; ``fit()`` after a box's text changes."""

    def fit(self) -> None:
        """Take the layout's height for the current width as the minimum height."""
        lay = self.layout()
        if lay is None:
            return
        need = lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth() else lay.totalMinimumSize().height()
        need = max(need, lay.totalMinimumSize().height())
        if need != self.minimumHeight():
            self.setMinimumHeight(need)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.LayoutRequest:  # a box shown, hidden or given a longer text
            result = super().event(e)
            self.fit()
            return result
        return super().event(e)


class FitsViewport(QWidget):
    """The page inside its scroll area: as high as the window shows (the tables take what is left), taller only
    when its parts' minimum heights need it. A scroll area sizes a height-for-width page to its preferred height
    (the tables' preferred rows included), which scrolled a page that fits by a few pixels."""

    def hasHeightForWidth(self) -> bool:
        return False

    def heightForWidth(self, width: int) -> int:  # still asked by the scroll area: without it the page scrolls 8 px
        return -1  # the viewport's height, or the minimum size when that is taller


def _read_page(ctx, loan_id: int, as_of) -> tuple:
    """(``LoanView``, ``LoanEvents``, ``OutstandingCoverage``) of loan ``loan_id`` at the end of ``as_of``: one read
    and one replay (``loans.loan_page``), then the coverage of its outstanding; run in the page's job (the services
    are imported there, off the GUI thread, the first time a loan is opened)."""
    from fundapp.services.collateral import outstanding_coverage
    from fundapp.services.loans import loan_page

    view, events = loan_page(ctx, loan_id, as_of)
    return view, events, outstanding_coverage(ctx, loan_id, view.balances.principal_outstanding)
