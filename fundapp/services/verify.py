"""``fundapp verify`` (issue 14): walk the book's hash chain and re-run the stored reports of its closed periods."""

from __future__ import annotations

from dataclasses import dataclass

from fundapp.domain.messages import msg
from fundapp.ledger import journal

from .context import Context


@dataclass(frozen=True)
class BookCheck:
    """The chain's rows checked (``count``), the first record that does not match (Vietnamese, or "" when the
    chain holds), and a line per stored report of a closed period whose figures differ when re-run."""

    count: int
    broken: str
    reports: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the chain holds, every anchor matches and no stored report differs."""
        return not self.broken and not self.reports


def verify_book(ctx: Context, anchors: tuple[str, ...] = ()) -> BookCheck:
    """Walk the chain (``ledger.journal.verify``), check the stored reports (``closing.check_stored_reports``) and
    each of ``anchors`` ("seq:hash prefix" as printed on a closed period's report: a chain recomputed after the fact
    no longer has it). Reads only; works on SQLite and PostgreSQL. Raises ``ValidationError`` for a malformed
    anchor."""
    from .closing import check_stored_reports
    from .errors import ValidationError

    corrupt = ctx.db.quick_check()  # a large book is not quick_checked at open (issue 17): here, in the background
    with ctx.db.read() as s:  # a snapshot: postings go on meanwhile (no SQLite write lock)
        check = journal.verify(s.connection())
        problems = []
        for anchor in anchors:
            try:
                holds = journal.anchor_holds(s.connection(), anchor)
            except ValueError:
                raise ValidationError(
                    msg("Mã kiểm tra «{anchor}» không hợp lệ: dạng SỐ_DÒNG:MÃ (ít nhất 8 ký tự)",
                        anchor=anchor),
                    field="anchor") from None
            if not holds:
                problems.append(str(msg("Mã kiểm tra {anchor} (in trên báo cáo đã khóa sổ) không còn khớp dòng {seq} "
                                        "của chuỗi: chuỗi của sổ đã bị tính lại sau khi khóa", anchor=anchor,
                                        seq=anchor.partition(":")[0])))
    broken = corrupt or ""
    if not broken and check.broken is not None:
        b = check.broken
        broken = str(msg("{problem} (dòng {seq} của chuỗi)", problem=b.msg, seq=b.seq)) if b.seq is not None else str(b)
    return BookCheck(check.count, broken, (*problems, *check_stored_reports(ctx)))
