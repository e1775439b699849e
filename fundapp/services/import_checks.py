"""Checking an import's rows (INTERCHANGE.md): each sheet's rows read field by field (services.import_fields), the
references between them (borrowers, loans, their entries), and each loan's entries replayed by the engine through
the one replay path. Every problem is kept as ``file:line: reason``; nothing here writes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from fundapp.domain.errors import TermsError
from fundapp.domain.events import (
    RELIEF_KINDS,
    Entry,
    InterestRelief,
    Kind,
    Opening,
    Restructuring,
    Transaction,
    WriteOff,
    relief_kinds,
)
from fundapp.domain.messages import N_, Message, Verbatim, join, msg
from fundapp.domain.terms import LoanTerms

from .borrowers import clean_borrower
from .context import Context
from .errors import IN_BOOK_KEY, UserFacingError, ValidationError
from .import_cells import FieldProblem, column_lengths, options
from .import_fields import (
    RATE_COLUMNS,
    read_date,
    read_decimal,
    read_integer,
    read_late_rate,
    read_loan_rate,
    read_money,
    read_money_or_zero,
    read_reference,
    read_text,
    read_text_or_empty,
    read_whole,
    transaction_fields,
)
from .import_read import Row

REQUIRED = {
    "borrowers": ("code", "name", "kind"),
    "loans": ("loan_no", "borrower_code", "amount", "term_months"),  # and annual_rate or monthly_rate
    "transactions": ("loan_no", "date", "kind", "amount"),
    "events": ("loan_no", "date", "kind"),
    "openings": ("loan_no", "as_of", "first_disbursement_date", "disbursed", "principal_outstanding",
                 "principal_overdue", "interest_due_unpaid", "interest_accrued", "overdue_interest", "late_interest"),
    "collateral": ("loan_no", "kind", "description", "value"),  # issue 16: services.collateral.COLUMNS
}
BORROWER_COLUMNS = ("code", "name", "kind", "tax_code", "province", "ward", "district", "sector", "members",
                    "representative", "phone", "address")  # INTERCHANGE.md's borrowers.csv
_NO_VALUES: dict[str, object] = {}  # the cells of a row already checked (only its file:line is kept)


@dataclass
class ImportCheck:
    """What checking an import found, filled by the ``check_*`` functions sheet by sheet and handed to the write
    (``services.import_write.BookWriter``): ``problems`` — every bad row as ``file:line: reason`` (Messages, rendered
    when shown; any one refuses the whole import) — and the rows that passed, as values ready to write:
    ``borrowers`` (column → value dicts), ``loans`` ((row, record, ``LoanTerms``)), ``transactions`` (loan_no →
    [(row, ``Transaction``)…] in file order, emptied by the replay as it hands each loan on), ``events`` and
    ``openings`` ((row, loan_no, entry)), ``collateral`` ((loan_no, checked asset values)); ``transaction_count``
    counts the transactions kept. Amounts in đồng, rates as ``LoanTerms`` holds them (%/năm or %/tháng)."""

    problems: list[Message] = field(default_factory=list)  # "file:line: reason", rendered when shown
    borrowers: list[dict] = field(default_factory=list)
    loans: list[tuple[Row, dict, LoanTerms]] = field(default_factory=list)
    transactions: dict[str, list[tuple[Row, Entry]]] = field(default_factory=dict)  # loan_no → rows, file order
    events: list[tuple[Row, str, Entry]] = field(default_factory=list)  # restructure, interest_relief, write_off
    openings: list[tuple[Row, str, Opening]] = field(default_factory=list)
    collateral: list[tuple[str, dict]] = field(default_factory=list)  # (loan_no, checked asset values)
    transaction_count: int = 0
    refused_loans: set[str] = field(default_factory=set)  # loans with a refused transaction, event or opening row

    def refuse_loan(self, row: Row) -> None:
        """Note that ``row`` (a refused transaction, event or opening) names its loan: none of that loan's entries
        is replayed (``drop_refused_loans``), so that the entries following the refused one are not each reported
        as a fault of their own («chưa được giải ngân» for every repayment after a refused disbursement)."""
        loan_no = read_text_or_empty(row, "loan_no") if row.values else ""
        if loan_no:
            self.refused_loans.add(loan_no)

    def refuse_entry_row(self, row: Row, reason: Message) -> None:
        """A transaction, event or opening ``row`` that does not read: ``reason`` is reported on its file:line
        (``bad``) and its loan refused with it (``refuse_loan``)."""
        self.bad(row, reason)
        self.refuse_loan(row)

    def drop_refused_loans(self) -> None:
        """Let go the kept transactions, events and openings of ``refused_loans``: the replay
        (services.import_replay) never sees them, and the import is refused anyway by the rows that were."""
        refused = self.refused_loans
        if not refused:
            return
        for loan_no in refused:
            self.transactions.pop(loan_no, None)
        self.events = [item for item in self.events if item[1] not in refused]
        self.openings = [item for item in self.openings if item[1] not in refused]

    def bad(self, row: Row, reason: Message | str) -> None:
        """Keep ``row``'s problem: ``reason`` (a Message; a str is text shown as is) after its ``file:line``."""
        if not isinstance(reason, Message):
            reason = Verbatim(reason)
        self.problems.append(msg("{where}: {reason}", where=row.where(), reason=reason))


# -- checking --------------------------------------------------------------------------------
def readable(check: ImportCheck, rows: Iterable[Row], refused: Callable[[Row], object] | None = None) -> Iterator[Row]:
    """The rows of ``rows`` that can be read by their header; each one that cannot (a CSV row with more or fewer
    cells than its header: ``Row.problem``) is kept as its problem in ``check`` instead and handed to ``refused``
    (a row of entries refuses its loan: ``ImportCheck.refuse_loan``; a borrower's or loan's row still names its
    key, so that the rows naming it are not reported for it)."""
    for row in rows:
        if row.problem is None:
            yield row
            continue
        check.bad(row, row.problem)
        if refused is not None:
            refused(row)


def check_header(check: ImportCheck, sheet: str, rows: list[Row]) -> bool:
    """Whether the header row of ``sheet`` (``rows[0]``; no rows is fine: an optional sheet left out) has every
    column ``REQUIRED`` names (for ``loans`` also ``annual_rate`` or ``monthly_rate``: INTERCHANGE.md), each once.
    When not, a name written twice or the missing columns are kept as the header's problem in ``check`` and False is returned. Raises nothing."""
    if not rows:
        return True
    header = rows[0]
    if header.problem is not None:  # a column name written twice (import_read.duplicate_problem)
        check.bad(header, header.problem)
        return False
    missing = [c for c in REQUIRED[sheet] if c not in header.values]
    if sheet == "loans" and not any(c in header.values for c in RATE_COLUMNS):
        missing.append(msg("annual_rate (hoặc monthly_rate)"))
    if missing and not any(c in header.values for c in (*REQUIRED[sheet], *RATE_COLUMNS)):
        # a title row above the header («SỔ THEO DÕI CHO VAY»), Excel's «sep=,» line, headings in Vietnamese
        shown = ", ".join(f"«{name[:40]}»" for name in list(header.values)[:3]) or "«»"
        check.bad(header, msg("dòng đầu tiên phải là dòng tiêu đề, ghi đúng tên các cột {required} (tên tiếng Anh "
                              "không dấu) — dòng này ghi {shown}; xóa các dòng tên bảng hay ghi chú phía "
                              "trên dòng tiêu đề", required=", ".join(REQUIRED[sheet]), shown=shown))
        return False
    if missing:
        check.bad(header, msg("thiếu cột {missing} (dòng tiêu đề phải có: {required})",
                              missing=join(", ", missing), required=", ".join(REQUIRED[sheet])))
        return False
    return True


def _new_key(row: Row, name: str, what: str, seen: set[str], known: dict[str, int]) -> str:
    """The row's new key in column ``name`` (a borrower's code, a loan's number; ``what`` names it in Vietnamese):
    not empty, not earlier in the file (``seen``), not in the book (``known``). The key read (or "" when it is not
    a valid code) joins ``seen`` either way. Raises ``FieldProblem`` with the reason."""
    key = read_text_or_empty(row, name)
    try:
        key = read_text(row, name)  # a bad code is reported here, with its line
        if not key:
            raise FieldProblem(msg("{what} ({name}) bỏ trống", what=msg(what), name=name))
        if key in seen:
            raise FieldProblem(msg("{what} «{key}» bị trùng trong tệp", what=msg(what), key=key))
        if key in known:
            raise FieldProblem(msg(IN_BOOK_KEY, what=msg(what), key=key))
    finally:
        seen.add(key)
    return key


def _loan_of(row: Row, loan_numbers: set[str]) -> str:
    """The row's ``loan_no``, one of ``loan_numbers`` (the file's loans and the book's). Raises ``FieldProblem``."""
    loan_no = read_text(row, "loan_no")
    if loan_no not in loan_numbers:
        other = _other_case(loan_no, loan_numbers)
        if other is not None:
            raise FieldProblem(msg("số hợp đồng (loan_no) «{loan_no}» không có trong loans hay trong sổ; có «{other}» "
                                   "(khác chữ hoa, chữ thường): ghi đúng như số hợp đồng", loan_no=loan_no,
                                   other=other))
        raise FieldProblem(msg("số hợp đồng (loan_no) «{loan_no}» không có trong loans hay trong sổ", loan_no=loan_no))
    return loan_no


_FOLDED: list = [None, None]  # (the set of codes last folded, its size) → its index: built once, on a first miss


def _other_case(code: str, codes: set[str]) -> str | None:
    """The one code of ``codes`` that differs from ``code`` only in letter case («hd2022-022» → «HD2022-022»), or
    None. Only asked about a code not found: the index is built once a set, on its first miss."""
    key = (id(codes), len(codes))
    if _FOLDED[0] != key:
        index: dict[str, str | None] = {}
        for known in codes:
            index[known.casefold()] = None if known.casefold() in index else known  # two such: none named
        _FOLDED[:] = [key, index]
    other = _FOLDED[1].get(code.casefold())
    return other if other in codes else None  # an index of an earlier set at the same address names nothing


def check_borrowers(check: ImportCheck, rows: list[Row], known: dict[str, int]) -> set[str]:
    """Rows of ``borrowers`` (no header; ``known``: the book's borrower codes → ids): a new code, then every field
    through the form's own check (services.borrowers.clean_borrower: the same values stored, the same search key,
    the same refusal, reported as ``file:line: column: reason``). Each good row joins ``check.borrowers`` as its
    column → value dict (with its search key); each bad one is kept as a problem. Returns every code the file names
    (good rows or not: a loan naming a bad borrower is not reported twice)."""
    codes: set[str] = set()
    for row in readable(check, rows, lambda row: codes.add(read_text_or_empty(row, "code"))):
        try:
            _new_key(row, "code", N_("mã khách hàng"), codes, known)
            values = clean_borrower({name: read_text(row, name) for name in BORROWER_COLUMNS})
        except FieldProblem as err:
            check.bad(row, err.msg)
            continue
        except ValidationError as err:
            check.bad(row, join(": ", [Verbatim(err.field or ""), err.msg]))
            continue
        check.borrowers.append(values)
    return codes


def check_loans(check: ImportCheck, rows: list[Row], borrower_codes: set[str], known: dict[str, int]) -> set[str]:
    """Rows of ``loans`` (no header): a new loan number (``known``: the book's loan numbers → ids), a borrower of
    ``borrower_codes`` (the file's and the book's), the amount (đồng), the rate (%/năm or %/tháng), the term and
    schedule (months, periods) that ``LoanTerms`` accepts (DOMAIN.md "Loan terms"). Each good row joins
    ``check.loans`` as (its file:line only, record, ``LoanTerms``); each bad one is kept as a problem. Returns every
    loan number the file names."""
    numbers: set[str] = set()
    for row in readable(check, rows, lambda row: numbers.add(read_text_or_empty(row, "loan_no"))):
        try:
            loan_no = _new_key(row, "loan_no", N_("số hợp đồng"), numbers, known)
            borrower = read_text(row, "borrower_code")
            if borrower not in borrower_codes:
                other = _other_case(borrower, borrower_codes)
                if other is not None:
                    raise FieldProblem(msg("mã khách hàng (borrower_code) «{borrower}» không có trong borrowers hay "
                                           "trong sổ; có «{other}» (khác chữ hoa, chữ thường): ghi đúng như mã khách "
                                           "hàng", borrower=borrower, other=other))
                raise FieldProblem(msg("mã khách hàng (borrower_code) «{borrower}» không có trong borrowers hay "
                                       "trong sổ",
                               borrower=borrower))
            amount = read_money(row, "amount", N_("số tiền vay (amount)"))
            values = dict(
                amount=amount,
                **read_loan_rate(row),
                term_months=read_integer(row, "term_months", N_("thời hạn (term_months)")),
                frequency_months=read_integer(row, "frequency_months", N_("kỳ hạn trả nợ (frequency_months)"), 1),
                method=read_text(row, "method") or "equal_principal",
                grace_periods=read_integer(row, "grace_periods", N_("số kỳ ân hạn (grace_periods)"), 0),
                overdue_factor=read_decimal(row, "overdue_factor", N_("hệ số lãi quá hạn (overdue_factor)"), "1.5"),
                late_interest_rate=read_late_rate(row),
            )
            contract = read_date(row, "contract_date", N_("ngày hợp đồng (contract_date)"), required=False)
            purpose, sector = read_text(row, "purpose"), read_text(row, "sector")
            try:
                terms = LoanTerms(**values)
            except TermsError as err:
                raise FieldProblem(err.msg) from None
        except FieldProblem as err:
            check.bad(row, err.msg)
            continue
        record = dict(loan_no=loan_no, borrower_code=borrower, purpose=purpose, sector=sector, contract_date=contract)
        check.loans.append((Row(row.source, row.line, _NO_VALUES), record, terms))  # its cells go
    return numbers


def check_transactions(check: ImportCheck, rows: Iterable[Row], loan_numbers: set[str], refs: set[str]) -> set[str]:
    """Rows of ``transactions`` (no header; read as they come: a streamed file) on a loan of ``loan_numbers`` (the
    file's and the book's), with a date from 01/01/2000 to the book's today, disbursement or repayment, an amount
    in đồng and a reference found neither earlier in the file nor in ``refs`` (the book's). Each good row is kept by
    its loan as (its file:line only, ``Transaction``) in ``check.transactions``, file order; each bad one as a
    problem. Returns the references they carry."""
    seen: set[str] = set()
    by_loan = check.transactions
    today, reference_limit = options().today, column_lengths()["reference"]
    last_cell, last_loan = None, ""  # a loan's rows follow one another: its number is checked once
    for row in readable(check, rows, check.refuse_loan):
        try:
            cell = row.values.get("loan_no")
            if cell is None or cell != last_cell or type(cell) is not str:
                last_cell, last_loan = None, ""
                last_loan = _loan_of(row, loan_numbers)
                last_cell = cell
            loan_no = last_loan
            on, kind, amount, reference = transaction_fields(row, seen, refs, today, reference_limit)
        except FieldProblem as err:
            check.refuse_entry_row(row, err.msg)
            continue
        if reference:
            seen.add(reference)
        # from here on the row only names its file:line: its cells go (900,000 rows: ~700 MB)
        items = by_loan.get(loan_no)
        if items is None:
            items = by_loan[sys.intern(loan_no)] = []  # one str a loan
        items.append((Row(row.source, row.line, _NO_VALUES), Transaction(on, kind, amount, reference)))
        check.transaction_count += 1
    check.drop_refused_loans()
    return seen



# -- life events and openings (DOMAIN.md "Life events"; INTERCHANGE.md's optional files) -------
EVENT_KINDS_VI = N_("restructure (cơ cấu lại), interest_relief (miễn, giảm lãi) hoặc write_off (xử lý rủi ro)")
EVENT_COLUMNS = ("loan_no", "date", "kind", "reference", "reason")  # what every event's row reads


def _relief_of(row: Row) -> str:
    relief_of = read_text(row, "relief_of").lower()
    if relief_of not in RELIEF_KINDS:
        raise FieldProblem(msg("loại lãi được miễn, giảm (relief_of) «{relief_of}» không hợp lệ: {kinds}",
                               relief_of=relief_of, kinds=relief_kinds()))
    return relief_of


# how the import reads each column that only some kinds of event read
_EVENT_READERS: dict[str, Callable[[Row], object]] = {
    "extend_months": lambda row: read_whole(row, "extend_months", N_("số tháng gia hạn (extend_months)"), 0),
    "grace_periods": lambda row: read_whole(row, "grace_periods", N_("số kỳ ân hạn gốc (grace_periods)"), 0),
    "relief_of": _relief_of,
    "amount": lambda row: read_money(row, "amount", N_("số tiền miễn, giảm (amount)")),
}
# each kind of event the import knows: its entry, and the columns its row reads beside EVENT_COLUMNS, in the order
# the entry takes them. The import reads no other column of the row, and the old workbook's preview judges no other
# (migration.preview, through ``event_columns``): a restructuring's «Số tiền» 0 or a write-off's «-» are not read.
EVENTS: dict[str, tuple[Callable[..., Entry], tuple[str, ...]]] = {
    Kind.RESTRUCTURE: (Restructuring, ("extend_months", "grace_periods")),
    Kind.INTEREST_RELIEF: (InterestRelief, ("relief_of", "amount")),
    Kind.WRITE_OFF: (WriteOff, ()),
}


def event_columns(kind: str) -> tuple[str, ...]:
    """The columns of an events row the import reads when its ``kind`` (our layout's code: restructure,
    interest_relief, write_off) is ``kind``: ``EVENT_COLUMNS`` and those of ``EVENTS``; only ``EVENT_COLUMNS`` for
    a kind it does not know (the row is refused by its kind)."""
    known = EVENTS.get(kind)
    return EVENT_COLUMNS + known[1] if known else EVENT_COLUMNS


def check_events(check: ImportCheck, rows: list[Row], loan_numbers: set[str], refs: set[str], seen: set[str]) -> None:
    """Rows of ``events`` (no header; DOMAIN.md "Life events") on a loan of ``loan_numbers``: restructure
    (extend_months, grace_periods), interest_relief (relief_of, amount in đồng), write_off — each kind reading the
    columns ``EVENTS`` names, no other; each with its decision number (reference: not in ``refs``, the book's, nor
    in ``seen``, the file's so far, which it joins) and reason. Each good row joins ``check.events`` as (row,
    loan_no, entry); each bad one is kept as a problem and refuses its loan (``ImportCheck.refuse_loan``)."""
    for row in readable(check, rows, check.refuse_loan):
        try:
            loan_no = _loan_of(row, loan_numbers)
            on = read_date(row, "date", N_("ngày (date)"))
            kind = read_text(row, "kind").lower()
            reference, reason = read_reference(row, N_("số quyết định"), seen, refs), read_text(row, "reason")
            if kind not in EVENTS:
                raise FieldProblem(msg("loại sự kiện (kind) «{kind}» không hợp lệ: {kinds}", kind=kind,
                                       kinds=msg(EVENT_KINDS_VI)))
            entry_of, columns = EVENTS[kind]
            entry = entry_of(on, *(_EVENT_READERS[name](row) for name in columns), reference, reason)
        except FieldProblem as err:
            check.refuse_entry_row(row, err.msg)
            continue
        if reference:
            seen.add(reference)
        check.events.append((row, loan_no, entry))
    check.drop_refused_loans()


def check_openings(check: ImportCheck, rows: list[Row], loan_numbers: set[str], loans_with_entries: set[str]) -> None:
    """Rows of ``openings`` (số dư chuyển sang; no header) on a loan of ``loan_numbers``: at most one a loan, on a
    loan not in ``loans_with_entries`` (those with an entry in the book already); its figures in đồng ≥ 0 (empty
    reads 0), its dates from 01/01/2000 to the book's today. Each good row joins ``check.openings`` as (row,
    loan_no, ``Opening``); each bad one is kept as a problem and refuses its loan (``ImportCheck.refuse_loan``)."""
    seen: set[str] = set()
    for row in readable(check, rows, check.refuse_loan):
        try:
            loan_no = _loan_of(row, loan_numbers)
            if loan_no in seen:
                raise FieldProblem(msg("khoản vay «{loan_no}» đã có một dòng số dư chuyển sang: mỗi khoản vay nhiều "
                                       "nhất một dòng", loan_no=loan_no))
            seen.add(loan_no)
            if loan_no in loans_with_entries:
                raise FieldProblem(msg("khoản vay «{loan_no}» đã có bút toán trong sổ: không nhận số dư chuyển sang",
                                       loan_no=loan_no))
            oldest = read_date(row, "oldest_overdue_date", N_("ngày đến hạn cũ nhất chưa trả (oldest_overdue_date)"),
                               required=False)
            opening = Opening(
                on=read_date(row, "as_of", N_("ngày chuyển số dư (as_of)")),
                first_disbursement_date=read_date(row, "first_disbursement_date",
                                                  N_("ngày giải ngân đầu tiên (first_disbursement_date)")),
                disbursed=read_money_or_zero(row, "disbursed", N_("số đã giải ngân (disbursed)")),
                principal_outstanding=read_money_or_zero(row, "principal_outstanding",
                                                         N_("dư nợ gốc (principal_outstanding)")),
                principal_overdue=read_money_or_zero(row, "principal_overdue", N_("gốc quá hạn (principal_overdue)")),
                oldest_overdue_date=oldest,
                interest_due_unpaid=read_money_or_zero(row, "interest_due_unpaid",
                                                       N_("lãi đến hạn chưa trả (interest_due_unpaid)")),
                interest_accrued=read_money_or_zero(row, "interest_accrued",
                                                    N_("lãi dự thu trong kỳ (interest_accrued)")),
                overdue_interest=read_money_or_zero(row, "overdue_interest", N_("lãi quá hạn (overdue_interest)")),
                late_interest=read_money_or_zero(row, "late_interest", N_("lãi chậm trả (late_interest)")),
                restructurings=read_whole(row, "restructurings", N_("số lần cơ cấu trước đây (restructurings)"), 0),
                reference="",
            )
        except FieldProblem as err:
            check.refuse_entry_row(row, err.msg)
            continue
        check.openings.append((row, loan_no, opening))
    check.drop_refused_loans()


# -- collateral (issue 16): the optional file/sheet ``collateral`` ------------------------------------------------
def check_collateral(ctx: Context, check: ImportCheck, rows: list[Row], loan_numbers: set[str]) -> None:
    """Rows of ``collateral`` (no header): loan_no (one of ``loan_numbers``), kind, description, owner, value (đồng
    ≥ 0), valued_on, registration_no, registered_on, status, status_on, note — checked by
    ``services.collateral.clean`` under ``ctx``. Each good row joins ``check.collateral`` as (loan_no, its checked
    values); each bad one, or one ``clean`` refuses (its ``UserFacingError``), is kept as a problem."""
    from .collateral import clean

    for row in readable(check, rows):
        try:
            loan_no = _loan_of(row, loan_numbers)
            values = {"kind": read_text(row, "kind").lower(), "description": read_text_or_empty(row, "description"),
                      "owner": read_text_or_empty(row, "owner"), "value": read_money_or_zero(row, "value",
                                                                                             N_("giá trị (value)")),
                      "valued_on": read_date(row, "valued_on", N_("ngày định giá (valued_on)"), required=False),
                      "registration_no": read_text_or_empty(row, "registration_no"),
                      "registered_on": read_date(row, "registered_on", N_("ngày đăng ký (registered_on)"),
                                                 required=False),
                      "status": read_text_or_empty(row, "status").lower() or "pledged",
                      "status_on": read_date(row, "status_on", N_("ngày đổi trạng thái (status_on)"), required=False),
                      "note": read_text_or_empty(row, "note")}
            data = clean(ctx, values)
        except FieldProblem as err:
            check.bad(row, err.msg)
            continue
        except UserFacingError as err:
            check.bad(row, err.msg)
            continue
        check.collateral.append((loan_no, data))


