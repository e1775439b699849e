"""Text from outside the program (a file name, a stored reference or number) read as a number only in ASCII digits.

str.isdigit() takes «²», «１２» and «١٢»; int() then reads the latter two and raises ValueError on «²»: a stray
file name or a reference in other digits stopped a new book, a suggested contract number, a line of the audit page.
"""

from __future__ import annotations


def test_a_stray_temporary_file_with_another_digit_does_not_stop_a_new_book(tmp_path):
    """«²» is a digit to str.isdigit(), and int() then raised ValueError: no new book could be made in the folder."""
    from fundapp.ledger.book_file import create_atomically

    stray = tmp_path / ".book.sqlite.tao-moi-².tmp"
    stray.write_bytes(b"")
    create_atomically(tmp_path / "book.sqlite")
    assert (tmp_path / "book.sqlite").exists() and stray.exists()


def test_the_next_loan_number_passes_over_a_number_in_other_digits(ctx, monkeypatch):
    from fundapp.services import applications

    monkeypatch.setattr(applications.lending_store, "loan_numbers",
                        lambda s: {"HD2026-004", "HD2026-²", "HD2026-１２", "HD2026-" + "9" * 5000})
    assert applications.next_loan_no(ctx, 2026) == "HD2026-005"


def test_an_audit_record_of_a_reversal_named_in_other_digits_reads_as_written():
    from fundapp.services.audit_text import _Book, shown

    _label, detail = shown("reverse", "HD2024-001: bút toán ² — ghi nhầm", _Book([]))
    assert str(detail) == "HD2024-001: bút toán ² — ghi nhầm"
