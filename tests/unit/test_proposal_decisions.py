"""Two checkers deciding one proposal at the same moment (a shared book's trial): the decision and what it does are
one transaction, so the second checker is told the first one decided it — never told «Đã từ chối» while the action
was done, never doing it a second time, never refused with an unrelated «Số chứng từ … đã có trong sổ» — and the
refusal names the status in words, not the stored code («confirmed»)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from fundapp.services import proposals, users
from fundapp.services.errors import UserFacingError

PASSWORD = "mat-khau-8"
RELIEF = dict(loan_no="HD2022-002", on="2024-11-05", relief_of="late_interest", amount=100_000,
              reference="QĐ-MG-0901", reason="Thiên tai")


@pytest.fixture
def directors(sample_ctx):
    users.add_user(sample_ctx, "qt", ["admin"], PASSWORD)
    admin = users.login(sample_ctx, "qt", PASSWORD)
    for name, roles in (("cb", ["officer"]), ("gd", ["director"]), ("gd2", ["director"])):
        users.add_user(admin, name, roles, PASSWORD)
    return {name: users.login(sample_ctx, name, PASSWORD) for name in ("cb", "gd", "gd2")}


def _between_check_and_write(monkeypatch, other) -> None:
    """The other checker's decision lands after this checker's confirmation checked the proposal (read it pending,
    recomputed its preview) and before it wrote: what two officers clicking at once on a server do."""
    preview = proposals.preview_text
    done = []

    def then_other(ctx, action, params):
        shown = preview(ctx, action, params)
        if not done:
            done.append(True)
            other()
        return shown

    monkeypatch.setattr(proposals, "preview_text", then_other)


def _reliefs(ctx) -> list[str]:
    with ctx.db.read() as s:
        return list(s.execute(text("SELECT reference FROM entries WHERE reference = 'QĐ-MG-0901'")).scalars())


def _status(ctx, proposal_id: int) -> tuple[str, str]:
    row = next(r for r in proposals.proposal_rows(ctx) if r.id == proposal_id)
    return row.status, row.decided_by


def test_a_refusal_meanwhile_stops_the_confirmation(directors, monkeypatch):
    cb, gd, gd2 = directors["cb"], directors["gd"], directors["gd2"]
    p = proposals.propose(cb, "relief", RELIEF)
    _between_check_and_write(monkeypatch, lambda: proposals.refuse(gd2, p.id, "Không đồng ý"))
    with pytest.raises(UserFacingError) as refused:
        proposals.confirm(gd, p.id)
    assert refused.value.message == (f"Đề xuất số {p.id} đã được xử lý: gd2 đã từ chối trước; lần này không ghi gì "
                                     "thêm. Xem lại danh sách chờ duyệt.")
    assert _reliefs(gd) == []  # gd2 was told «Đã từ chối»: nothing of it is in the book
    assert _status(gd, p.id) == ("refused", "gd2")


def test_a_second_confirmation_meanwhile_is_told_who_confirmed(directors, monkeypatch):
    cb, gd, gd2 = directors["cb"], directors["gd"], directors["gd2"]
    p = proposals.propose(cb, "relief", RELIEF)
    _between_check_and_write(monkeypatch, lambda: proposals.confirm(gd2, p.id))
    with pytest.raises(UserFacingError) as refused:
        proposals.confirm(gd, p.id)
    assert "gd2 đã xác nhận trước" in refused.value.message and "confirmed" not in refused.value.message
    assert _reliefs(gd) == ["QĐ-MG-0901"]
    assert _status(gd, p.id) == ("confirmed", "gd2")


def test_a_confirmation_meanwhile_cannot_be_overwritten_by_a_refusal(directors, monkeypatch):
    cb, gd, gd2 = directors["cb"], directors["gd"], directors["gd2"]
    p = proposals.propose(cb, "relief", RELIEF)
    claim = proposals._claim
    done = []

    def then_other(ctx, proposal_id):  # gd2 reads it pending; gd confirms before gd2's refusal is written
        row = claim(ctx, proposal_id)
        if not done:
            done.append(True)
            proposals.confirm(gd, p.id)
        return row

    monkeypatch.setattr(proposals, "_claim", then_other)
    with pytest.raises(UserFacingError, match="gd đã xác nhận trước"):
        proposals.refuse(gd2, p.id, "Không đồng ý")
    assert _reliefs(gd) == ["QĐ-MG-0901"] and _status(gd, p.id) == ("confirmed", "gd")


def test_an_action_and_its_confirmation_are_written_together(directors, monkeypatch):
    """A server lost between the action and its confirmation left the relief written and its proposal pending, to be
    confirmed (written) again: the confirmation is in the action's own transaction, both or neither."""
    cb, gd = directors["cb"], directors["gd"]
    p = proposals.propose(cb, "relief", RELIEF)
    from fundapp.ledger import office_store

    audit = office_store.audit

    def lost(s, actor, action, *args, **kwargs):  # the server goes away while the confirmation is written
        if action == "proposal confirmed":
            raise UserFacingError("mất kết nối")
        return audit(s, actor, action, *args, **kwargs)

    monkeypatch.setattr(office_store, "audit", lost)
    with pytest.raises(UserFacingError, match="mất kết nối"):
        proposals.confirm(gd, p.id)
    monkeypatch.setattr(office_store, "audit", audit)
    assert _reliefs(gd) == [] and _status(gd, p.id) == ("pending", "")
    proposals.confirm(gd, p.id)
    assert _reliefs(gd) == ["QĐ-MG-0901"] and _status(gd, p.id) == ("confirmed", "gd")
