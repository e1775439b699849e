"""The command line's output helpers (INTERCHANGE.md "Command line"): exit codes, JSON/CSV/table printing and the
operating-system file errors in the officer's language (``services.errors.os_error_text``, re-exported)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from fundapp.domain.messages import msg
from fundapp.formatting import json_string
from fundapp.services.errors import os_error_text  # noqa: F401  (re-exported: the command line's one file-error text)

EXIT_BAD_INPUT = 2  # every refusal an officer can cause: bad input, a rule, a right, a file (INTERCHANGE.md)
EXIT_DEFECT = 1  # an unexpected error: a defect of ours, detail in the log
def print_json(value) -> None:
    """Print ``value`` (dicts, lists, ints, strings) as indented JSON with Vietnamese letters kept, on stdout; a
    list of objects (``balances``: 100,000 of them) one object a line, written as it is encoded (the indented
    encoder is pure Python: 2× slower)."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        encode = json.JSONEncoder(ensure_ascii=False).encode
        _json_array(" " + encode(v) for v in value)
        return
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1))
    sys.stdout.write("\n")


def print_named_ints(keys: Sequence[str], rows: Iterable[Sequence]) -> None:
    """``print_json`` of the objects ``dict(zip(keys, row))``, byte for byte, written as ``rows`` come (a stream:
    never all held) — for rows whose first value is text and the others ints (never bool or None), e.g. the
    balances of 100,000 loans, which it writes 3× faster than encoding each object."""
    template = " {" + ", ".join(f"{json_string(k)}: {'%s' if i == 0 else '%d'}" for i, k in enumerate(keys)) + "}"
    _json_array(template % (json_string(row[0]), *row[1:]) for row in rows)


def _json_array(objects: Iterable[str]) -> None:
    """Write the encoded ``objects`` (each already indented by one space) as ``print_json``'s array on stdout, one
    a line, in chunks of 5,000 as they come; an empty array as ``[]``."""
    out, objects = sys.stdout, iter(objects)
    chunk = list(islice(objects, 5000))
    if not chunk:
        out.write("[]\n")
        return
    out.write("[\n")
    while chunk:
        out.write(",\n".join(chunk))
        chunk = list(islice(objects, 5000))
        out.write(",\n" if chunk else "\n")
    out.write("]\n")


def table(rows: list[dict], headings: dict[str, str] | None = None) -> None:
    """Print ``rows`` (dicts with the same keys) as a right-aligned text table on stdout, each column headed in the
    officer's language and each cell written for reading (``cli.headings``: money grouped, dates dd/mm/yyyy,
    "có"/"không", a dash for nothing); ``headings`` names the keys whose heading differs here. "(không có dòng
    nào)" (in the officer's language) when empty. The keys themselves stay the JSON's and the CSV's."""
    if not rows:
        print(msg("(không có dòng nào)"))
        return
    from fundapp.cli.headings import cell, heading

    cols = list(rows[0])
    titles = [heading(c, headings) for c in cols]
    texts = [[cell(c, r[c]) for c in cols] for r in rows]
    widths = [max(len(title), *(len(t[i]) for t in texts)) for i, title in enumerate(titles)]
    print("  ".join(title.rjust(w) for title, w in zip(titles, widths, strict=True)))
    for t in texts:
        print("  ".join(v.rjust(w) for v, w in zip(t, widths, strict=True)))


def record(figures: dict, headings: dict[str, str] | None = None) -> None:
    """Print one object of figures (a report's) as a two-column table on stdout, one figure a line: its heading in
    the officer's language, then its value written for reading (``cli.headings``); nested objects are left out
    (their JSON carries them)."""
    from fundapp.cli.headings import cell, heading

    lines = [(heading(k, headings), cell(k, v)) for k, v in figures.items() if not isinstance(v, dict)]
    if not lines:
        print(msg("(không có dòng nào)"))
        return
    width = max(len(title) for title, _ in lines)
    values = max(len(value) for _, value in lines)
    for title, value in lines:
        print(f"{title.ljust(width)}  {value.rjust(values)}")


def csv_rows(rows: list[dict]) -> None:
    """Print ``rows`` as CSV on stdout (header from the first row's keys); nothing when empty."""
    import csv

    if rows:
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def emit(rows: list[dict], fmt: str) -> None:
    """Print ``rows`` in ``fmt``: "json", "csv" or "table"."""
    {"json": print_json, "csv": csv_rows, "table": table}[fmt](rows)


@contextmanager
def terminal_progress() -> Iterator[Callable[[int, int], None] | None]:
    """A report file's progress on the officer's terminal: «Đang lập báo cáo: 45 %» on stderr, redrawn in place as
    the service tells ``(done, total)`` and erased when the block ends (done, refused or stopped). A service counts
    its steps one after the other (the loans read, then the rows written), each from 0: a count that starts again
    is the next step, said as such («Đang lập báo cáo, bước 2: 30 %») rather than a figure going back. None when
    stderr is not a terminal: a script's pipe or log file gets no progress line, only the command's own output."""
    stream = sys.stderr
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    shown = {"step": 1, "last": (-1, -1), "line": ""}

    def step(done: int, total: int) -> None:
        last_done, last_total = shown["last"]
        if last_done >= 0 and (done < last_done or total != last_total):
            shown["step"] += 1
        shown["last"] = (done, total)
        percent = min(100, 100 * done // total) if total > 0 else 100
        label = msg("Đang lập báo cáo") if shown["step"] == 1 else msg("Đang lập báo cáo, bước {step}",
                                                                        step=str(shown["step"]))
        line = f"{label}: {percent} %"
        if line != shown["line"]:
            stream.write("\r" + line.ljust(len(shown["line"])))
            stream.flush()
            shown["line"] = line

    try:
        yield step
    finally:
        if shown["line"]:
            stream.write("\r" + " " * len(shown["line"]) + "\r")
            stream.flush()
