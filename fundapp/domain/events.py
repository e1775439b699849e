"""The entries of a loan as frozen records, and the order in which they are replayed.

DOMAIN.md, "Life events": each event is an entry of the loan like a transaction (dated, with a
reference: the fund's decision number, and a reason). Entries of one date apply in the order
opening, disbursements, restructurings, reliefs, repayments, write-offs; within a kind, in the
order posted (``ordered`` sorts stably, as Beancount sorts its directives).

Deviations from the agreed interface (none in names): besides the records below, the result
records of the handlers (``RestructureResult``, ``ReliefResult``, ``WriteOffResult``,
``RecoveryResult``) and ``LoanStatus`` live here too and are re-exported by
``fundapp.domain.engine``. ``LoanStatus`` has a fourth value, ``pending``, for a loan with no
disbursement or opening yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from .messages import N_, Message, msg


class Kind(StrEnum):
    """The kind of a loan entry, as stored in the ledger and written in import files."""

    OPENING = "opening"
    DISBURSEMENT = "disbursement"
    RESTRUCTURE = "restructure"
    INTEREST_RELIEF = "interest_relief"
    REPAYMENT = "repayment"
    WRITE_OFF = "write_off"


class LoanStatus(StrEnum):
    """Where a loan stands after the entries replayed so far."""

    PENDING = "pending"  # nothing disbursed or opened yet
    ACTIVE = "active"
    SETTLED = "settled"  # tất toán: closed with nothing owed
    WRITTEN_OFF = "written_off"  # xóa nợ: off the balance sheet until recovered


class Transaction(NamedTuple):
    """A posted disbursement or repayment: date, ``Kind.DISBURSEMENT`` or ``Kind.REPAYMENT``,
    amount in đồng (> 0), the officer's reference. DOMAIN.md "A repayment on day t".

    A NamedTuple rather than a dataclass: a book of 100,000 entries is built in a blink.
    """

    on: date
    kind: Kind
    amount: int
    reference: str = ""


# DOMAIN.md "Interest relief on day t": the kinds a relief forgives, each with its one Vietnamese label (README's
# glossary): the loan page, the event dialog, the relief decision, the statement, the reports, the command line and
# the refusals all show these (the GUI through ``tr``, the papers as written, messages through ``msg``)
RELIEF_LABELS: dict[str, str] = {
    "late_interest": N_("lãi chậm trả"),
    "overdue_interest": N_("lãi quá hạn"),
    "interest": N_("lãi đến hạn chưa trả"),
}
RELIEF_KINDS = tuple(RELIEF_LABELS)


def relief_label(relief_of: str) -> str:
    """The Vietnamese label (a catalogue msgid) of the relief kind ``relief_of`` ("interest" → "lãi đến hạn chưa
    trả"); an unknown kind comes back as given. DOMAIN.md "Interest relief on day t"."""
    return RELIEF_LABELS.get(relief_of, relief_of)


def relief_kind_refused(relief_of: object) -> Message:
    """The refusal of an unknown relief kind, naming the kind given and the three accepted with their labels
    ("Loại lãi được miễn, giảm «x» không hợp lệ: late_interest (lãi chậm trả), …"), rendered in the officer's
    language. DOMAIN.md "Interest relief on day t"."""
    return msg("Loại lãi được miễn, giảm «{kind}» không hợp lệ: {kinds}", kind=str(relief_of), kinds=relief_kinds())


def relief_kinds() -> Message:
    """The accepted relief kinds with their labels, for a refusal or a command-line help
    ("late_interest (lãi chậm trả), overdue_interest (lãi quá hạn) hoặc interest (lãi đến hạn chưa trả)")."""
    return msg("late_interest ({late}), overdue_interest ({overdue}) hoặc interest ({interest})",
               late=msg(RELIEF_LABELS["late_interest"]), overdue=msg(RELIEF_LABELS["overdue_interest"]),
               interest=msg(RELIEF_LABELS["interest"]))


# DOMAIN.md "Life events": each kind of entry with its one Vietnamese label (a catalogue msgid, README's glossary),
# as the loan page's history, the statement, the quarterly report's list of events, proposals and ``verify`` name it
# (a paper may add words around it: "Xử lý rủi ro (xóa nợ bằng dự phòng)"); "recovery" is a repayment the engine
# took as a recovery of written-off debt. The legal terms win: cơ cấu lại thời hạn trả nợ, xử lý rủi ro
ENTRY_KIND_LABELS: dict[str, str] = {
    Kind.DISBURSEMENT: N_("Giải ngân"),
    Kind.REPAYMENT: N_("Thu nợ"),
    "reversal": N_("Hủy bút toán"),
    Kind.RESTRUCTURE: N_("Cơ cấu lại thời hạn trả nợ"),
    Kind.INTEREST_RELIEF: N_("Miễn, giảm lãi"),
    Kind.WRITE_OFF: N_("Xử lý rủi ro"),
    Kind.OPENING: N_("Số dư chuyển sang"),
    "recovery": N_("Thu hồi nợ đã xử lý rủi ro"),
}


def entry_kind_label(kind: str) -> str:
    """The Vietnamese label (a catalogue msgid) of an entry's kind ("repayment" → "Thu nợ", "recovery" → "Thu hồi
    nợ đã xử lý rủi ro"); an unknown kind comes back as given. DOMAIN.md "Life events"."""
    return ENTRY_KIND_LABELS.get(kind, kind)


class Restructuring(NamedTuple):
    """Cơ cấu lại thời hạn trả nợ on day ``on`` (DOMAIN.md "Restructuring on day t").

    ``extend_months`` e ≥ 0 (a multiple of the loan's frequency: e / f installments are added on
    the grid), ``grace_periods`` g ≥ 0 (the first g installments due after ``on`` carry no
    principal); ``reference`` is the fund's decision number, ``reason`` free text.
    """

    on: date
    extend_months: int
    grace_periods: int
    reference: str = ""
    reason: str = ""

    kind = Kind.RESTRUCTURE  # the entry's kind, as a ``Transaction`` carries it (a class attribute, not a field)


class InterestRelief(NamedTuple):
    """Miễn, giảm lãi on day ``on`` (DOMAIN.md "Interest relief on day t").

    ``relief_of`` is one of ``RELIEF_KINDS`` (late-payment, overdue, or unpaid installment
    interest); ``amount`` đồng > 0, at most what is payable of that kind on ``on``.
    """

    on: date
    relief_of: str
    amount: int
    reference: str = ""
    reason: str = ""

    kind = Kind.INTEREST_RELIEF  # the entry's kind, as a ``Transaction`` carries it (a class attribute, not a field)


class WriteOff(NamedTuple):
    """Xử lý rủi ro: everything owed at the end of day ``on`` goes off the balance sheet
    (DOMAIN.md "Write-off on day t")."""

    on: date
    reference: str = ""
    reason: str = ""

    kind = Kind.WRITE_OFF  # the entry's kind, as a ``Transaction`` carries it (a class attribute, not a field)


class Opening(NamedTuple):
    """Số dư chuyển sang: a loan taken over from earlier books, as at the end of day ``on`` (C).

    Money in đồng; ``first_disbursement_date`` A ≤ C anchors the due dates;
    ``oldest_overdue_date`` (a due date on A's grid, ≤ C) is required exactly when
    ``principal_overdue + interest_due_unpaid > 0``, else None; ``restructurings`` is r from the
    earlier books. DOMAIN.md "Opening balances on day C".
    """

    on: date
    first_disbursement_date: date
    disbursed: int
    principal_outstanding: int
    principal_overdue: int
    oldest_overdue_date: date | None
    interest_due_unpaid: int
    interest_accrued: int
    overdue_interest: int
    late_interest: int
    restructurings: int = 0
    reference: str = ""

    kind = Kind.OPENING  # the entry's kind, as a ``Transaction`` carries it (a class attribute, not a field)


Entry = Opening | Transaction | Restructuring | InterestRelief | WriteOff

DAY_ORDER = {
    Kind.OPENING: 0,
    Kind.DISBURSEMENT: 1,
    Kind.RESTRUCTURE: 2,
    Kind.INTEREST_RELIEF: 3,
    Kind.REPAYMENT: 4,
    Kind.WRITE_OFF: 5,
}


def sort_key(entry: Entry) -> tuple[date, int]:
    """(date, DAY_ORDER of its kind): the key ``ordered`` sorts by (stably, so posting order breaks ties)."""
    return entry.on, DAY_ORDER[entry.kind]


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """The entries by date, then DOMAIN.md's order of one date, then the given (posting) order."""
    return sorted(entries, key=sort_key)


class RestructureResult(NamedTuple):
    """What a restructuring did: ``deferred_interest`` đồng (unpaid installment interest due on or
    before ``on``, moved to the first installment due after it) and ``number`` = r after it."""

    on: date
    extend_months: int
    grace_periods: int
    deferred_interest: int
    number: int


class ReliefResult(NamedTuple):
    """An interest relief as applied: ``amount`` đồng of ``relief_of`` forgiven (never collected)."""

    on: date
    relief_of: str
    amount: int


class WriteOffResult(NamedTuple):
    """A write-off: ``principal`` and ``interest`` (đồng, all interest kinds rounded) taken off the balance sheet."""

    on: date
    principal: int
    interest: int


class RecoveryResult(NamedTuple):
    """A repayment on a written-off loan: ``amount`` đồng split into recovered ``principal`` first, then ``interest``."""

    on: date
    amount: int
    principal: int
    interest: int
