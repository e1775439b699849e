"""Loading shared/golden: the books and their expected figures that every test compares against."""

from __future__ import annotations

import csv
import json
import os
from datetime import date
from functools import cache
from pathlib import Path

from fundapp.domain.engine import Kind, Transaction
from fundapp.domain.reporting import LoanInput
from fundapp.domain.terms import LoanTerms

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FUNDAPP_SHARED", ROOT.parent / "shared"))
GOLDEN = SHARED / "golden"
SAMPLE = GOLDEN / "sample-fund"


def _rows(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@cache
def cases() -> list[dict]:
    return json.loads((GOLDEN / "cases.json").read_text(encoding="utf-8"))


@cache
def words() -> dict:
    return json.loads((GOLDEN / "words.json").read_text(encoding="utf-8"))


NEW_BALANCE_KEYS = ("written_off_principal", "written_off_interest")  # DOMAIN.md "Life events"
NEW_QUARTER_KEYS = ("restructured_count", "restructured_outstanding", "interest_relieved", "written_off_principal",
                    "written_off_interest", "recovered", "off_balance")


@cache
def expected() -> dict:
    """sample-fund's expected.json, with the life events' keys (balances and quarters) at their value there: 0."""
    return with_event_keys(json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8")))


def with_event_keys(data: dict) -> dict:
    """``data`` (an expected.json) with every missing life-event key of balances and quarters set to 0."""
    for loans in data["balances"].values():
        for figures in loans.values():
            for key in NEW_BALANCE_KEYS:
                figures.setdefault(key, 0)
    for figures in data["quarters"].values():
        for key in NEW_QUARTER_KEYS:
            figures.setdefault(key, 0)
    return data


def case_terms(loan: dict) -> LoanTerms:
    return LoanTerms(
        amount=loan["amount"],
        rate=loan["annual_rate"],
        term_months=loan["term_months"],
        frequency_months=loan.get("frequency_months", 1),
        method=loan.get("method", "equal_principal"),
        grace_periods=loan.get("grace_periods", 0),
    )


def case_transactions(case: dict) -> list[Transaction]:
    return [Transaction(date.fromisoformat(t["date"]), Kind(t["kind"]), t["amount"]) for t in case["transactions"]]


@cache
def sample_loans() -> tuple[LoanInput, ...]:
    """The 40 loans of the sample book, straight from its CSV files (no ledger involved)."""
    borrowers = {r["code"]: r for r in _rows("borrowers.csv")}
    txs: dict[str, list[Transaction]] = {}
    for r in _rows("transactions.csv"):
        txs.setdefault(r["loan_no"], []).append(
            Transaction(date.fromisoformat(r["date"]), Kind(r["kind"]), int(r["amount"]), r["reference"])
        )
    loans = []
    for r in _rows("loans.csv"):
        b = borrowers[r["borrower_code"]]
        terms = LoanTerms(
            amount=r["amount"],
            rate=r["annual_rate"],
            term_months=r["term_months"],
            frequency_months=r["frequency_months"] or 1,
            method=r["method"] or "equal_principal",
            grace_periods=r["grace_periods"] or 0,
            overdue_factor=r["overdue_factor"] or "1.5",
            late_interest_rate=r["late_interest_rate"] or "10",
        )
        loans.append(
            LoanInput(r["loan_no"], terms, tuple(txs.get(r["loan_no"], ())), b["district"], b["ward"], b["kind"],
                      r["sector"], b["code"])
        )
    return tuple(sorted(loans, key=lambda x: x.loan_no))


def sample_with(tmp_path: Path, sheet: str, line: int, cells: dict[str, str], book: Path = SAMPLE) -> Path:
    """A copy of ``book`` (the sample fund) in ``tmp_path``/book with ``cells`` ({column: value}) of ``sheet``.csv's
    ``line`` (the header is line 1) changed; expected.json left out."""
    import shutil

    folder = tmp_path / "book"
    shutil.copytree(book, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / f"{sheet}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for column, value in cells.items():
        rows[line - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder
