"""The loan engine's public names, in one place (DOMAIN.md: every figure of a loan).

The engine is split by job: ``events`` (the entries as frozen records and their order),
``state`` (the loan's state, the passage of time, read-outs), ``replay`` (one handler per
entry, the one replay path), ``allocation`` (the repayment order), ``schedule`` (principal of
the installments), ``groups`` (debt groups and the watch), ``openings`` (checks of an opening
entry), ``records`` (the read-out values). Services import from here.
"""

from __future__ import annotations

from .errors import TransactionRefused
from .events import (
    DAY_ORDER,
    RELIEF_KINDS,
    Entry,
    InterestRelief,
    Kind,
    LoanStatus,
    Opening,
    RecoveryResult,
    ReliefResult,
    RestructureResult,
    Restructuring,
    Transaction,
    WriteOff,
    WriteOffResult,
    ordered,
    sort_key,
)
from .groups import debt_group, restructured_group
from .records import BALANCE_FIELDS, Allocation, Balances, Installment, LoanResult, Quote
from .replay import LoanReplay, balances_at, quote, replay, replay_entries

__all__ = [
    "BALANCE_FIELDS", "DAY_ORDER", "RELIEF_KINDS", "Allocation", "Balances", "Entry", "Installment", "InterestRelief",
    "Kind", "LoanReplay", "LoanResult", "LoanStatus", "Opening", "Quote", "RecoveryResult", "ReliefResult",
    "RestructureResult", "Restructuring", "Transaction", "TransactionRefused", "WriteOff", "WriteOffResult",
    "balances_at", "debt_group", "ordered", "quote", "replay", "replay_entries", "restructured_group", "sort_key",
]
