"""Nhập sổ cũ: take in a fund's own workbook, laid out its own way (INTERCHANGE.md gives ours).

The officer picks an .xlsx; its sheets are read as the officer sees them (``migration_workbook``), each column is
mapped to one of our fields (``migration_mapping``), and each cell is *read* into our layout
(``migration_fields``). This module turns the mapped rows into our layout's rows, previews them, hands them to the
import, and writes the empty template of our layout.

Nothing here checks a value: the rows are handed to ``imports.check_and_import_rows`` — the same checks, the same
all-or-nothing write as a file in our layout — and every problem comes back as "file.xlsx[Sheet]:row: reason",
the sheet and row of the officer's own workbook. The preview asks the import's own readers which cells they refuse
(``migration_fields.import_problem``), so that its red cells are the import's refusals, no more, no less.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from fundapp.domain.borrowers import BORROWER_KIND_LABELS
from fundapp.domain.events import ENTRY_KIND_LABELS, RELIEF_LABELS
from fundapp.domain.messages import N_, join, msg
from fundapp.domain.terms import METHOD_LABELS_VI
from fundapp.formatting import decimal_shown, group_thousands, short_date
from fundapp.i18n import render

from .context import Context
from .errors import ValidationError
from .import_cells import OPTIONS, ImportOptions, PercentText, shown_number
from .import_checks import event_columns
from .imports import ImportSummary, Row, check_and_import_rows
from .migration_fields import (
    BY_KEY,
    FIELDS,
    IGNORE,
    IMPORT_READERS,
    SHEET_LABELS,
    TARGETS,
    Field,
    RateText,
    fields_of,
    import_problem,
    read_value,
)
from .migration_mapping import SHARED, SheetMapping, guess_mapping, guess_target, mapping_problems
from .migration_workbook import ForeignSheet, ForeignWorkbook, read_workbook

__all__ = ["BY_KEY", "FIELDS", "IGNORE", "SHEET_LABELS", "TARGETS", "Field", "ForeignSheet", "ForeignWorkbook",
           "RateText", "ReadCell", "SheetMapping", "build_rows", "cell_text", "fields_of", "guess_mapping", "guess_target",
           "import_workbook", "mapping_problems", "preview", "read_row", "read_value", "read_workbook",
           "write_template"]


# -- rows in our layout ---------------------------------------------------------------------------------
def cell_text(value: object) -> str:
    """A cell of the old workbook as the officer sees it in Excel: a date dd/mm/yyyy, a number with a fraction with
    the decimal comma and no exponent («1,5»; a percent cell «7,8 %»: ``import_cells.shown_number``, as the import's
    refusals quote it), anything else as written."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return short_date(value)
    if isinstance(value, PercentText):
        return f"{shown_number(value)} %"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else shown_number(value)
    if isinstance(value, Decimal):
        return decimal_shown(value)
    return str(value)


# a word read from a cell («Cơ cấu», «gia hạn») is shown by our label of the code it gives, never the code itself
# («restructure»: a fresh trial), from the domain's one list of each
WORD_LABELS: dict[str, dict] = {"borrower_kind": BORROWER_KIND_LABELS, "tx_kind": ENTRY_KIND_LABELS,
                                "event_kind": ENTRY_KIND_LABELS, "method": METHOD_LABELS_VI, "relief_of": RELIEF_LABELS}


@dataclass(frozen=True)
class ReadCell:
    """A cell as the import will get it: ``shown`` (as the officer wrote it), ``value`` (read into our layout),
    ``read`` False when it could not be read (``read_row``) — in the ``preview``, False exactly when the import
    refuses it (a number or date field: ``import_problem``) — ``kind`` its field's (``Field.kind``)."""

    shown: object
    value: object
    read: bool
    kind: str = "text"

    def text(self) -> str:
        """The value as the preview shows it: dates dd/mm/yyyy, money 1.000.000, rates "7,2 %/năm" and factors
        "1,5" with the decimal comma and no exponent (``formatting.decimal_shown``: «1E-7» reads «0,0000001»), a word
        by our label of its code (``WORD_LABELS``: «Cơ cấu» → «Cơ cấu lại thời hạn trả nợ»)."""
        v = self.value
        if not self.read:
            return f"«{cell_text(self.shown)}» ?"
        if isinstance(v, date):
            return short_date(v)
        if isinstance(v, bool):
            return str(v)
        if isinstance(v, int):
            return group_thousands(v)
        if isinstance(v, RateText):
            number = decimal_shown(v.number)
            return str(msg("{rate} %/tháng", rate=number) if v.unit == "month" else msg("{rate} %/năm", rate=number))
        if self.kind == "decimal":
            return decimal_shown(str(v))
        labels = WORD_LABELS.get(self.kind, {})
        return str(msg(labels[v])) if isinstance(v, str) and v in labels else str(v)


def read_row(sheet: ForeignSheet, mapping: SheetMapping, cells: list[object]) -> dict[str, ReadCell]:
    """One data row read through ``mapping``: field key → ``ReadCell``; constants included, shared keys filled
    (a loans sheet's number feeds its openings' loan_no…), a rate that names its unit moved to the matching
    field (annual_rate or monthly_rate)."""
    out: dict[str, ReadCell] = {}
    for key, text in mapping.constants.items():
        value, ok = read_value(BY_KEY[key].kind, text)
        out[key] = ReadCell(text, value, ok, BY_KEY[key].kind)
    for column, key in mapping.columns.items():
        if not key or key not in BY_KEY:
            continue
        shown = cells[column] if column < len(cells) else ""
        value, ok = read_value(BY_KEY[key].kind, shown)
        if isinstance(value, RateText) and key in ("loans.annual_rate", "loans.monthly_rate"):
            key = "loans.monthly_rate" if value.unit == "month" else "loans.annual_rate"
        out[key] = ReadCell(shown, value, ok, BY_KEY[key].kind)
    for key, cell in out.items():  # a rate shows its unit in the preview: "7,8 %/năm"
        if BY_KEY[key].kind == "rate" and cell.read and isinstance(cell.value, str) and cell.value:
            unit = "month" if key == "loans.monthly_rate" else "year"
            out[key] = ReadCell(cell.shown, RateText(cell.value, unit), True, cell.kind)
    targets = {BY_KEY[k].sheet for k in out}
    for key, source in SHARED.items():
        if key not in out and BY_KEY[key].sheet in targets and source in out:
            out[key] = out[source]
    return out


def preview(sheet: ForeignSheet, mapping: SheetMapping, count: int = 5,
            today: date | None = None) -> list[tuple[int, dict[str, ReadCell]]]:
    """The first ``count`` data rows of ``sheet`` as they will be read: (row number, field key → ``ReadCell``). A
    cell's ``read`` is False exactly when the import refuses it: a number or date field by the import's own reader
    (``import_problem``; dates up to ``today``, the book's, by default the computer's), any other field when
    ``read_value`` could not read it (a kind in words it does not know, an error cell); never a field of an event
    that its row's kind does not read (``import_checks.event_columns``: a restructuring's amount)."""
    token = OPTIONS.set(ImportOptions(today or date.today()))
    try:
        return [(line, _judged(read_row(sheet, mapping, cells))) for line, cells in sheet.rows[:count]]
    finally:
        OPTIONS.reset(token)


def _judged(cells: dict[str, ReadCell]) -> dict[str, ReadCell]:
    """One row's ``cells`` as the import judges them: a number or date field by its reader (``import_problem``);
    an event's field its row's kind does not read (``import_checks.event_columns``) not at all, shown as read."""
    kind = cells.get("events.kind")
    reads = set(event_columns(str(kind.value) if kind is not None and kind.read else ""))
    out = {}
    for key, cell in cells.items():
        f = BY_KEY[key]
        if f.sheet == "events" and f.name not in reads:
            out[key] = replace(cell, read=True)  # the import never reads it: nothing to refuse
        elif f.kind in IMPORT_READERS:
            out[key] = replace(cell, read=import_problem(f, cell.value) is None)
        else:
            out[key] = cell
    return out


def _plain(value: object) -> object:
    return value.number if isinstance(value, RateText) else value


def build_rows(workbook: ForeignWorkbook, mappings: dict[str, SheetMapping]) -> dict[str, list[Row]]:
    """Our layout's sheets (``imports.SHEETS`` names → [header Row, data Rows…]) from the mapped foreign sheets, each
    row naming its workbook, sheet and row number ("so-cu.xlsx[Hợp đồng]", 7). A borrower repeated on every loan
    row of a sheet that holds both is given once; on a sheet feeding several of ours, a row whose fields of one of
    them are all empty (a loan without an opening) gives none of it. Raises ``ValidationError`` with ``mapping_problems``."""
    problems = mapping_problems(workbook, mappings)
    if problems:
        raise ValidationError(join("\n", problems), field="mapping")  # each problem as mapping_problems words it
    out: dict[str, list[Row]] = {}
    headers: dict[str, dict[str, str]] = {}
    seen_borrowers: dict[str, dict] = {}
    for sheet in workbook.sheets:
        mapping = mappings.get(sheet.title)
        if mapping is None or not mapping.targets():
            continue
        source = f"{workbook.path.name}[{sheet.title}]"
        for line, cells in sheet.rows:
            read = read_row(sheet, mapping, cells)
            for target in mapping.targets():
                values = {BY_KEY[k].name: _plain(c.value) for k, c in read.items() if BY_KEY[k].sheet == target}
                own = [v for k, v in values.items() if f"{target}.{k}" not in SHARED and str(v).strip()]
                if len(mapping.targets()) > 1 and not own:
                    continue  # a loan row without an opening (its opening columns empty) gives no opening row
                if target == "borrowers" and len(mapping.targets()) > 1:
                    code = str(values.get("code", ""))
                    if code and seen_borrowers.get(code) == values:
                        continue
                    seen_borrowers.setdefault(code, values)
                header = headers.setdefault(target, {})
                header.update({n: n for n in values})
                out.setdefault(target, [Row(source, sheet.header_lines[0], header)]).append(Row(source, line, values))
    return out


Progress = Callable[[int, int], None]


def import_workbook(ctx: Context, workbook: ForeignWorkbook, mappings: dict[str, SheetMapping],
                    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                    dry_run: bool = False, accept_unusual_rates: bool = False) -> ImportSummary:
    """Check (``dry_run``) or import the mapped workbook through ``imports.check_and_import_rows``: all or nothing,
    every problem as "file.xlsx[Sheet]:row: reason" (``ImportRefused``). Raises ``ValidationError`` when the mapping
    is incomplete (``mapping_problems``)."""
    rows = build_rows(workbook, mappings)
    return check_and_import_rows(ctx, rows, workbook.path.name, progress, cancelled, dry_run, accept_unusual_rates)


# -- the template with our layout ---------------------------------------------------------------------------
TEMPLATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "borrowers": ("code", "name", "kind", "tax_code", "province", "ward", "district", "sector", "members",
                  "representative", "phone", "address"),
    "loans": ("loan_no", "borrower_code", "purpose", "sector", "amount", "annual_rate", "monthly_rate", "term_months",
              "frequency_months", "method", "grace_periods", "overdue_factor", "late_interest_rate", "contract_date"),
    "transactions": ("loan_no", "date", "kind", "amount", "reference"),
    "events": ("loan_no", "date", "kind", "reference", "reason", "extend_months", "grace_periods", "relief_of",
               "amount"),
    "openings": ("loan_no", "as_of", "first_disbursement_date", "disbursed", "principal_outstanding",
                 "principal_overdue", "oldest_overdue_date", "interest_due_unpaid", "interest_accrued",
                 "overdue_interest", "late_interest", "restructurings"),
}
FORMATS = {"text": N_("text (chữ)"), "date": N_("ngày (ô ngày hoặc YYYY-MM-DD)"), "money": N_("số đồng, chữ số"),
           "money0": N_("số đồng ≥ 0, chữ số"), "rate": N_("số, dấu phẩy thập phân (ví dụ 6,6)"), "int": N_("số nguyên"),
           "decimal": N_("số"), "borrower_kind": "htx, lhhtx, tht, tv_htx, tv_tht, other",
           "tx_kind": N_("disbursement hoặc repayment"), "event_kind": N_("restructure, interest_relief hoặc write_off"),
           "method": N_("equal_principal, annuity hoặc bullet"),
           "relief_of": "late_interest, overdue_interest, interest"}


def write_template(path: Path) -> Path:
    """Write an empty workbook in our layout (INTERCHANGE.md): one sheet per file (borrowers, loans, transactions,
    events, openings) with its header row, and a sheet «Hướng dẫn» naming each column in the officer's language
    with its format. Filled in and picked on the Import page, it imports as is. Refused as every file target
    (``refuse_missing_folder``), written beside ``path`` until whole (``replacing``). Returns ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    wb = Workbook()
    guide = wb.active
    guide.title = render(N_("Hướng dẫn"))
    guide.append([render(N_("Trang")), render(N_("Cột")), render(N_("Ý nghĩa")), render(N_("Cách ghi")),
                  render(N_("Bắt buộc"))])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for sheet, columns in TEMPLATE_COLUMNS.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, name in enumerate(columns, start=1):
            f = BY_KEY.get(f"{sheet}.{name}")
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(name) + 2)
            if f is not None:
                guide.append([sheet, name, render(f.label), render(FORMATS.get(f.kind, "")),
                              render(N_("có")) if f.required else ""])
    for letter, width in zip("ABCDE", (14, 26, 34, 44, 10), strict=True):
        guide.column_dimensions[letter].width = width
    from .document_register import refuse_missing_folder, replacing

    refuse_missing_folder(path)
    with replacing(path) as part:
        wb.save(part)
    return path
