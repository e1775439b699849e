"""The book's today: nothing is entered with a date after it (issue 10.1).

The book's today is ``ctx.today()`` (``open_book(today=…)`` fixes it for tests; the command line reads
``FUNDAPP_TODAY=YYYY-MM-DD`` for tests only). Every posting, reversal, workflow step, life event and import
row is checked here, so the message is one and the same everywhere.
"""

from __future__ import annotations

from datetime import date

from fundapp.domain.messages import N_, Message, as_message, msg
from fundapp.formatting import short_date
from fundapp.ledger.environment import environment_value

from .errors import ValidationError
from .import_cells import EARLIEST

TODAY_ENV = "FUNDAPP_TODAY"


def fixed_today_from_env() -> date | None:
    """The day set by ``FUNDAPP_TODAY`` (YYYY-MM-DD; tests only), or None when unset or blank.

    Raises UserFacingError (field FUNDAPP_TODAY; ``ledger.environment.environment_value``, the one reading of a
    ``FUNDAPP_*`` value) naming the value when it is not such a date: a run meant for a fixed day never computes
    silently as of the real today."""
    return environment_value(TODAY_ENV, date.fromisoformat, N_("một ngày YYYY-MM-DD"), "2024-12-31",
                             N_("ngày hôm nay"))


def future_message(on: date, today: date, what: Message | str) -> Message:
    """The refusal of a date ``on`` after ``today`` (for callers that collect problems, e.g. an import's
    ``file:line: reason`` list); ``what`` names the date (a msgid marked ``N_("ngày giải ngân")``, or a Message)."""
    return msg("Ngày {on} ({what}) sau ngày hôm nay {today}: không ghi được nghiệp vụ ở tương lai",
               on=short_date(on), what=what if isinstance(what, Message) else msg(what), today=short_date(today))


def early_message(on: date, what: Message | str) -> Message:
    """The refusal of a date ``on`` before ``EARLIEST``, the first day a book holds (the import's
    01/01/2000: ``services.import_cells.check_date``); ``what`` names the date as for ``future_message``."""
    return msg("Ngày {on} ({what}) trước ngày {earliest}: sổ chỉ ghi nghiệp vụ từ ngày {earliest}",
               on=short_date(on), what=what if isinstance(what, Message) else msg(what), earliest=short_date(EARLIEST))


def refuse_early(on: date | None, what: Message | str, field: str) -> None:
    """Refuse ``on`` before ``EARLIEST`` (01/01/2000, the first day a book holds) with ``early_message(on, what)``
    (``ValidationError`` marking ``field``); None, or a day from 01/01/2000, passes. The one floor of an entry's,
    a paper's and a figure's day."""
    if on is not None and on < EARLIEST:
        raise ValidationError(early_message(on, what), field=field)


def refuse_future(ctx, on: date, what: Message | str, field: str, new_field: str | None = None) -> None:
    """Refuse a date after the book's today, or before the first day a book holds (``EARLIEST``, 01/01/2000: what
    the import takes, so that every book can be exported and imported again; the window took 1995 where the import
    refused it).

    ``ctx`` is the services' Context (its ``today()`` is the book's today); ``on`` the date entered; ``what``
    names it (``N_("ngày giải ngân")``, translated when shown); ``field`` is the form field the GUI marks (the old
    call ``refuse_future(ctx, on, what_vi, what_en, field)`` is still read: its English is the catalogue's now).
    Returns None when ``on`` is from 01/01/2000 to today; raises ``ValidationError`` with
    "Ngày dd/mm/yyyy (…) sau ngày hôm nay dd/mm/yyyy: không ghi được nghiệp vụ ở tương lai" after today, with
    ``early_message`` before 01/01/2000.
    DOMAIN.md: an entry records what happened; nothing happens after today.
    """
    today = ctx.today()
    if on is not None and on > today:
        raise ValidationError(future_message(on, today, what), field=new_field or field)
    refuse_early(on, what, new_field or field)


def refuse_future_paper(ctx, on: date, paper: str, field: str = "on") -> None:
    """Refuse a paper (statement, notice, contract, report…) dated after the book's today, in the papers' own
    words: "Không lập được giấy tờ cho ngày sau hôm nay: <paper> ngày dd/mm/yyyy sau ngày hôm nay dd/mm/yyyy".

    ``paper`` names it in Vietnamese ("hợp đồng tín dụng"); ``field`` is the form field the GUI marks. Returns
    None when ``on`` is from 01/01/2000 (``EARLIEST``) to today; raises ``ValidationError`` otherwise, with
    ``early_message`` before 01/01/2000 (nothing numbered, nothing written).
    """
    today = ctx.today()
    if on is not None and on > today:
        raise ValidationError(msg("Không lập được giấy tờ cho ngày sau hôm nay: {paper} ngày {on} sau ngày hôm nay "
                                  "{today}", paper=as_message(paper), on=short_date(on), today=short_date(today)),
                              field=field)
    refuse_early(on, as_message(paper), field)  # «statement --as-of 1999-12-31» numbered a paper no book holds



def refuse_future_figures(ctx, on: date, field: str = "as_of") -> None:
    """Refuse figures (balances, a schedule, a portfolio) asked for a day after the book's today: what has not
    happened is not in the book, a later day would only project it. Raises ``ValidationError`` "Ngày dd/mm/yyyy sau
    ngày hôm nay dd/mm/yyyy: không tính được số liệu của ngày chưa đến", or ``early_message`` for a day before
    01/01/2000 (``EARLIEST``: no book holds it, every figure would be 0); returns None for a day in between."""
    today = ctx.today()
    if on is not None and on > today:
        raise ValidationError(msg("Ngày {on} sau ngày hôm nay {today}: không tính được số liệu của ngày chưa đến",
                                  on=short_date(on), today=short_date(today)), field=field)
    refuse_early(on, N_("ngày tính số liệu"), field)  # «balances --as-of 1999-12-31» answered zeros
