"""The quarterly figures on the reports page as text rows (``group_thousands``): the summary of the quarter, the
same quarter a year before and the year to date, the districts, and the debt groups. Each row reads the domain's
figures (``QuarterReports``) and formats them; nothing is summed here."""

from __future__ import annotations

from fundapp.documents.report_labels import SUMMARY_LINES, SummaryRow
from fundapp.domain.collation import vi_sort_key
from fundapp.domain.figures import Figures
from fundapp.domain.labels import DEBT_GROUP_NAMES
from fundapp.formatting import group_thousands, percent
from fundapp.services.reports import QuarterReports

from ..i18n import tr


def summary_rows(reports: QuarterReports) -> list[list[str]]:
    """The summary table as text rows, the quarterly PDF's summary lines (``report_labels.SUMMARY_LINES``, the loans
    per debt group left to the debt-group table as on paper): the figure's label (``SummaryRow.name`` through
    ``tr``), then its value for the quarter, the same quarter a year before and the year to date: đồng and counts
    grouped in thousands ("756.521.742"), the two ratios in percent ("12,34 %"). Every value is read from the
    domain's figures by the row itself, as the PDF and the .xlsx read it; nothing is computed here. DOMAIN.md
    "Reported"."""
    columns = (reports.current.total, reports.year_before.total, reports.year_to_date.total)
    return [[tr(row.name)] + [_cell(row, f) for f in columns] for row in SUMMARY_LINES]


def _cell(row: SummaryRow, figures: Figures) -> str:
    value = row.read(figures)
    return percent(value) if row.kind == "percent" else group_thousands(int(value))


def district_rows(reports: QuarterReports) -> list[list[str]]:
    """District (or ward where no district is known) → disbursed in the quarter, outstanding at its end."""
    rows = [[area or "—", group_thousands(f.disbursed_amount), group_thousands(f.outstanding)]
            for area, f in sorted(reports.current.by_area.items(), key=lambda kv: vi_sort_key(kv[0]))]
    total = reports.current.total
    return [*rows, [tr("Tổng cộng"), group_thousands(total.disbursed_amount), group_thousands(total.outstanding)]]


def group_label(group: str) -> str:
    """Debt group ``group`` ("1"–"5") with the name Circular 14/2024 gives it, as the quarterly PDF and .xlsx print it
    ("Nhóm 3: nợ dưới tiêu chuẩn"; in English from the catalogue)."""
    name = tr(DEBT_GROUP_NAMES[group])
    return tr("Nhóm {g}").format(g=group) + ": " + name[:1].lower() + name[1:]


def group_rows(reports: QuarterReports) -> list[list[str]]:
    """The debt-group table of the quarter's end as text rows: group, loans, outstanding (đồng), from the domain's
    figures."""
    total = reports.current.total
    rows = [[group_label(g), str(total.debt_groups[g]), group_thousands(total.outstanding_by_group[g])]
            for g in DEBT_GROUP_NAMES]
    return [*rows, [tr("Tổng cộng"), str(total.loans_outstanding), group_thousands(total.outstanding)]]
