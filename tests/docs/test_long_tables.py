"""Long tables in the PDF reports (issue 17: the portfolio's appendix lists every loan with a balance — 50,000 rows on
the 100,000-loan book — and took ~6 minutes to lay out, 2× the rows 3× the time). At each page's split reportlab
builds a new table of every row left (its styles, its heights; with a NOSPLIT, a map of every cell). The rows are now
measured once, by the rule reportlab applies, and a long table is laid out a page at a time (``PagedTable``)."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from fundapp.documents.page import esc, styles
from fundapp.documents.reports_pdf import PAGED_ROWS, SIZE, WIDTH, _table
from fundapp.documents.tables import PagedTable, data_table

HEADER = ["STT", "Khách hàng", "Địa bàn", "Dư nợ gốc", "Số ngày\nquá hạn"]


def _rows(n: int, wordy: int = 1) -> list[list[str]]:
    """``n`` loans' rows and a totals row; ``wordy`` times the long name (3: it wraps on a landscape page)."""
    names = ["HTX", " ".join(["Hợp tác xã nông nghiệp dịch vụ tổng hợp Vĩnh Linh, huyện Vĩnh Linh, tỉnh Quảng Trị"]
                             * wordy)]
    return [[str(i), names[i % 2] + f" {i}", "Huyện Vĩnh Linh", "1.000.000", "0"] for i in range(n)] + [
        ["", "Tổng cộng", "", "9.000.000", ""]]


def test_the_rows_measured_once_are_the_heights_reportlab_measures():
    cell = styles()["cell"].clone("cell9", fontSize=9, leading=9 * 1.2)
    rows = [[r[0], Paragraph(esc(r[1]), cell), r[2], r[3], r[4] + "\nngày"] for r in _rows(40)]
    widths = [30, 120, 100, 80, 60]
    ours = data_table(HEADER, rows, widths, right=(3,), size=9, fixed_heights=False)
    ours.wrap(WIDTH, 10_000)
    reference = data_table(HEADER, rows, widths, right=(3,), size=9, fixed_heights=False)
    reference._argH = [None] * len(reference._argH)  # let reportlab measure every row itself
    reference.wrap(WIDTH, 10_000)
    assert ours._rowHeights == reference._rowHeights
    assert len(set(ours._rowHeights[1:])) >= 2  # the long names wrap: rows of several heights


def _pages(flowable) -> list[bytes]:
    """Each page of a landscape report holding ``flowable``, as PNG bytes (pdftoppm, 40 dpi)."""
    import subprocess
    import tempfile
    from pathlib import Path

    from fundapp.documents.page import LANDSCAPE, build_pdf

    pdf = build_pdf([flowable], pagesize=LANDSCAPE, title="t", author="t", subject="t")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "t.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(Path(tmp) / "t.pdf"), str(Path(tmp) / "p")], check=True)
        return [p.read_bytes() for p in sorted(Path(tmp).glob("p-*.png"))]


@pytest.mark.parametrize("wordy", [1, 3])
def test_a_long_table_laid_out_a_page_at_a_time_prints_the_pages_reportlab_would(wordy):
    """The same rows as one reportlab table (its totals row held to the row before by a NOSPLIT) and as the
    page-at-a-time table ``_table`` now makes of more than PAGED_ROWS rows: the same pages, pixel for pixel — with
    one-line rows, and with names wrapped on several lines (rows of different heights)."""
    paged = _table(HEADER, _rows(PAGED_ROWS + 30, wordy), right=(3,), bold_rows=(-1,))
    assert (wordy > 1) == any(isinstance(c, Paragraph) for r in paged.rows for c in r)
    assert isinstance(paged, PagedTable)
    whole = data_table(HEADER, paged.rows, paged.col_widths, right=(3,), bold_rows=(-1,), size=SIZE,
                       fixed_heights=False, extra_style=[("NOSPLIT", (0, -2), (-1, -1))])  # the same cells
    mine, theirs = _pages(paged), _pages(whole)
    assert len(mine) == len(theirs) > 5 and mine == theirs


def test_the_totals_row_never_starts_a_page_alone():
    rows = _rows(PAGED_ROWS + 10)  # the last is the totals row
    table = _table(HEADER, rows, right=(3,), bold_rows=(-1,))
    table.wrap(WIDTH, 10_000)
    room = table.head_height + sum(table.heights[:-1]) + 0.5  # every row fits but the totals row
    first, rest = table.split(WIDTH, room)
    assert len(first._cellvalues) == 1 + len(rows) - 2  # the header, then all but the last two
    assert rest.start == len(rows) - 2 and rest.split(WIDTH, 10_000)[0]._cellvalues[-1][1] == "Tổng cộng"


def test_a_long_tables_layout_tells_its_rows_and_stops_when_told():
    """The portfolio PDF's appendix (minutes before, 40 s on the 100,000-loan book after) reported nothing and could
    not be stopped: its step is told the rows laid out at each page, and what it raises ends the layout."""
    from fundapp.documents.page import LANDSCAPE, build_pdf

    steps: list[tuple[int, int]] = []

    def step(done: int, total: int) -> None:
        steps.append((done, total))
        if len(steps) == 3:
            raise KeyboardInterrupt  # any exception: the services raise UserCancelled

    table = _table(HEADER, _rows(PAGED_ROWS + 30), right=(3,), bold_rows=(-1,), step=step)
    with pytest.raises(KeyboardInterrupt):
        build_pdf([table], pagesize=LANDSCAPE, title="t", author="t", subject="t")
    assert len(steps) == 3 and steps[0][0] < steps[1][0] < steps[2][0] and steps[0][1] == PAGED_ROWS + 31
