"""One replay path (issue 13): balances at several dates are ``replay_entries``'s checkpoints, not a loop of their own,
so a change to the replay (its order, its refusals, its checkpoints) reaches every figure read through it."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.domain import replay as replay_module
from fundapp.domain.engine import Kind, Transaction, balances_at, replay
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.terms import LoanTerms
from tests import golden

SAMPLE_DATES = [date.fromisoformat(d) for d in sorted(golden.expected()["balances"])]


@pytest.fixture
def replays(monkeypatch) -> list[tuple]:
    """Every call of ``replay_entries`` made through the domain's functions: (checkpoints, until)."""
    calls: list[tuple] = []
    real = replay_module.replay_entries

    def spy(*args, **kwargs):
        calls.append((tuple(kwargs.get("checkpoints", ())), kwargs.get("until")))
        return real(*args, **kwargs)

    monkeypatch.setattr(replay_module, "replay_entries", spy)
    return calls


def test_balances_at_every_date_are_the_checkpoints_of_one_replay(replays):
    loan = next(x for x in golden.sample_loans() if x.loan_no == "HD2022-002")  # overdue: every figure moves
    got = balances_at(loan.terms, loan.transactions, SAMPLE_DATES)
    assert replays == [(tuple(SAMPLE_DATES), SAMPLE_DATES[-1])]  # one pass, read at each date, none past the last
    expected = golden.expected()["balances"]
    assert [b.as_dict() for b in got] == [
        {**expected[d.isoformat()]["HD2022-002"], "written_off_principal": 0, "written_off_interest": 0}
        for d in SAMPLE_DATES]
    # and each is what the replay as of that date reads
    assert got == [replay(loan.terms, loan.transactions, as_of=d).balances for d in SAMPLE_DATES]


def test_an_entry_after_the_last_date_is_not_replayed():
    terms = LoanTerms(amount=100_000_000, rate="7.3", term_months=12)
    entries = [Transaction(date(2024, 1, 10), Kind.DISBURSEMENT, 100_000_000, "GN-1"),
               Transaction(date(2024, 3, 1), Kind.REPAYMENT, 500_000_000, "PT-1")]  # more than settles: refused
    with pytest.raises(TransactionRefused):
        balances_at(terms, entries, [date(2024, 1, 31), date(2024, 3, 1)])
    dates = [date(2024, 1, 10), date(2024, 2, 29)]
    got = balances_at(terms, entries, dates)  # the refused repayment lies after the last date: never applied
    assert got == [replay(terms, entries[:1], as_of=d).balances for d in dates]
    assert [b.principal_outstanding for b in got] == [100_000_000, 100_000_000] and got[1].interest_accrued > 0
    assert balances_at(terms, entries, []) == []
