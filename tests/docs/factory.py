"""LoanDocuments built from the golden sample book, the way the services layer will build them: the figures a paper
derives (a notice's total, the quarterly's provisions and percentages) come from the services' builders
(``services.documents.due_notice``, ``services.report_documents.quarterly_data_of``), which call the domain; the
documents only print them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache

from fundapp.documents.model import (
    DueItem,
    DueNotice,
    FundInfo,
    LoanDocument,
    history_lines,
)
from fundapp.documents.quarterly_model import QuarterlyReportData
from fundapp.domain.borrowers import BorrowerInfo
from fundapp.domain.engine import quote, replay
from fundapp.domain.periods import quarter_periods_until
from fundapp.domain.reporting import LoanInput, disbursement_by_quarter, period_reports
from fundapp.services.documents import due_notice
from fundapp.services.report_documents import quarterly_data_of
from tests.golden import _rows, sample_loans

FUND = FundInfo(
    address="Số 1 Hùng Vương, phường Đông Hà, tỉnh Quảng Trị",
    phone="0233 3852 123",
    director="Nguyễn Văn Hưởng",
    deputy_director="Lê Thị Thủy",
    chief_accountant="Trần Quốc Việt",
    preparer="Hoàng Ngọc Ánh",
)


@cache
def borrowers() -> dict[str, BorrowerInfo]:
    out = {}
    for r in _rows("borrowers.csv"):
        out[r["code"]] = BorrowerInfo(
            r["code"], r["name"], r["kind"], r["tax_code"], r["representative"] or "Nguyễn Thị Hằng",
            r["phone"], r["address"], r["ward"], r["district"], r["province"],
        )
    return out


@cache
def loan_rows() -> dict[str, dict[str, str]]:
    return {r["loan_no"]: r for r in _rows("loans.csv")}


def loan(loan_no: str) -> LoanInput:
    return next(x for x in sample_loans() if x.loan_no == loan_no)


def document(loan_in: LoanInput, as_of: date, number: str = "05/SK-QHT", fund: FundInfo = FUND) -> LoanDocument:
    """Balances, schedule, history and quote straight from the domain engine."""
    txs = [t for t in loan_in.transactions if t.on <= as_of]
    result = replay(loan_in.terms, txs, as_of)
    row = loan_rows()[loan_in.loan_no]
    return LoanDocument(
        fund=fund,
        borrower=borrowers()[loan_in.borrower_code],
        loan_no=loan_in.loan_no,
        contract_date=date.fromisoformat(row["contract_date"]) if row["contract_date"] else None,
        purpose=row["purpose"],
        terms=loan_in.terms,
        as_of=as_of,
        balances=result.balances,
        schedule=result.schedule,
        history=history_lines(txs, result.allocations),
        quote=quote(loan_in.terms, txs, as_of),
        number=number,
        disbursed=result.disbursed,
        closed_on=result.closed_on,
    )


def notices_for(year: int, month: int, issued_on: date, fund: FundInfo = FUND) -> list[DueNotice]:
    """One notice per borrower with an installment due in the month, from the schedule as of issue."""
    items: dict[str, list[DueItem]] = {}
    for loan_in in sample_loans():
        txs = [t for t in loan_in.transactions if t.on <= issued_on]
        if not txs:
            continue
        result = replay(loan_in.terms, txs, issued_on)
        for k in result.schedule:
            if (k.due_on.year, k.due_on.month) == (year, month):
                items.setdefault(loan_in.borrower_code, []).append(
                    DueItem(loan_in.loan_no, k, principal_outstanding=result.balances.principal_outstanding)
                )
    return [
        due_notice(fund, borrowers()[code], year, month, issued_on, its, number=f"{i + 1:02d}/TB-QHT",
                   pay_to="trụ sở Quỹ hoặc tài khoản số 3761 0000 1234 tại BIDV Quảng Trị")
        for i, (code, its) in enumerate(sorted(items.items()))
    ]


def quarterly_of_loans(
    fund: FundInfo,
    loans: Sequence[LoanInput],
    year: int,
    quarter: int,
    *,
    borrower_names: Mapping[str, str] | None = None,
    provision_rates: Mapping[int, Decimal] | None = None,
    signed_on: date | None = None,
    number: str = "",
) -> QuarterlyReportData:
    """The quarterly report of ``loans`` held in memory (each with every entry), its figures straight from the
    domain (``period_reports``, ``disbursement_by_quarter``) and joined by ``quarterly_data_of`` (which has the domain
    make the provisions at ``provision_rates``, Decree 86's when None, and the «so với cùng kỳ» percentages), as the
    services do with a book's figures (``services.reports``); a calendar quarter, ended."""
    periods, unfinished = quarter_periods_until(year, quarter, "calendar", None)
    current, year_before, year_to_date = period_reports(loans, periods)
    return quarterly_data_of(fund, year, quarter, current, year_before, year_to_date,
                             chart=disbursement_by_quarter(loans, year, quarter, 8),
                             unfinished_until=unfinished, borrower_names=borrower_names,
                             provision_rates=provision_rates, signed_on=signed_on, number=number)
