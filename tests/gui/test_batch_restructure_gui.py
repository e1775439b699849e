"""Cơ cấu lại hàng loạt driven as an officer would (issue 15): the loans list filtered to Huyện Hải Lăng (a flood),
the dialog opens with its four loans ticked, the preview marks HD2022-002 and HD2022-033 refused in red with the
engine's reason, posting is refused while they are selected, «Bỏ các khoản bị từ chối» drops them and the two
others are restructured under QĐ-CC-0020 in one go; the ledger then holds exactly those two entries and the loans
stand as the engine replays them. With FUNDAPP_SCREENSHOTS=DIR the dialog is saved there (docs/screenshots)."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.domain.engine import Restructuring, replay_entries
from fundapp.ledger import lending_store
from fundapp.services.book_loader import entries_with_ids, terms_of
from tests.gui.conftest import wait_jobs
from tests.gui.helpers import drive, press_enter, type_text
from tests.gui.test_life_event_dialogs import shot

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
TODAY = date(2024, 12, 31)
HAI_LANG = ["HD2022-002", "HD2022-033", "HD2024-001", "HD2024-025"]


def _restructurings(ctx) -> dict[str, Restructuring]:
    with ctx.db.unit() as s:
        out = {}
        for loan_id in lending_store.loan_numbers(s).values():
            for _, e in entries_with_ids(s, loan_id):
                if isinstance(e, Restructuring):
                    out[e.reference] = e
        return out


def _result(d, loan_no: str) -> str:
    r = next(i for i, row in enumerate(d.rows) if row.loan_no == loan_no)
    return d.table.item(r, 8).text()


def test_a_flooded_district_restructured_all_or_nothing(window, qtbot, boxes):
    ctx = window.env.ctx
    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    loans.district.setCurrentIndex(loans.district.findData("Huyện Hải Lăng"))
    assert loans.proxy.rowCount() == 4

    def fill(d):
        assert sorted(d.rows[i].loan_no for i in range(len(d.rows)) if d.rows[i].id in d.selected_ids()) == HAI_LANG
        shot(d, "batch_restructure_selection")
        d.reference.setText("QĐ-CC-0020")
        d.extend.setValue(6)
        d.grace.setValue(1)
        type_text(d.reason, "Lũ lụt tháng 11/2024")
        d.preview_button.click()
        qtbot.waitUntil(lambda: d.previewed_key == d._key(), timeout=20000)
        assert "gia hạn ít nhất 18 tháng" in _result(d, "HD2022-002")
        assert "gia hạn ít nhất 21 tháng" in _result(d, "HD2022-033")
        assert _result(d, "HD2024-001") == "Cơ cấu lại được"
        r = next(i for i, row in enumerate(d.rows) if row.loan_no == "HD2024-001")
        assert d.table.item(r, 6).text() == "1 → 2" and d.table.item(r, 7).text() == "31/03/2025 → 30/09/2025"
        assert d.table.item(r, 4).text() == "665.000.000"
        assert "2 khoản vay bị từ chối" in d.count.text() and d.drop_button.isEnabled()
        shot(d, "batch_restructure_preview")
        press_enter(d)  # refused loans still selected: refused beside the selection, nothing asked
        qtbot.waitUntil(lambda: "2 khoản vay bị từ chối" in d.form.error_text("loans"))
        assert not any(title == "Xác nhận cơ cấu lại hàng loạt" for _, title, _ in boxes.shown)
        d.drop_button.click()
        assert len(d.selected_ids()) == 2 and "cơ cấu lại được tất cả" in d.count.text()
        press_enter(d)

    drive(qtbot, lambda: loans.run_batch(loans.make_batch_dialog()), fill)
    wait_jobs(qtbot, window.env)
    titles = [title for _, title, _ in boxes.shown]
    assert "Xác nhận cơ cấu lại hàng loạt" in titles and titles[-1] == "Đã cơ cấu lại"
    assert "2 khoản vay (dư nợ gốc 1.496.250.000 đ)" in boxes.shown[-2][2]
    made = _restructurings(ctx)
    assert sorted(made) == ["QĐ-CC-0020/HD2024-001", "QĐ-CC-0020/HD2024-025"]
    assert made["QĐ-CC-0020/HD2024-001"] == Restructuring(TODAY, 6, 1, "QĐ-CC-0020/HD2024-001", "Lũ lụt tháng 11/2024")
    wait_jobs(qtbot, window.env)
    with ctx.db.unit() as s:
        record = lending_store.loan_by_no(s, "HD2024-001")
        terms, entries = terms_of(record), [e for _, e in entries_with_ids(s, record.id)]
    engine = replay_entries(terms, entries, until=TODAY).balances(TODAY)
    row = next(r for r in loans.model.rows if r.loan_no == "HD2024-001")
    assert row.debt_group == engine.debt_group == 2


def _previewed(qtbot, d, reference: str) -> None:
    """Type the decision ``reference`` and a reason into the batch dialog ``d``, press «Xem trước» and wait for it."""
    d.reference.setText(reference)
    type_text(d.reason, "Lũ lụt")
    d.preview_button.click()
    qtbot.waitUntil(lambda: d.previewed_key == d._key(), timeout=20000)


def test_cancel_before_the_write_writes_nothing(window, qtbot, boxes, monkeypatch):
    from fundapp.ui.jobs import JobControl

    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    loans.district.setCurrentIndex(loans.district.findData("Huyện Vĩnh Linh"))

    def fill(d):
        _previewed(qtbot, d, "QĐ-CC-0021")
        assert "cơ cấu lại được tất cả" in d.count.text() and len(d.selected_ids()) == 6
        monkeypatch.setattr(JobControl, "cancelled", lambda self: True)  # the officer presses Hủy on the progress
        press_enter(d)
        qtbot.waitUntil(lambda: "Đã hủy. Chưa ghi gì vào sổ." in d.count.text(), timeout=20000)
        d.reject()

    drive(qtbot, lambda: loans.run_batch(loans.make_batch_dialog()), fill)
    wait_jobs(qtbot, window.env)
    assert _restructurings(window.env.ctx) == {}


def test_the_preview_names_a_loan_already_under_the_decision(window, qtbot, boxes):
    """«Xem trước» read «Cơ cấu lại được» for a loan already restructured under the decision typed, and «Cơ cấu
    lại» was then refused: the preview names it in red with the posting's words, and another number asks for a new
    preview."""
    from fundapp.services import events

    ctx = window.env.ctx
    events.restructure_batch(ctx, [events.loan_id_of(ctx, "HD2024-001")], TODAY, 6, 1, "QĐ-CC-0022", "Lũ lụt")
    loans = window.show_page("loans")
    wait_jobs(qtbot, window.env)
    loans.district.setCurrentIndex(loans.district.findData("Huyện Hải Lăng"))

    def fill(d):
        _previewed(qtbot, d, "QĐ-CC-0022")
        assert "«QĐ-CC-0022/HD2024-001» đã có trong sổ" in _result(d, "HD2024-001")
        assert _result(d, "HD2024-025") == "Cơ cấu lại được"
        d.reference.setText("QĐ-CC-0023")
        qtbot.waitUntil(lambda: "bấm «Xem trước» lại" in d.count.text())
        d.reject()

    drive(qtbot, lambda: loans.run_batch(loans.make_batch_dialog()), fill)
    wait_jobs(qtbot, window.env)
