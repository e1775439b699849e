"""The engine's replay alone (issues 2 and 17): every loan's terms and entries are loaded once, then replayed.

Two figures, each the median CPU time (user + sys of this process) of 3 runs, with a floor measured in the same run:

- replay: every loan's entries dated on or before the day applied to a fresh ``LoanReplay`` and its balances read
  there (``replay_entries`` + ``balances``, what ``book_reads.balances_as_of`` does for a loan without a checkpoint);
  floor: a plain Python loop over the same entries summing their amounts. Issue 17 asks ≥ 1.8× less CPU than on
  2a0db4e (the lead's figure for the 100,000-loan book, 63,666 loans replayed, is in benchmarks/README.md).
- the same through ``replay_entries`` with ``checkpoints`` (a quarter end) and ``on_checkpoint`` taking a snapshot.

It also prints a digest of every balance read, so two versions of the engine can be shown to give the same figures.

Run: ``python -m benchmarks.bench_engine [loans]`` (a generated book, 10,000 loans by default) or
``python -m benchmarks.bench_engine --book BOOK.sqlite [--as-of 2024-12-31] [--limit N]`` (a book's loans, read once
through ``services.book_loader.load_book``; only reads).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import time
from datetime import date

from fundapp.domain.engine import Kind, Transaction, ordered, replay_entries
from fundapp.domain.terms import LoanTerms


def _cpu_median(fn, repeat: int = 3) -> tuple[float, object]:
    """Median CPU seconds (user + sys of this process, ``time.process_time``: ns ticks, where ``os.times`` ticks at
    10 ms, the size of the floor) of ``repeat`` calls of ``fn()``, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        t = time.process_time()
        result = fn()
        times.append(time.process_time() - t)
    return statistics.median(times), result


def generated_book(n_loans: int) -> list[tuple[LoanTerms, list]]:
    """(terms, ordered entries) of ``n_loans`` generated loans (``bookgen.generate``)."""
    from benchmarks.bookgen import generate

    _, loans, txs = generate(n_loans)
    by_loan: dict[str, list[Transaction]] = {}
    for r in txs:
        by_loan.setdefault(r["loan_no"], []).append(
            Transaction(date.fromisoformat(r["date"]), Kind(r["kind"]), int(r["amount"]), r["reference"]))
    return [(LoanTerms(amount=r["amount"], rate=r["annual_rate"], term_months=r["term_months"],
                       frequency_months=r["frequency_months"], method=r["method"], grace_periods=r["grace_periods"]),
             ordered(by_loan.get(r["loan_no"], []))) for r in loans]


def stored_book(path: str, as_of: date, limit: int | None) -> list[tuple[LoanTerms, list]]:
    """(terms, ordered entries dated on or before ``as_of``) of a stored book's loans with an entry (read only)."""
    from fundapp.ledger.db import Database
    from fundapp.services.book_loader import load_book

    db = Database(f"sqlite:///{path}")
    book = [(b.input.terms, list(b.input.transactions)) for b in load_book(db, until=as_of) if b.input.transactions]
    return book[:limit] if limit else book


def main() -> None:
    """Load a book, print the replay's median CPU time, its floor, the ratio and a digest of the balances read."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("loans", nargs="?", type=int, default=10_000)
    parser.add_argument("--book", help="a stored book (SQLite file), only read")
    parser.add_argument("--as-of", default="2024-12-31")
    parser.add_argument("--limit", type=int, help="only the first N loans of the book")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    t0 = time.perf_counter()
    book = stored_book(args.book, as_of, args.limit) if args.book else generated_book(args.loans)
    n_entries = sum(len(e) for _, e in book)
    print(f"loaded {len(book)} loans, {n_entries} entries in {time.perf_counter() - t0:.1f} s; load {os.getloadavg()}")
    mark = date(as_of.year, ((as_of.month - 1) // 3) * 3 + 1, 1).toordinal() - 1  # the quarter end before as_of
    mark_day = date.fromordinal(mark)

    def engine() -> str:
        digest = hashlib.sha256()
        for terms, entries in book:
            b = replay_entries(terms, entries, until=as_of).balances(as_of)
            digest.update(repr(tuple(b)).encode())
        return digest.hexdigest()

    def engine_with_checkpoint() -> int:
        taken = 0

        def snap(state, day) -> None:
            nonlocal taken
            state.balances(day)
            taken += len(state.snapshot())

        for terms, entries in book:
            replay_entries(terms, entries, until=as_of, checkpoints=[mark_day], on_checkpoint=snap).balances(as_of)
        return taken

    def floor() -> int:
        total = 0
        for _, entries in book:
            for e in entries:
                if e.on > as_of:
                    break
                total += getattr(e, "amount", 0)
        return total

    t_floor, _ = _cpu_median(floor)
    t_engine, digest = _cpu_median(engine)
    t_mark, _ = _cpu_median(engine_with_checkpoint)
    print(f"replay of {len(book)} loans to {as_of}: {t_engine:.2f} s CPU (median of 3); floor (a loop summing the "
          f"same entries' amounts) {t_floor:.3f} s; ratio {t_engine / t_floor:.0f}×; load {os.getloadavg()}")
    print(f"with a checkpoint at {mark_day} (snapshot taken): {t_mark:.2f} s CPU, ratio {t_mark / t_floor:.0f}×")
    print(f"balances digest {digest}")
    print("target (issue 17): the replay ≥ 1.8× less CPU than on 2a0db4e (before/after figures in benchmarks/README.md)")


if __name__ == "__main__":
    main()
