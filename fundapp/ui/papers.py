"""The fund's Word papers and a loan's collateral (issue 16): the loan page's dialog, and Settings' template box.

The dialog lists the loan's collateral with its coverage of the outstanding, pledges a new asset, releases one,
and saves the contract, an acknowledgment (per tranche), the appraisal, the decision or the release letter as .docx
and, where LibreOffice Writer is installed, as PDF. Every figure comes from the services.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fundapp.domain.collateral import KINDS
from fundapp.domain.messages import N_
from fundapp.formatting import decimal_vi, group_thousands, short_date, vnd
from fundapp.services import collateral as collateral_service
from fundapp.services import paper_issue, templates
from fundapp.services.clock import future_message

from .env import UiEnv
from .errors import present_error
from .i18n import tr
from .messages import confirm, inform
from .pages._common import ask_save_path, fill_table, read_only_table, wrap_long_texts
from .widgets.fields import DateEdit, FieldForm, MoneyEdit, allow

PAPERS = (("contract", "Hợp đồng tín dụng"), ("acknowledgment", "Khế ước nhận nợ"),
          ("appraisal", "Tờ trình thẩm định"), ("decision", "Quyết định cho vay"),
          ("release", "Thông báo giải chấp tài sản bảo đảm"))
COLLATERAL_KINDS = tuple(KINDS.items())


class PapersDialog(QDialog):
    """Papers and collateral of one loan."""

    def __init__(self, env: UiEnv, loan_no: str, tranches: list[str], parent: QWidget | None = None,
                 settled: bool = False) -> None:
        super().__init__(parent)
        self.env, self.loan_no = env, loan_no
        self.setWindowTitle(tr("Giấy tờ và tài sản bảo đảm — khoản vay {no}").format(no=loan_no))
        self.coverage = QLabel("")
        self.table = read_only_table(
            [tr("Loại tài sản"), tr("Mô tả"), tr("Chủ sở hữu"), tr("Giá trị (đồng)"), tr("Ngày định giá"),
             tr("Số đăng ký"), tr("Trạng thái")],
            tr("Khoản vay chưa có tài sản bảo đảm nào."))
        # the kind, description and owner share the width and wrap whole («Quyền sử dụ…» was cut beside empty room);
        # the value, day, number and status keep theirs
        header = self.table.horizontalHeader()
        for column in range(self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column < 3
                                        else QHeaderView.ResizeMode.ResizeToContents)
        wrap_long_texts(self.table)
        self.items: list = []
        add = QPushButton(tr("Thêm tài sản bảo đảm…"))
        add.clicked.connect(self.add_collateral)
        self.release_button = QPushButton(tr("Giải chấp tài sản đã chọn"))
        self.release_button.clicked.connect(self.release_selected)
        self.table.itemSelectionChanged.connect(self._allow_release)
        box = QGroupBox(tr("Tài sản bảo đảm"))
        lay = QVBoxLayout(box)
        lay.addWidget(self.coverage)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(add)
        row.addWidget(self.release_button)
        lay.addLayout(row)

        papers = QGroupBox(tr("Giấy tờ theo mẫu Word của Quỹ"))
        grid = QGridLayout(papers)
        self.kind = QComboBox()
        for key, label in PAPERS:
            self.kind.addItem(tr(label), key)
        self.tranche = QComboBox()
        self.tranche.addItems(tranches)
        self.kind.currentIndexChanged.connect(lambda _i: allow(self.tranche, "" if self.kind.currentData() == "acknowledgment"
                                                               else tr("Chỉ khế ước nhận nợ ghi theo một lần giải ngân")))
        allow(self.tranche, tr("Chỉ khế ước nhận nợ ghi theo một lần giải ngân"))
        if settled:  # a settled loan: the release letter (thông báo giải chấp) is the paper it needs
            self.kind.setCurrentIndex(self.kind.findData("release"))
        self.docx_button = QPushButton(tr("Lưu tệp Word (.docx)…"))
        self.docx_button.clicked.connect(lambda: self.save(pdf=False))
        self.pdf_button = QPushButton(tr("Lưu PDF…"))
        self.pdf_button.clicked.connect(lambda: self.save(pdf=True))
        self.pdf_button.setEnabled(paper_issue.pdf_available())
        if not paper_issue.pdf_available():
            self.pdf_button.setToolTip(tr("Cần cài LibreOffice để tạo PDF"))
        grid.addWidget(QLabel(tr("Giấy tờ")), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(QLabel(tr("Lần giải ngân")), 1, 0)
        grid.addWidget(self.tranche, 1, 1)
        self.draft_button = QPushButton(tr("Bản nháp (.docx, chưa cấp số)…"))
        self.draft_button.clicked.connect(self.save_draft)
        self.issued = QLabel(tr("Lưu tệp Word hoặc PDF là cấp số trong sổ đăng ký tài liệu; bản nháp không cấp số."))
        self.issued.setWordWrap(True)
        grid.addWidget(self.docx_button, 0, 2)
        grid.addWidget(self.pdf_button, 1, 2)
        grid.addWidget(self.draft_button, 0, 3)
        grid.addWidget(self.issued, 2, 0, 1, 4)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(box)
        outer.addWidget(papers)
        outer.addWidget(buttons)
        self.resize(900, 520)
        self.reload()

    def reload(self) -> None:
        """Read the loan's collateral and its coverage in a read-only job."""
        ctx, loan_no = self.env.ctx, self.loan_no
        self.env.jobs.run(lambda _c: (collateral_service.of_loan(ctx, loan_no),
                                      collateral_service.loan_coverage(ctx, loan_no)),
                          self._loaded, parent=self, label=tr("Đang đọc tài sản bảo đảm…"), read_only=True)

    def _loaded(self, result) -> None:
        self.items, cover = result
        fill_table(self.table, [[tr(c.kind_label), c.description, c.owner, group_thousands(c.value),
                                 short_date(c.valued_on), c.registration_no, tr(c.status_label)] for c in self.items],
                   right_from=3)
        self._allow_release()
        percent = f"{decimal_vi(cover.percent, 2)} %" if cover.percent is not None else "—"
        self.coverage.setText(tr("Giá trị đang bảo đảm {v}, dư nợ gốc {o}: tỷ lệ bảo đảm {p}").format(
            v=vnd(cover.pledged), o=vnd(cover.base), p=percent))

    def _allow_release(self) -> None:
        """«Giải chấp» only for an asset chosen that is still pledged; else disabled, saying why (it was enabled with
        nothing to release and did nothing when clicked)."""
        row = self.table.currentRow() if self.table.selectionModel().hasSelection() else -1
        if not self.items:
            why = self.table.empty_text  # «Khoản vay chưa có tài sản bảo đảm nào.», as the empty table says
        elif not 0 <= row < len(self.items):
            why = tr("Chọn một tài sản trong danh sách để giải chấp")
        elif self.items[row].status != "pledged":
            why = tr("Tài sản này không còn đang bảo đảm ({status})").format(status=self.table.item(row, 6).text())
        else:
            why = ""
        allow(self.release_button, why)

    def add_collateral(self) -> None:
        """Add a collateral asset through its dialog, then read the list again."""
        dialog = CollateralDialog(self.env, self.loan_no, self)
        if dialog.exec():
            self.reload()

    def release_selected(self) -> None:
        """Release (giải chấp) the selected asset from today, after the user confirms."""
        row = self.table.currentIndex().row()
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        if not confirm(self, tr("Giải chấp?"), tr("Giải chấp «{d}» từ hôm nay?").format(d=item.description), default_yes=False):
            return
        ctx = self.env.ctx
        self.env.jobs.run(lambda _c: collateral_service.release(ctx, item.id, ctx.today()), lambda _r: self.reload(),
                          parent=self, label=tr("Đang ghi…"))

    def save(self, pdf: bool) -> None:
        """Save the loan's paper chosen, as PDF when ``pdf`` else Word, once the fund's name is entered."""
        from .wizard import fund_ready

        if not fund_ready(self, self.env, lambda: self.save(pdf)):  # the fund's own name, never the default's
            return
        kind = self.kind.currentData()
        reference = self.tranche.currentText() if kind == "acknowledgment" else None
        name = f"{dict(PAPERS)[kind]} {self.loan_no}" + (f" {reference}" if reference else "")
        path = ask_save_path(self, tr("Lưu giấy tờ"), name + (".pdf" if pdf else ".docx"),
                             tr("PDF (*.pdf)") if pdf else tr("Tệp Word (*.docx)"))
        if path is None:
            return
        ctx, loan_no = self.env.ctx, self.loan_no

        def job(_c):  # issued: the number comes from the register of issued documents
            if pdf:
                return paper_issue.issue_loan_paper(ctx, kind, loan_no, None, path, reference)
            return paper_issue.issue_loan_paper(ctx, kind, loan_no, path, None, reference)

        self.env.jobs.run(job, self._issued, parent=self, label=tr("Đang tạo giấy tờ…"))

    def _issued(self, issued) -> None:
        text = tr("Đã lưu {path}, số {number} (sổ đăng ký tài liệu).").format(
            path=issued.paths[-1].name, number=issued.register.label)
        self.issued.setText("\n".join([text, *issued.warnings]))

    def save_draft(self) -> None:
        """Save the chosen paper as a draft .docx: no number is taken, the paper says «bản nháp, chưa cấp số»."""
        kind = self.kind.currentData()
        reference = self.tranche.currentText() if kind == "acknowledgment" else None
        name = f"{dict(PAPERS)[kind]} {self.loan_no}" + (f" {reference}" if reference else "") + " (nháp).docx"
        path = ask_save_path(self, tr("Lưu bản nháp"), name, tr("Tệp Word (*.docx)"))
        if path is None:
            return
        ctx, loan_no = self.env.ctx, self.loan_no
        self.env.jobs.run(lambda _c: paper_issue.write_loan_draft(ctx, kind, loan_no, path, reference),
                          lambda p: self.issued.setText(tr("Đã lưu bản nháp {path} (chưa cấp số).").format(
                              path=Path(p).name)), parent=self, label=tr("Đang tạo giấy tờ…"))


class CollateralDialog(QDialog):
    """Pledge a new asset for a loan."""

    def __init__(self, env: UiEnv, loan_no: str | None, parent: QWidget | None = None,
                 application_id: int | None = None) -> None:
        super().__init__(parent)
        self.env, self.loan_no, self.application_id = env, loan_no, application_id
        self.setWindowTitle(tr("Thêm tài sản bảo đảm — khoản vay {no}").format(no=loan_no) if loan_no
                            else tr("Thêm tài sản bảo đảm — hồ sơ #{id}").format(id=application_id))
        self.form = FieldForm()
        self.kind = QComboBox()
        for key, label in COLLATERAL_KINDS:
            self.kind.addItem(tr(label), key)
        self.form.add("kind", tr("Loại tài sản"), self.kind)
        self.description = self.form.add("description", tr("Mô tả"), QLineEdit())
        self.owner = self.form.add("owner", tr("Chủ sở hữu"), QLineEdit())
        self.value = self.form.add("value", tr("Giá trị (đồng)"), MoneyEdit())
        self.valued_on = self.form.add("valued_on", tr("Ngày định giá"), DateEdit(env.ctx.today()))
        today = env.ctx.today()  # an asset is valued on a day that has come
        self.valued_on.limit_to(today, lambda day: future_message(day, today, N_("ngày định giá")))
        self.registration_no = self.form.add("registration_no", tr("Số đăng ký giao dịch bảo đảm"), QLineEdit())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Ghi"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Hủy"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(self.form)
        outer.addWidget(buttons)

    def values(self) -> dict:
        """The asset's fields as typed (value in đồng, -1 when not typed: the service refuses it)."""
        return {"kind": self.kind.currentData(), "description": self.description.text(), "owner": self.owner.text(),
                "value": self.value.value() if self.value.text().strip() else -1,
                "valued_on": self.valued_on.value(), "registration_no": self.registration_no.text(),
                "registered_on": None, "status": "pledged", "status_on": None, "note": ""}

    def submit(self) -> None:
        """Save the asset for the loan or the application; a refusal is shown beside its field."""
        ctx, loan_no, application_id = self.env.ctx, self.loan_no, self.application_id
        self.form.clear_errors()
        unread_dates = self.form.refuse_unread_dates()  # said under the date, never another day taken for it
        if self.form.refuse_unread_amounts(focus=not unread_dates) or unread_dates:  # «abc» as the value: said under it
            return
        values = self.values()

        def failed(exc: BaseException) -> None:
            field = getattr(exc, "field", None)
            if field and self.form.show_error(field, getattr(exc, "message", "")):
                return
            present_error(self, exc)

        self.env.jobs.run(lambda _c: collateral_service.add(ctx, values, loan_no=loan_no,
                                                            application_id=application_id), lambda _r: self.accept(),
                          parent=self, label=tr("Đang ghi…"), on_failed=failed)


class TemplatesBox(QGroupBox):
    """Settings: for each paper, whether the fund's own template is in use; replace it with a .docx (checked first:
    bad tags are named) or go back to the default."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(tr("Mẫu giấy tờ Word"), parent)
        self.env = env
        grid = QGridLayout(self)
        self.states: dict[str, QLabel] = {}
        for row, (kind, label) in enumerate(PAPERS):
            grid.addWidget(QLabel(tr(label)), row, 0)
            self.states[kind] = QLabel("")
            grid.addWidget(self.states[kind], row, 1)
            replace = QPushButton(tr("Thay bằng tệp .docx…"))
            replace.clicked.connect(lambda _=False, k=kind: self.replace(k))
            restore = QPushButton(tr("Dùng mẫu mặc định"))
            restore.clicked.connect(lambda _=False, k=kind: self.restore(k))
            grid.addWidget(replace, row, 2)
            grid.addWidget(restore, row, 3)
        self.refresh()

    def refresh(self) -> None:
        """Read which Word templates the book has replaced, in a read-only job."""
        ctx = self.env.ctx
        self.env.jobs.run(lambda _c: {k: templates.is_custom(ctx, k) for k, _ in PAPERS}, self._shown, parent=self,
                          read_only=True, progress=False)

    def _shown(self, custom: dict[str, bool]) -> None:
        for kind, label in self.states.items():
            label.setText(tr("Mẫu riêng của Quỹ") if custom[kind] else tr("Mẫu mặc định"))

    def replace(self, kind: str) -> None:
        """Replace the template of paper ``kind`` by a .docx the user picks."""
        chosen, _ = QFileDialog.getOpenFileName(self, tr("Chọn mẫu Word"), "", tr("Tệp Word (*.docx)"))
        if not chosen:
            return
        ctx, data = self.env.ctx, Path(chosen).read_bytes()
        self.env.jobs.run(lambda _c: templates.install_template(ctx, kind, data), self._installed,
                          parent=self, label=tr("Đang kiểm tra mẫu…"))

    def _installed(self, warnings: list[str]) -> None:
        self.refresh()
        if warnings:  # accepted, but the officer should know (no number tag: the number is not printed)
            inform(self, tr("Mẫu đã được dùng"), "\n".join(warnings))

    def restore(self, kind: str) -> None:
        """Restore the built-in template of paper ``kind``."""
        ctx = self.env.ctx
        self.env.jobs.run(lambda _c: templates.restore_default(ctx, kind), lambda _r: self.refresh(), parent=self,
                          label=tr("Đang ghi…"))


class ApplicationPapersButton(QPushButton):
    """The application page's "Giấy tờ Word" button: the appraisal report or the approval decision of the selected
    application as .docx (or PDF), and a new asset pledged for it. ``current()`` gives the selected ApplicationRow."""

    def __init__(self, env: UiEnv, current, parent: QWidget | None = None) -> None:
        super().__init__(tr("Giấy tờ &Word"), parent)
        self.env, self.current = env, current
        menu = QMenu(self)
        menu.addAction(tr("Tờ trình thẩm định (.docx)…")).triggered.connect(lambda: self.save("appraisal"))
        menu.addAction(tr("Quyết định cho vay (.docx)…")).triggered.connect(lambda: self.save("decision"))
        menu.addAction(tr("Thêm tài sản bảo đảm…")).triggered.connect(self.add_collateral)
        self.setMenu(menu)

    def save(self, kind: str) -> None:
        """Save paper ``kind`` of the selected application (nothing when none is selected)."""
        app = self.current()
        if app is None:
            return
        path = ask_save_path(self, tr("Lưu giấy tờ"), f"{dict(PAPERS)[kind]} {app.borrower_code} {app.id}.docx",
                             tr("Tệp Word (*.docx)"))
        if path is None:
            return
        ctx, app_id = self.env.ctx, app.id
        self.env.jobs.run(lambda _c: paper_issue.issue_application_paper(ctx, kind, app_id, path), self._issued,
                          parent=self, label=tr("Đang tạo giấy tờ…"))

    def _issued(self, issued) -> None:
        self.setToolTip(tr("Đã lưu {path}, số {number} (sổ đăng ký tài liệu).").format(
            path=issued.paths[-1].name, number=issued.register.label))

    def add_collateral(self) -> None:
        """Add a collateral asset to the selected application."""
        app = self.current()
        if app is not None:
            CollateralDialog(self.env, None, self, application_id=app.id).exec()


class CoverageBox(QGroupBox):
    """The loan page's collateral coverage of the outstanding (issue 16): pledged value ÷ principal outstanding at the
    day shown, the threshold setting marking a loan below it in red; "no collateral" when the loan has none. One
    small read per loan shown (``services.collateral.outstanding_coverage``), the outstanding from the page's view."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(tr("Tài sản bảo đảm"), parent)
        self.env = env
        self.loan_id: int | None = None
        self.figure = QLabel("")
        self.figure.setObjectName("coverage_figure")
        self.figure.setWordWrap(True)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(self.figure)
        lay.addWidget(self.detail)

    def show_loan(self, view) -> None:
        """Read the coverage of ``view``'s principal outstanding (``services.loans.LoanView``) in a read-only job."""
        ctx, loan_id, outstanding = self.env.ctx, view.id, view.balances.principal_outstanding
        self.loan_id = loan_id
        self.env.jobs.run(lambda _c: collateral_service.outstanding_coverage(ctx, loan_id, outstanding),
                          lambda cover: self.show_coverage(loan_id, cover), parent=self, read_only=True, progress=False)

    def show_coverage(self, loan_id: int, cover) -> None:
        """Show ``cover`` (``services.collateral.OutstandingCoverage``) when it is the loan still shown."""
        if loan_id != self.loan_id:
            return
        if cover.items == 0:
            self.figure.setText(tr("Khoản vay chưa có tài sản bảo đảm nào."))
            self.figure.setStyleSheet("color:#b00020;" if cover.outstanding > 0 else "")
            self.detail.setText(tr("Thêm tài sản: «In khác» → «Giấy tờ Word (hợp đồng, khế ước…) và tài sản bảo đảm…»."))
            return
        threshold = decimal_vi(cover.threshold)
        if cover.percent is None:
            self.figure.setText(tr("Không còn dư nợ gốc: tỷ lệ bảo đảm không áp dụng."))
            self.figure.setStyleSheet("")
        else:
            text = tr("Tỷ lệ bảo đảm dư nợ gốc: {p} %").format(p=decimal_vi(cover.percent, 2))
            if cover.below:
                text += " — " + tr("dưới ngưỡng {t} %").format(t=threshold)
            self.figure.setText(text)
            self.figure.setStyleSheet("color:#b00020; font-weight:bold;" if cover.below else "font-weight:bold;")
        detail = tr("1 tài sản đang bảo đảm, giá trị {v}; dư nợ gốc {o}; ngưỡng {t} %") if cover.assets == 1 else tr(
            "{n} tài sản đang bảo đảm, giá trị {v}; dư nợ gốc {o}; ngưỡng {t} %")  # "1 pledged asset", "{n} … assets"
        self.detail.setText(detail.format(n=cover.assets, v=vnd(cover.pledged), o=vnd(cover.outstanding), t=threshold))
