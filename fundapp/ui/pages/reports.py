"""Báo cáo: the quarterly figures on screen, the quarterly report as PDF/Excel, the portfolio, due notices."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from fundapp.domain.periods import QUARTER_NUMERALS
from fundapp.formatting import month_year, short_date
from fundapp.services.errors import UserFacingError
from fundapp.services.reports import QuarterReports, latest_quarter, quarter_reports, still_current

from ..env import UiEnv
from ..errors import present_error
from ..i18n import tr
from ..jobs import JobControl
from ..messages import inform
from ..widgets.fields import DateEdit
from ..widgets.flow import FlowLayout, scroll_area
from ..wizard import fund_ready
from ._common import (
    ProgressRelay,
    RefreshWhenShown,
    ask_save_path,
    date_problem_label,
    day_or_say,
    fill_table,
    fit_height,
    page_title,
    read_only_table,
    up_to,
    widget_row,
    wrap_long_texts,
)
from .quarter_tables import district_rows, group_rows, summary_rows

PDF_FILTER = "PDF (*.pdf)"
XLSX_FILTER = "Excel (*.xlsx)"


def documents_service() -> Any:
    """``fundapp.services.documents``, imported on the first document asked for, or a
    clear refusal when this build does not carry it."""
    try:  # imported when first used: the window's start stays light
        import fundapp.services.documents as documents
    except ImportError:
        raise UserFacingError(tr("Chức năng lập tài liệu (PDF, Excel) chưa có trong phiên bản này.")) from None
    return documents


def _stretch_first(table: QTableWidget) -> None:
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for c in range(1, table.columnCount()):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)


class Page(RefreshWhenShown, QWidget):
    """Quarterly figures and the fund's report files; every computation runs through the job runner."""

    TOPICS = frozenset({"loans", "borrowers", "book", "settings"})

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.reports: QuarterReports | None = None
        self._stale = True
        today = env.ctx.today()

        # -- the quarter
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.quarter = QComboBox()
        self.quarter.addItems([tr("Quý {q}").format(q=r) for r in QUARTER_NUMERALS.values()])
        self.quarter.setCurrentIndex((today.month - 1) // 3)
        # no quarter not yet begun is offered: today's calendar quarter until the book says its convention (refresh)
        self._latest = (today.year, (today.month - 1) // 3 + 1)
        self._cap_quarters(self._latest)
        self.year.valueChanged.connect(lambda _v: self._offer_quarters())
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh)
        self.year.valueChanged.connect(lambda _v: self._debounce.start())
        self.quarter.currentIndexChanged.connect(lambda _i: self._debounce.start())
        self.preview_button = QPushButton(tr("Xem trước PDF"))
        self.pdf_button = QPushButton(tr("Lưu PDF…"))
        self.xlsx_button = QPushButton(tr("Lưu Excel…"))
        self.preview_button.clicked.connect(self.preview_quarterly)
        self.pdf_button.clicked.connect(lambda: self.save_quarterly("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.save_quarterly("xlsx"))

        bar = widget_row(FlowLayout(),  # wraps at 125 % instead of widening the window past the screen
                         page_title(tr("Báo cáo tình hình cho vay theo quý")), 1, tr("Năm"), self.year, self.quarter,
                         self.preview_button, self.pdf_button, self.xlsx_button)
        self.period = QLabel("")
        self.period.setStyleSheet("color: palette(dark);")
        self.period.setTextFormat(Qt.TextFormat.RichText)
        self.period.setWordWrap(True)

        # -- the figures
        self.summary = read_only_table([tr("Chỉ tiêu"), "", "", ""])
        self.districts = read_only_table([tr("Huyện / xã"), tr("Giải ngân trong quý"), tr("Dư nợ cuối quý")],
                                         tr("Chưa có dữ liệu: không có giải ngân trong quý và không có dư nợ cuối quý."))
        self.groups = read_only_table([tr("Nhóm nợ"), tr("Số khoản"), tr("Dư nợ (đồng)")])
        self._districts_empty = self.districts.empty_text  # not said of a quarter refused (``_refused``)
        for table in (self.summary, self.districts, self.groups):
            _stretch_first(table)
            wrap_long_texts(table)
        self.summary.setMinimumWidth(460)  # its labels wrap: at 125 % (1093 wide) the page needs no sideways scroll
        figures = QGridLayout()
        figures.addWidget(self._titled(tr("Số liệu tổng hợp"), self.summary), 0, 0)
        figures.addWidget(self._titled(tr("Phân loại nợ cuối quý"), self.groups), 1, 0)
        figures.setColumnStretch(0, 5)
        figures.setColumnStretch(1, 4)
        figures.setRowStretch(2, 1)

        # -- portfolio and due notices
        self.portfolio_date = DateEdit(today)
        up_to(self.portfolio_date, today)
        self.portfolio_button = QPushButton(tr("Lưu danh mục cho vay…"))
        self.portfolio_button.setToolTip(tr("Danh mục các khoản vay, dư nợ, tuổi nợ và danh sách thu nợ (Excel hoặc PDF)"))
        self.portfolio_button.clicked.connect(self.save_portfolio)
        self.portfolio_problem = date_problem_label(self.portfolio_date, "error_portfolio_date")
        portfolio = QGroupBox(tr("Danh mục cho vay"))
        portfolio_layout = QVBoxLayout(portfolio)
        portfolio_layout.addLayout(widget_row(QHBoxLayout(), tr("Đến ngày"), self.portfolio_date,
                                              self.portfolio_button, 1))
        portfolio_layout.addWidget(self.portfolio_problem)

        self.notice_month = DateEdit(date(today.year, today.month, 1))
        self.notice_month.setDisplayFormat("MM/yyyy")
        self.notice_month.setToolTip(tr("Tháng có các kỳ trả nợ đến hạn"))
        self.notice_problem = date_problem_label(self.notice_month, "error_notice_month")
        self.notice_button = QPushButton(tr("Lập thông báo nợ đến hạn…"))
        self.notice_button.clicked.connect(self.save_notices)
        self.notice_progress = QProgressBar()
        self.notice_progress.setTextVisible(True)
        self.notice_progress.setFormat("%v/%m")
        self.notice_progress.setRange(0, 1)
        self.notice_progress.setValue(0)
        self.notice_progress.setMaximumWidth(220)
        self.notice_progress.hide()
        self._notice_bridge = ProgressRelay(self)
        self._notice_bridge.moved.connect(self._notice_moved)
        notices = QGroupBox(tr("Thông báo nợ đến hạn"))
        notice_layout = QVBoxLayout(notices)
        notice_layout.addLayout(widget_row(QHBoxLayout(), tr("Tháng"), self.notice_month, self.notice_button,
                                           self.notice_progress, 1))
        notice_layout.addWidget(self.notice_problem)
        self._limit_notice_month(today)
        self.period_year = QSpinBox()
        self.period_year.setRange(2000, today.year)  # a year not begun has no figures
        self.period_year.setValue(today.year)
        self.period_kind = QComboBox()
        self.period_kind.addItem(tr("6 tháng đầu năm"), 1)
        self.period_kind.addItem(tr("Cả năm"), None)
        self.period_button = QPushButton(tr("Lưu báo cáo…"))
        self.period_button.setToolTip(tr("Báo cáo tình hình cho vay 6 tháng và năm (Nghị định 45/2021, Điều 44)"))
        self.period_button.clicked.connect(self.save_period_report)
        period = QGroupBox(tr("Báo cáo 6 tháng, năm"))
        widget_row(QHBoxLayout(period), tr("Năm"), self.period_year, self.period_kind, self.period_button, 1)
        # the other reports head the right column, above the districts (whose rows vary): their choosers and buttons
        # show as the page opens at 1366×768, not under the quarter's tables
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        for box in (portfolio, period, notices):
            right_column.addWidget(box)
        right_column.addWidget(self._titled(tr("Theo địa bàn"), self.districts), 1)
        figures.addWidget(right, 0, 1, 3, 1)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(bar)
        layout.addWidget(self.period)
        layout.addLayout(figures, 1)
        layout.addWidget(self.status)
        scroll = scroll_area(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        env.changes.changed.connect(self._on_changed)

    @staticmethod
    def _titled(title: str, table: QTableWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        label = QLabel(f"<b>{title}</b>")
        column.addWidget(label)
        column.addWidget(table)
        return box

    # -- the quarter's figures -------------------------------------------------------------------
    def chosen(self) -> tuple[int, int]:
        """The (year, quarter 1–4) chosen."""
        return self.year.value(), self.quarter.currentIndex() + 1

    def refresh(self) -> None:
        """Recompute the chosen quarter's figures (on the worker thread); first bring the choosers to the book's
        today (the last quarter begun at the fund's convention, ``reports.latest_quarter``), which may have moved on
        since the page was built."""
        self._stale = False
        ctx = self.env.ctx
        today = ctx.today()
        up_to(self.portfolio_date, today)
        self._limit_notice_month(today)
        self.period_year.setMaximum(today.year)
        self.env.jobs.run(lambda _c: latest_quarter(ctx), self._cap_quarters, parent=self, progress=False,
                          read_only=True)
        year, quarter = self.chosen()
        self.period.setText(tr("Đang tính số liệu…"))
        def figures(control: JobControl):
            from fundapp.services.closing import stored_quarterly

            return (quarter_reports(ctx, year, quarter, progress=control.progress, cancelled=control.cancelled),
                    stored_quarterly(ctx, year, quarter))

        self.env.jobs.run(figures, lambda result: self._show(*result), parent=self,
                          label=tr("Đang tính số liệu báo cáo quý…"), read_only=True,
                          on_failed=lambda exc: self._refused(exc, (year, quarter)))

    def _cap_quarters(self, latest: tuple[int, int]) -> None:
        """Offer no quarter after ``latest`` (year, quarter 1–4: the last one begun on the book's today): the year
        stops at its year, and in it the later quarters are greyed out (``_offer_quarters``)."""
        self._latest = latest
        self.year.setMaximum(latest[0])
        self._offer_quarters()

    def _offer_quarters(self) -> None:
        """Grey out the quarters of the chosen year not yet begun (after ``_latest``), each saying so on hover, and
        move the choice back to the last one begun when it was on one of them."""
        year, last = self._latest
        model = self.quarter.model()
        for i in range(4):
            later = self.year.value() >= year and i >= last
            item = model.item(i)
            item.setEnabled(not later)
            item.setToolTip(tr("Quý chưa bắt đầu: chưa có số liệu") if later else "")
        if self.year.value() >= year and self.quarter.currentIndex() >= last:
            self.quarter.setCurrentIndex(last - 1)

    def _refused(self, exc: BaseException, asked: tuple[int, int]) -> None:
        """The chosen quarter's figures were refused (a quarter not yet begun: the service says so in words) or
        failed: no figures of another quarter stay on screen; the refusal is said above the tables."""
        if asked != self.chosen():
            return  # the officer (or the choosers' cap) moved on: that quarter's job comes next
        if not isinstance(exc, UserFacingError):
            self.period.setText("")
            present_error(self, exc)
            return
        self.reports = None
        self.summary.setHorizontalHeaderLabels([tr("Chỉ tiêu"), "", "", ""])
        self.districts.empty_text = ""  # the refusal above says why the tables are blank
        for table in (self.summary, self.districts, self.groups):
            fill_table(table, [])
            table.viewport().update()
        self.period.setText(f"<b style='color:#b00020'>{html.escape(exc.message)}</b>")

    def _show(self, reports: QuarterReports, closed=None) -> None:
        """Show the quarter's figures; ``closed``: its stored report when the quarter is closed
        (``closing.stored_quarterly``), said above the tables as the papers and the command line say it."""
        if (reports.year, reports.quarter) != self.chosen():
            return  # the officer moved on to another quarter meanwhile; its job comes next
        self.reports = reports
        self.districts.empty_text = self._districts_empty
        q, y = QUARTER_NUMERALS[reports.quarter], reports.year
        text = tr("Quý {q} năm {y}: từ {start} đến {end}. Số tiền tính bằng đồng.").format(
            q=q, y=y, start=short_date(reports.current.start), end=short_date(reports.current.end))
        if reports.unfinished_until is not None:  # never figures of a day not yet come
            text = "<b>" + tr("Quý chưa kết thúc — số liệu đến hết ngày {day}.").format(
                day=short_date(reports.unfinished_until)) + "</b> " + text
        if closed is not None:  # «đã khóa sổ ngày … (mã kiểm tra …)», in the officer's language
            text = "<b>" + html.escape(tr("Báo cáo quý này {status}.").format(status=closed.status)) + "</b> " + text
        self.period.setText(text)
        self.summary.setHorizontalHeaderLabels(
            [tr("Chỉ tiêu"), tr("Quý {q}/{y}").format(q=q, y=y), tr("Cùng kỳ {y}").format(y=y - 1),
             tr("Lũy kế năm {y}").format(y=y)])
        fill_table(self.summary, summary_rows(reports))
        fit_height(self.summary)
        districts = district_rows(reports)
        fill_table(self.districts, districts, bold_rows={len(districts) - 1})
        groups = group_rows(reports)
        fill_table(self.groups, groups, bold_rows={len(groups) - 1})
        fit_height(self.groups)

    # -- files -----------------------------------------------------------------------------------
    def _ask(self, title: str, name: str, file_filter: str) -> Path | None:
        settings: QSettings = self.env.qsettings
        folder = str(settings.value("reports/folder", str(Path.home())))
        path = ask_save_path(self, title, name, file_filter, folder)
        if path is not None:
            settings.setValue("reports/folder", str(path.parent))
        return path

    def _written(self, paths: list[Path]) -> None:
        text = tr("Đã lưu: {files}").format(files=", ".join(str(p) for p in paths))
        self.status.setText(text)
        inform(self, tr("Đã lưu"), text)

    def _figures_of(self, year: int, quarter: int) -> QuarterReports | None:
        """The figures on screen when they are of that quarter (``reports.QuarterReports``), else None: a paper of it
        is made from them when the book has not changed since (``report_documents.quarterly_data``), not read
        again (issue 17: «Lưu Excel…» on the 100,000-loan book read the quarter's figures a second time)."""
        r = self.reports
        return r if r is not None and (r.year, r.quarter) == (year, quarter) else None

    def _older_than_book(self, figures: QuarterReports | None) -> bool:
        """Whether ``figures`` (shown on screen, handed to a paper) are no longer the book's, asked once the paper is
        made (in its job): the paper took them only if they were still current when it looked
        (``report_documents.quarterly_data``), so a write before that look, or between it and this call, is seen
        here; one landing after this call is left to the next look (the page's refresh). The page looked first before: a posting landing between its look and the paper's left the screen older than
        the file (a reviewer)."""
        return figures is not None and not still_current(self.env.ctx, figures)

    def _read_again_if_older(self, figures: QuarterReports | None, stale: bool) -> None:
        """After a paper made from figures read again (the book changed since ``figures`` were shown: another
        officer's posting), show them again too, so that the screen says what the paper says (a new officer's trial:
        the file had the new figures, the screen the old ones)."""
        if stale and figures is not None and self.reports is figures:
            self.refresh()

    def save_quarterly(self, kind: str) -> None:
        """Save the chosen quarter's report as ``kind`` (pdf or xlsx) once the fund's name is entered."""
        if not fund_ready(self, self.env, lambda: self.save_quarterly(kind)):
            return
        year, quarter = self.chosen()
        name = f"bao-cao-quy-{quarter}-{year}.{kind}"
        path = self._ask(tr("Lưu báo cáo quý"), name, PDF_FILTER if kind == "pdf" else XLSX_FILTER)
        if path is None:
            return
        if path.suffix.lower() != f".{kind}":
            path = path.with_name(path.name + f".{kind}")
        ctx = self.env.ctx
        files = {kind: path}
        figures = self._figures_of(year, quarter)

        def job(control: JobControl) -> tuple[list[Path], bool]:
            written = documents_service().write_quarterly(ctx, year, quarter, **files, progress=control.progress,
                                                          cancelled=control.cancelled, figures=figures)
            return written, self._older_than_book(figures)

        def done(result: tuple[list[Path], bool]) -> None:
            self._read_again_if_older(figures, result[1])
            self._written(result[0])

        self.env.jobs.run(job, done, parent=self, label=tr("Đang lập báo cáo quý…"))

    def preview_quarterly(self) -> None:
        """Preview the chosen quarter's report as PDF once the fund's name is entered."""
        if not fund_ready(self, self.env, lambda: self.preview_quarterly()):
            return
        year, quarter = self.chosen()
        ctx = self.env.ctx
        name = f"bao-cao-quy-{quarter}-{year}.pdf"
        figures = self._figures_of(year, quarter)

        def issue(control: JobControl) -> bytes:  # saved or printed: the report takes its number
            return documents_service().quarterly_pdf(ctx, year, quarter, issue=True, progress=control.progress,
                                                     cancelled=control.cancelled, figures=figures)

        def preview(control: JobControl) -> tuple[bytes, bool]:
            pdf = documents_service().quarterly_pdf(ctx, year, quarter, progress=control.progress,
                                                    cancelled=control.cancelled, figures=figures)
            return pdf, self._older_than_book(figures)

        def shown(result: tuple[bytes, bool]) -> None:
            self._read_again_if_older(figures, result[1])
            self._preview(result[0], name, issue)

        self.env.jobs.run(preview, shown, parent=self, label=tr("Đang lập báo cáo quý…"), read_only=True)

    def _preview(self, pdf: bytes, name: str, issue=None) -> None:
        try:
            from ..pdf_preview import PdfPreview
        except ImportError:
            present_error(self, UserFacingError(
                tr("Không xem trước được PDF trong phiên bản này; hãy dùng «Lưu PDF…».")))
            return
        self.preview = PdfPreview(pdf, name, self, issue=issue, jobs=self.env.jobs if issue is not None else None)
        self.preview.setWindowTitle(tr("Xem trước: {name}").format(name=name))
        self.preview.open()

    def _ask_pdf_or_xlsx(self, title: str, name: str) -> dict[str, Path] | None:
        """Ask where to save a report that exists as PDF and Excel; the file's name chooses (``name``'s kind
        when it has neither ending). Returns ``{kind: path}`` for the documents service, None if cancelled."""
        default = Path(name).suffix.lstrip(".")
        filters = [PDF_FILTER, XLSX_FILTER] if default == "pdf" else [XLSX_FILTER, PDF_FILTER]
        path = self._ask(title, name, ";;".join(filters))
        if path is None:
            return None
        kind = path.suffix.lower().lstrip(".")
        if kind not in ("pdf", "xlsx"):
            kind, path = default, path.with_name(f"{path.name}.{default}")
        return {kind: path}

    def save_portfolio(self) -> None:
        """Save the portfolio report at the end of the chosen day once the fund's name is entered."""
        if not fund_ready(self, self.env, lambda: self.save_portfolio()):
            return
        as_of = day_or_say(self.portfolio_date)
        if as_of is None:  # the field says why beside itself
            return
        files = self._ask_pdf_or_xlsx(tr("Lưu danh mục cho vay"), f"danh-muc-cho-vay-{as_of.isoformat()}.xlsx")
        if files is None:
            return
        ctx = self.env.ctx
        self.env.jobs.run(lambda control: documents_service().write_portfolio(
            ctx, as_of, **files, progress=control.progress, cancelled=control.cancelled), self._written, parent=self,
            label=tr("Đang lập danh mục cho vay…"))

    def save_period_report(self) -> None:
        """The six-month or annual lending report, as PDF or Excel by the file's name."""
        if not fund_ready(self, self.env, self.save_period_report):
            return
        year, half = self.period_year.value(), self.period_kind.currentData()
        files = self._ask_pdf_or_xlsx(tr("Lưu báo cáo 6 tháng, năm"),
                                      f"bao-cao-{'6-thang' if half else 'nam'}-{year}.pdf")
        if files is None:
            return
        ctx = self.env.ctx
        self.env.jobs.run(lambda control: documents_service().write_period_report(
            ctx, year, half, **files, progress=control.progress, cancelled=control.cancelled), self._written,
            parent=self, label=tr("Đang lập báo cáo…"))

    def save_notices(self) -> None:
        """Save the month's notices of debt due once the fund's name is entered."""
        if not fund_ready(self, self.env, lambda: self.save_notices()):
            return
        month = day_or_say(self.notice_month)
        if month is None:  # the field says why beside itself
            return
        name = f"thong-bao-no-den-han-{month.year}-{month.month:02d}.pdf"
        path = self._ask(tr("Lưu thông báo nợ đến hạn"), name, PDF_FILTER)
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        ctx, bridge = self.env.ctx, self._notice_bridge

        def job(control: JobControl) -> tuple[int, list]:
            def progress(done: int, total: int) -> None:
                control.progress(done, total)
                bridge.moved.emit(int(done), int(total))

            changed: list = []  # a notice issued before whose total changed since takes a new number: said below
            count = documents_service().write_notices(ctx, month.year, month.month, path, progress=progress,
                                                      cancelled=control.cancelled, told=changed.append)
            return count, changed

        def done(result: tuple[int, list]) -> None:
            count, changed = result
            self._notices_finished()
            text = tr("Đã lập {n} thông báo nợ đến hạn tháng {m}: {file}").format(
                n=count, m=month_year(month), file=path)
            self.status.setText(text)
            inform(self, tr("Đã lưu"), "\n".join([text, *(str(note) for note in changed)]))

        def failed(exc: BaseException) -> None:
            self._notices_finished()
            present_error(self, exc)

        self.notice_button.setEnabled(False)
        self.notice_progress.setRange(0, 0)
        self.notice_progress.show()
        self.env.jobs.run(job, done, parent=self, label=tr("Đang lập thông báo nợ đến hạn…"), on_failed=failed)

    def _limit_notice_month(self, today: date) -> None:
        """Offer this month and the next (``documents.notice_months``): a month gone by or one after the next, typed,
        is refused at the field in the service's words (``documents.notice_month_message``), before the officer
        picks a file (the service refuses it as well). Called again as today moves on: a month shown that has gone
        by is then refused at once."""
        from fundapp.services.documents import notice_month_message, notice_months

        earliest, latest = notice_months(today)
        self.notice_month.limit_to(latest, lambda day: notice_month_message(day, today), earliest=earliest)

    @Slot(int, int)
    def _notice_moved(self, done: int, total: int) -> None:
        self.notice_progress.setRange(0, max(total, 1))
        self.notice_progress.setValue(min(done, max(total, 1)))

    def _notices_finished(self) -> None:
        self.notice_button.setEnabled(True)
        self.notice_progress.hide()
