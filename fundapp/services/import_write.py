"""Writing a checked import into the book, inside the unit of work that checked it: borrowers, loans, entries
(with their life events' parameters) and collateral by Core executemany in batches, the loan list's figures from
the check's own replay, and the audit record.
"""

from __future__ import annotations

from fundapp.domain.events import Entry, Opening, Transaction
from fundapp.ledger import store
from fundapp.ledger.models import BorrowerRecord, EntryEventRecord, EntryRecord, LoanRecord

from .events import event_params
from .import_checks import _Checked
from .import_read import Row
from .portfolio import Context, state_row

WRITE_BATCH = 20_000  # entries inserted per executemany by an import


def _write(ctx: Context, s, check: _Checked, applied: dict[str, list[tuple[Row, Entry, object]]], source: str,
           where: str) -> None:
    """Write the checked rows inside the checking unit of work ``s`` (Core executemany, not ORM objects)."""
    from .closing import refuse_closed

    dated = [entry.on for rows in applied.values() for _, entry, _ in rows]
    if dated:
        refuse_closed(s, min(dated), "dữ liệu nhập")
    now = store.now()
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
    # posting order = file order within each file (openings, transactions, events): it breaks ties of one kind
    order = {id(e): i for i, (_, _, e) in enumerate((*check.openings, *check.transactions, *check.events))}
    items = sorted(((loan_no, entry, result) for loan_no, rows in applied.items() for _, entry, result in rows),
                   key=lambda item: order[id(item[1])])
    written = 0
    for start in range(0, len(items), WRITE_BATCH):  # batches: the rows of one batch in memory at a time
        written += _write_entries(ctx, s, items[start:start + WRITE_BATCH], loan_ids, source, now)
    _write_collateral(ctx, s, check, loan_ids)
    # the loan list's figures from the check's own replay (an entry dated after today is refused by the check)
    today = ctx.today()
    states = [dict(state, loan_id=loan_ids[no]) for no, state in check.states.items()]
    states += [state_row(loan_ids[r["loan_no"]], t, [], today) for _, r, t in check.loans
               if r["loan_no"] not in check.states]
    store.replace_states(s, states)
    store.audit(s, ctx.user, "import", f"{where}: {len(check.borrowers)} khách hàng, {len(check.loans)} khoản vay, "
                                       f"{written} bút toán")


def _write_entries(ctx: Context, s, items: list[tuple[str, Entry, object]], loan_ids: dict[str, int], source: str,
                   now) -> int:
    """Insert one batch of (loan_no, entry, engine result) with their life events' parameters; returns its size."""
    entries, params = [], []
    for loan_no, entry, result in items:
        entries.append(dict(
            loan_id=loan_ids[loan_no], on_date=entry.on, kind=str(entry.kind), amount=_stored_amount(entry),
            reference=entry.reference or None, reverses_id=None,
            principal=getattr(result, "principal", 0), interest=getattr(result, "interest", 0),
            overdue_interest=getattr(result, "overdue_interest", 0),
            late_interest=getattr(result, "late_interest", 0),
            note=f"Nhập từ {source}", entered_by=ctx.user, entered_at=now))
        params.append(None if isinstance(entry, Transaction) else event_params(entry))
    if any(p is not None for p in params):
        ids = store.insert_returning_ids(s, EntryRecord, entries)
        store.bulk_insert(s, EntryEventRecord, [dict(entry_id=i, **p) for i, p in zip(ids, params, strict=True)
                                                if p is not None])
    else:
        store.bulk_insert(s, EntryRecord, entries)
    return len(entries)



def _write_collateral(ctx: Context, s, check: _Checked, loan_ids: dict[str, int]) -> None:
    for loan_no, data in check.collateral:
        store.add_collateral(s, application_id=None, loan_id=loan_ids[loan_no], created_by=ctx.user, **data)


def _stored_amount(entry: Entry) -> int:
    """The entry's ``amount`` column: a transaction's or relief's amount, an opening's disbursed, else 0."""
    if isinstance(entry, Opening):
        return entry.disbursed
    return getattr(entry, "amount", 0)
