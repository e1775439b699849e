"""A report file's job can be stopped, and says how far it is (issue 17: the quarterly .xlsx of a 100,000-loan book
takes ~10 s). The services took no progress and no cancel: «Hủy» in the GUI hid the dialog, and the report was
written all the same, its BC number taken. Now the loans read, then the loan list's rows written, are reported; a
cancel before the number is taken leaves no number and no file, one during the writing removes the file."""

from __future__ import annotations

import pytest

from fundapp.services.documents import document_register, write_period_report, write_portfolio, write_quarterly
from fundapp.services.errors import UserCancelled


@pytest.fixture
def out(tmp_path):
    """The folder the reports are written into (the book lives in ``tmp_path``)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_a_quarterly_report_cancelled_while_its_loans_are_read_takes_no_number_and_writes_nothing(sample_ctx, out):
    steps: list[tuple[int, int]] = []
    with pytest.raises(UserCancelled):
        write_quarterly(sample_ctx, 2023, 4, xlsx=out / "q.xlsx", pdf=out / "q.pdf",
                        progress=lambda done, total: steps.append((done, total)), cancelled=lambda: bool(steps))
    assert steps and not list(out.iterdir()) and document_register(sample_ctx) == []


def test_a_quarterly_report_cancelled_while_it_is_written_leaves_the_file_there_as_it_was(sample_ctx, out):
    """A fresh review: «Hủy» while the .xlsx was written let XlsxWriter finish it over the file the officer had
    agreed to replace, then removed it — the old report gone too, and the cancel felt only at the end. The cancel now
    stops the writing at its next step, before XlsxWriter writes anything at the path, and its temporary rows go."""
    import tempfile
    from pathlib import Path

    (out / "q.xlsx").write_bytes(b"the officer's own file")
    before = set(Path(tempfile.gettempdir()).glob("fundapp-xlsx-*"))
    steps: list[tuple[int, int]] = []
    with pytest.raises(UserCancelled):
        write_quarterly(sample_ctx, 2023, 4, xlsx=out / "q.xlsx", pdf=out / "q.pdf",
                        progress=lambda done, total: steps.append((done, total)),
                        cancelled=lambda: any(total != 40 for _done, total in steps))  # the first row written
    assert [s for s in steps if s[1] != 40] == [(0, steps[-1][1])]  # stopped at the writing's first step
    assert [p.name for p in out.iterdir()] == ["q.xlsx"] and (out / "q.xlsx").read_bytes() == b"the officer's own file"
    assert set(Path(tempfile.gettempdir()).glob("fundapp-xlsx-*")) == before
    assert [r.label for r in document_register(sample_ctx)]  # the number was taken: a re-save today keeps it


def test_a_quarterly_report_tells_the_loans_read_then_the_rows_written(sample_ctx, out):
    steps: list[tuple[int, int]] = []
    write_quarterly(sample_ctx, 2023, 4, xlsx=out / "q.xlsx",
                    progress=lambda done, total: steps.append((done, total)), cancelled=lambda: False)
    reading = [s for s in steps if s[1] == 40]  # the sample book's 40 loans
    writing = steps[len(reading):]
    assert reading[0] == (0, 40) and reading[-1] == (40, 40)
    assert writing and writing[0][0] == 0 and writing[-1][0] == writing[-1][1] > 0  # the loan list's rows
    assert [r.label for r in document_register(sample_ctx)] and (out / "q.xlsx").exists()


@pytest.mark.parametrize("write", ["portfolio", "period"])
def test_the_portfolio_and_the_period_report_cancelled_take_no_number(sample_ctx, out, write):
    from datetime import date

    steps: list[tuple[int, int]] = []
    with pytest.raises(UserCancelled):
        if write == "portfolio":
            write_portfolio(sample_ctx, date(2023, 12, 31), xlsx=out / "p.xlsx",
                            progress=lambda done, total: steps.append((done, total)), cancelled=lambda: bool(steps))
        else:
            write_period_report(sample_ctx, 2023, 1, pdf=out / "p.pdf",
                                progress=lambda done, total: steps.append((done, total)), cancelled=lambda: bool(steps))
    assert steps and not list(out.iterdir()) and document_register(sample_ctx) == []
