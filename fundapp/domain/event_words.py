"""What an entry moved, in the officer's words: the one wording of a life event's or a recovery's effect, and the
one figure that stands for an entry, wherever an entry is described (the loan page's history and its reversal rows,
the reversal's confirmation, a proposal, the audit journal). DOMAIN.md "Life events".

A restructuring or a write-off is stored with amount 0 (``entries.amount``): its figures are what the engine did
(``RestructureResult``, ``WriteOffResult``), never that 0. Nothing here computes a figure; it words those given.
"""

from __future__ import annotations

from .events import (
    Kind,
    RecoveryResult,
    ReliefResult,
    RestructureResult,
    WriteOffResult,
    entry_kind_label,
    relief_label,
)
from .figures import write_off_total
from .messages import Message, msg
from .money import format_dong


def restructure_words(extend_months: int, grace_periods: int) -> Message:
    """What a restructuring changes, in the words every place says it (the loan page, confirmations, proposals, the
    audit, the papers): «gia hạn 6 tháng, ân hạn gốc 1 kỳ»; a part it leaves alone is said so — «không gia hạn»,
    «không ân hạn gốc» — never «gia hạn 0 tháng» (the decision papers said «0 tháng», «0 kỳ» for a restructuring that
    rearranged installments within the term: an officer's trial). ``extend_months``: months (DOMAIN.md
    "Restructuring on day t"), ``grace_periods``: installments."""
    extension = msg("gia hạn {e} tháng", e=extend_months) if extend_months else msg("không gia hạn")
    grace = msg("ân hạn gốc {g} kỳ", g=grace_periods) if grace_periods else msg("không ân hạn gốc")
    return msg("{extension}, {grace}", extension=extension, grace=grace)


def effect(result: object) -> Message | None:
    """What a life event or a recovery did, from the engine's ``result`` record: «gia hạn 6 tháng, ân hạn gốc 1 kỳ,
    lãi chuyển kỳ sau 1.234 đ, lần 1» (``restructure_words``), «miễn, giảm lãi chậm trả», «ngoại bảng: gốc …, lãi …»,
    «thu hồi gốc …, lãi …»; None for any other result (a repayment's split, a disbursement)."""
    if isinstance(result, RestructureResult):
        return msg("{terms}, lãi chuyển kỳ sau {d}, lần {n}",
                   terms=restructure_words(result.extend_months, result.grace_periods),
                   d=format_dong(result.deferred_interest), n=result.number)
    if isinstance(result, ReliefResult):
        return msg("miễn, giảm {kind}", kind=msg(relief_label(result.relief_of)))
    if isinstance(result, WriteOffResult):
        return msg("ngoại bảng: gốc {p}, lãi {i}", p=format_dong(result.principal), i=format_dong(result.interest))
    if isinstance(result, RecoveryResult):
        return msg("thu hồi gốc {p}, lãi {i}", p=format_dong(result.principal), i=format_dong(result.interest))
    return None


def shown_kind(kind: str, result: object) -> str:
    """The kind an entry is shown as: "recovery" for a repayment the engine took as a recovery of written-off debt
    (its ``result`` a ``RecoveryResult``), else ``kind``."""
    return "recovery" if kind == Kind.REPAYMENT and isinstance(result, RecoveryResult) else kind


def figure(kind: str, amount: int, result: object) -> int | None:
    """The one amount (đồng) that stands for an entry of ``kind`` stored with ``amount``: a write-off's principal plus
    interest taken off-balance (``result``, its ``WriteOffResult``; None when not known), none for a restructuring
    (it moves no money: ``effect`` says what it did), else ``amount`` (a relief's, a recovery's, a transaction's)."""
    if kind == Kind.WRITE_OFF:
        return write_off_total(result.principal, result.interest) if isinstance(result, WriteOffResult) else None
    if kind == Kind.RESTRUCTURE:
        return None
    return amount


def moved(kind: str, amount: int, result: object) -> Message | None:
    """What an entry of ``kind`` stored with ``amount`` moved, after its name: «150.270.395 đ (ngoại bảng: gốc
    134.774.304 đ, lãi 15.496.091 đ)», «gia hạn 6 tháng, …», «5.000.000 đ»; None when nothing is known (a write-off
    without its result). ``result``: the engine's record of the entry (None when it has none)."""
    total, words = figure(shown_kind(kind, result), amount, result), effect(result)
    if total is not None and words is not None:
        return msg("{amount} ({effect})", amount=format_dong(total), effect=words)
    if total is not None:
        return Message(format_dong(total))  # no words to translate: an amount reads alike in both languages
    return words


def described(kind: str, amount: int, result: object) -> Message:
    """An entry's kind with what it moved, to follow its reference: «Xử lý rủi ro: 150.270.395 đ (ngoại bảng: gốc
    134.774.304 đ, lãi 15.496.091 đ)», «Cơ cấu lại thời hạn trả nợ: gia hạn 6 tháng, …», «Thu nợ: 5.000.000 đ»
    (``moved`` after the kind's label; a recovery named as one)."""
    label, what = entry_kind_label(shown_kind(kind, result)), moved(kind, amount, result)
    if not label:
        return what if what is not None else msg("")
    return msg(label) if what is None else msg("{kind}: {what}", kind=msg(label), what=what)
