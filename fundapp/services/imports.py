"""Import a book kept in Excel: a folder of three CSV files or one .xlsx with three sheets (INTERCHANGE.md).

All or nothing: every row is checked first (fields, references, and each loan's transactions
replayed by the engine); any bad row means nothing is written and every problem is reported as
``file:line: reason`` in Vietnamese.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fundapp.domain.messages import Message, join, msg
from fundapp.ledger import bulk, bulk_rows, entry_store, lending_store
from fundapp.ledger import checkpoints as ledger_checkpoints
from fundapp.ledger.environment import whole_number
from fundapp.ledger.models import EntryRecord

from .book_loader import entries_by_loan, terms_of, watch_days_in
from .context import Context
from .errors import ImportRefused, UserCancelled
from .import_cells import OPTIONS, UNUSUAL_RATE, ImportOptions
from .import_checks import (
    ImportCheck,
    check_borrowers,
    check_collateral,
    check_events,
    check_header,
    check_loans,
    check_openings,
    check_transactions,
)
from .import_fields import read_text_or_empty
from .import_read import SHEETS, Row, read_source
from .import_replay import replay_new_entries
from .import_workers import worker_count
from .import_write import BookWriter

__all__ = ["SHEETS", "ImportSummary", "Row", "check_and_import", "check_and_import_rows", "read_source"]

Progress = Callable[[int, int], None]
# the import's replay keeps each live loan's checkpoints at the last quarter ends and every earlier quarter's end
# (services.checkpoints.import_marks; there its figures only when it had no entry since its last one), so that the
# first read after it replays no loan, or less than a quarter of entries, and a past quarter's first report replays
# only loans with a life event in a period or settled under a watch; FUNDAPP_IMPORT_CHECKPOINTS=0 turns it off, =N
# keeps N quarter ends (default 2)
CHECKPOINTS_ENV, CHECKPOINTS_DEFAULT = "FUNDAPP_IMPORT_CHECKPOINTS", 2


def import_checkpoints() -> int:
    """How many quarter ends the import keeps checkpoints at: FUNDAPP_IMPORT_CHECKPOINTS (a whole number ≥ 0; 0 turns
    them off), 2 when unset; read when an import runs. Raises UserFacingError naming the value when it is not one."""
    return whole_number(CHECKPOINTS_ENV, CHECKPOINTS_DEFAULT)


@dataclass
class ImportSummary:
    """What an import wrote (or, for a check, would write): rows of each kind, and the source's name."""

    borrowers: int = 0
    loans: int = 0
    transactions: int = 0
    source: str = ""
    events: int = 0
    openings: int = 0
    collateral: int = 0  # assets pledged (issue 16's optional file)

    @property
    def empty(self) -> bool:
        """True when the source held no row the book does not have yet (nothing to write)."""
        return not (self.borrowers or self.loans or self.transactions or self.events or self.openings
                    or self.collateral)

    def counts(self) -> Message:
        """The rows as the officer reads them: «24 khách hàng, 36 khoản vay, 246 giao dịch», then «, 18 sự kiện»,
        «, 4 số dư chuyển sang» and «, 2 tài sản bảo đảm» when the source has them (the optional files). The one
        wording of an import's counts for the command line, the import page and the old workbook's page."""
        parts = [msg("{n} khách hàng", n=str(self.borrowers)), msg("{n} khoản vay", n=str(self.loans)),
                 msg("{n} giao dịch", n=str(self.transactions))]
        if self.events:
            parts.append(msg("{n} sự kiện (cơ cấu lại, miễn giảm, xóa nợ)", n=str(self.events)))
        if self.openings:
            parts.append(msg("{n} số dư chuyển sang", n=str(self.openings)))
        if self.collateral:
            parts.append(msg("{n} tài sản bảo đảm", n=str(self.collateral)))
        return join(", ", parts)


def check_and_import(ctx: Context, path: Path, progress: Progress | None = None,
                     cancelled: Callable[[], bool] | None = None, dry_run: bool = False,
                     accept_unusual_rates: bool = False) -> ImportSummary:
    """Check every row of ``path`` against what the book can hold (dates 01/01/2000 to the book's today, amounts
    ≤ 10^15 đồng, text within its column: services.import_cells) and write it all or nothing, as
    ``_check_and_import`` says. A contract rate outside 0,5–30 %/năm is refused unless ``accept_unusual_rates``
    (the officer confirmed it: ``fundapp import --accept-unusual-rates``, or the GUI after asking).
    A refusal whose every problem is an unusual rate has ``unusual_rates_only`` True: the GUI asks the officer
    and runs the import again with ``accept_unusual_rates=True``.
    Writing needs the right ``import`` (the accountant's); entries are posted as ``ctx.user``; none may be dated
    in a closed period (issue 14).
    """
    return _guarded(ctx, lambda: _check_and_import(ctx, path, progress, cancelled, dry_run), dry_run,
                    accept_unusual_rates)


def check_and_import_rows(ctx: Context, sheets: dict[str, list[Row]], source: str, progress: Progress | None = None,
                          cancelled: Callable[[], bool] | None = None, dry_run: bool = False,
                          accept_unusual_rates: bool = False) -> ImportSummary:
    """``check_and_import`` for rows already read into memory (the migration assistant builds them from a workbook
    in another layout): ``sheets`` maps our sheet names (``SHEETS``) to ``[header Row, data Rows…]``, each ``Row``
    naming where it came from (``source`` "file.xlsx[Sheet]", its line there) and holding our layout's field names;
    ``source`` names the whole for the summary and the audit. The same checks, the same transaction, the same
    ``ImportRefused`` with every problem as ``source:line: reason``; nothing written on any problem."""
    unknown = set(sheets) - set(SHEETS)
    if unknown:
        raise ValueError(f"not our sheets: {sorted(unknown)}")
    return _guarded(ctx, lambda: _check_rows(ctx, {k: list(v) for k, v in sheets.items()}, source, progress,
                                             cancelled, dry_run), dry_run, accept_unusual_rates)


def _guarded(ctx: Context, run: Callable[[], ImportSummary], dry_run: bool, accept_unusual_rates: bool) -> ImportSummary:
    """Run an import under its options (the book's today, unusual rates confirmed), the right ``import`` required to
    write; a refusal of only unusual rates is marked so (``unusual_rates_only``)."""
    import_checkpoints()  # a bad FUNDAPP_IMPORT_CHECKPOINTS is refused before any file is read
    worker_count(0)  # and a bad FUNDAPP_IMPORT_WORKERS
    if not dry_run:
        from .rights import require

        require(ctx, "import")
    token = OPTIONS.set(ImportOptions(ctx.today(), accept_unusual_rates))
    collecting = gc.isenabled()
    gc.disable()  # a million rows held: each full collection would walk them all, ~10 % of an import's time
    try:
        return run()
    except ImportRefused as err:
        err.unusual_rates = sum(UNUSUAL_RATE in m.render() for m in err.messages)
        err.unusual_rates_only = bool(err.problems) and err.unusual_rates == len(err.messages)
        raise
    finally:
        OPTIONS.reset(token)
        if collecting:
            gc.enable()


def _earliest(check: ImportCheck, existing: dict[str, list]) -> date | None:
    """The earliest day of the entries an import replays (its new transactions, events and openings, and the book's
    entries of the loans it adds to); None when there is none."""
    days = [entry.on for items in check.transactions.values() for _, entry in items]
    days += [entry.on for _, _, entry in (*check.events, *check.openings)]
    days += [entry.on for entries in existing.values() for entry in entries]
    return min(days, default=None)


def _check_and_import(ctx: Context, path: Path, progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None, dry_run: bool = False) -> ImportSummary:
    """Check every row of ``path`` (a folder of CSV files or an .xlsx: borrowers, loans, transactions, and the
    optional events and openings) and, if none is bad, write it all — checked and written in one transaction,
    the loans it adds entries to locked first, so that nothing posted meanwhile on a shared book escapes the
    check (``dry_run``: check only).

    Raises ``ImportRefused`` with every problem as ``file:line: reason`` (nothing written), ``UserFacingError``
    for an unreadable source, ``UserCancelled`` if ``cancelled()`` turns true before writing.
    """
    path = Path(path)
    (progress or (lambda done, total: None))(0, 4)
    return _check_rows(ctx, read_source(path), path.name, progress, cancelled, dry_run, str(path))


def _check_rows(ctx: Context, sheets: dict[str, list[Row]], source: str, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None, dry_run: bool = False,
                where: str | None = None) -> ImportSummary:
    """The check and write of ``_check_and_import`` on sheets already read (``source``: the name in the summary and
    the entries' note; ``where``: the audit's, the full path of a file)."""
    report = progress or (lambda done, total: None)
    report(0, 4)
    check = ImportCheck()
    for name, rows in sheets.items():
        if not check_header(check, name, rows):
            sheets[name] = []
    if check.problems:
        raise ImportRefused(check.problems)
    body = {name: rows[1:] for name, rows in sheets.items()}
    with ctx.db.unit() as s, bulk_rows.roomy_cache(s):  # the entries' indexes in memory
        known_borrowers = lending_store.borrower_codes(s)
        known_loans = lending_store.loan_numbers(s)
        refs = entry_store.references(s)
        report(1, 4)
        codes = check_borrowers(check, body.get("borrowers", []), known_borrowers)
        numbers = check_loans(check, body.get("loans", []), codes | set(known_borrowers), known_loans)
        for name in ("borrowers", "loans"):  # checked: their cells go (100,000 loans: ~150 MB)
            body.pop(name, None)
            sheets.pop(name, None)
        all_numbers = numbers | set(known_loans)
        seen_refs = check_transactions(check, body.get("transactions", []), all_numbers, refs)
        body.pop("transactions", None)  # read once (a streamed file) and checked
        sheets.pop("transactions", None)
        check_events(check, body.get("events", []), all_numbers, refs, seen_refs)
        # the book's loans this import adds entries to: locked, then read (a posting waits for the commit)
        opening_nos = {read_text_or_empty(row, "loan_no") for row in body.get("openings", [])}
        new_nos = set(check.transactions) | {n for _, n, _ in check.events} | opening_nos
        touched_old = {known_loans[no] for no in new_nos if no in known_loans}
        if not dry_run:  # a check writes nothing, not even the loans' versions
            lending_store.lock_loans(s, touched_old)
        existing = entries_by_loan(s, touched_old) if touched_old else {}
        id_to_no = {v: k for k, v in known_loans.items()}
        existing_by_no = {id_to_no[i]: entries for i, entries in existing.items()}
        check_openings(check, body.get("openings", []), all_numbers, set(existing_by_no))
        check_collateral(ctx, check, body.get("collateral", []), all_numbers)
        report(2, 4)
        terms_by_loan = {r.loan_no: terms_of(r) for r in lending_store.loan_rows(s, touched_old)} if touched_old else {}
        terms_by_loan.update({record["loan_no"]: terms for _, record, terms in check.loans})
        # with no problem so far, each loan is written as soon as its replay passes (one batch of entries held at a
        # time); a problem found later raises and the unit of work rolls everything back
        summary = ImportSummary(len(check.borrowers), len(check.loans), check.transaction_count, source,
                                events=len(check.events), openings=len(check.openings),
                                collateral=len(check.collateral))
        if cancelled and cancelled():
            raise UserCancelled
        collector, marks, recent, watch = None, (), (), watch_days_in(s)  # the book's watch, as every posting replays with
        checkpoints = import_checkpoints()
        if checkpoints and not dry_run and not check.problems:
            from .checkpoints import Collector, import_marks

            collector = Collector(watch)  # the replay's own watch
            marks = import_marks(ctx.today(), checkpoints, _earliest(check, existing_by_no))
            recent = import_marks(ctx.today(), checkpoints)
        writer = None if dry_run or check.problems else BookWriter(ctx, s, check, source, collector)
        if writer is not None and touched_old:  # replayed from their first entry: their checkpoints written anew
            ledger_checkpoints.forget(s, touched_old)  # (and what the void trigger, perhaps deferred, would drop)
        new_entries = check.transaction_count + len(check.events) + len(check.openings)
        with (bulk_rows.built_after(s, EntryRecord.__table__, ("ix_entries_date",), ("entries_void_checkpoints",),
                                    new_entries) if writer is not None else nullcontext()):
            replay_new_entries(check, terms_by_loan, existing_by_no, cancelled, None if dry_run else ctx.today(),
                               writer.add if writer is not None else None, marks, recent, collector,
                               lambda done, loans: report(2000 + 1000 * done // loans, 4000), watch,  # step 2 → 3
                               worker_count(len(terms_by_loan)))
            if writer is not None and not check.problems:
                report(3, 4)
                writer.finish(where or source)
        if check.problems:
            raise ImportRefused(check.problems)
        if writer is None:
            return summary
    bulk.analyze_imported(ctx.db.engine)  # committed: the next read planned from the tables' new sizes
    report(4, 4)
    return summary


