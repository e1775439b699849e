"""VietQR on notices and statements (issue 16): the payload's TLV fields, its CRC, and the code read back from the PDF."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import date

import pytest

from fundapp.domain.vietqr import crc16_ccitt_false, crc_ok, parse, payload


def test_payload_fields_and_crc():
    text = payload("970405", "3900201012345", 167_378_363, "HD2022-002 01/TB-QHT")
    f = parse(text)
    assert f["00"] == "01" and f["01"] == "12" and f["53"] == "704" and f["58"] == "VN"
    assert f["38"] == {"00": "A000000727", "01": {"00": "970405", "01": "3900201012345"}, "02": "QRIBFTTA"}
    assert f["54"] == "167378363" and f["62"] == {"08": "HD2022-002 01/TB-QHT"}
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the CRC-16/CCITT-FALSE check value
    assert crc_ok(text) and f["63"] == f"{crc16_ccitt_false(text[:-4].encode()):04X}"
    assert not crc_ok(text[:-1] + ("0" if text[-1] != "0" else "1"))


def test_note_is_folded_and_no_amount_makes_a_static_code():
    f = parse(payload("970405", "123", None, "Trả nợ HĐ số 5 — Đông Hà, quý IV năm 2024"))
    assert f["01"] == "11" and "54" not in f
    assert f["62"]["08"] == "Tra no HD so 5 Dong Ha qu"  # ASCII, ≤ 25 characters
    with pytest.raises(ValueError):
        payload("97040", "123", 1, "")


def _settings_with_bank(ctx):
    from fundapp.services.settings import load_settings, save_settings

    save_settings(ctx, dataclasses.replace(load_settings(ctx), bank_bin="970405", bank_account="3900201012345",
                                           bank_account_name="QUY HO TRO PHAT TRIEN HTX"))


def test_notice_and_statement_carry_the_amount_payable(sample_ctx, tmp_path):
    from pypdf import PdfReader

    from fundapp.services.documents import issue_document
    from fundapp.services.loans import loan_view

    _settings_with_bank(sample_ctx)
    notice = issue_document(sample_ctx, "notice", "HD2022-002", date(2023, 3, 1))
    (tmp_path / "n.pdf").write_bytes(notice.pdf)
    # the code and the signature are kept on one page: the last (this notice takes two); the total stays on the page
    # where it falls when it fits there, the code carries the amount too
    last = len(PdfReader(tmp_path / "n.pdf").pages)
    text = " ".join(PdfReader(tmp_path / "n.pdf").pages[last - 1].extract_text().split())
    everything = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "n.pdf").pages)
    assert "Tổng số tiền phải trả: 167.378.363 đ" in everything and "Số tiền: 167.378.363 đ" in text
    assert f"Nội dung chuyển khoản: {notice.register.label} HD2022-002" in text
    statement = issue_document(sample_ctx, "statement", "HD2024-001", date(2024, 12, 31))
    (tmp_path / "s.pdf").write_bytes(statement.pdf)
    due = loan_view(sample_ctx, "HD2024-001", date(2024, 12, 31)).quote.due_now
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "s.pdf").pages)
    assert "Chuyển khoản bằng mã VietQR" in text
    assert (f"Số tiền: {due:,} đ".replace(",", ".") if due else "khách hàng tự nhập") in text
    if shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None:
        pytest.skip("zbarimg or pdftoppm missing (Debian: zbar-tools poppler-utils)")
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-f", str(last), "-l", str(last), str(tmp_path / "n.pdf"),
                    str(tmp_path / "n")], check=True)
    out = subprocess.run(["zbarimg", "-q", "--raw", *map(str, tmp_path.glob("n-*.png"))], capture_output=True,
                         text=True, check=True).stdout.strip()
    fields = parse(out)
    assert crc_ok(out) and fields["54"] == "167378363" and fields["38"]["01"]["01"] == "3900201012345"
    assert fields["62"]["08"] == f"{notice.register.label} HD2022-002"


def test_no_bank_in_settings_no_code(sample_ctx, tmp_path):
    from pypdf import PdfReader

    from fundapp.services.documents import preview_document

    (tmp_path / "n.pdf").write_bytes(preview_document(sample_ctx, "notice", "HD2022-002", date(2023, 3, 1)))
    assert "VietQR" not in PdfReader(tmp_path / "n.pdf").pages[0].extract_text()


def test_the_transfer_note_keeps_whole_numbers_and_puts_the_papers_first():
    """The field holds 25 characters: a note cut there read «HD2022-022 HD2022-028 08/» (an officer's trial)."""
    from fundapp.domain.vietqr import NOTE_MAX, transfer_note

    assert transfer_note(["08/TB-QHT", "KH0008"]) == "08/TB-QHT KH0008"
    assert transfer_note(["9999/TB-QHT", "HD2022-022"]) == "9999/TB-QHT HD2022-022"  # 22: a long year still fits
    assert transfer_note(["", "HD2024-037"]) == "HD2024-037"  # a preview: no number yet
    # the longest number Settings allow (a 20-character abbreviation) does not fit: left out whole, the loan kept
    longest = "1234/TB-" + "QHTPTHTXQUANGTRI2024"
    assert transfer_note([longest, "HD2022-022"]) == "HD2022-022"
    assert transfer_note(["12/SK-Quỹ Đông Hà", "HD-2024/ĐH-0000001"]) == "12/SK-Quy Dong Ha"
    assert len(transfer_note(["9999/TB-QHT", "HD2022-022", "KH0008"])) <= NOTE_MAX  # a third part: left out


def test_every_january_notice_has_its_number_and_its_loan_or_borrower_in_the_note(sample_ctx, tmp_path):
    from pypdf import PdfReader

    from fundapp.services.documents import due_notices, write_notices

    _settings_with_bank(sample_ctx)
    expected = {n.borrower.code: sorted({i.loan_no for i in n.items} | {a.loan_no for a in n.arrears})
                for n in due_notices(sample_ctx, 2025, 1)}
    assert ["HD2022-022", "HD2022-028"] in expected.values()  # a borrower with two loans: the case that was cut
    write_notices(sample_ctx, 2025, 1, tmp_path / "n.pdf")
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(tmp_path / "n.pdf").pages)
    notes = dict(re.findall(r"Nội dung chuyển khoản: (\S+) (\S+)", text))
    numbers = re.findall(r"Số: (\d+/TB-QHT)", text)
    assert len(numbers) == len(expected) == len(notes)
    for number, (code, loans) in zip(numbers, sorted(expected.items()), strict=True):
        assert notes[number] == (loans[0] if len(loans) == 1 else code), (number, code, loans)
