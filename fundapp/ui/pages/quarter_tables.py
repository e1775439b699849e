"""The quarterly figures on the reports page as text rows (``group_thousands``): the summary of the quarter, the
same quarter a year before and the year to date, the districts, and the debt groups. Each row reads the domain's
figures (``QuarterReports``) and formats them; nothing is summed here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fundapp.domain.collation import vi_sort_key
from fundapp.formatting import group_thousands
from fundapp.services.reports import QuarterReports

from ..i18n import tr


def summary_rows(reports: QuarterReports) -> list[list[str]]:
    """The summary table: one row per figure; columns quarter, same quarter a year before, year to date."""
    columns = (reports.current.total, reports.year_before.total, reports.year_to_date.total)
    lines: list[tuple[str, Callable[[Any], int]]] = [
        (tr("Số lần giải ngân"), lambda f: f.disbursed_count),
        (tr("Số khoản vay được giải ngân"), lambda f: f.disbursed_loans),
        (tr("Số tiền giải ngân (đồng)"), lambda f: f.disbursed_amount),
        (tr("Thu nợ gốc (đồng)"), lambda f: f.principal_collected),
        (tr("Thu lãi (đồng)"), lambda f: f.interest_collected),
        (tr("Dư nợ cuối kỳ (đồng)"), lambda f: f.outstanding),
        (tr("Nợ quá hạn gốc (đồng)"), lambda f: f.principal_overdue),
        (tr("Nợ xấu, nhóm 3–5 (đồng)"), lambda f: f.bad_debt),
        (tr("Số khoản vay còn dư nợ"), lambda f: f.loans_outstanding),
    ]
    return [[label] + [group_thousands(value(f)) for f in columns] for label, value in lines]


def district_rows(reports: QuarterReports) -> list[list[str]]:
    """District (or ward where no district is known) → disbursed in the quarter, outstanding at its end."""
    rows = [[area or "—", group_thousands(f.disbursed_amount), group_thousands(f.outstanding)]
            for area, f in sorted(reports.current.by_area.items(), key=lambda kv: vi_sort_key(kv[0]))]
    total = reports.current.total
    return [*rows, [tr("Tổng cộng"), group_thousands(total.disbursed_amount), group_thousands(total.outstanding)]]


def group_rows(reports: QuarterReports) -> list[list[str]]:
    """The debt-group table of the quarter's end as text rows: group, loans, outstanding (đồng), from the domain's
    figures."""
    total = reports.current.total
    rows = [[tr("Nhóm {g}").format(g=g), str(total.debt_groups[g]), group_thousands(total.outstanding_by_group[g])]
            for g in ("1", "2", "3", "4", "5")]
    return [*rows, [tr("Tổng cộng"), str(total.loans_outstanding), group_thousands(total.outstanding)]]
