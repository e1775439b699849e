"""An .xlsx book made from a folder of import CSVs, as an officer's Excel file would hold it (the import tests)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path


def csv_workbook(folder: Path, sheets: Sequence[str], path: Path,
                 adjust: Callable[[str, object], None] | None = None) -> Path:
    """Write ``path``: one sheet per name of ``sheets`` holding ``folder/<name>.csv``, whole numbers under 15 digits
    stored as numbers (as Excel keeps them); ``adjust(name, sheet)`` may then change a sheet. Returns ``path``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name in sheets:
        ws = wb.create_sheet(name)
        with open(folder / f"{name}.csv", encoding="utf-8-sig") as f:
            for i, row in enumerate(csv.reader(f)):
                ws.append([int(v) if i and v.isdigit() and len(v) < 15 else v for v in row])
        if adjust is not None:
            adjust(name, ws)
    wb.save(path)
    return path
