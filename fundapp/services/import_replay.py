"""Replaying an import's checked entries (INTERCHANGE.md, DOMAIN.md "Order within a day"): each loan's entries of
the book and the new rows through the domain's one replay path, loan by loan, refusals kept as problems on their row,
each loan's results handed to the writer as soon as it passes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from fundapp.domain.events import Entry
from fundapp.domain.messages import msg
from fundapp.domain.replay import replay_entries
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import short_date

from .errors import UserCancelled
from .import_checks import ImportCheck
from .import_read import Row
from .loan_states import state_row_of

Applied = Callable[[str, list[tuple[Entry, object, Row]], dict | None], None]


def replay_new_entries(check: ImportCheck, terms_by_loan: dict[str, LoanTerms], existing: dict[str, list[Entry]],
                       cancelled: Callable[[], bool] | None, as_of: date | None = None, applied: Applied | None = None,
                       marks: Sequence[date] = (), on_mark: Callable[[str], Callable] | None = None,
                       moved: Callable[[int, int], None] | None = None, watch_days: int = 90) -> None:
    """Each loan's entries — those of the book, and the new transactions, events and opening — through the one
    replay path, in DOMAIN.md's order of one date, loan by loan. Refusals become problems on their row (those after
    a loan's first refused row name it as their likely cause: «… — có thể do dòng 3 của transactions.csv bị từ chối
    trước đó»); an entry of a loan with an opening dated on or before its as_of is refused here. While no problem is found, each loan's new
    entries go to ``applied(loan_no, [(entry, the engine's result, its file:line Row)…] in posting order — the opening, then the
    transactions and the events in file order —, its loan-list figures at ``as_of`` or None)`` (the write, loan by
    loan: ``loan_states.state_row_of`` from the same replay; ``as_of`` is the book's today, every entry on or before
    it). A loan's checked entries are let go once handed on: ``check.transactions`` is emptied. ``on_mark(loan_no)``
    gives the loan's ``on_checkpoint`` callback for the days ``marks`` (``services.checkpoints.Collector.mark``).
    ``moved(loans done, loans)`` is told the progress about a hundred times. ``terms_by_loan``: every loan's terms
    by number (a loan missing there had a bad row, already reported, and is skipped); ``existing``: the book's
    entries by loan number; ``watch_days``: the book's watch (days). Raises ``UserCancelled`` when ``cancelled()``
    turns true (checked every 200 loans); every refusal is a problem in ``check``, nothing is raised for it.
    """
    new_by_loan: dict[str, list[tuple[Row, Entry]]] = {}
    for row, loan_no, entry in check.openings:
        new_by_loan.setdefault(loan_no, []).append((row, entry))
    for loan_no, items in check.transactions.items():
        if loan_no in new_by_loan:
            new_by_loan[loan_no].extend(items)
        else:
            new_by_loan[loan_no] = items
    check.transactions = {}
    for row, loan_no, entry in check.events:
        new_by_loan.setdefault(loan_no, []).append((row, entry))
    openings = {loan_no: opening for _, loan_no, opening in check.openings}
    total = len(new_by_loan)
    step = max(1, total // 100)
    for count, loan_no in enumerate(list(new_by_loan)):
        items = new_by_loan.pop(loan_no)
        if cancelled and count % 200 == 0 and cancelled():
            raise UserCancelled
        if moved is not None and count % step == 0:
            moved(count, total)
        terms = terms_by_loan.get(loan_no)
        if terms is None:
            continue  # its loan row was bad: already reported
        opening = openings.get(loan_no)
        kept: list[tuple[Row, Entry]] = []
        for row, entry in items:
            if opening is not None and entry is not opening and entry.on <= opening.on:
                check.bad(row, msg("ngày {day} không sau ngày chuyển số dư {opening} của khoản vay «{loan_no}» "
                                   "(openings): mọi giao dịch, sự kiện phải ghi sau ngày đó", day=short_date(entry.on),
                                   opening=short_date(opening.on), loan_no=loan_no))
            else:
                kept.append((row, entry))
        row_of = {id(entry): row for row, entry in kept}
        results: dict[int, object] = {}  # id(entry) → the engine's result

        first: list[Row] = []  # the loan's first refused row: a later refusal may follow from it

        def refused(entry: Entry, err, row_of=row_of, items=items, first=first) -> None:
            row = row_of.get(id(entry))
            if row is not None:
                check.bad(row, err.msg if not first else msg(
                    "{reason} — có thể do dòng {line} của {source} bị từ chối trước đó", reason=err.msg,
                    line=str(first[0].line), source=first[0].source))
                first[:] = first or [row]
            else:
                check.bad(items[0][0], msg("bút toán đã ghi ngày {day} ({reference}) bị từ chối sau khi ghi lùi ngày: "
                                           "{reason}", day=short_date(entry.on), reference=entry.reference,
                                           reason=err.msg))

        def done(entry: Entry, result: object, row_of=row_of, results=results) -> None:
            if id(entry) in row_of:
                results[id(entry)] = result

        entries = [*existing.get(loan_no, ()), *(entry for _, entry in kept)]
        state = replay_entries(terms, entries, on_result=done, on_refused=refused, watch_days=watch_days,
                               checkpoints=marks,
                               on_checkpoint=on_mark(loan_no) if on_mark is not None else None)
        if applied is not None and not check.problems:
            applied(loan_no, [(entry, results[id(entry)], row) for row, entry in kept],
                    None if as_of is None else state_row_of(None, state, entries, as_of))
