"""The projected schedule carries a restructuring's deferred interest on the installment that receives it
(DOMAIN.md "Restructuring on day t", step 2; INTERCHANGE.md ``schedule``: "deferred interest on the installment
that receives it"), in the domain and in ``fundapp schedule --format json``."""

from __future__ import annotations

import json
from datetime import date

from fundapp.domain.engine import Restructuring, replay_entries
from tests.golden import sample_loans

D = date(2024, 12, 31)


def _hd2024_019():
    loan = next(x for x in sample_loans() if x.loan_no == "HD2024-019")
    return loan, replay_entries(loan.terms, [*loan.transactions, Restructuring(D, 6, 1)])


def test_first_installment_after_a_restructuring_carries_the_deferred_interest():
    _loan, state = _hd2024_019()
    assert state.restructures[-1].deferred_interest == 4_970_959
    ahead = [k for k in state.schedule() if k.due_on > D]
    # Kỳ 8 (05/01/2025): 5.136.658 đ projected for its days + 4.970.959 đ deferred; Kỳ 9 its days only
    assert [(k.no, k.due_on, k.interest, k.interest_projected) for k in ahead[:2]] == [
        (8, date(2025, 1, 5), 10_107_617, True), (9, date(2025, 2, 5), 5_136_658, True)]
    # once it falls due, the actual interest includes the same deferred amount (what a notice then asks)
    state.quote(date(2025, 1, 6))
    due = next(k for k in state.schedule() if k.no == 8)
    assert not due.interest_projected and due.interest == state.quote(date(2025, 1, 6)).interest_due == 10_008_986
    assert due.interest - 4_970_959 == 5_038_027  # the period's actual in-term accrual


def test_without_a_restructuring_nothing_is_added():
    loan, _ = _hd2024_019()
    plain = [k for k in replay_entries(loan.terms, loan.transactions).schedule() if k.due_on > D]
    assert plain[0].no == 8 and plain[0].interest < 6_000_000


def test_schedule_json_of_the_cli(tmp_path, capsys):
    from fundapp import cli
    from tests import golden

    book = tmp_path / "b.sqlite"
    assert cli.main(["--db", str(book), "import", str(golden.SAMPLE)]) == 0
    assert cli.main(["--db", str(book), "restructure", "HD2024-019", "--on", "2024-12-31", "--extend-months", "6",
                     "--grace", "1", "--reference", "QĐ-CC-0019", "--reason", "Bão lũ"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", str(book), "schedule", "HD2024-019", "--as-of", "2024-12-31", "--format",
                     "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    eighth = next(r for r in rows if r["no"] == 8)
    assert (eighth["due_date"], eighth["interest"]) == ("2025-01-05", 10_107_617)
