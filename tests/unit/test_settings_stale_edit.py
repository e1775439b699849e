"""Two officers editing the fund's settings at once on a shared book (a trial): the one who saves second keeps the
other's change of another setting — his form still showed the old value, which was written back silently — and a
setting both changed is refused naming it, nothing saved; with maker-checker on, the proposal holds only what this
officer changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fundapp.services import proposals, users
from fundapp.services.errors import StaleEdit
from fundapp.services.rights import ProposalMade
from fundapp.services.settings import load_settings, save_settings

PASSWORD = "mat-khau-8"


def test_a_setting_saved_meanwhile_is_kept(ctx):
    mine = load_settings(ctx)  # my page opens
    save_settings(ctx, replace(load_settings(ctx), director="Nguyễn Văn An"))  # another officer saves
    saved = save_settings(ctx, replace(mine, place="Đông Hà"), mine)
    stored = load_settings(ctx)
    assert (stored.director, stored.place) == ("Nguyễn Văn An", "Đông Hà") and saved == stored


def test_a_setting_both_changed_is_refused_naming_it(ctx):
    mine = load_settings(ctx)
    save_settings(ctx, replace(load_settings(ctx), director="Nguyễn Văn An"))
    with pytest.raises(StaleEdit) as stale:
        save_settings(ctx, replace(mine, director="Trần Thị Bình", place="Đông Hà"), mine)
    assert stale.value.message == ("Người khác vừa sửa Giám đốc trong lúc trang Cài đặt đang mở: chưa lưu gì. Mở lại "
                                   "trang Cài đặt (hoặc fundapp settings) để xem giá trị mới rồi sửa lại.")
    assert stale.value.field == "director"
    stored = load_settings(ctx)
    assert (stored.director, stored.place) == ("Nguyễn Văn An", mine.place)


def test_a_proposal_holds_only_what_this_officer_changed(ctx):
    users.add_user(ctx, "qt", ["admin"], PASSWORD)
    qt = users.login(ctx, "qt", PASSWORD)
    users.add_user(qt, "qt2", ["admin"], PASSWORD)
    qt2 = users.login(ctx, "qt2", PASSWORD)
    mine = load_settings(qt)
    with pytest.raises(ProposalMade) as first:
        save_settings(qt2, replace(load_settings(qt2), director="Nguyễn Văn An"))
    proposals.confirm(qt, first.value.proposal.id)
    with pytest.raises(ProposalMade) as second:
        save_settings(qt, replace(mine, place="Đông Hà"), mine)
    assert second.value.proposal.params == {"values": {"place": "Đông Hà"}}
    proposals.confirm(qt2, second.value.proposal.id)
    stored = load_settings(ctx)
    assert (stored.director, stored.place) == ("Nguyễn Văn An", "Đông Hà")
