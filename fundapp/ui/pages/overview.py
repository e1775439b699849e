"""Tổng quan: the portfolio's figures as of a date, and three charts (disbursement, outstanding, districts)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from fundapp.domain.labels import BALANCE_LABELS, REPORT_LABELS
from fundapp.domain.periods import QUARTER_NUMERALS
from fundapp.formatting import group_thousands, percent, short_date, vnd
from fundapp.services.overview import Overview, overview, overview_cards

from ..env import UiEnv
from ..i18n import tr
from ..widgets.fields import DateEdit
from ..widgets.flow import scroll_area
from ._common import FigureCard, RefreshWhenShown, date_problem_label, page_title, up_to, widget_row

MILLION = 1_000_000
# the figure cards: (key, caption); a figure the loan page or the reports also show takes the domain's label
CARDS = (
    ("outstanding", BALANCE_LABELS["principal_outstanding"]),
    ("overdue", BALANCE_LABELS["principal_overdue"]),
    ("disbursed_quarter", "Giải ngân quý này"),
    ("disbursed_year", "Giải ngân năm nay"),
    ("collected_year", "Thu nợ năm nay (gốc và lãi)"),
    ("active_loans", REPORT_LABELS["loans_outstanding"]),
    ("restructured_outstanding", REPORT_LABELS["restructured_outstanding"]),
    ("off_balance", REPORT_LABELS["off_balance"]),
)
BLUE, GREEN, ORANGE = QColor("#2f6fb3"), QColor("#2e8b57"), QColor("#d9822b")


def _value_axis(top: int, ticks: int = 5) -> QCategoryAxis:
    """A value axis in đồng from 0 to a round number above ``top`` (đồng), labelled in whole triệu đồng with
    Vietnamese grouping (20.000). The points are plotted as the service's int đồng: no float is made of money here
    (Qt keeps its own doubles for drawing); every figure shown as text comes exact from the service."""
    nice = QValueAxis()
    nice.setTickCount(ticks)
    nice.setRange(0, top + top // 20 if top > 0 else MILLION)
    nice.applyNiceNumbers()
    axis = QCategoryAxis()
    axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    axis.setRange(0, nice.max())
    steps = nice.tickCount() - 1
    for k in range(steps + 1):
        value = nice.max() * k / steps
        axis.append(group_thousands((round(value) + MILLION // 2) // MILLION), value)
    axis.setStartValue(0)
    return axis


def _quarter_axes(chart, series, labels: list[str], amounts: list[int]) -> None:
    """Quarters along the bottom, triệu đồng up the side, both attached to ``series``."""
    x = _quarter_axis(labels)
    y = _value_axis(max(amounts, default=0))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)


def _quarter_axis(labels: list[str]) -> QBarCategoryAxis:
    """Quarters written upwards: eight "III/2024" fit under a third of the page without being cut."""
    axis = QBarCategoryAxis()
    axis.append(labels)
    axis.setLabelsAngle(-90)
    axis.setGridLineVisible(False)
    return axis


class _ChartBox(QChartView):
    def __init__(self, title: str) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 18, 4))
        chart.setBackgroundRoundness(4)
        super().__init__(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        # a blank chart says why it is blank
        self.empty = QLabel(self)
        self.empty.setObjectName("chartEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(dark); background: transparent;")
        self.empty.hide()

    def sizeHint(self) -> QSize:
        # QGraphicsView's hint is its scene's size, which QChartView keeps at the view's own: the page's preferred
        # height was whatever the charts last had, so an English caption wrapping onto a second line scrolled the
        # page by 14 px at 1366×768 for good. The charts ask for their minimum and share what the window has left.
        return QSize(max(self.minimumWidth(), 260), self.minimumHeight())

    def set_empty(self, text: str) -> None:
        """Show ``text`` ("Chưa có dữ liệu: …") over the chart, or nothing when ``text`` is empty."""
        self.empty.setText(text)
        self.empty.setVisible(bool(text))
        self._place_empty()

    def empty_text(self) -> str:
        return self.empty.text() if not self.empty.isHidden() else ""

    def _place_empty(self) -> None:
        self.empty.setGeometry(self.rect().adjusted(24, 40, -24, -24))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_empty()

    def reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart


class Page(RefreshWhenShown, QWidget):
    """The overview: figure cards and charts, computed by the overview service through the job runner."""

    TOPICS = frozenset({"loans", "borrowers", "book"})

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.data: Overview | None = None
        self._stale = True

        self.as_of = DateEdit(env.ctx.today())
        self.as_of.setToolTip(tr("Số liệu tính đến hết ngày này"))
        up_to(self.as_of, env.ctx.today())  # no figures of a day not yet come
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(400)  # typing a date changes it digit by digit: compute once
        self._debounce.timeout.connect(self.refresh)
        self.as_of.dateChanged.connect(lambda _d: self._debounce.start())
        self.as_of_problem = date_problem_label(self.as_of, "error_as_of")  # why the day typed is refused
        self.as_of.problem.connect(lambda text: self._say_figures_day() if text else None)
        self.recompute = QPushButton(tr("Cập nhật"))
        self.recompute.clicked.connect(self.refresh)
        self.status = QLabel("")
        self.status.setStyleSheet("color: palette(dark);")

        top = widget_row(QHBoxLayout(), page_title(tr("Tổng quan danh mục cho vay")), 1, tr("Số liệu đến ngày"),
                         self.as_of, self.recompute)
        problem_row = QHBoxLayout()  # under the field, right-aligned with it: the title keeps its row
        problem_row.addStretch(1)
        problem_row.addWidget(self.as_of_problem)

        self.cards = {key: FigureCard(tr(caption)) for key, caption in CARDS}
        self.groups = FigureCard(tr("Số khoản vay theo nhóm nợ"))
        self.groups.value.setTextFormat(Qt.TextFormat.RichText)
        grid = QGridLayout()
        grid.setSpacing(8)
        for n, card in enumerate(self.cards.values()):
            grid.addWidget(card, n // 3, n % 3)
        grid.addWidget(self.groups, 0, 3, 3, 1)
        for c in range(4):
            grid.setColumnStretch(c, 1)

        self.disbursed_chart = _ChartBox(tr("Giải ngân theo quý (triệu đồng)"))
        self.outstanding_chart = _ChartBox(tr("Dư nợ cuối quý (triệu đồng)"))
        self.area_chart = _ChartBox(tr("Dư nợ theo huyện (triệu đồng)"))
        charts = QGridLayout()
        charts.setSpacing(8)
        charts.addWidget(self.disbursed_chart, 0, 0)
        charts.addWidget(self.outstanding_chart, 0, 1)
        charts.addWidget(self.area_chart, 0, 2)
        for c in range(3):
            charts.setColumnStretch(c, 1)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addLayout(top)
        inner.addLayout(problem_row)
        inner.addWidget(self.status)
        inner.addLayout(grid)
        inner.addLayout(charts, 1)
        scroll = scroll_area(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        env.changes.changed.connect(self._on_changed)

    # -- refreshing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the figures as of the chosen date (on the worker thread); a day after the book's today is not
        offered (``up_to``, brought to today again here) and the service refuses it (``_failed`` says so)."""
        self._stale = False
        ctx = self.env.ctx
        up_to(self.as_of, ctx.today())  # today may have moved on since the page was built
        try:
            as_of = self.as_of.value()
        except ValueError:  # a date field that keeps a day it does not take says why beside itself
            self.as_of.read_text()  # said now, as when the field is left
            self._say_figures_day()
            return
        self.status.setText(tr("Đang tính số liệu…"))
        self.recompute.setEnabled(False)
        # today's figures come at once from the per-loan cache; the charts replay the book after
        self.env.jobs.run(lambda control: overview_cards(ctx, as_of), self._show_cards, parent=self, progress=False,
                          on_failed=self._failed, read_only=True)
        self.env.jobs.run(lambda control: overview(ctx, as_of, progress=control.progress), self._show,
                          parent=self, label=tr("Đang tính số liệu tổng quan…"), on_failed=self._failed, read_only=True)

    def _say_figures_day(self) -> None:
        """While the field shows a day refused, the status says which day the figures on screen are of (none: that
        none were computed)."""
        self.status.setText(tr("Số liệu tính đến hết ngày {day}.").format(day=short_date(self.data.as_of))
                            if self.data is not None else tr("Không tính được số liệu."))

    def _failed(self, exc: BaseException) -> None:
        """Say why the figures were not computed (``present_error``: a refusal in its words, e.g. a day after the
        book's today); the figures already shown stay, with the date field and the status back at their day."""
        from fundapp.services.errors import UserFacingError

        from ..errors import present_error

        self.recompute.setEnabled(True)
        self.status.setText(tr("Không tính được số liệu."))
        if isinstance(exc, UserFacingError) and self.data is not None:
            self.as_of.blockSignals(True)  # no new computation: the day of the figures on screen
            self.as_of.setValue(self.data.as_of)
            self.as_of.blockSignals(False)
            self.status.setText(tr("Số liệu tính đến hết ngày {day}.").format(day=short_date(self.data.as_of)))
        present_error(self, exc)

    # -- showing -------------------------------------------------------------------------------
    def _show_cards(self, data: Overview | None) -> None:
        if data is not None:
            self._fill_cards(data)
            self.figures_shown = True  # the officer can read today's figures; the charts follow
            self.status.setText(tr("Số liệu tính đến hết ngày {day}; đang vẽ biểu đồ…").format(
                day=short_date(data.as_of)))

    def _show(self, data: Overview) -> None:
        self.data = data
        self.recompute.setEnabled(True)
        self.status.setText(tr("Số liệu tính đến hết ngày {day}.").format(day=short_date(data.as_of)))
        self._fill_cards(data)
        self._draw_disbursed(data)
        self._draw_outstanding(data)
        self._draw_areas(data)
        self._say_why_empty(data)

    def _say_why_empty(self, data: Overview) -> None:
        """Each blank chart says "Chưa có dữ liệu" and why: no loan disbursed yet, or none in the quarters shown."""
        day = short_date(data.as_of)
        span = f"{data.quarters[0].label}–{data.quarters[-1].label}" if data.quarters else ""
        disbursed = any(p.disbursed for p in data.quarters)
        outstanding = any(p.outstanding for p in data.quarters) or data.outstanding > 0
        if not disbursed and not outstanding:
            nothing = tr("Chưa có dữ liệu: chưa có khoản vay nào được giải ngân đến ngày {day}.").format(day=day)
            for chart in (self.disbursed_chart, self.outstanding_chart, self.area_chart):
                chart.set_empty(nothing)
            return
        self.disbursed_chart.set_empty(
            "" if disbursed else tr("Chưa có dữ liệu: không có lần giải ngân nào trong các quý {span}.").format(span=span))
        self.outstanding_chart.set_empty(
            "" if any(p.outstanding for p in data.quarters) else
            tr("Chưa có dữ liệu: không có dư nợ cuối các quý {span}.").format(span=span))
        self.area_chart.set_empty(
            "" if data.outstanding_by_area else tr("Chưa có dữ liệu: không có dư nợ tại ngày {day}.").format(day=day))

    def _fill_cards(self, data: Overview) -> None:
        c = self.cards
        c["outstanding"].set(vnd(data.outstanding))
        c["overdue"].set(vnd(data.principal_overdue),
                         tr("Tỷ lệ nợ quá hạn: {ratio}").format(ratio=percent(Decimal(data.overdue_ratio_percent))))
        quarter = (data.as_of.month - 1) // 3 + 1
        c["disbursed_quarter"].set(vnd(data.disbursed_quarter),  # «Quý IV/2024», as the reports and their papers write it
                                   tr("Quý {q}/{y}").format(q=QUARTER_NUMERALS[quarter], y=data.as_of.year))
        c["disbursed_year"].set(vnd(data.disbursed_year), tr("Năm {y}").format(y=data.as_of.year))
        c["collected_year"].set(vnd(data.collected_year), tr("Năm {y}").format(y=data.as_of.year))
        c["active_loans"].set(str(data.active_loans))
        # the cache's cards do not carry these: they keep "…" until the full computation arrives
        if data.restructured_outstanding is not None:
            c["restructured_outstanding"].set(vnd(data.restructured_outstanding))
        if data.off_balance is not None:
            c["off_balance"].set(vnd(data.off_balance), tr("Gốc và lãi chưa thu hồi"))
        # groups 1–2 over the bad debt, 3–5: three cells wide, the card fits a 1093 px window (125 %), where five in a
        # row (393 px) pushed the page into scrolling sideways
        rows = "".join("<tr>" + "".join(
            f"<td align='center' style='padding: 0 8px'><span style='font-weight:normal; font-size:small'>"
            f"{tr('Nhóm')} {g}</span><br>{data.loans_by_group.get(g, 0)}</td>"
            for g in groups) + "</tr>" for groups in ((1, 2), (3, 4, 5)))
        self.groups.set(f"<table>{rows}</table>",
                        tr("Nợ xấu (nhóm 3–5): {n} khoản").format(n=data.bad_debt_loans))

    def _draw_disbursed(self, data: Overview) -> None:
        chart = self.disbursed_chart.reset()
        bars = QBarSet(tr("Giải ngân"))
        bars.setColor(BLUE)
        for point in data.quarters:
            bars.append(point.disbursed)
        amounts = [p.disbursed for p in data.quarters]
        labels = [p.label for p in data.quarters]
        bars.hovered.connect(lambda on, i: self._tip(on, f"{labels[i]}: {vnd(amounts[i])}"))
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        _quarter_axes(chart, series, labels, amounts)

    def _draw_outstanding(self, data: Overview) -> None:
        chart = self.outstanding_chart.reset()
        line = QLineSeries()
        pen = line.pen()
        pen.setColor(GREEN)
        pen.setWidthF(2.5)
        line.setPen(pen)
        line.setPointsVisible(True)
        for n, point in enumerate(data.quarters):
            line.append(n, point.outstanding)
        amounts = [p.outstanding for p in data.quarters]
        labels = [p.label for p in data.quarters]
        line.hovered.connect(lambda pt, on: self._tip(on, f"{labels[round(pt.x())]}: {vnd(amounts[round(pt.x())])}"))
        chart.addSeries(line)
        _quarter_axes(chart, line, labels, amounts)

    def _draw_areas(self, data: Overview) -> None:
        chart = self.area_chart.reset()
        # biggest at the top: a horizontal bar chart draws its first category at the bottom
        items = sorted(data.outstanding_by_area.items(), key=lambda kv: kv[1])
        bars = QBarSet(tr("Dư nợ"))
        bars.setColor(ORANGE)
        for _, amount in items:
            bars.append(amount)
        bars.hovered.connect(lambda on, i: self._tip(on, f"{items[i][0]}: {vnd(items[i][1])}"))
        series = QHorizontalBarSeries()
        series.append(bars)
        chart.addSeries(series)
        y = QBarCategoryAxis()
        y.append([name for name, _ in items] or ["—"])
        x = _value_axis(max((a for _, a in items), default=0), ticks=4)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x)
        series.attachAxis(y)
        self.area_chart.setMinimumHeight(max(260, 40 + 28 * len(items)))

    @staticmethod
    def _tip(on: bool, text: str) -> None:
        from PySide6.QtGui import QCursor

        if on:
            QToolTip.showText(QCursor.pos(), text)
        else:
            QToolTip.hideText()
