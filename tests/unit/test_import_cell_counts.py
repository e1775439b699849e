"""An import's CSV row must have one cell a column of its header (INTERCHANGE.md), and one refused row is one problem.

A row with more cells than its header (an unquoted «1,460,000,000» is four cells) or fewer (a cell left out) is
refused on its own line, naming both counts, in every file the import reads — not read by position into the wrong
columns. A refused transaction, event or opening refuses its loan's replay, so that the entries after it are not
each reported as a fault of their own (review R3; tests/unit/test_review_r3.py holds the reviewer's two cases).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fundapp.services.errors import ImportRefused
from fundapp.services.imports import check_and_import
from tests.golden import GOLDEN, SAMPLE

EVENTS_BOOK = GOLDEN / "sample-fund-events"
FILES = ("borrowers", "loans", "transactions", "events", "openings")


@pytest.fixture
def events_ctx(book_url):
    """An empty book whose today (31/12/2025) follows sample-fund-events' last entry."""
    from fundapp.app import open_book

    context = open_book(book_url, user="tester", today=date(2025, 12, 31))
    yield context
    context.db.dispose()


def _loans(ctx) -> int:
    from fundapp.ledger.models import LoanRecord

    with ctx.db.unit() as s:
        return s.scalar(select(func.count()).select_from(LoanRecord))


def _edited(tmp_path: Path, source: Path, sheet: str, line: int, edit) -> Path:
    """``source`` copied to tmp_path/book with ``sheet``.csv's line ``line`` (1-based) replaced by ``edit(line)``."""
    folder = tmp_path / "book"
    shutil.copytree(source, folder)
    path = folder / f"{sheet}.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    lines[line - 1] = edit(lines[line - 1])
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


def _problems(ctx, folder: Path) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        check_and_import(ctx, folder)
    return refused.value.problems


@pytest.mark.parametrize("sheet", FILES)
@pytest.mark.parametrize("change", ["more", "fewer"])
def test_a_row_whose_cells_do_not_match_its_header_is_its_only_problem(events_ctx, tmp_path, sheet, change):
    """sample-fund-events with line 2 of each file given one cell more («…,1») or one less (its last cell and
    separator gone): exactly one problem, «file:2: dòng có N±1 ô nhưng dòng tiêu đề có N cột…», nothing written —
    neither its fields read out of place nor the rows that name it (a borrower's loans, a loan's entries) reported."""
    width = len((EVENTS_BOOK / f"{sheet}.csv").read_text(encoding="utf-8-sig").split("\n", 1)[0].split(","))
    edit = (lambda text: text + ",1") if change == "more" else (lambda text: text.rsplit(",", 1)[0])
    cells = width + 1 if change == "more" else width - 1
    problems = _problems(events_ctx, _edited(tmp_path, EVENTS_BOOK, sheet, 2, edit))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{sheet}.csv:2: dòng có {cells} ô nhưng dòng tiêu đề có {width} cột"), problems
    assert ("dấu phẩy phân cách hàng nghìn" in problems[0]) == (change == "more"), problems
    assert _loans(events_ctx) == 0


def test_an_unquoted_thousands_separator_in_a_loan_amount_is_refused_on_its_line(ctx, tmp_path):
    """sample-fund's loans.csv line 2 with its amount written «1,000,000,000» unquoted (16 cells under 13 columns):
    «loans.csv:2: dòng có 16 ô nhưng dòng tiêu đề có 13 cột…», the only problem, nothing written."""
    folder = _edited(tmp_path, SAMPLE, "loans", 2, lambda text: ",".join(
        "1,000,000,000" if i == 4 else cell for i, cell in enumerate(text.split(","))))
    problems = _problems(ctx, folder)
    assert len(problems) == 1, problems
    assert problems[0].startswith("loans.csv:2: dòng có 16 ô nhưng dòng tiêu đề có 13 cột, "), problems
    assert _loans(ctx) == 0


def test_empty_cells_after_the_headers_last_column_are_not_cells(ctx, tmp_path):
    """Every row of sample-fund's transactions.csv with two empty cells more («…,GN-00001,,»), as Excel writes a
    column once used: the import takes its 297 transactions as before."""
    folder = tmp_path / "book"
    shutil.copytree(SAMPLE, folder)
    path = folder / "transactions.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    path.write_text("\n".join([lines[0], *(line + ",," if line else line for line in lines[1:])]), encoding="utf-8")
    summary = check_and_import(ctx, folder)
    assert (summary.loans, summary.transactions) == (40, 297)


def test_a_refused_opening_is_one_problem_not_one_for_each_entry_after_it(events_ctx, tmp_path):
    """sample-fund-events' openings.csv line 2 (HD2021-032's opening) dated «2022-05-32»: one problem, on that line;
    HD2021-032's repayments after it are not each refused for a loan with nothing outstanding."""
    folder = _edited(tmp_path, EVENTS_BOOK, "openings", 2, lambda text: text.replace("2022-05-31", "2022-05-32", 1))
    problems = _problems(events_ctx, folder)
    assert len(problems) == 1 and problems[0].startswith("openings.csv:2: "), problems
    assert "2022-05-32" in problems[0], problems


def test_a_refused_event_is_one_problem_not_one_for_each_entry_after_it(events_ctx, tmp_path):
    """sample-fund-events' events.csv line 2 (HD2022-006's restructuring, 6 months) with a reference already used by
    a disbursement (GN-00189): one problem, on that line, and none for HD2022-006's later repayments."""
    folder = _edited(tmp_path, EVENTS_BOOK, "events", 2, lambda text: text.replace("QĐ-CC-0004", "GN-00189", 1))
    problems = _problems(events_ctx, folder)
    assert len(problems) == 1 and problems[0].startswith("events.csv:2: "), problems
    assert "GN-00189" in problems[0], problems


def test_a_disbursement_the_replay_refuses_is_named_by_the_refusals_after_it(ctx, tmp_path):
    """sample-fund with HD2022-020's disbursement (transactions.csv line 3) of 7.400.000.000 đ, ten times its
    740.000.000 đ loan: line 3 is refused for it, and each of the loan's 11 repayments after it, refused by the
    replay for a loan not disbursed, says it may follow from line 3 of transactions.csv."""
    folder = _edited(tmp_path, SAMPLE, "transactions", 3, lambda text: text.replace(",740000000,", ",7400000000,"))
    problems = _problems(ctx, folder)
    assert problems[0].startswith("transactions.csv:3: Giải ngân 7.400.000.000 đ vượt số còn được giải ngân "
                                  "740.000.000 đ (số tiền được duyệt 740.000.000 đ, đã giải ngân 0 đ)"), problems
    assert [p.split(": ")[0] for p in problems[1:4]] == ["transactions.csv:12", "transactions.csv:29",
                                                         "transactions.csv:54"], problems
    assert len(problems) == 12, problems
    assert all(p.endswith("— có thể do dòng 3 của transactions.csv bị từ chối trước đó") for p in problems[1:]), \
        problems


def test_a_worksheet_value_past_the_headers_last_column_is_refused_on_its_row(ctx, tmp_path):
    """sample-fund as a workbook whose loans sheet has «ghi chú» in N3, past its 13 named columns (A–M): the only
    problem is «sample.xlsx[loans]:3: ô N có giá trị «ghi chú» nhưng dòng tiêu đề chỉ có 13 cột (đến cột M)…»,
    nothing written; the same workbook without it imports its 40 loans."""
    from tests.workbooks import csv_workbook

    sheets = ("borrowers", "loans", "transactions")

    def adjust(name, ws):
        if name == "loans":
            ws["N3"] = "ghi chú"

    problems = _problems(ctx, csv_workbook(SAMPLE, sheets, tmp_path / "sample.xlsx", adjust))
    assert len(problems) == 1, problems
    assert problems[0].startswith("sample.xlsx[loans]:3: ô N có giá trị «ghi chú» nhưng dòng tiêu đề chỉ có 13 cột "
                                  "(đến cột M)"), problems
    assert _loans(ctx) == 0
    assert check_and_import(ctx, csv_workbook(SAMPLE, sheets, tmp_path / "clean.xlsx")).loans == 40
