"""A loan's entries on their way to a worker process that replays them (issue 17: the import's replays,
``import_workers``, and a report's, ``read_workers``): a repayment or disbursement as a plain tuple (pickling its
date and ``Kind`` costs 5× the tuple), any other entry as it is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from fundapp.domain.events import Entry, Kind, Transaction

_REPAYMENT, _DISBURSEMENT = Kind.REPAYMENT, Kind.DISBURSEMENT


def packed(entries: Iterable[Entry]) -> list:
    """``entries`` for the wire: each repayment or disbursement as (day ordinal, is a repayment, amount in đồng,
    reference), any other entry (a life event, an opening) as it is; ``unpacked`` gives them back."""
    return [(e.on.toordinal(), e.kind is _REPAYMENT, e.amount, e.reference)
            if type(e) is Transaction and (e.kind is _REPAYMENT or e.kind is _DISBURSEMENT) else e for e in entries]


def unpacked(entries: Iterable) -> list[Entry]:
    """The entries ``packed`` gave, equal to those it was given."""
    return [Transaction(date.fromordinal(e[0]), _REPAYMENT if e[1] else _DISBURSEMENT, e[2], e[3])
            if type(e) is tuple else e for e in entries]
