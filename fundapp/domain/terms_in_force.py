"""The terms in force of a loan at a date: its contract terms as its restructurings in force have changed them.

DOMAIN.md "Restructuring on day t": a restructuring adds ``extend_months`` e / f installments after the last one on
the grid A + k × f months, and its ``grace_periods`` g replaces the loan's grace (installments k₀ … k₀ + g − 1, k₀
the first due after its day). Every figure here is read from what the engine computed — the schedule as it stands
and the ``RestructureResult`` of each restructuring applied — never derived again; the contract stays
``LoanTerms``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .events import RestructureResult
from .records import Installment
from .terms import LoanTerms


@dataclass(frozen=True, slots=True)
class TermsInForce:
    """A loan's terms in force at a date (DOMAIN.md "Restructuring on day t").

    ``contract``: the terms of the contract. ``term_months``: months from the first disbursement A to the last due
    date of the schedule in force; ``grace_periods``: installments without principal, from grid number
    ``grace_first`` (1 under the contract, k₀ after a restructuring); ``restructured_on``: the days of the
    restructurings in force that made them, oldest first (empty: the contract's terms)."""

    contract: LoanTerms
    term_months: int
    grace_periods: int
    grace_first: int
    restructured_on: tuple[date, ...] = ()

    @property
    def frequency_months(self) -> int:
        """Months between two due dates (the contract's: a restructuring keeps the grid)."""
        return self.contract.frequency_months

    @property
    def installments(self) -> int:
        """Installments over ``term_months``: term / frequency (grid numbers 1 … n)."""
        return self.term_months // self.contract.frequency_months

    @property
    def restructured(self) -> bool:
        """True when a restructuring in force has set these terms (they may then differ from the contract's)."""
        return bool(self.restructured_on)

    @property
    def last_restructured_on(self) -> date | None:
        """The day of the latest restructuring in force (None: none)."""
        return self.restructured_on[-1] if self.restructured_on else None


def terms_in_force(contract: LoanTerms, schedule: Sequence[Installment],
                   restructures: Sequence[RestructureResult]) -> TermsInForce:
    """The terms in force of a loan with ``contract`` terms whose replay (the engine's) stands at a date: its
    ``schedule`` then (``LoanState.schedule()``: grid numbers, due dates) and the results of its restructurings in
    force applied by then (``LoanState.restructures``, oldest first; a reversed one is not replayed, so not there).

    Without a restructuring: the contract's term, installments and grace (grace from installment 1). With one: the
    term runs to the schedule's last installment (grid number × frequency months: the contract's term plus every
    ``extend_months``), the grace is the latest restructuring's ``grace_periods`` counted from the first installment
    due after its day (k₀). Months and installments are counts; dates are days.

    ``restructures`` must come from a replay from the loan's first entry: a state restored from a replay checkpoint
    (``state_snapshot``) keeps no results of the entries before it (only ``restructured_earlier``), and would give
    the contract's terms here. The loan page and the papers replay in full (``services.loans``)."""
    if not restructures:
        return TermsInForce(contract, contract.term_months, contract.grace_periods, 1)
    latest = restructures[-1]
    last_no = schedule[-1].no if schedule else contract.installments
    first = next((k.no for k in schedule if k.due_on > latest.on), last_no)
    return TermsInForce(contract, last_no * contract.frequency_months, latest.grace_periods, first,
                        tuple(r.on for r in restructures))
