"""services.reports.balances_rows reads each loan's figures by name (BALANCE_FIELDS), not by their position in the
domain's Balances (issue 13, last reader: ``(loan_no, *b[1:])`` held only while Balances kept its field order)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from fundapp.domain.records import BALANCE_FIELDS
from fundapp.services import reports


class Reordered(NamedTuple):  # the same figures, the date last and the others backwards
    written_off_interest: int
    written_off_principal: int
    debt_group: int
    days_past_due: int
    late_interest_accrued: int
    overdue_interest_accrued: int
    interest_accrued: int
    interest_due_unpaid: int
    principal_overdue: int
    principal_outstanding: int
    as_of: date


def test_balances_rows_read_the_figures_by_name(monkeypatch):
    figures = Reordered(10, 9, 3, 95, 7_000, 6_000, 5_000, 4_000, 20_000_000, 100_000_000, date(2024, 12, 31))
    monkeypatch.setattr(reports, "balances_as_of", lambda db, as_of: iter([("HD2024-001", figures)]))
    [row] = reports.balances_json(
        type("Ctx", (), {"db": None, "today": staticmethod(lambda: date(2024, 12, 31))})(), date(2024, 12, 31))
    assert row == {"loan_no": "HD2024-001", "principal_outstanding": 100_000_000, "principal_overdue": 20_000_000,
                   "interest_due_unpaid": 4_000, "interest_accrued": 5_000, "overdue_interest_accrued": 6_000,
                   "late_interest_accrued": 7_000, "days_past_due": 95, "debt_group": 3, "written_off_principal": 9,
                   "written_off_interest": 10}
    assert list(row)[1:] == list(BALANCE_FIELDS)
