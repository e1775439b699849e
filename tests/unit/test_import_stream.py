"""The import writes loan by loan in batches as its replay goes (issue 17) and stays all or nothing: a refusal found
after batches were written leaves the book as it was, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from fundapp.services import import_write
from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from fundapp.services.reports import balances_json
from tests.golden import SAMPLE


def _last_loan_broken(tmp_path: Path) -> tuple[Path, int]:
    """The sample with the last row of the loan replayed last (the loan appearing last in transactions.csv) for more
    than the loan could ever take or owe; returns the folder and that row's line."""
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("expected.json"))
    path = folder / "transactions.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    loan_col, amount_col = rows[0].index("loan_no"), rows[0].index("amount")
    last_loan = list(dict.fromkeys(r[loan_col] for r in rows[1:]))[-1]
    index = max(i for i, r in enumerate(rows) if r[loan_col] == last_loan)
    rows[index][amount_col] = "900000000000"  # more than approved (a disbursement) or than owed (a repayment)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return folder, index + 1


def test_a_refusal_after_written_batches_leaves_the_book_unchanged(ctx, tmp_path, monkeypatch):
    folder, line = _last_loan_broken(tmp_path)
    batches: list[int] = []
    write_entries = import_write._write_entries

    def counted(ctx_, s, items, *args):
        batches.append(len(items))
        return write_entries(ctx_, s, items, *args)

    monkeypatch.setattr(import_write, "WRITE_BATCH", 25)
    monkeypatch.setattr(import_write, "_write_entries", counted)
    with pytest.raises(ImportRefused) as err:
        check_and_import(ctx, folder)
    assert [p for p in err.value.problems if p.startswith(f"transactions.csv:{line}:")], err.value.problems
    assert len(batches) >= 5 and all(n >= 25 for n in batches)  # entries were written before the refusal came
    assert balances_json(ctx, ctx.today()) == []  # and rolled back with the rest
    summary = check_and_import(ctx, SAMPLE)  # no borrower, loan or reference of the refused import is left
    assert (summary.borrowers, summary.loans, summary.transactions) == (26, 40, 297)


def test_small_batches_write_what_one_batch_writes(ctx, monkeypatch):
    """Entries and the loan list's figures written in batches of 7 (loan by loan, as the replay passes each) are
    the golden book's: every loan's outstanding principal in the list equals expected.json at 31/12/2024."""
    from fundapp.services.queries import list_loans
    from tests.golden import expected

    monkeypatch.setattr(import_write, "WRITE_BATCH", 7)
    summary = check_and_import(ctx, SAMPLE)
    assert (summary.loans, summary.transactions) == (40, 297)
    golden = expected()["balances"]["2024-12-31"]
    listed = {r.loan_no: r for r in list_loans(ctx, current=False)}
    assert len(listed) == 40
    for loan_no, want in golden.items():
        assert listed[loan_no].principal_outstanding == want["principal_outstanding"], loan_no
    got = {r.pop("loan_no"): r for r in balances_json(ctx, ctx.today())}
    assert {no: got[no]["principal_outstanding"] for no in golden} == {
        no: f["principal_outstanding"] for no, f in golden.items()}


def test_progress_moves_loan_by_loan_through_the_replay(ctx):
    """The long step (each loan checked by the engine and written) reports its own progress between 2/4 and 3/4,
    never going back, ending at 4/4."""
    seen: list[tuple[int, int]] = []
    check_and_import(ctx, SAMPLE, progress=lambda done, total: seen.append((done, total)))
    shares = [done / total for done, total in seen]
    assert shares == sorted(shares) and shares[0] == 0 and seen[-1] == (4, 4)
    inside = [x for x in shares if 0.5 < x < 0.75]
    assert len(inside) >= 30  # 40 loans, one report each
