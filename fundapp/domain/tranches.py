"""A loan's tranches (lần giải ngân) as its papers count them: what was disbursed up to and including one, and what
of the approved amount remains (DOMAIN.md "Terms of a loan": ``amount`` is the approved principal, drawn in one or
more disbursements; "Balances as of a date t": disbursed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol


class _Tranche(Protocol):
    @property
    def on(self) -> date: ...

    @property
    def id(self) -> int: ...

    @property
    def amount(self) -> int: ...


def disbursed_through(tranches: Iterable[_Tranche], tranche: _Tranche) -> int:
    """The đồng disbursed by ``tranches`` (the loan's disbursements in force, each with ``on``, ``id`` — the posting
    order, which orders one day's entries — and ``amount`` in đồng) up to and including ``tranche``, in the book's
    order (date, then as posted; DOMAIN.md "Life events": entries of one date apply in the order posted). The
    receipt's «Tổng số đã nhận nợ (kể cả lần này)» and the acknowledgment's ``disbursed_total``."""
    return sum(t.amount for t in tranches if (t.on, t.id) <= (tranche.on, tranche.id))


def undisbursed(amount: int, disbursed: int) -> int:
    """What remains to draw (đồng) of the approved ``amount`` (đồng, DOMAIN.md "Terms of a loan") once
    ``disbursed`` đồng (see ``disbursed_through``) have been: amount − disbursed. The acknowledgment's
    ``undisbursed``."""
    return amount - disbursed
