"""Previews of the life events (services.event_previews): each replays the loan with the proposed event and writes
nothing; what it shows is what posting the same event then gives, and equals the domain's own replay of the golden
CSV files with the event. Refusals are the engine's, naming their field and limit."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from fundapp.domain.engine import InterestRelief, Restructuring, WriteOff, replay_entries
from fundapp.services import event_previews as ep
from fundapp.services import events
from fundapp.services.errors import UserFacingError
from fundapp.services.loans import loan_view
from tests.golden import GOLDEN, sample_loans

D = date(2024, 12, 31)
GOLDEN_EVENTS = GOLDEN / "sample-fund-events"


def golden(loan_no: str):
    return next(x for x in sample_loans() if x.loan_no == loan_no)


def _count(ctx, loan_id: int) -> int:
    return len(loan_view(ctx, loan_id=loan_id).history)


def test_restructure_preview_is_what_posting_gives(sample_ctx):
    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, "HD2024-019")
    loan = golden("HD2024-019")
    p = ep.preview_restructure(ctx, loan_id, D, 6, 1)
    engine = replay_entries(loan.terms, [*loan.transactions, Restructuring(D, 6, 1)])
    assert p.after == tuple(engine.schedule())
    state = replay_entries(loan.terms, loan.transactions, until=D)
    state.balances(D)  # the schedule at the end of D: installment 7 (05/12/2024) has its actual interest
    assert p.before == tuple(state.schedule()) == loan_view(ctx, loan_id=loan_id, as_of=D).schedule
    assert not p.before[6].interest_projected
    assert (p.deferred_interest, p.number, p.days_past_due, p.group_rule, p.group_by_days, p.debt_group) == \
        (4_970_959, 1, 0, 2, 1, 2)
    assert p.group_before == 2 and p.principal_outstanding == 840_000_000
    # the watch: day D counts as the first of 90, and the first installment after D (05/01/2025) paid in time
    assert (p.watch_first_due, p.watch_earliest_end) == (date(2025, 1, 5), date(2025, 3, 30))
    assert _count(ctx, loan_id) == len(loan.transactions)  # nothing written
    posted = events.restructure(ctx, loan_id, D, 6, 1, "", "Bão lũ")
    assert posted.allocation.deferred_interest == p.deferred_interest
    view = loan_view(ctx, loan_id=loan_id, as_of=D)
    assert view.schedule == p.after and view.balances.debt_group == p.debt_group
    state = ep.loan_events(ctx, loan_id, D)
    assert (state.restructurings, state.watch_since, state.watch_earliest_end, state.debt_group) == \
        (1, D, date(2025, 3, 30), 2)
    assert state.results[posted.entry_id].deferred_interest == 4_970_959


def test_refusals_name_their_field_and_write_nothing(sample_ctx):
    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, "HD2024-019")
    before = _count(ctx, loan_id)
    with pytest.raises(UserFacingError) as err:
        ep.preview_restructure(ctx, loan_id, D, 0, 60)  # grace leaving no installment to carry principal
    assert err.value.field == "grace_periods"
    limits = ep.relief_limits(ctx, loan_id, D)
    loan = golden("HD2024-019")
    q = replay_entries(loan.terms, loan.transactions, until=D).quote(D)
    assert (limits.late_interest, limits.overdue_interest, limits.interest) == \
        (q.late_interest, q.overdue_interest, q.interest_due) == (34_048, 147_945, 4_970_959)
    with pytest.raises(UserFacingError) as err:
        ep.preview_relief(ctx, loan_id, D, "overdue_interest", 147_946)
    assert err.value.field == "amount" and "147.945" in err.value.message
    assert _count(ctx, loan_id) == before


def test_relief_limits_follow_the_days_restructuring(sample_ctx):
    """A relief applies after that day's restructuring: its deferred interest is no longer relievable."""
    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, "HD2024-019")
    events.restructure(ctx, loan_id, D, 6, 1, "", "Bão lũ")
    limits = ep.relief_limits(ctx, loan_id, D)
    assert (limits.interest, limits.late_interest) == (0, 34_048)
    p = ep.preview_relief(ctx, loan_id, D, "late_interest", 34_048)
    loan = golden("HD2024-019")
    engine = replay_entries(loan.terms, [*loan.transactions, Restructuring(D, 6, 1),
                                         InterestRelief(D, "late_interest", 34_048)], until=D).balances(D)
    assert p.balances == engine and (p.group_before, engine.debt_group) == (2, 3)


def test_write_off_and_recovery_previews(sample_ctx, monkeypatch):
    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, "HD2022-002")
    on = date(2024, 12, 20)
    loan = golden("HD2022-002")
    w = ep.preview_write_off(ctx, loan_id, on)
    engine = replay_entries(loan.terms, [*loan.transactions, WriteOff(on)]).write_offs[-1]
    assert (w.principal, w.interest) == (engine.principal, engine.interest) == (320_000_000, 68_706_095)
    assert (w.debt_group, w.provision, w.uncovered) == (5, 320_000_000, 0)
    posted = events.write_off(ctx, loan_id, on, "", "Giải thể")
    assert (posted.allocation.principal, posted.allocation.interest) == (w.principal, w.interest)
    from fundapp.services import posting

    real, replays = posting.replay_entries, []
    monkeypatch.setattr(posting, "replay_entries", lambda *a, **k: replays.append(1) or real(*a, **k))
    r = ep.preview_recovery(ctx, loan_id, D, 330_000_000)
    assert (r.result.principal, r.result.interest, r.off_principal, r.off_interest, len(replays)) == \
        (320_000_000, 10_000_000, 320_000_000, 68_706_095, 1)  # one replay (before: loan_events' and the split's)
    with pytest.raises(UserFacingError):
        ep.preview_recovery(ctx, loan_id, D, 388_706_096)  # more than remains off-balance
    state = ep.loan_events(ctx, loan_id, D)
    assert (state.written_off_on, state.off_principal, state.off_interest) == (on, 320_000_000, 68_706_095)


def test_a_preview_replays_each_state_it_shows_once(sample_ctx, monkeypatch):
    """One keyed replay (posting.replay_keyed) serves the previews, the loan page and loan_events; with no entry after
    the day asked, the loan with (and without) the event is replayed once, not once for its schedule and again for
    its balances that day (before: restructure 4 replays, relief 5, write-off 3, loan_events 2)."""
    from fundapp.services import loans, posting

    ctx = sample_ctx
    loan_id = events.loan_id_of(ctx, "HD2024-019")
    calls: list[object] = []
    real = posting.replay_entries

    def counted(*args, **kwargs):
        calls.append(kwargs.get("until"))
        return real(*args, **kwargs)

    for module in (posting, ep, loans):  # every services module that may call the engine's replay
        monkeypatch.setattr(module, "replay_entries", counted, raising=False)
    p = ep.preview_restructure(ctx, loan_id, D, 6, 1)
    assert (len(calls), p.deferred_interest, p.group_before, p.debt_group, p.principal_outstanding) == \
        (2, 4_970_959, 2, 2, 840_000_000)
    calls.clear()
    r = ep.preview_relief(ctx, loan_id, D, "late_interest", 34_048)
    assert (len(calls), r.limits.late_interest, r.group_before, r.balances.debt_group) == (3, 34_048, 2, 3)
    calls.clear()
    state = ep.loan_events(ctx, loan_id, D)
    assert (len(calls), state.restructurings, state.debt_group) == (1, 0, 2)
    calls.clear()
    # a day before the loan's last entry: the events' results are of any date, so a second, whole replay
    ep.loan_events(ctx, loan_id, date(2024, 6, 30))
    assert calls == [date(2024, 6, 30), None]


@pytest.fixture
def events_book(tmp_path):
    """sample-fund-events imported, read on 31/12/2025 (the officer's trial)."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import

    ctx = open_book(str(tmp_path / "events.sqlite"), user="cán bộ A", today=date(2025, 12, 31))
    check_and_import(ctx, GOLDEN_EVENTS)
    yield ctx
    ctx.db.dispose()


def test_the_current_schedule_of_a_restructuring_preview_is_the_loans_on_its_day(events_book):
    """«Lịch trả nợ hiện tại» is the schedule as the engine states it at the end of the day asked, as the loan page
    and ``fundapp schedule`` give it: an installment due on or before that day has its actual interest (DOMAIN.md
    "Installment interest"), not the projection the state held at its last entry's day. HD2024-001 at 31/12/2025
    showed installment 5 (14/11/2025) at 8.650.521 projected where it is 8.674.027 actual, and the deferred
    19.487.178 đ did not add up from the table (10.813.151 + 8.650.521, 23.506 đ short)."""
    ctx, day = events_book, date(2025, 12, 31)
    loan_id = events.loan_id_of(ctx, "HD2024-001")
    p = ep.preview_restructure(ctx, loan_id, day, 0, 0)
    assert p.before == loan_view(ctx, loan_id=loan_id, as_of=day).schedule
    fifth = p.before[4]
    assert (fifth.due_on, fifth.interest, fifth.interest_projected) == (date(2025, 11, 14), 8_674_027, False)
    assert [(i.no, i.interest_projected) for i in p.before if i.due_on <= day] == [(n, False) for n in range(1, 6)]
    unpaid = sum(i.interest - i.interest_paid - i.interest_relieved for i in p.before if i.due_on <= day)
    assert unpaid == p.deferred_interest == 10_813_151 + 8_674_027 == 19_487_178
    # the kind, not the one loan: every loan of the book on days with and without entries after them
    shown = 0
    for loan_no in [row["loan_no"] for row in csv.DictReader((GOLDEN_EVENTS / "loans.csv").read_text(encoding="utf-8").splitlines())]:
        lid = events.loan_id_of(ctx, loan_no)
        for on in (date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), day):
            try:
                q = ep.preview_restructure(ctx, lid, on, 12, 0)
            except UserFacingError:
                continue  # settled, written off… : refused as its posting would be
            assert q.before == loan_view(ctx, loan_id=lid, as_of=on).schedule, (loan_no, on)
            shown += 1
    assert shown == 75  # previews the book allows on those days
    # and the schedule after it is what posting it gives on that day
    p = ep.preview_restructure(ctx, loan_id, day, 6, 1)
    events.restructure(ctx, loan_id, day, 6, 1, "", "Hạn hán")
    assert loan_view(ctx, loan_id=loan_id, as_of=day).schedule == p.after
