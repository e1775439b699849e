"""Closed periods (khóa sổ, issue 14): the administrator closes the book through a date; entries and reversals
dated on or before it are refused; the director reopens (audited, with a reason). The reports of a closed period
are stored when it closes (balances at the closing date; the quarter's report when it is a quarter end) and
print "đã khóa sổ"; re-running them must give the same figures (``check_stored_reports``, run by
``fundapp verify``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from fundapp.domain.messages import N_, msg
from fundapp.domain.periods import quarter_periods
from fundapp.formatting import short_date
from fundapp.ledger import lending_store, office_store, record_store

from .context import Context
from .errors import UserFacingError, ValidationError
from .rights import require

CLOSED = N_("đã khóa sổ")  # the mark of a closed period's report, in the officer's language by msg(CLOSED)
# a closing's stored reports by their kind (the JSON's key): what the officer reads after «Báo cáo …»
STORED_KIND_LABELS = {"balances": N_("dư nợ từng khoản vay"), "quarterly": N_("quý")}


def stored_kind_label(kind: str):
    """The Message naming a stored report's ``kind`` ("balances", "quarterly") in the officer's language; the kind
    itself for one without a label."""
    return msg(STORED_KIND_LABELS.get(kind, kind))


def refuse_closed(s, on: date, what: str = N_("bút toán")) -> None:
    """Inside unit of work ``s``: refuse an entry (or reversal) dated ``on`` if the book is closed through a date on
    or after it. Raises ``UserFacingError`` naming the closing date."""
    through = record_store.closed_through(s)
    if through is not None and on <= through:
        raise UserFacingError(
            msg("Không thể ghi {what} ngày {on}: sổ đã khóa đến hết ngày {through} (giám đốc có thể mở lại kỳ đã "
                "khóa)",
                what=msg(what), on=short_date(on), through=short_date(through)),
            field="on")


def closed_through(ctx: Context) -> date | None:
    """The date the book is closed through, or None. Reads only (never waits for the write lock)."""
    with ctx.db.read() as s:
        return record_store.closed_through(s)


@dataclass(frozen=True)
class ClosingRow:
    """One line of the closing history: close or reopen, through which date, the closed-through date after it,
    who, when (aware UTC: ``formatting.local_time`` shows it), why."""

    id: int
    action: str
    through: date
    closed_through: date | None
    by: str
    at: datetime
    reason: str


def closing_history(ctx: Context) -> list[ClosingRow]:
    """Every close and reopen, oldest first, as ``ClosingRow`` values. Reads only (never waits for the write
    lock)."""
    with ctx.db.read() as s:
        return [ClosingRow(r.id, r.action, r.through, r.closed_through, r.by, r.at, r.reason)
                for r in record_store.closings(s)]


def _quarter_of(ctx: Context, through: date) -> int | None:
    from .reports import period_convention

    convention = period_convention(ctx)
    for q in (1, 2, 3, 4):
        if quarter_periods(through.year, q, convention)[0][1] == through:
            return q
    return None


def period_figures(ctx: Context, through: date) -> dict[str, dict | list]:
    """The reports a period closed through ``through`` keeps: ``balances`` (INTERCHANGE.md's array at that day)
    and, for a quarter end, ``quarterly`` (INTERCHANGE.md's quarterly figures)."""
    from .reports import balances_json, quarterly_json

    out: dict[str, dict | list] = {"balances": balances_json(ctx, through)}
    quarter = _quarter_of(ctx, through)
    if quarter is not None:
        out["quarterly"] = quarterly_json(ctx, through.year, quarter)
    return out


def close_period(ctx: Context, through: date, reason: str = "") -> ClosingRow:
    """Close the book through ``through`` (right ``close``, the administrator): not after today, after the date it
    is closed through now. Every loan is locked while the closing is written (a posting under way either lands
    before it or is refused); the period's reports are computed under that lock and stored with the closing, all or
    nothing. Returns the closing row."""
    require(ctx, "close")
    if through > ctx.today():
        raise ValidationError(
            msg("Không thể khóa sổ đến ngày {through}: sau hôm nay",
                through=short_date(through)),
            field="through")
    with ctx.db.unit() as s:
        lending_store.lock_loans(s, lending_store.loan_numbers(s).values())
        # read once the loans are locked: another administrator's closing of the same day, committed while this one
        # waited for the lock, is seen (read before it, both were told «Đã khóa sổ» and the period closed twice)
        current = record_store.closed_through(s)
        if current is not None and through <= current:
            raise ValidationError(
                msg("Sổ đã khóa đến hết ngày {current}",
                    current=short_date(current)),
                field="through")
        # read while every loan is locked (a posting waits for this unit), and written with the closing: stored in a
        # second transaction, a server lost while they were computed left the period closed without its reports.
        # From the checkpoints as any report, none written meanwhile: its write would wait for the loans this unit
        # locks. From the entries alone (``full_replay``) every posting of the 100,000-loan book waited ~22 s for a
        # closing, ~6 s this way once its reports were read before
        from .checkpoints import unwritten

        with unwritten():
            figures = period_figures(ctx, through)
        record = record_store.add_closing(s, action="close", through=through, closed_through=through, by=ctx.user,
                                          reason=reason.strip())
        office_store.audit(s, ctx.user, "close", f"khóa sổ đến {short_date(through)}")
        row = ClosingRow(record.id, "close", through, through, ctx.user, record.at, record.reason)
        for kind, payload in figures.items():
            record_store.add_period_report(s, closing_id=row.id, kind=kind, through=through,
                                           payload=json.dumps(payload, ensure_ascii=False, sort_keys=True))
    return row


def reopen_period(ctx: Context, through: date, reason: str) -> ClosingRow:
    """Reopen the closed period that ends ``through`` (right ``reopen``, the director; a reason required): the book
    is then closed through the latest earlier closing still in force (or not at all). Audited."""
    require(ctx, "reopen")
    reason = reason.strip()
    if not reason:
        raise ValidationError(N_("Phải ghi lý do mở lại kỳ đã khóa sổ"), field="reason")
    with ctx.db.unit() as s:
        # as a closing does: read once the loans are locked, so a closing or reopening committed meanwhile is seen
        lending_store.lock_loans(s, lending_store.loan_numbers(s).values())
        current = record_store.closed_through(s)
        if current is None or through > current:
            raise ValidationError(
                msg("Ngày {through} chưa khóa sổ (sổ khóa đến hết {current})", through=short_date(through),
                    current=short_date(current)) if current else
                msg("Ngày {through} chưa khóa sổ", through=short_date(through)), field="through")
        earlier = [r.through for r in record_store.closings(s) if r.action == "close" and r.through < through]
        after = max(earlier, default=None)
        record = record_store.add_closing(s, action="reopen", through=through, closed_through=after, by=ctx.user,
                                          reason=reason)
        office_store.audit(s, ctx.user, "reopen", f"mở lại sổ từ {short_date(through)}: {reason}")
        return ClosingRow(record.id, "reopen", through, after, ctx.user, record.at, reason)


@dataclass(frozen=True)
class StoredReport:
    """A report stored when its period closed: kind, the closing date, its figures as stored."""

    id: int
    kind: str
    through: date
    figures: dict | list
    anchor: str = ""  # its journal row "seq:hash prefix": printed with the report, checked by fundapp verify --anchor

    @property
    def status(self) -> str:
        """"đã khóa sổ ngày dd/mm/yyyy" with the check code ("(mã kiểm tra seq:hash)") when the report has one, in
        the officer's language."""
        if self.anchor:
            return str(msg("đã khóa sổ ngày {on} (mã kiểm tra {anchor})", on=short_date(self.through),
                           anchor=self.anchor))
        return str(msg("đã khóa sổ ngày {on}", on=short_date(self.through)))


def stored_reports(ctx: Context) -> list[StoredReport]:
    """The stored reports of the periods closed now (the latest of each kind and date), oldest first, read from
    one snapshot: a read, which never waits behind another officer's import or posting holding SQLite's write
    lock (the reports page asks it for every quarter it shows)."""
    with ctx.db.read() as s:
        through = record_store.closed_through(s)
        if through is None:
            return []
        in_force = {r.through for r in record_store.closings(s) if r.action == "close" and r.through <= through}
        latest: dict[tuple[str, date], StoredReport] = {}
        from fundapp.ledger.journal import anchor_of

        for r in record_store.period_reports(s):
            if r.through in in_force:
                latest[(r.kind, r.through)] = StoredReport(r.id, r.kind, r.through, json.loads(r.payload),
                                                           anchor_of(s.connection(), "report", r.id) or "")
    return sorted(latest.values(), key=lambda r: (r.through, r.kind))


def stored_quarterly(ctx: Context, year: int, quarter: int) -> StoredReport | None:
    """The stored quarterly report of a closed quarter (None if that quarter is not closed)."""
    for r in stored_reports(ctx):
        if r.kind == "quarterly" and _quarter_of(ctx, r.through) == quarter and r.through.year == year:
            return r
    return None


def check_stored_reports(ctx: Context) -> list[str]:
    """Re-run every stored report of the closed periods; returns a line per report whose figures differ now, in the
    officer's language (empty: all the same)."""
    problems = []
    from fundapp.domain.errors import TransactionRefused

    from .checkpoints import full_replay

    for r in stored_reports(ctx):
        try:
            with full_replay():  # from the entries themselves, not from the checkpoints they may no longer match
                again = json.loads(json.dumps(period_figures(ctx, r.through)[r.kind], ensure_ascii=False,
                                              sort_keys=True))
        except (TransactionRefused, UserFacingError, ValueError) as err:
            reason = getattr(err, "msg", None) or getattr(err, "message", None) or msg("sổ có bút toán sai")
            problems.append(str(msg("Báo cáo {kind} đã khóa sổ ngày {on} (số {id}) không tính lại được: {reason}",
                                    kind=stored_kind_label(r.kind), on=short_date(r.through), id=r.id,
                                    reason=reason)))
            continue
        if again != r.figures:
            problems.append(str(msg("Báo cáo {kind} đã khóa sổ ngày {on} (số {id}) cho số liệu khác khi tính lại: sổ "
                                    "đã bị thay đổi trong kỳ đã khóa", kind=stored_kind_label(r.kind),
                                    on=short_date(r.through), id=r.id)))
    return problems
