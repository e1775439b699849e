"""The audit journal (issue 14): who did what, when, on which loan — filtered, and exported to .xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from fundapp.domain.messages import N_
from fundapp.formatting import fold, local_time
from fundapp.i18n import render
from fundapp.ledger import collateral as collateral_store
from fundapp.ledger import lending_store, record_store

from .audit_text import ASSET_ACTIONS, asset_of, entries_book, loan_numbers, loan_of, shown
from .context import Context
from .rights import require


@dataclass(frozen=True)
class AuditRow:
    """One audit record: when (local time), who, the action (its key and label in the officer's language), the loan number it
    names ("" when none), the detail; ``override`` marks a limit override."""

    id: int
    at: datetime
    actor: str
    action: str
    label: str
    loan_no: str
    detail: str
    override: bool


def _day_start(d: date) -> datetime:
    """The first instant of the officer's day ``d`` (local midnight, aware): the audit's days are the officer's,
    not UTC's (SQLite's stored text) nor the server's session zone (PostgreSQL's date comparison)."""
    return datetime.combine(d, time()).astimezone()


def audit_log(ctx: Context, text: str = "", actor: str = "", start: date | None = None, end: date | None = None,
              loan_no: str = "", limit: int = 5000) -> list[AuditRow]:
    """Audit records, newest first (at most ``limit``), filtered by actor, a text in the action or the detail, a
    loan number (case and marks ignored; part of one when it names no loan) and the officer's days
    ``start``–``end`` (inclusive, in local time). Right ``audit`` (director, controller, admin)."""
    require(ctx, "audit")
    wanted = fold(text)
    with ctx.db.read() as s:
        since = None if start is None else _day_start(start)
        before = None if end is None else _day_start(end + timedelta(days=1))
        # a text is looked for in what the officer reads (labels, dd/mm/yyyy, grouped amounts) as well as in what is
        # stored: the rows of the days are read, shown, then filtered
        # a loan's records are looked for among them all, not the newest ``limit`` only (its older ones were
        # missed): those whose detail holds the number typed (a loan number is ASCII: ``codes.SAFE_CODE``) or that
        # name an asset (its loan is the asset's), filtered exactly below
        wanted_loan = fold(loan_no.strip())
        records = record_store.audit_rows(s, "", actor.strip(), since, before,
                                          limit if not (wanted or wanted_loan) else 1_000_000,
                                          (wanted_loan, ASSET_ACTIONS) if wanted_loan else None)
        book = entries_book(record_store.entries_of_loans(s, loan_numbers(r.detail or "" for r in records)))
        # an asset's record names the asset, not its loan: the loan is read from the asset (its description is the
        # officer's words: «HDMI» or another loan's number in it is no loan of the record)
        assets = {r.id: int(m["item"]) for r in records
                  if (m := asset_of(r.action, r.detail or "")) is not None}
        asset_loans = collateral_store.item_loan_numbers(s, assets.values()) if assets else {}
        known = lending_store.loan_numbers(s).keys()  # a record's loan is a word of it that is a loan of the book
        s.expunge_all()  # the records keep their values past the read's rollback
    rows = []
    for r in records:
        loan = asset_loans.get(assets[r.id], "") if r.id in assets else loan_of(r.action, r.detail or "", known)
        label, detail = shown(r.action, r.detail or "", book)
        row = AuditRow(r.id, local_time(r.at), r.actor, r.action, render(label), loan,
                       detail if isinstance(detail, str) else render(detail), bool(r.override))
        if wanted and not all(w in fold(" ".join((row.label, row.detail, r.action, r.detail or ""))) for w in wanted.split()):
            continue
        rows.append(row)
    if wanted_loan:  # «hd2024-019» as «HD2024-019»; part of a number if no loan is it
        exact = [r for r in rows if fold(r.loan_no) == wanted_loan]
        rows = exact or [r for r in rows if wanted_loan in fold(r.loan_no)]
    return rows[:limit]


def audit_actors(ctx: Context) -> list[str]:
    """Every name found in the audit journal, sorted (for the filter)."""
    require(ctx, "audit")
    with ctx.db.read() as s:
        return sorted(record_store.audit_actors(s))


def export_audit(ctx: Context, rows: list[AuditRow], path: Path) -> Path:
    """Write ``rows`` to the .xlsx ``path`` (text cells as strings, never formulas), refused as every file target
    (``refuse_missing_folder``) and written beside it until whole (``replacing``). Right ``audit``."""
    from fundapp.documents.audit_xlsx import write_audit_xlsx

    from .document_register import refuse_missing_folder, replacing

    require(ctx, "audit")
    refuse_missing_folder(path)
    with replacing(path) as part:
        write_audit_xlsx(part, render(N_("NHẬT KÝ THAO TÁC TRÊN SỔ CHO VAY")),
                         [(r.at, r.actor, r.label, r.loan_no, r.detail) for r in rows])
    return Path(path)
