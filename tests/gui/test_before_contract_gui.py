"""The window's side of «no paper of a loan before its contract» (an officer's trial): the loan page's «In sao
kê…» and «Biên bản đối chiếu» at a day before the contract are refused by the documents service, said in a box,
nothing previewed, nothing numbered; and the date fields' earliest day is the services' own (01/01/2000), where they
offered 1990."""

from __future__ import annotations

from datetime import date

import pytest

from tests.gui.conftest import wait_jobs

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.mark.parametrize(("which", "paper"), [("statement", "sao kê khoản vay"),
                                              ("reconciliation", "biên bản đối chiếu công nợ")])
def test_the_loan_page_makes_no_paper_of_a_day_before_the_contract(window, qtbot, boxes, monkeypatch, which, paper):
    from fundapp.services.documents import document_register
    from fundapp.services.queries import list_loans
    from fundapp.ui import pdf_preview

    env = window.env
    loan = next(r for r in list_loans(env.ctx) if r.loan_no == "HD2022-002")  # signed 18/07/2022
    detail = window.show_page("loans").open_loan(loan.id)
    wait_jobs(qtbot, env)
    shown = []
    monkeypatch.setattr(pdf_preview.PdfPreview, "exec", lambda dialog: shown.append(dialog) or 1)
    detail.as_of.setValue(date(2022, 7, 17))
    wait_jobs(qtbot, env)
    before = len(boxes.shown)
    detail.print_document(which)
    wait_jobs(qtbot, env)
    assert shown == []  # no preview of a paper of a loan not yet signed
    said = "\n".join(text for _, _, text in boxes.shown[before:])
    assert (f"Khoản vay HD2022-002 ký hợp đồng ngày 18/07/2022: không lập {paper} tại ngày 17/07/2022, trước ngày ký"
            in said)
    assert document_register(env.ctx) == []

    detail.as_of.setValue(date(2022, 7, 18))  # the contract's day is the loan's: previewed
    wait_jobs(qtbot, env)
    detail.print_document(which)
    wait_jobs(qtbot, env)
    assert len(shown) == 1


def test_the_date_fields_earliest_day_is_the_services_floor(qtbot):
    from fundapp.services.clock import refuse_early
    from fundapp.services.errors import ValidationError
    from fundapp.services.import_cells import EARLIEST
    from fundapp.ui.widgets.fields import DateEdit

    edit = DateEdit(date(2024, 12, 31))
    qtbot.addWidget(edit)
    assert EARLIEST == date(2000, 1, 1)
    edit.setText("01/01/2000")
    assert edit.value() == EARLIEST  # the first day a book holds is taken, as the services take it
    refuse_early(EARLIEST, "x", "on")
    for typed in ("31/12/1999", "01/01/1990"):  # the field took 1990 where every service refused it
        edit.setText(typed)
        edit.read_text()
        assert edit.problem_text() == f"Ngày {typed} trước ngày 01/01/2000, ngày sớm nhất nhập được"
        with pytest.raises(ValidationError):
            refuse_early(date(int(typed[-4:]), int(typed[3:5]), int(typed[:2])), "x", "on")
