"""A book of record (issue 14): migration 0005 on a book with entries, users and logins, the rights of each role
enforced in the services, entered workflow dates, and the hash chain catching direct edits of the database."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from fundapp.domain.events import Kind
from fundapp.ledger import journal
from fundapp.services import applications, borrowers, events, posting, users
from fundapp.services.errors import UserFacingError, ValidationError
from fundapp.services.rights import ACTIONS, RIGHTS, ROLE_RIGHTS, RightRefused, require
from tests.staff import PASSWORD
from tests.staff import staffed as staffed_book

STAFF = {"qt": ("admin",), "cb": ("officer",), "tp": ("head",), "gd": ("director",), "gd2": ("director",),
         "kt": ("accountant",), "kt2": ("accountant",), "ks": ("controller",)}


def verify(ctx) -> journal.ChainCheck:
    with ctx.db.engine.connect() as conn:
        return journal.verify(conn)


@pytest.fixture
def staffed(sample_ctx):
    """The golden sample book with eight users; returns {name: logged-in Context} (qt is the first: admin)."""
    return staffed_book(sample_ctx, STAFF, "Quản Trị")


def test_migration_0005_chains_the_records_of_an_older_book(book_url):
    """A book of revision 0004 holding a disbursement, its reversal and an audit record upgrades to the head with a
    chain of those 3 + 1 records (entries then audit, in id order), which verifies; a later posting extends it."""
    from fundapp.app import open_book
    from fundapp.ledger.db import HEAD, Database, current_revision
    from tests.old_books import old_book

    url, engine = old_book(book_url, "0004", "HTX Hòa Bình", "canbo")
    with engine.begin() as c:
        c.execute(text("INSERT INTO audit (at, actor, action, detail, override) VALUES "
                       "(CURRENT_TIMESTAMP, 'canbo', 'post disbursement', 'HD1', false)"))
    engine.dispose()
    db = Database(url)
    assert current_revision(db.engine) == HEAD
    with db.engine.connect() as conn:
        kinds = conn.execute(text("SELECT kind, record_id FROM journal ORDER BY seq")).all()
        assert [k for k, _ in kinds] == ["entry", "entry", "entry", "audit"]
        assert journal.verify(conn) == journal.ChainCheck(4, None)
    db.dispose()
    ctx = open_book(book_url, user="canbo", today=date(2024, 12, 31))
    try:
        posting.post_transaction(ctx, events.loan_id_of(ctx, "HD1"), Kind.REPAYMENT, date(2024, 2, 10), 10_000_000)
        check = verify(ctx)
        assert check.ok and check.count == 6  # + the repayment and its audit record
    finally:
        ctx.db.dispose()


# -- the chain -----------------------------------------------------------------------------------
def _tamper(ctx, sql: str, table: str = "entries") -> None:
    """Edit the database behind the program's back, as someone with the file or a superuser would."""
    with ctx.db.engine.begin() as c:
        if ctx.db.dialect == "sqlite":
            c.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_update"))
            c.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_delete"))
        else:
            c.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        c.execute(text(sql))


def test_the_sample_book_verifies_and_every_direct_edit_is_named(sample_ctx):
    """The golden import chains 298 records; each kind of direct edit is caught and the first broken one named."""
    from fundapp.formatting import vnd

    ctx = sample_ctx
    first = verify(ctx)
    assert first.ok and first.count == 298
    with ctx.db.engine.connect() as c:
        target = c.execute(text("SELECT id, amount FROM entries WHERE kind = 'repayment' ORDER BY id LIMIT 1")).one()
    _tamper(ctx, f"UPDATE entries SET amount = amount + 1 WHERE id = {target.id}")
    broken = verify(ctx).broken
    assert (broken.kind, broken.record_id) == ("entry", target.id)
    assert "đã bị sửa" in broken.vi and f"số tiền {vnd(target.amount + 1)}," in broken.vi  # "27.836.753 đ"
    _tamper(ctx, f"UPDATE entries SET amount = {target.amount} WHERE id = {target.id}")
    assert verify(ctx).ok  # put back as it was: the chain holds again

    _tamper(ctx, f"UPDATE entries SET on_date = '2024-01-02' WHERE id = {target.id}")
    broken = verify(ctx).broken
    assert (broken.kind, broken.record_id) == ("entry", target.id) and "ngày 02/01/2024," in broken.vi


def test_a_deleted_and_an_inserted_row_are_named(sample_ctx):
    ctx = sample_ctx
    with ctx.db.engine.connect() as c:
        last = c.execute(text("SELECT max(id) FROM entries")).scalar()
        loan_id = c.execute(text("SELECT loan_id FROM entries WHERE id = :i"), dict(i=last)).scalar()
    _tamper(ctx, "INSERT INTO entries (loan_id, on_date, kind, amount, reference, principal, interest, "
                 "overdue_interest, late_interest, note, entered_by, entered_at) VALUES "
                 f"({loan_id}, '2024-03-01', 'repayment', 5000000, 'PT-GIA', 0, 0, 0, 0, '', 'x', CURRENT_TIMESTAMP)")
    broken = verify(ctx).broken
    assert broken.seq is None and broken.kind == "entry" and broken.record_id == last + 1
    assert "chèn trực tiếp" in broken.vi and "PT-GIA" in broken.vi
    _tamper(ctx, f"DELETE FROM entries WHERE id = {last + 1}")
    assert verify(ctx).ok
    _tamper(ctx, "DELETE FROM audit WHERE id = (SELECT min(id) FROM audit)", "audit")
    broken = verify(ctx).broken
    assert broken.kind == "audit" and "đã bị xóa" in broken.vi


def test_a_rolled_back_unit_leaves_no_journal_row(sample_ctx):
    ctx = sample_ctx
    before = verify(ctx).count
    loan_id = events.loan_id_of(ctx, "HD2022-002")
    with pytest.raises(UserFacingError):
        posting.post_transaction(ctx, loan_id, Kind.REPAYMENT, date(2024, 12, 31), 10**14)  # more than is owed
    assert verify(ctx) == journal.ChainCheck(before, None)


# -- users and logins ---------------------------------------------------------------------------------
def test_first_user_is_admin_and_then_login_is_required(ctx):
    assert not ctx.roles
    first = users.add_user(ctx, "thu", ["accountant"], PASSWORD)
    assert first.roles == ("accountant", "admin")
    with pytest.raises(RightRefused, match=r"hãy đăng nhập.*quản lý khách hàng"):
        borrowers.save_borrower(ctx, dict(code="KH9", name="HTX Mới", kind="htx"))
    with pytest.raises(RightRefused, match="quản lý người dùng"):
        users.add_user(ctx, "lan", ["officer"], PASSWORD)  # no longer without a login
    thu = users.login(ctx, "thu", PASSWORD)
    assert thu.user == "thu" and thu.roles == frozenset({"accountant", "admin"})
    users.add_user(thu, "lan", ["officer"], PASSWORD)
    lan = users.login(ctx, "lan", PASSWORD)
    with pytest.raises(RightRefused, match="«lan» không có quyền «quản lý người dùng»"):
        users.add_user(lan, "mai", ["officer"], PASSWORD)
    with ctx.db.unit() as s:  # the password only as an argon2id hash
        stored = s.execute(text("SELECT password_hash FROM users WHERE name = 'lan'")).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_never_says_which_was_wrong_and_locks_after_five_failures(ctx):
    users.add_user(ctx, "thu", ["admin"], PASSWORD)
    messages = set()
    for name, password in (("khong-co", PASSWORD), ("thu", "sai-mat-khau")):
        with pytest.raises(UserFacingError) as err:
            users.login(ctx, name, password)
        messages.add(err.value.message)
    assert messages == {"Sai tên người dùng hoặc mật khẩu"}
    now = datetime(2025, 1, 2, 8, 0, tzinfo=UTC)
    for _ in range(4):  # 1 failure above + 4 = 5
        with pytest.raises(UserFacingError, match="Sai tên"):
            users.login(ctx, "thu", "sai-mat-khau", now=now)
    with pytest.raises(UserFacingError, match="tạm khóa"):
        users.login(ctx, "thu", PASSWORD, now=now + timedelta(minutes=14))  # even the right password
    assert users.login(ctx, "thu", PASSWORD, now=now + timedelta(minutes=16)).user == "thu"


def test_a_disabled_user_cannot_log_in_and_is_never_deleted(staffed):
    users.disable_user(staffed["qt"], "cb")
    with pytest.raises(UserFacingError, match="Sai tên người dùng hoặc mật khẩu"):
        users.login(staffed["qt"], "cb", PASSWORD)
    listed = {u.name: u for u in users.list_users(staffed["qt"])}
    assert listed["cb"].disabled and len(listed) == len(STAFF)
    users.grant(staffed["qt"], "ks", ["controller", "accountant"])
    assert users.login(staffed["qt"], "ks", PASSWORD).roles == frozenset({"controller", "accountant"})


def test_every_right_allowed_to_its_roles_and_refused_to_the_others(staffed):
    """require() for each right × each role: allowed exactly when the role gives it; the refusal names the right."""
    for name, ctx in staffed.items():
        role = STAFF[name][0]
        for right, label in RIGHTS.items():
            if right in ROLE_RIGHTS[role]:
                require(ctx, right)
            else:
                with pytest.raises(RightRefused, match=re.escape(f"không có quyền «{label}»")) as err:
                    require(ctx, right)
                assert err.value.right == right


def test_the_services_refuse_what_a_role_may_not_do(staffed):
    """Each mutating service called by a role without its right: refused, nothing written."""
    loan_id = events.loan_id_of(staffed["kt"], "HD2022-002")
    refusals = [
        ("kt", "quản lý khách hàng", lambda c: borrowers.save_borrower(c, dict(code="KH9", name="HTX", kind="htx"))),
        ("kt", "tiếp nhận hồ sơ vay", lambda c: applications.receive_application(c, 1, 10**8, "Mua máy",
                                                                               received_on=date(2024, 12, 1))),
        ("cb", "ghi giải ngân, thu nợ", lambda c: posting.post_transaction(c, loan_id, Kind.REPAYMENT,
                                                                            date(2024, 12, 31), 1_000_000)),
        ("cb", "hủy (đảo) bút toán", lambda c: posting.reverse_entry(c, 1, "nhầm")),
        ("kt", "đề xuất cơ cấu lại", lambda c: events.write_off(c, loan_id, date(2024, 12, 31), "", "x")),
        ("gd", "nhập dữ liệu", lambda c: __import__("fundapp.services.imports", fromlist=["x"]).check_and_import(
            c, __import__("tests.golden", fromlist=["SAMPLE"]).SAMPLE)),
        ("cb", "thay đổi cài đặt", lambda c: __import__("fundapp.services.settings", fromlist=["x"]).save_settings(
            c, __import__("fundapp.services.settings", fromlist=["x"]).FundSettings())),
    ]
    before = verify(staffed["qt"]).count
    for who, right, call in refusals:
        with pytest.raises(RightRefused, match=re.escape(f"không có quyền «{right}")):
            call(staffed[who])
    assert verify(staffed["qt"]).count == before
    posted = posting.post_transaction(staffed["kt"], loan_id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000)
    with staffed["kt"].db.unit() as s:
        assert s.execute(text(f"SELECT entered_by FROM entries WHERE id = {posted.entry_id}")).scalar() == "kt"


# -- workflow dates ---------------------------------------------------------------------------
def test_workflow_dates_are_entered_in_order_and_the_appraiser_does_not_approve(staffed):
    from fundapp.domain.terms import LoanTerms

    cb, tp, gd = staffed["cb"], staffed["tp"], staffed["gd"]
    b = borrowers.save_borrower(cb, dict(code="KH-R1", name="HTX Rau sạch", kind="htx"))
    a = applications.receive_application(cb, b.id, 100_000_000, "Nhà lưới", received_on=date(2024, 10, 1))
    with pytest.raises(ValidationError, match="Nhập ngày thẩm định"):
        applications.appraise_application(tp, a.id, "Đạt")
    with pytest.raises(ValidationError, match=r"Ngày thẩm định \(30/09/2024\) không được trước ngày tiếp nhận"):
        applications.appraise_application(tp, a.id, "Đạt", appraised_on=date(2024, 9, 30))
    applications.appraise_application(tp, a.id, "Đạt", appraised_on=date(2024, 10, 5))
    terms = LoanTerms(amount=100_000_000, rate="6", term_months=24)
    with pytest.raises(ValidationError, match=r"Ngày phê duyệt .04/10/2024. không được trước ngày thẩm định"):
        applications.approve_application(gd, a.id, terms, approved_on=date(2024, 10, 4))
    both = dataclasses.replace(tp, roles=frozenset({"head", "director"}))
    with pytest.raises(UserFacingError, match=r"Người đã thẩm định hồ sơ .* không được phê duyệt"):
        applications.approve_application(both, a.id, terms, approved_on=date(2024, 10, 10))
    from fundapp.services import settings
    from fundapp.services.proposals import set_maker_checker

    set_maker_checker(staffed["qt"], "settings", False)  # the limits below need a charter capital
    s = settings.load_settings(staffed["qt"])
    settings.save_settings(staffed["qt"], dataclasses.replace(s, charter_capital=100_000_000_000))
    row = applications.approve_application(gd, a.id, terms, approved_on=date(2024, 10, 10))
    assert row.approved_on == date(2024, 10, 10) and row.appraised_on == date(2024, 10, 5)
    with pytest.raises(ValidationError, match=r"Ngày ký hợp đồng .09/10/2024. không được trước ngày phê duyệt"):
        applications.sign_contract(gd, a.id, "HD2024-R1", date(2024, 10, 9))
    loan_id = applications.sign_contract(gd, a.id, "HD2024-R1", date(2024, 10, 15))
    with pytest.raises(ValidationError, match=r"Ngày giải ngân .14/10/2024. không được trước ngày ký hợp đồng"):
        posting.post_transaction(staffed["kt"], loan_id, Kind.DISBURSEMENT, date(2024, 10, 14), 50_000_000)
    posting.post_transaction(staffed["kt"], loan_id, Kind.DISBURSEMENT, date(2024, 10, 15), 50_000_000)


def test_actions_table_names_a_right_for_each(staffed):
    assert set(ACTIONS) == {"reverse", "restructure", "relief", "write_off", "limit_override", "settings"}
    for _label, propose_right, confirm in ACTIONS.values():
        assert propose_right in RIGHTS and all(c in RIGHTS for c in confirm)


def test_collateral_and_templates_need_their_rights(staffed):
    from fundapp.services import collateral, templates
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    with pytest.raises(RightRefused, match=re.escape("không có quyền «tiếp nhận hồ sơ vay»")):
        collateral.add(staffed["kt"], dict(kind="land", description="Đất", owner="HTX", value=10**9,
                                           valued_on=date(2024, 1, 2)), loan_no="HD2022-002")
    with pytest.raises(RightRefused, match=re.escape("không có quyền «nhập dữ liệu vào sổ»")):
        check_and_import(staffed["cb"], SAMPLE)  # collateral comes in only with a book folder's import
    with pytest.raises(RightRefused, match=re.escape("không có quyền «thay đổi cài đặt»")):
        templates.restore_default(staffed["cb"], "contract")
