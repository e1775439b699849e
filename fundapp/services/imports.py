"""Import a book kept in Excel: a folder of three CSV files or one .xlsx with three sheets (INTERCHANGE.md).

All or nothing: every row is checked first (fields, references, and each loan's transactions
replayed by the engine); any bad row means nothing is written and every problem is reported as
``file:line: reason`` in Vietnamese.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from fundapp.domain.borrowers import BORROWER_KINDS
from fundapp.domain.engine import Kind, LoanReplay, Transaction, ordered
from fundapp.domain.errors import TermsError, TransactionRefused
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import nfc, search_key
from fundapp.ledger import store
from fundapp.ledger.models import BorrowerRecord, EntryRecord, LoanRecord

from .errors import ImportRefused, UserCancelled, UserFacingError
from .portfolio import Context, active_by_loan, refresh_states, terms_from

SHEETS = ("borrowers", "loans", "transactions")
REQUIRED = {
    "borrowers": ("code", "name", "kind"),
    "loans": ("loan_no", "borrower_code", "amount", "annual_rate", "term_months"),
    "transactions": ("loan_no", "date", "kind", "amount"),
}
DIGITS = re.compile(r"^[0-9]+$")
TAX_CODE = re.compile(r"^[0-9]{10}(-?[0-9]{3})?$")

Progress = Callable[[int, int], None]


@dataclass
class Row:
    source: str  # the file (or workbook[sheet]) shown in messages
    line: int
    values: dict[str, object]

    def where(self) -> str:
        return f"{self.source}:{self.line}"


@dataclass
class ImportSummary:
    borrowers: int = 0
    loans: int = 0
    transactions: int = 0
    source: str = ""


@dataclass
class _Checked:
    problems: list[str] = field(default_factory=list)
    borrowers: list[dict] = field(default_factory=list)
    loans: list[tuple[Row, dict, LoanTerms]] = field(default_factory=list)
    transactions: list[tuple[Row, str, Transaction]] = field(default_factory=list)

    def bad(self, row: Row, reason: str) -> None:
        self.problems.append(f"{row.where()}: {reason}")


# -- reading ---------------------------------------------------------------------------------
def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def read_source(path: Path) -> dict[str, list[Row]]:
    """Rows of each sheet present (header row = line 1). Refuses a path that is neither kind."""
    if path.is_dir():
        return _read_folder(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path)
    if path.suffix.lower() == ".csv" and path.stem.lower() in SHEETS:
        return _read_folder(path.parent, only=path.stem.lower())
    raise UserFacingError(
        f"Không đọc được «{path}»: chọn một thư mục có borrowers.csv, loans.csv, transactions.csv hoặc một tệp .xlsx",
        f"cannot import {path}: not a folder of CSV files nor an .xlsx",
    )


def _read_folder(folder: Path, only: str | None = None) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for name in SHEETS:
        if only and name != only:
            continue
        file = next((f for f in folder.iterdir() if f.name.lower() == f"{name}.csv"), None) if folder.exists() else None
        if file is None:
            continue
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            raise ImportRefused([f"{file.name}:{line}: tệp không phải UTF-8 (lưu lại tệp CSV với mã hóa UTF-8)"]) from None
        reader = csv.reader(io.StringIO(text, newline=""))
        out[name] = _rows_from(file.name, reader)
    if not out:
        raise UserFacingError(
            f"Thư mục «{folder}» không có tệp borrowers.csv, loans.csv hay transactions.csv",
            f"{folder} has none of borrowers.csv, loans.csv, transactions.csv",
        )
    return out


def _rows_from(source: str, records: Iterator[list] | list[list], first_line: int = 1) -> list[Row]:
    it = iter(records)
    header = next(it, None)
    if header is None:
        return []
    names = [nfc(str(h or "")).lower() for h in header]
    rows = []
    for offset, values in enumerate(it, start=1):
        if not any(str(v or "").strip() for v in values):
            continue  # a blank line
        rows.append(Row(source, first_line + offset, {n: _cell(v) for n, v in zip(names, values, strict=False) if n}))
    rows_header = Row(source, first_line, {n: n for n in names if n})
    return [rows_header, *rows]


def _read_workbook(path: Path) -> dict[str, list[Row]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:
        raise UserFacingError(f"Không mở được tệp Excel «{path.name}»: {err}", f"cannot open {path}: {err}") from None
    out: dict[str, list[Row]] = {}
    try:
        for ws in wb.worksheets:
            name = ws.title.strip().lower()
            if name in SHEETS:
                out[name] = _rows_from(f"{path.name}[{ws.title}]", ws.iter_rows(values_only=True))
    finally:
        wb.close()
    if not out:
        raise UserFacingError(
            f"Tệp «{path.name}» không có trang tính borrowers, loans hay transactions",
            f"{path.name} has no sheet named borrowers, loans or transactions",
        )
    return out


# -- field parsing ---------------------------------------------------------------------------
class _Bad(Exception):
    pass


def _text(row: Row, name: str) -> str:
    value = row.values.get(name, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def _money(row: Row, name: str, label: str) -> int:
    value = row.values.get(name, "")
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value).strip()
        if not text:
            raise _Bad(f"{label}: bỏ trống")
        if not DIGITS.match(text):
            raise _Bad(f"{label}: «{text}» không hợp lệ — chỉ ghi chữ số, đơn vị đồng, không dấu chấm, dấu phẩy hay chữ")
        number = int(text)
    if number <= 0:
        raise _Bad(f"{label}: phải lớn hơn 0 đồng (nhận được {number})")
    return number


def _date(row: Row, name: str, label: str, required: bool = True) -> date | None:
    value = row.values.get(name, "")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        if required:
            raise _Bad(f"{label}: bỏ trống")
        return None
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{label}: «{text}» không phải ngày hợp lệ theo dạng YYYY-MM-DD") from None


def _integer(row: Row, name: str, label: str, default: int | None = None) -> int:
    value = row.values.get(name, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text and default is not None:
        return default
    if not re.match(r"^-?\d+$", text):
        raise _Bad(f"{label}: «{text}» không phải số nguyên")
    return int(text)


def _decimal(row: Row, name: str, label: str, default: str | None = None) -> Decimal:
    value = row.values.get(name, "")
    text = str(value).strip() if not isinstance(value, float) else repr(value)
    if not text and default is not None:
        return Decimal(default)
    if "," in text:
        raise _Bad(f"{label}: «{text}» — dùng dấu chấm cho phần thập phân (ví dụ 6.6)")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad(f"{label}: «{text}» không phải số") from None
    if not number.is_finite():
        raise _Bad(f"{label}: «{text}» không phải số")
    return number


# -- checking --------------------------------------------------------------------------------
def _check_header(check: _Checked, sheet: str, rows: list[Row]) -> bool:
    if not rows:
        return True
    header = rows[0]
    missing = [c for c in REQUIRED[sheet] if c not in header.values]
    if missing:
        check.bad(header, f"thiếu cột {', '.join(missing)} (dòng tiêu đề phải có: {', '.join(REQUIRED[sheet])})")
        return False
    return True


def _check_borrowers(check: _Checked, rows: list[Row], known: dict[str, int]) -> set[str]:
    codes: set[str] = set()
    for row in rows:
        code = _text(row, "code")
        try:
            if not code:
                raise _Bad("mã khách hàng (code) bỏ trống")
            if code in codes:
                raise _Bad(f"mã khách hàng «{code}» bị trùng trong tệp")
            if code in known:
                raise _Bad(f"mã khách hàng «{code}» đã có trong sổ")
            name = _text(row, "name")
            if not name:
                raise _Bad("tên khách hàng (name) bỏ trống")
            kind = _text(row, "kind").lower()
            if kind not in BORROWER_KINDS:
                raise _Bad(f"loại hình (kind) «{kind}» không hợp lệ: dùng một trong {', '.join(BORROWER_KINDS)}")
            tax = _text(row, "tax_code")
            if tax and not TAX_CODE.match(tax):
                raise _Bad(f"mã số thuế (tax_code) «{tax}» phải gồm 10 chữ số (hoặc 10-3 chữ số cho đơn vị phụ thuộc)")
            members_text = _text(row, "members")
            members = _integer(row, "members", "số thành viên (members)") if members_text else None
            if members is not None and members < 0:
                raise _Bad("số thành viên (members) không được âm")
        except _Bad as err:
            check.bad(row, str(err))
            codes.add(code)
            continue
        codes.add(code)
        fields = {f: _text(row, f) for f in ("province", "ward", "district", "sector", "representative", "phone",
                                             "address")}
        check.borrowers.append(dict(code=code, name=name, kind=kind, tax_code=tax, members=members,
                                    search=search_key(name, code, tax, fields["ward"], fields["district"]), **fields))
    return codes


def _check_loans(check: _Checked, rows: list[Row], borrower_codes: set[str], known: dict[str, int]) -> set[str]:
    numbers: set[str] = set()
    for row in rows:
        loan_no = _text(row, "loan_no")
        try:
            if not loan_no:
                raise _Bad("số hợp đồng (loan_no) bỏ trống")
            if loan_no in numbers:
                raise _Bad(f"số hợp đồng «{loan_no}» bị trùng trong tệp")
            if loan_no in known:
                raise _Bad(f"số hợp đồng «{loan_no}» đã có trong sổ")
            borrower = _text(row, "borrower_code")
            if borrower not in borrower_codes:
                raise _Bad(f"mã khách hàng (borrower_code) «{borrower}» không có trong borrowers hay trong sổ")
            amount = _money(row, "amount", "số tiền vay (amount)")
            values = dict(
                amount=amount,
                rate=_decimal(row, "annual_rate", "lãi suất (annual_rate)"),
                term_months=_integer(row, "term_months", "thời hạn (term_months)"),
                frequency_months=_integer(row, "frequency_months", "kỳ hạn trả nợ (frequency_months)", 1),
                method=_text(row, "method") or "equal_principal",
                grace_periods=_integer(row, "grace_periods", "số kỳ ân hạn (grace_periods)", 0),
                overdue_factor=_decimal(row, "overdue_factor", "hệ số lãi quá hạn (overdue_factor)", "1.5"),
                late_interest_rate=_decimal(row, "late_interest_rate", "lãi chậm trả (late_interest_rate)", "10"),
            )
            contract = _date(row, "contract_date", "ngày hợp đồng (contract_date)", required=False)
            try:
                terms = LoanTerms(**values)
            except TermsError as err:
                raise _Bad(err.vi) from None
        except _Bad as err:
            check.bad(row, str(err))
            numbers.add(loan_no)
            continue
        numbers.add(loan_no)
        record = dict(loan_no=loan_no, borrower_code=borrower, purpose=_text(row, "purpose"),
                      sector=_text(row, "sector"), contract_date=contract)
        check.loans.append((row, record, terms))
    return numbers


def _check_transactions(check: _Checked, rows: list[Row], loan_numbers: set[str], refs: set[str]) -> None:
    seen: set[str] = set()
    for row in rows:
        try:
            loan_no = _text(row, "loan_no")
            if loan_no not in loan_numbers:
                raise _Bad(f"số hợp đồng (loan_no) «{loan_no}» không có trong loans hay trong sổ")
            on = _date(row, "date", "ngày (date)")
            kind = _text(row, "kind").lower()
            if kind not in ("disbursement", "repayment"):
                raise _Bad(f"loại giao dịch (kind) «{kind}» không hợp lệ: disbursement (giải ngân) hoặc repayment (thu nợ)")
            amount = _money(row, "amount", "số tiền (amount)")
            reference = _text(row, "reference")
            if reference and (reference in seen or reference in refs):
                where = "trong tệp" if reference in seen else "trong sổ"
                raise _Bad(f"số chứng từ (reference) «{reference}» bị trùng {where}")
        except _Bad as err:
            check.bad(row, str(err))
            continue
        if reference:
            seen.add(reference)
        assert on is not None
        check.transactions.append((row, loan_no, Transaction(on, Kind(kind), amount, reference)))


def _replay(check: _Checked, terms_by_loan: dict[str, LoanTerms], existing: dict[str, list[Transaction]],
            cancelled: Callable[[], bool] | None) -> dict[str, list[tuple[Transaction, object]]]:
    """Each loan's transactions through the engine: refusals become problems; returns the applied ones."""
    new_by_loan: dict[str, list[tuple[Row, Transaction]]] = {}
    for row, loan_no, tx in check.transactions:
        new_by_loan.setdefault(loan_no, []).append((row, tx))
    applied: dict[str, list[tuple[Transaction, object]]] = {}
    for count, (loan_no, items) in enumerate(new_by_loan.items()):
        if cancelled and count % 200 == 0 and cancelled():
            raise UserCancelled
        terms = terms_by_loan.get(loan_no)
        if terms is None:
            continue  # its loan row was bad: already reported
        old = [(None, tx) for tx in existing.get(loan_no, ())]
        rows_of = {id(tx): row for row, tx in items}
        merged = ordered([tx for _, tx in old] + [tx for _, tx in items])
        state = LoanReplay(terms)
        results = []
        for tx in merged:
            row = rows_of.get(id(tx))
            try:
                allocation = state.apply(tx)
            except TransactionRefused as err:
                if row is not None:
                    check.bad(row, err.vi)
                else:
                    first = items[0][0]
                    check.bad(first, f"giao dịch đã ghi ngày {tx.on:%d/%m/%Y} ({tx.reference}) bị từ chối sau khi ghi "
                                     f"lùi ngày: {err.vi}")
                continue
            if row is not None:
                results.append((tx, allocation))
        applied[loan_no] = results
    return applied


def check_and_import(ctx: Context, path: Path, progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None, dry_run: bool = False) -> ImportSummary:
    """Check every row of ``path`` and, if none is bad, write it all in one transaction.

    Raises ``ImportRefused`` with every problem (nothing written), ``UserFacingError`` for an
    unreadable source, ``UserCancelled`` if ``cancelled()`` turns true before writing.
    """
    path = Path(path)
    report = progress or (lambda done, total: None)
    report(0, 4)
    sheets = read_source(path)
    check = _Checked()
    for name, rows in sheets.items():
        if not _check_header(check, name, rows):
            sheets[name] = []
    if check.problems:
        raise ImportRefused(check.problems)
    body = {name: rows[1:] for name, rows in sheets.items()}
    with ctx.db.unit() as s:
        known_borrowers = store.borrower_codes(s)
        known_loans = store.loan_numbers(s)
        refs = store.references(s)
        existing_terms = {}
        existing_tx: dict[str, list[Transaction]] = {}
        if known_loans:
            by_id = active_by_loan(store.entry_rows(s))
            id_to_no = {v: k for k, v in known_loans.items()}
            for loan_id, txs in by_id.items():
                existing_tx[id_to_no[loan_id]] = txs
            for r in store.loan_rows(s):
                existing_terms[r[1]] = terms_from(*r[2:11])
    report(1, 4)
    codes = _check_borrowers(check, body.get("borrowers", []), known_borrowers)
    numbers = _check_loans(check, body.get("loans", []), codes | set(known_borrowers), known_loans)
    _check_transactions(check, body.get("transactions", []), numbers | set(known_loans), refs)
    report(2, 4)
    terms_by_loan = dict(existing_terms)
    terms_by_loan.update({record["loan_no"]: terms for _, record, terms in check.loans})
    applied = _replay(check, terms_by_loan, existing_tx, cancelled)
    if check.problems:
        raise ImportRefused(check.problems)
    summary = ImportSummary(len(check.borrowers), len(check.loans), sum(len(v) for v in applied.values()), path.name)
    if dry_run:
        return summary
    if cancelled and cancelled():
        raise UserCancelled
    report(3, 4)
    _write(ctx, check, applied, known_borrowers, known_loans, path)
    report(4, 4)
    return summary


def _write(ctx: Context, check: _Checked, applied: dict, known_borrowers: dict[str, int],
           known_loans: dict[str, int], path: Path) -> None:
    now = store.now()
    with ctx.db.unit() as s:
        store.bulk_insert(s, BorrowerRecord, [dict(b, created_at=now, version=1) for b in check.borrowers])
        codes = store.borrower_codes(s)
        store.bulk_insert(s, LoanRecord, [
            dict(loan_no=r["loan_no"], borrower_id=codes[r["borrower_code"]], purpose=r["purpose"], sector=r["sector"],
                 amount=t.amount, rate=str(t.rate), rate_unit=str(t.rate_unit), term_months=t.term_months,
                 frequency_months=t.frequency_months, method=str(t.method), grace_periods=t.grace_periods,
                 overdue_factor=str(t.overdue_factor), late_interest_rate=str(t.late_interest_rate),
                 contract_date=r["contract_date"], created_at=now, version=1)
            for _, r, t in check.loans
        ])
        loan_ids = store.loan_numbers(s)
        # file order within the import (posting order breaks ties between entries of one date)
        order = {id(tx): i for i, (_, _, tx) in enumerate(check.transactions)}
        entries = []
        for loan_no, items in applied.items():
            for tx, allocation in items:
                entries.append((order[id(tx)], dict(
                    loan_id=loan_ids[loan_no], on_date=tx.on, kind=str(tx.kind), amount=tx.amount,
                    reference=tx.reference or None, reverses_id=None,
                    principal=getattr(allocation, "principal", 0), interest=getattr(allocation, "interest", 0),
                    overdue_interest=getattr(allocation, "overdue_interest", 0),
                    late_interest=getattr(allocation, "late_interest", 0),
                    note=f"Nhập từ {path.name}", entered_by=ctx.user, entered_at=now)))
        entries.sort(key=lambda pair: pair[0])
        store.bulk_insert(s, EntryRecord, [e for _, e in entries])
        touched = {loan_ids[no] for no in applied} | {loan_ids[r["loan_no"]] for _, r, _ in check.loans}
        refresh_states(s, touched, ctx.today())
        store.audit(s, ctx.user, "import", f"{path}: {len(check.borrowers)} khách hàng, {len(check.loans)} khoản vay, "
                                           f"{len(entries)} giao dịch")
