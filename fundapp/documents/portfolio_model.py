"""The portfolio report's value (every loan's balances as of a day, the aging bands, the overdue loans to chase):
what its renderers (reports_pdf, portfolio_xlsx) lay out, and the builder the services layer calls. The figures
are the domain's ``portfolio_of`` (through ``services.reports.portfolio_as_of``); the builder joins the borrowers'
names and contacts to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from fundapp.documents.model import FundInfo
from fundapp.domain.borrowers import BorrowerInfo
from fundapp.domain.engine import Balances
from fundapp.domain.portfolio_report import PORTFOLIO_INTEREST_FIELDS, PortfolioFigures
from fundapp.formatting import short_date

if TYPE_CHECKING:  # the type only: documents call no sum of domain.figures
    from fundapp.domain.figures import Figures


@dataclass(frozen=True, slots=True)
class PortfolioLine:
    """One loan in the portfolio list: who, where, and its balances at the end of the day."""

    loan_no: str
    borrower_code: str
    borrower_name: str
    area: str
    balances: Balances


@dataclass(frozen=True, slots=True)
class CollectionLine:
    """An overdue loan to chase: what is due (principal overdue + interest owed) and whom to call."""

    loan_no: str
    borrower_code: str
    borrower_name: str
    representative: str
    phone: str
    address: str
    days_past_due: int
    debt_group: int
    principal_overdue: int
    interest_owed: int  # interest due unpaid + overdue interest + late-payment interest (đồng)
    amount_due: int


@dataclass(frozen=True)
class PortfolioData:
    """The portfolio as of a date: every loan, aging buckets (label → Figures) with each one's share of the
    outstanding principal (``aging_shares``, %, the domain's ``PortfolioFigures.aging_shares``), the collection
    list. The overdue and bad-debt ratios are ``total``'s (``Figures.principal_overdue_ratio``, ``bad_debt_ratio``)."""

    fund: FundInfo
    as_of: date
    lines: tuple[PortfolioLine, ...]
    total: Figures
    aging: tuple[tuple[str, Figures], ...]
    aging_shares: tuple[Decimal, ...]
    collection: tuple[CollectionLine, ...]
    collection_totals: tuple[int, int, int] = (0, 0, 0)  # principal overdue, interest due, amount due
    # Sums of the listed loans' interest figures (Balances field name → đồng), which Figures does not carry
    interest_totals: Mapping[str, int] = field(default_factory=dict)
    signed_on: date | None = None
    number: str = ""

    @property
    def title(self) -> str:
        """The report's title in capitals with its date ("… ĐẾN NGÀY 31/12/2024")."""
        return f"BÁO CÁO DƯ NỢ VÀ NỢ QUÁ HẠN ĐẾN NGÀY {short_date(self.as_of)}"


INTEREST_FIELDS = PORTFOLIO_INTEREST_FIELDS  # the interest columns of the portfolio list, as the domain sums them


def build_portfolio_data(
    fund: FundInfo,
    figures: PortfolioFigures,
    as_of: date,
    *,
    borrowers: Mapping[str, BorrowerInfo] | None = None,
    signed_on: date | None = None,
    number: str = "",
) -> PortfolioData:
    """The domain's portfolio at the end of ``as_of`` (``figures``: ``domain.portfolio_report.portfolio_of``, which the
    services read from the book's checkpoints, or ``portfolio_figures`` of the loans) laid out with the borrowers'
    names and contacts (``borrowers``: code → BorrowerInfo; an unknown code prints without a name). Computes no
    figure."""
    borrowers = borrowers or {}

    def who(code: str) -> BorrowerInfo:
        return borrowers.get(code) or BorrowerInfo(code, "")

    lines = tuple(PortfolioLine(lp.loan.loan_no, lp.loan.borrower_code, who(lp.loan.borrower_code).name, lp.loan.area,
                                lp.balances) for lp in figures.shown)
    collection = []
    for o in figures.overdue:
        loan, b, person = o.position.loan, o.position.balances, who(o.position.loan.borrower_code)
        collection.append(CollectionLine(
            loan.loan_no, loan.borrower_code, person.name, person.representative, person.phone, person.full_address,
            b.days_past_due, b.debt_group, b.principal_overdue, o.interest_owed, o.amount_due))
    return PortfolioData(
        fund=fund,
        as_of=as_of,
        lines=lines,
        total=figures.total,
        aging=figures.aging,
        aging_shares=figures.aging_shares,
        collection=tuple(collection),
        interest_totals=figures.interest_totals,
        collection_totals=figures.collection_totals,
        signed_on=signed_on,
        number=number,
    )
