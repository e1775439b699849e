"""The loan's papers and collateral dialog, and Settings' Word templates box (issue 16)."""

from __future__ import annotations

import io
from datetime import date

from fundapp.services import collateral, documents, paper_issue, templates
from tests.gui.conftest import wait_jobs
from tests.gui.pages_env import Files, make_env


def test_papers_dialog_shows_coverage_pledges_and_saves_a_contract(sample_ctx, qsettings, qtbot, boxes, monkeypatch,
                                                                   tmp_path):
    from docx import Document

    from fundapp.ui.papers import PapersDialog

    env = make_env(sample_ctx, qsettings)
    collateral.add(sample_ctx, dict(kind="land", description="Thửa đất số 12", owner="HTX chuối Mò Ó",
                                    value=1_500_000_000, valued_on=date(2024, 3, 1)), loan_no="HD2024-001")
    dialog = PapersDialog(env, "HD2024-001", ["GN-00001"])
    qtbot.addWidget(dialog)
    wait_jobs(qtbot, env)
    outstanding = collateral.loan_coverage(sample_ctx, "HD2024-001").base
    assert dialog.table.model().rowCount() == 1
    assert "1.500.000.000" in dialog.coverage.text() and f"{outstanding:,}".replace(",", ".") in dialog.coverage.text()
    assert "1.500.000.000 đ," in dialog.coverage.text() and "đồng" not in dialog.coverage.text()  # formatting.vnd
    files = Files(monkeypatch)
    files.save = str(tmp_path / "hd.docx")
    dialog.save(pdf=False)
    wait_jobs(qtbot, env)
    text = "\n".join(p.text for p in Document(io.BytesIO((tmp_path / "hd.docx").read_bytes())).paragraphs)
    assert "Một tỷ ba trăm ba mươi triệu đồng" in text
    assert "số 01/HĐTD-QHT" in dialog.issued.text()  # issued: numbered from the register (issue 16)
    files.save = str(tmp_path / "nhap.docx")
    dialog.save_draft()
    wait_jobs(qtbot, env)
    assert "chưa cấp số" in dialog.issued.text() and (tmp_path / "nhap.docx").exists()
    assert [r.label for r in documents.document_register(sample_ctx)] == ["01/HĐTD-QHT"]
    dialog.kind.setCurrentIndex(1)
    assert dialog.tranche.isEnabled() and dialog.tranche.currentText() == "GN-00001"


def test_templates_box_refuses_a_broken_template_and_restores(sample_ctx, qsettings, qtbot, boxes, monkeypatch,
                                                             tmp_path):
    from docx import Document

    from fundapp.ui.papers import TemplatesBox

    env = make_env(sample_ctx, qsettings)
    box = TemplatesBox(env)
    qtbot.addWidget(box)
    wait_jobs(qtbot, env)
    assert box.states["contract"].text() == "Mẫu mặc định"
    doc = Document(io.BytesIO(templates.default_template("contract")))
    doc.add_paragraph("{{ so_tien }}")
    doc.save(tmp_path / "bad.docx")
    files = Files(monkeypatch)
    files.open = str(tmp_path / "bad.docx")
    box.replace("contract")
    wait_jobs(qtbot, env)
    assert "so_tien" in boxes.texts() and box.states["contract"].text() == "Mẫu mặc định"
    doc = Document(io.BytesIO(templates.default_template("contract")))
    doc.add_paragraph("Mẫu riêng {{ loan_no }}")
    doc.save(tmp_path / "own.docx")
    files.open = str(tmp_path / "own.docx")
    box.replace("contract")
    wait_jobs(qtbot, env)
    assert box.states["contract"].text() == "Mẫu riêng của Quỹ"
    box.restore("contract")
    wait_jobs(qtbot, env)
    assert box.states["contract"].text() == "Mẫu mặc định"


def test_application_page_button_saves_the_appraisal(ctx, qsettings, qtbot, boxes, monkeypatch, tmp_path):
    from fundapp.services import applications, borrowers
    from fundapp.services.settings import FundSettings, save_settings
    from fundapp.ui.papers import ApplicationPapersButton
    from tests.unit.test_lending import BORROWER

    save_settings(ctx, FundSettings(charter_capital=20_000_000_000))
    b = borrowers.save_borrower(ctx, BORROWER)
    app = applications.receive_application(ctx, b.id, 800_000_000, "Mua máy sấy", received_on=date(2024, 2, 1))
    env = make_env(ctx, qsettings)
    button = ApplicationPapersButton(env, lambda: applications.get_application(ctx, app.id))
    qtbot.addWidget(button)
    files = Files(monkeypatch)
    files.save = str(tmp_path / "tt.docx")
    button.save("appraisal")
    wait_jobs(qtbot, env)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(tmp_path / "tt.docx")).paragraphs)
    assert "800.000.000 đồng (bằng chữ: Tám trăm triệu đồng)" in text


def test_a_settled_loan_offers_the_release_letter(sample_ctx, qsettings, qtbot, boxes):
    from fundapp.services.loans import loan_view
    from fundapp.services.queries import list_loans
    from fundapp.ui.papers import PapersDialog

    settled = next(r.loan_no for r in list_loans(sample_ctx)
                   if loan_view(sample_ctx, r.loan_no).closed_on is not None)
    env = make_env(sample_ctx, qsettings)
    dialog = PapersDialog(env, settled, [], settled=True)
    qtbot.addWidget(dialog)
    wait_jobs(qtbot, env)
    assert dialog.kind.currentData() == "release"
    text = "\n".join(p.text for p in __import__("docx").Document(
        io.BytesIO(paper_issue.render_loan_paper(sample_ctx, "release", settled).docx)).paragraphs)
    view = loan_view(sample_ctx, settled)
    assert "đã được tất toán ngày" in text and view.closed_on.strftime("%d/%m/%Y") in text


def test_release_is_offered_for_a_pledged_asset_chosen_and_every_asset_reads_whole(sample_ctx, qsettings, qtbot,
                                                                                     boxes):
    """A new officer's trial: «Giải chấp tài sản đã chọn» was enabled with no asset, or none chosen, and did nothing
    when clicked; the kind was cut to «Quyền sử dụ…» beside empty room. It now says why it waits, and each row is as
    tall as its texts wrapped."""
    from fundapp.ui.papers import PapersDialog

    env = make_env(sample_ctx, qsettings)
    dialog = PapersDialog(env, "HD2024-001", ["GN-00001"])
    qtbot.addWidget(dialog)
    dialog.show()
    wait_jobs(qtbot, env)
    button = dialog.release_button
    assert not button.isEnabled() and button.toolTip() == "Khoản vay chưa có tài sản bảo đảm nào."
    collateral.add(sample_ctx, dict(kind="land", description="Thửa đất số 12, tờ bản đồ 5, xã Gio Linh",
                                    owner="HTX Nông nghiệp Gio Linh", value=1_500_000_000,
                                    valued_on=date(2024, 3, 1)), loan_no="HD2024-001")
    dialog.reload()
    wait_jobs(qtbot, env)
    qtbot.wait(20)  # laid out, the rows fitted
    assert not button.isEnabled() and button.toolTip() == "Chọn một tài sản trong danh sách để giải chấp"
    table = dialog.table
    assert all(table.sizeHintForRow(r) <= table.rowHeight(r) for r in range(table.rowCount()))
    table.selectRow(0)
    assert button.isEnabled()
    button.click()  # asked, answered yes: released
    wait_jobs(qtbot, env)
    table.selectRow(0)
    assert not button.isEnabled() and button.toolTip() == "Tài sản này không còn đang bảo đảm (Đã giải chấp)"
