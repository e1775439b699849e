"""Restructuring many loans under one decision (services.batch_restructure, services.events.restructure_batch).

The sample book on 31/12/2024: a flood in Xã Vĩnh Linh (6 loans with principal outstanding) and in Xã Hải Lăng
(4 loans, two of them past their last due date, so a 6-month extension leaves them no installment). All or nothing:
one refused loan means nothing written and every refused loan named with the engine's reason."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.domain.engine import Restructuring, replay_entries
from fundapp.ledger import entry_store
from fundapp.services import batch_restructure as br
from fundapp.services import event_previews as ep
from fundapp.services import events
from fundapp.services.errors import UserCancelled, ValidationError
from fundapp.services.loans import loan_view
from tests.golden import sample_loans

D = date(2024, 12, 31)
VINH_LINH = ["HD2022-011", "HD2022-036", "HD2023-029", "HD2023-034", "HD2024-019", "HD2024-023"]
HAI_LANG = ["HD2022-002", "HD2022-033", "HD2024-001", "HD2024-025"]


def _book(ctx) -> tuple[int, int, int]:
    """(entries in force, life-event rows, audit lines): what a refused batch must leave as it was."""
    with ctx.db.unit() as s:
        rows, events_ = entry_store.entries_in_force(s)
        from sqlalchemy import func, select

        from fundapp.ledger.models import AuditRecord

        audits = s.scalar(select(func.count()).select_from(AuditRecord))
    return len(rows), len(events_), audits


def _ids(ctx, nos):
    return [events.loan_id_of(ctx, n) for n in nos]


def test_the_ward_is_found_without_diacritics(sample_ctx):
    rows = br.loans_in_area(sample_ctx, ward="xa vinh linh")
    assert [r.loan_no for r in rows] == VINH_LINH
    assert [r.loan_no for r in br.loans_in_area(sample_ctx, district="Huyện Hải Lăng")] == HAI_LANG


def test_a_ward_restructured_under_one_decision(sample_ctx):
    ctx = sample_ctx
    ids = _ids(ctx, VINH_LINH)
    lines = br.preview_batch(ctx, ids, D, 6, 1)
    assert [line.refusal for line in lines] == [None] * 6
    by_no = {line.loan_no: line for line in lines}
    hd19 = by_no["HD2024-019"]
    assert (hd19.principal_outstanding, hd19.deferred_interest, hd19.group_before, hd19.group_after) == \
        (840_000_000, 4_970_959, 2, 2)
    assert (hd19.last_due_before, hd19.last_due_after) == (date(2028, 5, 5), date(2028, 11, 5))
    assert (by_no["HD2022-011"].principal_outstanding, by_no["HD2022-011"].group_after) == (713_333_336, 2)
    before = _book(ctx)
    seen: list[tuple[int, int]] = []
    posted = events.restructure_batch(ctx, ids, D, 6, 1, "QĐ-CC-0019", "Lũ lụt tháng 11/2024",
                                      progress=lambda d, t: seen.append((d, t)))
    assert [p.reference for p in posted] == [f"QĐ-CC-0019/{n}" for n in VINH_LINH]
    assert seen[-1] == (12, 12) and len(seen) == 13
    assert _book(ctx)[:2] == (before[0] + 6, before[1] + 6)
    assert {br.decision_of(p.reference) for p in posted} == {"QĐ-CC-0019"}
    # each loan now stands as the engine replays the golden CSVs with that restructuring
    golden = {x.loan_no: x for x in sample_loans()}
    for no, loan_id, p in zip(VINH_LINH, ids, posted, strict=True):
        loan = golden[no]
        engine = replay_entries(loan.terms, [*loan.transactions, Restructuring(D, 6, 1)], until=D)
        view = loan_view(ctx, loan_id=loan_id, as_of=D)
        assert view.schedule == tuple(engine.schedule()), no
        assert view.balances.debt_group == engine.balances(D).debt_group == by_no[no].group_after, no
        assert p.allocation.deferred_interest == by_no[no].deferred_interest, no
        assert ep.loan_events(ctx, loan_id, D).restructurings == 1


def test_one_refused_loan_writes_nothing_and_each_is_named(sample_ctx):
    ctx = sample_ctx
    ids = _ids(ctx, HAI_LANG)
    lines = br.preview_batch(ctx, ids, D, 6, 1)
    assert [line.loan_no for line in lines if line.refused] == ["HD2022-002", "HD2022-033"]
    before = _book(ctx)
    with pytest.raises(br.BatchRefused) as err:
        events.restructure_batch(ctx, ids, D, 6, 1, "QĐ-CC-0020", "Lũ lụt")
    assert list(err.value.refused) == ["HD2022-002", "HD2022-033"]
    assert "gia hạn ít nhất 18 tháng" in err.value.refused["HD2022-002"]
    assert "gia hạn ít nhất 21 tháng" in err.value.refused["HD2022-033"]
    assert "HD2022-002: " in err.value.message and "chưa ghi gì vào sổ" in err.value.message
    # the preview's reasons are the write's
    assert {line.loan_no: line.refusal for line in lines if line.refused} == err.value.refused
    assert _book(ctx) == before  # no entry, no event row, no audit line
    # the officer removes the refused loans: the two others go through
    kept = [line.loan_id for line in lines if not line.refused]
    posted = events.restructure_batch(ctx, kept, D, 6, 1, "QĐ-CC-0020", "Lũ lụt")
    assert [p.reference for p in posted] == ["QĐ-CC-0020/HD2024-001", "QĐ-CC-0020/HD2024-025"]
    assert _book(ctx)[0] == before[0] + 2


def test_the_same_decision_twice_is_refused_by_loan(sample_ctx):
    ctx = sample_ctx
    ids = _ids(ctx, ["HD2024-001", "HD2024-025"])
    events.restructure_batch(ctx, ids[:1], D, 6, 0, "QĐ-CC-0021", "Lũ lụt")
    before = _book(ctx)
    with pytest.raises(br.BatchRefused) as err:
        events.restructure_batch(ctx, ids, D, 6, 0, "QĐ-CC-0021", "Lũ lụt")
    assert list(err.value.refused) == ["HD2024-001"]
    assert "QĐ-CC-0021/HD2024-001" in err.value.refused["HD2024-001"]
    assert _book(ctx) == before


def test_the_preview_refuses_what_the_posting_would(sample_ctx):
    """The preview (the window's «Xem trước», `--check`) read «cơ cấu lại được» for a loan already restructured under
    the decision and for a day in a closed period, and the posting then refused them: given the decision, the preview
    names the loan with the posting's own words, and a closed day refuses the preview as it refuses the posting."""
    from fundapp.services.closing import close_period
    from fundapp.services.errors import UserFacingError

    ctx = sample_ctx
    ids = _ids(ctx, ["HD2024-001", "HD2024-025"])
    events.restructure_batch(ctx, ids[:1], D, 6, 0, "QĐ-CC-0023", "Lũ lụt")
    lines = br.preview_batch(ctx, ids, D, 6, 0, decision="QĐ-CC-0023", reason="Lũ lụt")
    assert [line.refused for line in lines] == [True, False]
    with pytest.raises(br.BatchRefused) as err:
        events.restructure_batch(ctx, ids, D, 6, 0, "QĐ-CC-0023", "Lũ lụt")
    assert lines[0].refusal == err.value.refused["HD2024-001"]
    assert lines[0].principal_outstanding is not None  # the loan's own figures, as for any refused loan
    with pytest.raises(ValidationError) as bad:
        br.preview_batch(ctx, ids[1:], D, 6, 0, decision="QĐ/1", reason="Lũ lụt")
    assert bad.value.field == "reference"
    close_period(ctx, D)
    with pytest.raises(UserFacingError) as closed:
        br.preview_batch(ctx, ids[1:], D, 6, 0)
    assert "sổ đã khóa đến hết ngày 31/12/2024" in closed.value.message and closed.value.field == "on"


def test_cancel_before_the_write_and_bad_decisions(sample_ctx):
    ctx = sample_ctx
    ids = _ids(ctx, VINH_LINH)
    before = _book(ctx)
    with pytest.raises(UserCancelled):
        events.restructure_batch(ctx, ids, D, 6, 1, "QĐ-CC-0022", "Lũ lụt", cancelled=lambda: True)
    for decision, reason, field in (("", "Lũ lụt", "reference"), ("QĐ/1", "Lũ lụt", "reference"),
                                    ("QĐ-CC-0022", " ", "reason"), ("Q" * 60, "Lũ lụt", "reference")):
        with pytest.raises(ValidationError) as err:
            events.restructure_batch(ctx, ids, D, 6, 1, decision, reason)
        assert err.value.field == field, decision
    with pytest.raises(ValidationError) as err:
        events.restructure_batch(ctx, [], D, 6, 1, "QĐ-CC-0022", "Lũ lụt")
    assert err.value.field == "loans"
    assert _book(ctx) == before


def test_a_refused_loan_shows_its_own_figures(sample_ctx):
    """A refused loan's row said «Dư nợ gốc 0» (a new officer's trial: HD2024-003 owed 166.666.670 đ): every figure
    of a refused row is the loan's own at the end of the day, as the golden book gives it, and what only the
    restructuring would give is None, never a 0 that reads as a figure."""
    from tests import golden

    ctx = sample_ctx
    lines = br.preview_batch(ctx, _ids(ctx, HAI_LANG), D, 6, 1)
    refused = {line.loan_no: line for line in lines if line.refused}
    expected = golden.expected()
    assert list(refused) == ["HD2022-002", "HD2022-033"]
    for no, line in refused.items():
        balances = expected["balances"]["2024-12-31"][no]
        last = date.fromisoformat(expected["schedules"][no][-1]["due_date"])
        assert (line.principal_outstanding, line.group_before, line.last_due_before) == \
            (balances["principal_outstanding"], balances["debt_group"], last), no
        assert (line.deferred_interest, line.group_after, line.last_due_after) == (None, None, None), no
    assert (refused["HD2022-002"].principal_outstanding, refused["HD2022-033"].principal_outstanding) == \
        (320_000_000, 131_395_575)


def test_the_batch_decision_number_names_its_loans_papers(sample_ctx, tmp_path):
    """`fundapp event-document QĐ-CC-0024` after a batch under QĐ-CC-0024 said «Không có lần cơ cấu lại … số
    «QĐ-CC-0024» trong sổ» of a decision the book holds: each loan's paper is made by its own reference, and the
    refusal now names them."""
    from fundapp.services.errors import NotFound
    from fundapp.services.event_documents import write_event_document

    ctx = sample_ctx
    events.restructure_batch(ctx, _ids(ctx, ["HD2024-001", "HD2024-025"]), D, 6, 0, "QĐ-CC-0024", "Lũ lụt")
    with pytest.raises(NotFound) as err:
        write_event_document(ctx, "QĐ-CC-0024", tmp_path / "qd.pdf")
    assert "QĐ-CC-0024/HD2024-001, QĐ-CC-0024/HD2024-025" in err.value.message
    assert "Không có" not in err.value.message and not (tmp_path / "qd.pdf").exists()
    with pytest.raises(NotFound) as none:
        write_event_document(ctx, "QĐ-CC-9999", tmp_path / "qd.pdf")
    assert "Không có lần cơ cấu lại" in none.value.message


def test_a_single_loans_decision_number_is_not_a_batchs(sample_ctx):
    """A batch under QĐ-CC-0025, the number of HD2024-001's own restructuring, went through: two decisions of one
    number, `event-document QĐ-CC-0025` printing only the first. The preview and the posting refuse it naming the
    loan that has it; a later batch under a batch's own number (a loan left out) still goes through."""
    ctx = sample_ctx
    one, other, third = _ids(ctx, ["HD2024-001", "HD2024-025", "HD2023-034"])
    events.restructure(ctx, one, D, 6, 0, "QĐ-CC-0025", "Lũ lụt")
    before = _book(ctx)
    for attempt in (lambda: br.preview_batch(ctx, [other], D, 6, 0, decision="QĐ-CC-0025", reason="Lũ lụt"),
                    lambda: events.restructure_batch(ctx, [other], D, 6, 0, "QĐ-CC-0025", "Lũ lụt")):
        with pytest.raises(ValidationError) as err:
            attempt()
        assert err.value.field == "reference"
        assert "«QĐ-CC-0025» đã có trong sổ: bút toán của khoản vay HD2024-001 ngày 31/12/2024" in err.value.message
    assert _book(ctx) == before
    events.restructure_batch(ctx, [other], D, 6, 0, "QĐ-CC-0026", "Lũ lụt")
    assert [p.reference for p in events.restructure_batch(ctx, [third], D, 6, 0, "QĐ-CC-0026", "Lũ lụt")] == \
        ["QĐ-CC-0026/HD2023-034"]
