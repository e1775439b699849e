"""The whole book's figures on a day from the replay checkpoints (issue 17): where each loan's replay starts (its
last checkpoint and the entries after it, ``starting_points``) and the balances of every loan as of a day
(``balances_as_of``, INTERCHANGE.md ``balances``; DOMAIN.md "Balances as of a date t")."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from fundapp.domain.engine import Balances, LoanReplay
from fundapp.domain.events import Entry
from fundapp.domain.replay import replay_entries
from fundapp.ledger import lending_store
from fundapp.ledger.db import Database

from .book_loader import collector_paused, entries_by_loan, grouped_entries, terms_of, watch_days_in

log = logging.getLogger("fundapp.book_reads")

@dataclass
class StartingPoints:
    """What a replay of every loan to ``until`` starts from, read in one snapshot of the book (issue 17).

    ``loans``: every loan (``lending_store.LoanRow``, by loan number); ``states``: loan id → (day, state) restored from its
    last checkpoint on or before ``since``; ``figures``: loan id → its balances at ``until`` read from a checkpoint
    of that very day with no later entry (no state restored); ``entries``: loan id → its entries in force dated
    after its checkpoint (all of them for a loan without a usable one) and on or before ``until``; ``counts``: the
    entry counts of the loans that will get a checkpoint (``Collector``); ``watch_days`` the book's watch.
    """

    loans: list
    states: dict[int, tuple[date, LoanReplay]]
    figures: dict[int, Balances]
    entries: dict[int, list[Entry]]
    counts: dict[int, int]
    watch_days: int
    terms: dict = field(default_factory=dict)  # loan id → ``ledger.checkpoints.TermsRow`` (``with_borrowers`` False)


PART = 10_000  # loans per part of a report's read (``loan_chunks``)


def loan_chunks(numbers: Sequence, size: int | None = None) -> list[list[int]] | None:
    """The ids of the book's loans ``numbers`` (``ledger.checkpoints.LoanNumber``s, by loan number) in parts of
    ``size`` loans (``PART`` when None) in that order, each read alone (``starting_points``' ``loans``); None for a
    book of ``size`` loans or fewer: read whole."""
    size = size or PART
    if len(numbers) <= size:
        return None
    ids = [n.id for n in numbers]
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def starting_points(s, until: date, since: date, skip: set[int], mark: date | None,
                    with_borrowers: bool = True, count_all: bool = False,
                    prefer: Mapping[int, tuple[date, bytes]] | None = None,
                    loans: list | None = None) -> StartingPoints:
    """Read, inside unit of work ``s``, each loan's last checkpoint on or before ``since`` (≤ ``until``) and its
    entries after it up to ``until`` (the loans ``skip`` left out); a checkpoint that does not load is ignored (the
    loan's every entry is read). ``mark``: the day a checkpoint will be written for loans that have none there yet
    (their entry counts are read, see ``Collector``); None writes none. ``with_borrowers`` False: ``loans`` are
    ``ledger.checkpoints.LoanNumber`` (id and number only, a faster read) and ``terms`` holds the terms of the loans
    replayed from no checkpoint, or with entries after theirs, or counted for one at ``mark`` (none of a loan only
    read out from its restored state). ``count_all``: read the entry counts of
    every loan not skipped (checkpoints will be written for them at several days). ``prefer``: loan id → (day,
    checkpoint bytes) of a later start than its last checkpoint on or before ``since`` (a day the caller read,
    after ``since`` and on or before ``until``): restored instead when it loads, its entries then only those
    after that day (the other is not decoded: ~16,000 wasted decodes of a quarterly report after an import).
    ``loans``: the ``lending_store.LoanRow``s (by loan number) of a part of the book read alone (``loan_chunks``),
    every read naming their ids; None, every loan (issue 17: a report's first loans made while the rest are still to
    be read)."""
    from fundapp.ledger import checkpoints as ledger_checkpoints

    from .checkpoints import decode, engine_stamp, figures_of, in_use

    stamp, watch = engine_stamp() if in_use() else "", watch_days_in(s)  # "": no checkpoint matches
    part = loans is not None
    if loans is None:
        loans = lending_store.loan_rows(s) if with_borrowers else ledger_checkpoints.loan_numbers(s)
    wanted = [r.id for r in loans if r.id not in skip]
    only = wanted if part or len(wanted) <= len(skip) else None  # name the loans read when they are the fewer
    saved: dict[int, tuple[date, bytes]] = {}
    rows, events = [], {}
    if wanted:  # none (a warm report: every loan read from its checkpoints) still grouped every checkpoint: ~0.6 s
        saved = {i: v for i, v in ledger_checkpoints.latest(s, since, stamp, watch, only=only).items()
                 if i not in skip}
        rows, events = ledger_checkpoints.entries_after(s, until, stamp, watch, after=since, only=only)
    by_loan = grouped_entries([r for r in rows if r.loan_id not in skip], events)
    without = [i for i in wanted if i not in saved]  # every entry of theirs
    if without:
        if part or len(without) <= len(skip):
            by_loan.update(entries_by_loan(s, without, until=until))
        else:
            by_loan.update((i, e) for i, e in entries_by_loan(s, skip=skip, until=until).items() if i not in saved)
    states: dict[int, tuple[date, LoanReplay]] = {}
    figures: dict[int, Balances] = {}
    failed = []
    prefer = prefer or {}
    for loan_id, (later, blob) in prefer.items():  # a later start, when it loads
        state = decode(blob, None, watch) if loan_id not in skip else None
        if state is not None:
            states[loan_id] = (later, state)
            by_loan[loan_id] = [e for e in by_loan.get(loan_id, ()) if e.on > later]
    for loan_id, (day, blob) in saved.items():
        if loan_id in skip or loan_id in states:
            continue
        if day == until and loan_id not in by_loan:
            b = figures_of(blob, day)
            if b is not None:
                figures[loan_id] = b
                continue
        state = decode(blob, None, watch)
        if state is None:
            failed.append(loan_id)
        else:
            states[loan_id] = (day, state)
    if failed:
        log.info("%d replay checkpoints did not load: replayed from the first entry", len(failed))
        by_loan.update(entries_by_loan(s, failed, until=until))
    counts: dict[int, int] = {}
    if count_all:
        if wanted:
            counts = ledger_checkpoints.entry_counts(s, wanted if len(wanted) < ledger_checkpoints.COUNT_BY_IDS
                                                     else None)
    elif mark is not None:
        # a loan needs a checkpoint at ``mark`` when it has none that loads, or an entry between its last one and
        # ``mark``: from a checkpoint with nothing after it up to ``mark`` the replay is as short as from ``mark``
        # (the import leaves such loans out at its quarter ends, and a read must not write them all back)
        broken = set(failed)
        have = {i for i, (day, _) in saved.items() if day == mark and i not in broken}
        need = [r.id for r in loans if r.id not in skip and r.id not in have
                and (r.id not in saved or r.id in broken or any(e.on <= mark for e in by_loan.get(r.id, ())))]
        if need:
            counts = ledger_checkpoints.entry_counts(s, need if len(need) < ledger_checkpoints.COUNT_BY_IDS else None)
    terms: dict = {}
    if not with_borrowers:
        # the terms of the loans that will apply an entry or keep a checkpoint, or start from nothing: a restored
        # state read out at a later day needs none (issue 17: 21,000 of 100,000 at a first read of 2023-05-17; reading
        # every loan's took ~0.5 s)
        need = [i for i in wanted if i not in figures and (by_loan.get(i) or i in counts or i not in states)]
        if need:
            terms = ledger_checkpoints.terms_rows(s, need if 2 * len(need) < len(loans) else None)
    return StartingPoints(loans, states, figures, by_loan, counts, watch, terms)


def balances_as_of(db: Database, as_of: date) -> list[tuple[str, Balances]]:
    """(loan_no, balances at the end of ``as_of``) for every loan, sorted by loan number.

    A loan settled on or before ``as_of`` (or not yet disbursed or opened) is all zeros, as the engine would say;
    the per-loan cache names them, so their entries are neither read nor replayed. Every other loan starts from its
    last checkpoint on or before ``as_of`` and replays only the later entries (issue 17); the loans without a
    checkpoint at the last quarter's end on or before ``as_of`` get one, written after in a unit of its own. The
    garbage collector is paused meanwhile (``collector_paused``).
    """
    from .checkpoints import quarter_end_on_or_before

    with collector_paused():
        return _balances_as_of(db, as_of, quarter_end_on_or_before(as_of))


def _balances_as_of(db: Database, as_of: date, mark: date) -> list[tuple[str, Balances]]:
    from .checkpoints import Collector, loans_without_balance

    with db.read() as s:
        zero = loans_without_balance(s, as_of)
        points = starting_points(s, as_of, as_of, zero, mark, with_borrowers=False)
    nothing = Balances(as_of, 0, 0, 0, 0, 0, 0, 0, 1)
    collector = Collector(points.watch_days)
    out = []
    figures, states, entries_of, counts = points.figures, points.states, points.entries, points.counts
    for r in points.loans:
        loan_id = r.id
        if loan_id in zero:
            out.append((r.loan_no, nothing))
            continue
        b = figures.get(loan_id)
        if b is not None:
            out.append((r.loan_no, b))
            continue
        day, state = states.get(loan_id, (None, None))
        entries = entries_of.get(loan_id)
        marks = [mark] if loan_id in counts and (day is None or day < mark) else []
        if entries or marks or state is None:
            terms = terms_of(points.terms[loan_id])
            if state is not None:
                state.attach(terms)
            state = replay_entries(terms, entries or (), until=as_of, watch_days=points.watch_days, start=state,
                                   checkpoints=marks, on_checkpoint=collector.mark(loan_id) if marks else None)
        out.append((r.loan_no, state.balances(as_of)))
    collector.write(db, counts)
    return out
