"""A backup taken while the book is open restores to the same figures; a bad file is refused."""

from datetime import date

import pytest

from fundapp.app import open_book
from fundapp.services.backup import check_backup, make_backup, restore_backup
from fundapp.services.errors import UserFacingError
from fundapp.services.reports import balances_json
from tests import golden


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_backup_and_restore_give_the_same_figures(sample_ctx, tmp_path):
    when = date(2024, 12, 31)
    before = balances_json(sample_ctx, when)
    copy = make_backup(sample_ctx)
    from fundapp.ledger.db import HEAD

    assert check_backup(copy) == HEAD
    # a repayment posted after the backup: restoring brings the book back
    from fundapp.domain.engine import Kind
    from fundapp.services import posting
    from fundapp.services.queries import list_loans

    loan = next(r for r in list_loans(sample_ctx) if r.principal_outstanding)
    posting.post_transaction(sample_ctx, loan.id, Kind.REPAYMENT, when, 1_000_000)
    assert balances_json(sample_ctx, when) != before
    kept = restore_backup(sample_ctx, copy)
    assert kept.exists()
    ctx = open_book(sample_ctx.db.url.removeprefix("sqlite:///"), today=when)
    after = balances_json(ctx, when)
    assert after == before
    assert {r.pop("loan_no"): r for r in after} == golden.expected()["balances"]["2024-12-31"]
    ctx.db.dispose()


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_automatic_backups_keep_the_last_ten(ctx, tmp_path):
    for _ in range(12):
        make_backup(ctx, tmp_path / "b", automatic=True)
    assert len(list((tmp_path / "b").glob("*-tu-dong-*.sqlite"))) == 10


def test_a_file_that_is_not_a_book_is_refused(tmp_path):
    bad = tmp_path / "x.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(UserFacingError):
        check_backup(bad)


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_a_restored_book_without_users_is_read_again(ctx, tmp_path):
    """rights remembers that a book has users (users are never deleted); restoring a backup made before the first
    user replaces the file, and the same open book then asks again: no login is needed (before, the remembered
    True asked for one)."""
    from fundapp.services.rights import allowed, book_has_users
    from fundapp.services.users import add_user

    copy = make_backup(ctx)
    add_user(ctx, "ketoan", ["accountant"], "mật khẩu dài 1")
    assert (book_has_users(ctx), allowed(ctx, "post")) == (True, False)
    restore_backup(ctx, copy)
    assert (book_has_users(ctx), allowed(ctx, "post")) == (False, True)
