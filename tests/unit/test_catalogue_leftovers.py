"""Strings that reached the officer outside the catalogue until issue 16's last stop, each now in both languages:
the OS file errors, a book lock's holder, role and audit labels, a closed report's status, the receipts warning,
the import template's guide sheet. Each assertion fails on the code before (a Vietnamese literal in English mode)."""

from __future__ import annotations

import dataclasses
import errno
from datetime import date

import pytest

from fundapp import i18n


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("vi")


def test_os_file_errors_in_both_languages(english):
    from fundapp.cli.output import os_error_text

    assert os_error_text(OSError(errno.ENOENT, "x", "/tmp/a.pdf")) == (
        "cannot read or write the file /tmp/a.pdf: no such file or folder")
    assert os_error_text(OSError(errno.EACCES, "x")) == (
        "cannot read or write the file: no permission to read or write here: choose another folder")
    i18n.set_language("vi")
    assert os_error_text(OSError(errno.ENOENT, "x", "/tmp/a.pdf")) == (
        "không ghi/đọc được tệp /tmp/a.pdf: không có tệp hoặc thư mục này")


def test_a_book_holder_roles_and_a_closed_reports_status_in_both_languages(english):
    from fundapp.ledger.booklock import holder_text
    from fundapp.services.closing import StoredReport
    from fundapp.services.rights import role_label

    holder = {"user": "canbo1", "host": "KETOAN-02", "pid": 4312, "since": "2026-11-30T08:15:02"}
    assert holder_text(holder) == "canbo1 on computer KETOAN-02 (process 4312) since 2026-11-30 08:15:02"
    assert role_label(["admin", "officer", "nobody"]) == "administrator, credit officer, nobody"
    assert role_label(["admin"], "vi") == "quản trị"  # the audit record's words
    report = StoredReport(7, "quarterly", date(2024, 6, 30), {}, "12:0123abcd")
    assert report.status == "closed on 30/06/2024 (check code 12:0123abcd)"
    i18n.set_language("vi")
    assert holder_text(holder) == "canbo1 trên máy KETOAN-02 (tiến trình 4312) từ 2026-11-30 08:15:02"
    assert report.status == "đã khóa sổ ngày 30/06/2024 (mã kiểm tra 12:0123abcd)"
    assert dataclasses.replace(report, anchor="").status == "đã khóa sổ ngày 30/06/2024"


def test_the_receipts_warning_in_both_languages(english):
    from fundapp.services.posting import ChangedReceipt, receipts_text

    changed = [ChangedReceipt("PT-00005", date(2022, 9, 27), (1_000_000, 250_000, 0, 0), (900_000, 350_000, 0, 0))]
    assert receipts_text(changed) == (
        "This entry changes the split of 1 receipts already issued:\n"
        "- PT-00005 on 27/09/2022: principal 1.000.000 → 900.000, interest 250.000 → 350.000, overdue interest 0 → 0, "
        "late interest 0 → 0 VND")
    i18n.set_language("vi")
    assert receipts_text(changed).startswith("Bút toán này làm thay đổi cách phân bổ của 1 phiếu thu đã lập:\n"
                                             "- PT-00005 ngày 27/09/2022: gốc 1.000.000 → 900.000, lãi 250.000")


def test_the_import_templates_guide_in_the_officers_language(english, tmp_path):
    from openpyxl import load_workbook

    from fundapp.services.migration import write_template

    guide = load_workbook(write_template(tmp_path / "en.xlsx"))["Guide"]
    rows = list(guide.iter_rows(values_only=True))
    assert rows[0] == ("Sheet", "Column", "Meaning", "How to write it", "Required")
    assert ("loans", "amount", "Loan amount", "VND, digits", "yes") in rows
    i18n.set_language("vi")
    rows = list(load_workbook(write_template(tmp_path / "vi.xlsx"))["Hướng dẫn"].iter_rows(values_only=True))
    assert ("loans", "amount", "Số tiền vay", "số đồng, chữ số", "có") in rows


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_the_audit_log_labels_in_the_officers_language(ctx, english):
    from fundapp.services.audit import audit_log
    from fundapp.services.settings import load_settings, save_settings

    save_settings(ctx, dataclasses.replace(load_settings(ctx), fund_name="QUỸ THỬ"))
    assert audit_log(ctx)[0].label == "Settings updated"
    i18n.set_language("vi")
    assert audit_log(ctx)[0].label == "Cập nhật cài đặt"


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_a_broken_chain_is_named_in_both_languages(sample_ctx):
    from sqlalchemy import text

    from fundapp.formatting import vnd
    from fundapp.services.verify import verify_book
    from tests.unit.test_book_of_record import _tamper

    with sample_ctx.db.engine.connect() as c:
        target = c.execute(text("SELECT id, amount, on_date, reference FROM entries WHERE kind = 'repayment' "
                                "ORDER BY id LIMIT 1")).one()
    _tamper(sample_ctx, f"UPDATE entries SET amount = amount + 1 WHERE id = {target.id}")
    check = verify_book(sample_ctx)
    assert check.broken.startswith(f"bút toán #{target.id} đã bị sửa trực tiếp trong cơ sở dữ liệu (ngày ")
    i18n.set_language("en")
    try:
        english = verify_book(sample_ctx).broken
    finally:
        i18n.set_language("vi")
    assert english.startswith(f"an entry #{target.id} was altered directly in the database (date ")
    assert f"kind Repayment, amount {vnd(target.amount + 1)}, voucher {target.reference})" in english
    assert english.endswith(")") and "của chuỗi" not in english and "of the chain)" in english
