"""Every figure of shared/golden/cases-events.json (life events: restructuring, relief, write-off and
recovery, openings, %/tháng rates, the sharpened repayment rule), computed by the domain alone."""

from __future__ import annotations

import json
from datetime import date
from functools import cache

import pytest

from fundapp.domain.engine import (
    Allocation,
    InterestRelief,
    Kind,
    LoanReplay,
    Opening,
    RecoveryResult,
    Restructuring,
    Transaction,
    TransactionRefused,
    WriteOff,
    balances_at,
    ordered,
    replay_entries,
)
from fundapp.domain.money import format_dong
from fundapp.domain.terms import LoanTerms, RateUnit
from tests import golden


@cache
def event_cases() -> list[dict]:
    return json.loads((golden.GOLDEN / "cases-events.json").read_text(encoding="utf-8"))


CASES = event_cases()


def terms_of(loan: dict) -> LoanTerms:
    """The case's loan terms (``monthly_rate`` in %/tháng, else ``annual_rate`` in %/năm)."""
    monthly = loan.get("monthly_rate")
    return LoanTerms(
        amount=loan["amount"],
        rate=monthly if monthly is not None else loan["annual_rate"],
        rate_unit=RateUnit.PER_MONTH if monthly is not None else RateUnit.PER_YEAR,
        term_months=loan["term_months"],
        frequency_months=loan.get("frequency_months", 1),
        method=loan.get("method", "equal_principal"),
        grace_periods=loan.get("grace_periods", 0),
    )


def entry_of(row: dict):
    """One entry of a case (transaction or event) as the engine's record."""
    on = date.fromisoformat(row["date"])
    kind = Kind(row["kind"])
    if kind is Kind.RESTRUCTURE:
        return Restructuring(on, row["extend_months"], row["grace_periods"], row.get("reference", ""))
    if kind is Kind.INTEREST_RELIEF:
        return InterestRelief(on, row["relief_of"], row["amount"], row.get("reference", ""))
    if kind is Kind.WRITE_OFF:
        return WriteOff(on, row.get("reference", ""))
    return Transaction(on, kind, row["amount"], row.get("reference", ""))


def opening_of(row: dict) -> Opening:
    oldest = row.get("oldest_overdue_date") or None
    return Opening(
        on=date.fromisoformat(row["as_of"]),
        first_disbursement_date=date.fromisoformat(row["first_disbursement_date"]),
        disbursed=row["disbursed"],
        principal_outstanding=row["principal_outstanding"],
        principal_overdue=row["principal_overdue"],
        oldest_overdue_date=date.fromisoformat(oldest) if oldest else None,
        interest_due_unpaid=row["interest_due_unpaid"],
        interest_accrued=row["interest_accrued"],
        overdue_interest=row["overdue_interest"],
        late_interest=row["late_interest"],
        restructurings=row.get("restructurings", 0),
    )


def entries_of(case: dict) -> list:
    entries = [entry_of(r) for r in case["transactions"]] + [entry_of(r) for r in case.get("events", [])]
    if case.get("opening"):
        entries.insert(0, opening_of(case["opening"]))
    return entries


def given(expected: list[dict], got: list[dict]) -> list[dict]:
    """``got`` reduced to the keys each expected row gives (the golden file decides what it checks)."""
    return [{k: row.get(k) for k in want} for want, row in zip(expected, got, strict=False)] + got[len(expected):]


def repayment_row(result) -> dict:
    if isinstance(result, RecoveryResult):
        return {"date": result.on.isoformat(), "amount": result.amount, "principal": 0, "interest": 0,
                "overdue_interest": 0, "late_interest": 0, "recovered_principal": result.principal,
                "recovered_interest": result.interest}
    assert isinstance(result, Allocation)
    return {"date": result.on.isoformat(), "amount": result.amount, "principal": result.principal,
            "interest": result.interest, "overdue_interest": result.overdue_interest,
            "late_interest": result.late_interest, "recovered_principal": 0, "recovered_interest": 0}


def run(case: dict) -> tuple[LoanReplay, list]:
    repayments: list = []

    def keep(entry, result) -> None:
        if entry.kind is Kind.REPAYMENT:
            repayments.append(result)

    return replay_entries(terms_of(case["loan"]), entries_of(case), on_result=keep), repayments


def rows(results) -> list[dict]:
    return [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r._asdict().items()}
            for r in results]


def _dated(results) -> list[dict]:
    out = rows(results)
    for r in out:
        r["date"] = r.pop("on")
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_schedule_allocations_and_event_results(case):
    state, repayments = run(case)
    expect = case["expect"]
    schedule = [{"no": i.no, "due_date": i.due_on.isoformat(), "principal": i.principal, "interest": i.interest,
                 "principal_paid": i.principal_paid, "interest_paid": i.interest_paid} for i in state.schedule()]
    assert given(expect["schedule"], schedule) == expect["schedule"]
    got = [repayment_row(r) for r in repayments]
    assert given(expect["allocations"], got) == expect["allocations"]
    for name in ("restructures", "reliefs", "write_offs", "recoveries"):
        got = _dated(getattr(state, name))
        assert given(expect[name], got) == expect[name], name


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_balances_at_every_date(case):
    dates = sorted(case["expect"]["balances"])
    got = balances_at(terms_of(case["loan"]), entries_of(case), [date.fromisoformat(d) for d in dates])
    assert {d: b.as_dict() for d, b in zip(dates, got, strict=True)} == case["expect"]["balances"]


REFUSED = [c for c in CASES if "refused" in c]


@pytest.mark.parametrize("case", REFUSED, ids=[c["name"] for c in REFUSED])
def test_refused_entry_changes_nothing_and_names_its_limit(case):
    refusal = case["refused"]
    terms = terms_of(case["loan"])
    if "replaces_opening" in refusal:
        state = LoanReplay(terms)
        with pytest.raises(TransactionRefused) as err:
            state.apply(opening_of(refusal["replaces_opening"]))
        assert state.balances(date.fromisoformat(refusal["replaces_opening"]["as_of"])).principal_outstanding == 0
        assert state.schedule() == [] and state.last_on is None
        return
    bad = entry_of(refusal["entry"])
    entries = entries_of(case)
    with_it = ordered([*entries, bad])
    errors = []
    state = replay_entries(terms, with_it, on_refused=lambda entry, e: errors.append((entry, e)))
    assert [entry for entry, _ in errors] == [bad]
    err = errors[0][1]
    assert err.vi and err.en and err.field
    for figure in refusal.get("names", {}).values():
        assert format_dong(figure) in err.vi, (figure, err.vi)
        assert str(figure) in err.en, (figure, err.en)
    # nothing changed: the same figures as a replay that never had it, built on its own
    without = replay_entries(terms, entries_of(case))
    last = max(e.on for e in with_it)
    assert state.balances(last) == without.balances(last)
    assert state.schedule() == without.schedule()
    assert state.allocations == without.allocations
    assert (state.restructures, state.reliefs, state.write_offs, state.recoveries) == (
        without.restructures, without.reliefs, without.write_offs, without.recoveries)
