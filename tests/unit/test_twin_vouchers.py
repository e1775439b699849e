"""The same voucher typed twice (an officer's trial): a disbursement or repayment the loan already holds in force —
same kind, day and amount — is named before it is posted again (``posting.twin_text``; the window's confirmation, the
command line's ``--again``: tests/unit/test_cli_record.py, tests/gui/test_book_of_record_gui.py)."""

from __future__ import annotations

from datetime import date

from fundapp.domain.engine import Kind


def test_twin_text_names_the_vouchers_of_the_same_kind_day_and_amount(sample_ctx):
    """``posting.twin_text``: the loan's entries in force of the same kind, day and amount, named; "" for another
    kind, day or amount (what the window's confirmation and the command line's ``--again`` rest on)."""
    from fundapp.services import events
    from fundapp.services.posting import twin_text

    loan_id = events.loan_id_of(sample_ctx, "HD2022-022")
    text = twin_text(sample_ctx, loan_id, Kind.DISBURSEMENT, date(2022, 1, 30), 230_000_000)
    assert text == ("Khoản vay HD2022-022 đã có lần giải ngân 230.000.000 đ ngày 30/01/2022 (chứng từ GN-00180): "
                    "kiểm tra để không ghi một chứng từ hai lần.")
    assert twin_text(sample_ctx, loan_id, Kind.REPAYMENT, date(2022, 1, 30), 230_000_000) == ""
    assert twin_text(sample_ctx, loan_id, Kind.DISBURSEMENT, date(2022, 1, 31), 230_000_000) == ""
    assert twin_text(sample_ctx, loan_id, Kind.DISBURSEMENT, date(2022, 1, 30), 230_000_001) == ""
