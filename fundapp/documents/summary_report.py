"""The six-month and annual lending reports (Decree 45/2021 Art. 44, Circular 52/2022) as PDF and .xlsx.

The figures arrive as plain labelled rows made by the services from the domain's period reports;
nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from fundapp.formatting import decimal_vi, group_thousands, long_date, short_date

from .model import FundInfo
from .report_labels import LIFE_EVENT_LABELS, not_ended_note


@dataclass(frozen=True)
class SummaryLine:
    """One line of the report: a label, a value (int đồng or a count; a Decimal percentage) and its unit."""

    label: str
    value: int | Decimal | str
    unit: str = "đồng"
    bold: bool = False


@dataclass(frozen=True)
class SummaryReportData:
    """The six-month or annual lending report as it prints (Decree 45/2021 Art. 44): title, period, the summary
    lines (counts and đồng from the domain) and per debt group (group, loans, outstanding đồng, provision %, provision
    đồng). Laid out only."""

    fund: FundInfo
    title: str  # "BÁO CÁO TÌNH HÌNH CHO VAY 6 THÁNG ĐẦU NĂM 2024"
    start: date
    end: date
    lines: tuple[SummaryLine, ...]
    groups: tuple[tuple[str, int, int, Decimal, int], ...] = ()  # group, loans, outstanding, provision %, provision
    recipients: tuple[str, ...] = ()
    number: str = ""
    signed_on: date | None = None
    unfinished_until: date | None = None  # the period has not ended: figures to this day (``end``), and it says so
    period_name: str = "Năm"  # "Năm" or "6 tháng đầu năm", the subject of the not-ended mark

    @property
    def period_text(self) -> str:
        """"Từ ngày 01/01/2024 đến ngày 15/11/2024" (printed under the title)."""
        return f"Từ ngày {short_date(self.start)} đến ngày {short_date(self.end)}"

    @property
    def unfinished_note(self) -> str:
        """The quarterly's mark of a period not yet ended, "Năm chưa kết thúc — số liệu đến hết ngày 15/11/2024"
        (``report_labels.not_ended_note``), else "": a line under the PDF's period, after the sheet's."""
        return not_ended_note(self.period_name, self.unfinished_until) if self.unfinished_until else ""


def _value(line: SummaryLine) -> str:
    if isinstance(line.value, Decimal):
        return decimal_vi(line.value, 2)  # 24.6 → "24,60"
    return group_thousands(line.value) if isinstance(line.value, int) else line.value


def render_summary_pdf(data: SummaryReportData) -> bytes:
    """A4 portrait: Decree 30 heading, title, the figures table, "Nơi nhận" and the director's block."""
    from .layout import (
        build_pdf,
        closing_block,
        data_table,
        director_signer,
        fit_widths,
        frame_width,
        national_heading,
        para,
        title_block,
    )

    fund = data.fund
    rows = [[str(i + 1), line.label, _value(line), line.unit] for i, line in enumerate(data.lines)]
    header = ["STT", "Chỉ tiêu", "Số liệu", "Đơn vị"]
    widths = fit_widths(rows, header, frame_width(), flexible=(1,), size=10)
    bold = [i for i, line in enumerate(data.lines) if line.bold]
    group_header = ["Nhóm nợ", "Số khoản vay", "Dư nợ (đồng)", "Tỷ lệ dự phòng", "Dự phòng (đồng)"]
    group_rows = [[f"Nhóm {g}", group_thousands(n), group_thousands(amount), f"{decimal_vi(rate)} %",
                   group_thousands(provision)]
                  for g, n, amount, rate, provision in data.groups]
    story = [
        national_heading(fund, data.number, long_date(data.signed_on or data.end, fund.place)),
        *title_block(data.title, data.period_text, *([data.unfinished_note] if data.unfinished_note else [])),
        data_table(header, rows, widths, right=(2,), center=(0, 3), bold_rows=bold, size=10),
        para("Phân loại nợ cuối kỳ (Thông tư 14/2024) và dự phòng cụ thể (Nghị định 86/2024):", "body_left"),
        data_table(group_header, group_rows, fit_widths(group_rows, group_header, frame_width(), flexible=(0,), size=10),
                   right=(1, 2, 4), center=(3,), size=10),
        closing_block(data.recipients, director_signer(fund)),
    ]
    return build_pdf(story, title=data.title, author=fund.name)


def render_summary_xlsx(data: SummaryReportData, path_or_buffer) -> None:
    """One sheet: amounts as numbers formatted #,##0, percentages as numbers formatted 0.00, every text written
    as text (a name starting with "=" stays text), Vietnamese headings, landscape fit to width."""
    import xlsxwriter

    from .xlsx_sheets import close_workbook, write_percent

    wb = xlsxwriter.Workbook(path_or_buffer, {"in_memory": True, "strings_to_formulas": False,
                                              "strings_to_urls": False, "strings_to_numbers": False})
    try:
        ws = wb.add_worksheet("Tổng hợp")
        bold = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 12})
        title = wb.add_format({"bold": True, "font_name": "Times New Roman", "font_size": 14, "align": "center"})
        head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7",
                              "font_name": "Times New Roman"})
        text = wb.add_format({"border": 1, "font_name": "Times New Roman"})
        text_bold = wb.add_format({"border": 1, "bold": True, "font_name": "Times New Roman"})
        money = wb.add_format({"border": 1, "num_format": "#,##0", "font_name": "Times New Roman"})
        money_bold = wb.add_format({"border": 1, "num_format": "#,##0", "bold": True, "font_name": "Times New Roman"})
        center = wb.add_format({"border": 1, "align": "center", "font_name": "Times New Roman"})
        percent = wb.add_format({"border": 1, "num_format": "0.00", "font_name": "Times New Roman"})
        ws.write_string(0, 0, data.fund.name, bold)
        ws.merge_range(2, 0, 2, 3, data.title, title)
        note = f" — {data.unfinished_note}" if data.unfinished_note else ""
        ws.merge_range(3, 0, 3, 3, data.period_text + note,
                       wb.add_format({"italic": True, "align": "center", "font_name": "Times New Roman"}))
        for c, h in enumerate(["STT", "Chỉ tiêu", "Số liệu", "Đơn vị"]):
            ws.write_string(5, c, h, head)
        for i, line in enumerate(data.lines):
            r = 6 + i
            ws.write_number(r, 0, i + 1, center)
            ws.write_string(r, 1, line.label, text_bold if line.bold else text)
            if isinstance(line.value, Decimal):
                write_percent(ws, r, 2, line.value, percent)
            elif isinstance(line.value, int):
                ws.write_number(r, 2, line.value, money_bold if line.bold else money)
            else:
                ws.write_string(r, 2, line.value, text)
            ws.write_string(r, 3, line.unit, center)
        r = 6 + len(data.lines) + 1
        for c, h in enumerate(["Nhóm nợ", "Số khoản vay", "Dư nợ (đồng)", "Tỷ lệ dự phòng (%)", "Dự phòng (đồng)"]):
            ws.write_string(r, c, h, head)
        for i, (g, n, amount, rate, provision) in enumerate(data.groups, start=1):
            ws.write_string(r + i, 0, f"Nhóm {g}", text)
            ws.write_number(r + i, 1, n, money)
            ws.write_number(r + i, 2, amount, money)
            write_percent(ws, r + i, 3, rate, percent)
            ws.write_number(r + i, 4, provision, money)
        ws.set_column(4, 4, 20)
        ws.set_column(0, 0, 10)
        ws.set_column(1, 1, max(40, *(len(line.label) + 2 for line in data.lines)))
        ws.set_column(2, 2, 22)
        ws.set_column(3, 3, 12)
        ws.freeze_panes(6, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
    finally:
        close_workbook(wb)


def lines_from(figures: dict) -> tuple[SummaryLine, ...]:
    """The report's lines from ``services.reports.period_summary``'s figures (labels in Vietnamese)."""
    lines = [
        SummaryLine("Số dự án (khoản vay) được giải ngân trong kỳ", figures["projects_financed"], "dự án"),
        SummaryLine("Số lần giải ngân", figures["disbursed_count"], "lần"),
        SummaryLine("Số tiền giải ngân", figures["disbursed_amount"], bold=True),
        SummaryLine("Thu nợ gốc", figures["principal_collected"]),
        SummaryLine("Thu lãi (trong hạn, quá hạn, chậm trả)", figures["interest_collected"]),
        SummaryLine("Dư nợ đầu kỳ", figures["outstanding_start"]),
        SummaryLine("Dư nợ cuối kỳ", figures["outstanding_end"], bold=True),
        SummaryLine("Tăng trưởng dư nợ so với đầu kỳ", Decimal(figures["growth_percent"]), "%"),
        SummaryLine("Nợ gốc quá hạn cuối kỳ", figures["overdue_principal"]),
        SummaryLine("Nợ xấu (nhóm 3–5)", figures["bad_debt"], bold=True),
        SummaryLine("Tỷ lệ nợ xấu / dư nợ", Decimal(figures["bad_debt_ratio_percent"]), "%"),
        SummaryLine("Số khách hàng còn dư nợ", figures["borrowers_with_outstanding"], "khách hàng"),
    ]
    if any(figures.get(key) for key in LIFE_EVENT_LABELS):  # DOMAIN.md "Reported"; a book without events: none
        lines += [SummaryLine(label, figures.get(key, 0), "lần" if unit == "lượt" else "đồng")
                  for key, (label, unit) in LIFE_EVENT_LABELS.items()]
    lines.append(SummaryLine("Tổng dự phòng cụ thể", figures["provision_total"], bold=True))
    return tuple(lines)


def groups_from(figures: dict,
                provision_rates: Mapping[int, Decimal]) -> tuple[tuple[str, int, int, Decimal, int], ...]:
    """(group, loans, outstanding, provision rate, provision) for groups 1–5 from ``period_summary``'s figures and
    the rates by debt group (``FundSettings.provision_map``, the one reader of the stored list)."""
    return tuple((g, figures["debt_groups"][g], figures["outstanding_by_group"][g], provision_rates[int(g)],
                  figures["provisions"][g]) for g in ("1", "2", "3", "4", "5"))
