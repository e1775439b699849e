"""Writing a checked import into the book, inside the unit of work that checked it: borrowers, loans, entries
(with their life events' parameters) and collateral by Core executemany in batches, the loan list's figures from
the check's own replay, and the audit record.
"""

from __future__ import annotations

from fundapp.domain.events import Entry, Opening, Transaction
from fundapp.domain.messages import N_, Message, msg
from fundapp.domain.terms import plain_decimal
from fundapp.ledger import (
    bulk,
    bulk_rows,
    collateral,
    journal,
    lending_store,
    office_store,
    posting_store,
    sql,
    state_cache,
)
from fundapp.ledger.models import BorrowerRecord, EntryEventRecord, EntryRecord, LoanRecord

from .context import Context
from .errors import CONFLICT, IN_BOOK_REFERENCE, ImportRefused, StaleEdit, UserFacingError
from .events import event_params
from .import_checks import ImportCheck
from .import_read import Row
from .import_replay import Amounts
from .loan_states import state_row

WRITE_BATCH = 20_000  # entries inserted per executemany by an import


class BookWriter:
    """The write of a checked import inside the checking unit of work ``s``, loan by loan as the check's replay
    hands each loan on (``add``), by Core executemany in batches of ``WRITE_BATCH`` entries: only one batch of
    entries is held at a time. Created once every row has passed its own checks: writes the borrowers and the
    loans at once (the entries need the loans' ids). ``finish`` writes the rest and the audit record. A new entry
    dated in a closed period refuses the whole import (``UserFacingError``, raised by ``finish`` so that the rows'
    own problems are reported first); nothing is written then."""

    def __init__(self, ctx: Context, s, check: ImportCheck, source: str, collector=None) -> None:
        from .closing import refuse_closed

        self.ctx, self.s, self.check, self.source = ctx, s, check, source
        self.collector = collector  # services.checkpoints.Collector of the replay: written with each batch
        self.closed: UserFacingError | None = None
        self.entries: list[tuple[str, Entry, Amounts, Row]] = []
        self.states: list[dict] = []
        self.with_state: set[str] = set()
        self.written = 0
        self.now = sql.now()
        dated = [e.on for _, _, e in (*check.openings, *check.events)]
        dated += [min(e.on for _, e in items) for items in check.transactions.values()]
        try:
            if dated:
                refuse_closed(s, min(dated), "dữ liệu nhập")
        except UserFacingError as err:
            self.closed = err
            return
        bulk.bulk_insert(s, BorrowerRecord, [dict(b, created_at=self.now, version=1) for b in check.borrowers])
        codes = lending_store.borrower_codes(s)
        bulk.bulk_insert(s, LoanRecord, [
            dict(loan_no=r["loan_no"], borrower_id=codes[r["borrower_code"]], purpose=r["purpose"],
                 sector=r["sector"], amount=t.amount, rate=plain_decimal(t.rate), rate_unit=str(t.rate_unit),
                 term_months=t.term_months, frequency_months=t.frequency_months, method=str(t.method),
                 grace_periods=t.grace_periods, overdue_factor=plain_decimal(t.overdue_factor),
                 late_interest_rate=plain_decimal(t.late_interest_rate), contract_date=r["contract_date"], created_at=self.now,
                 version=1)
            for _, r, t in check.loans
        ])
        self.loan_ids = lending_store.loan_numbers(s)

    def add(self, loan_no: str, applied: list[tuple[Entry, Amounts, Row]], state: dict | None) -> None:
        """One loan's new entries with what the engine booked of each (``import_replay.Amounts``) and their rows
        (file:line), in posting order (the opening, then the transactions and the events in file order: the ids
        follow it), and its loan-list figures at today (or None)."""
        if self.closed is not None:
            return
        self.entries.extend((loan_no, entry, result, row) for entry, result, row in applied)
        if state is not None:
            self.states.append(dict(state, loan_id=self.loan_ids[loan_no]))
            self.with_state.add(loan_no)
        if len(self.entries) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the batch held: its entries, the loans' figures, their checkpoints. Raises ``ImportRefused``
        naming the rows whose reference another officer wrote since the check (a shared PostgreSQL book)."""
        try:
            with posting_store.reference_clashes():
                self.written += _write_entries(self.ctx, self.s, self.entries, self.loan_ids, self.source, self.now)
        except posting_store.ReferenceTaken as err:
            problems = self._taken_meanwhile()
            raise (ImportRefused(problems) if problems else StaleEdit(CONFLICT)) from err
        # the loan list's figures from the check's own replay (an entry dated after today is refused by the check)
        state_cache.replace_states(self.s, self.states)
        if self.collector is not None:  # after the loans' entries: their insert voids a loan's checkpoints
            self.collector.write_in(self.s, ids=self.loan_ids)
        self.entries, self.states = [], []

    def _taken_meanwhile(self) -> list[Message]:
        """The problems of the batch's rows whose reference the book now holds, as ``file:line: reason`` (none
        found: the clashing entry was not committed after all, and the officer is told to try again; read
        after the clash on a connection of its own: this unit's transaction is aborted on PostgreSQL)."""
        with self.ctx.db.read() as r:
            taken = posting_store.taken_references(r, {e.reference for _, e, _, _ in self.entries if e.reference})
        problems = []
        for _, entry, _, row in self.entries:
            if entry.reference in taken:
                what = N_("số chứng từ") if isinstance(entry, Transaction) else N_("số quyết định")
                problems.append(msg("{where}: {reason}", where=row.where(), reason=msg(
                    IN_BOOK_REFERENCE, what=msg(what),
                    reference=entry.reference)))  # the check's own words (import_fields.read_reference)
        return problems

    def finish(self, where: str) -> None:
        """The last batch, the collateral, the figures of the new loans without entries, the audit record
        (``where``: the source as the audit names it). Raises the closed period's ``UserFacingError``."""
        if self.closed is not None:
            raise self.closed
        self._flush()
        check = self.check
        _write_collateral(self.ctx, self.s, check, self.loan_ids)
        today = self.ctx.today()
        state_cache.replace_states(self.s, [state_row(self.loan_ids[r["loan_no"]], t, [], today) for _, r, t in check.loans
                                      if r["loan_no"] not in self.with_state])
        office_store.audit(self.s, self.ctx.user, "import", f"{where}: {len(check.borrowers)} khách hàng, "
                                                     f"{len(check.loans)} khoản vay, {self.written} bút toán")


def _write_entries(ctx: Context, s, items: list[tuple[str, Entry, Amounts, Row]], loan_ids: dict[str, int],
                   source: str, now) -> int:
    """Insert one batch of (loan_no, entry, the engine's ``import_replay.Amounts`` of it, row), hashed from the
    values written (``journal.insert_chained``: every hashed column, in its order; chained when the unit commits),
    with their life events' parameters; returns its size."""
    conn = s.connection()
    ids = bulk_rows.new_ids(conn, EntryRecord.__table__, len(items))
    note, user = f"Nhập từ {source}", ctx.user
    rows, params = [], []
    for entry_id, (loan_no, entry, amounts, _) in zip(ids, items, strict=True):
        principal, interest, overdue_interest, late_interest = amounts
        rows.append((entry_id, loan_ids[loan_no], entry.on, str(entry.kind), _stored_amount(entry),
                     entry.reference or None, None, principal, interest, overdue_interest, late_interest, note, user,
                     now))
        if not isinstance(entry, Transaction):
            params.append(dict(entry_id=entry_id, **event_params(entry)))
    journal.insert_chained(s, "entry", rows)
    bulk.bulk_insert(s, EntryEventRecord, params)
    return len(rows)


def _write_collateral(ctx: Context, s, check: ImportCheck, loan_ids: dict[str, int]) -> None:
    for loan_no, data in check.collateral:
        collateral.add_collateral(s, application_id=None, loan_id=loan_ids[loan_no], created_by=ctx.user, **data)


def _stored_amount(entry: Entry) -> int:
    """The entry's ``amount`` column: a transaction's or relief's amount, an opening's disbursed, else 0."""
    if isinstance(entry, Opening):
        return entry.disbursed
    return getattr(entry, "amount", 0)
