"""``fundapp verify`` (issue 14): walk the book's hash chain and re-run the stored reports of its closed periods."""

from __future__ import annotations

from dataclasses import dataclass

from fundapp.ledger import journal

from .portfolio import Context


@dataclass(frozen=True)
class BookCheck:
    """The chain's rows checked (``count``), the first record that does not match (Vietnamese, or "" when the
    chain holds), and a line per stored report of a closed period whose figures differ when re-run."""

    count: int
    broken: str
    reports: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.broken and not self.reports


def verify_book(ctx: Context) -> BookCheck:
    """Walk the chain (``ledger.journal.verify``) and check the stored reports (``closing.check_stored_reports``).
    Reads only; works on SQLite and PostgreSQL."""
    from .closing import check_stored_reports

    with ctx.db.unit() as s:
        check = journal.verify(s.connection())
    broken = ""
    if check.broken is not None:
        b = check.broken
        broken = f"{b.vi} (dòng {b.seq} của chuỗi)" if b.seq is not None else b.vi
    return BookCheck(check.count, broken, tuple(check_stored_reports(ctx)))
