"""Users of a book (issue 14): log in, add, disable, grant. Passwords are kept only as argon2id hashes
(argon2-cffi); never in clear, never in a log or an audit record. A user is never deleted (their entries keep
their name): disabled instead.

The first user of a book without users is created without a login and is an administrator; afterwards only an
administrator (right ``users``) adds, disables or grants.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from fundapp.domain.messages import N_, join, msg
from fundapp.formatting import local_time, nfc
from fundapp.ledger import office_store, record_store

from .context import Context
from .errors import UserFacingError, ValidationError
from .rights import ROLES, book_has_users, note_book_has_users, require, role_label

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 8
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("không-phải-mật-khẩu")  # verified against for an unknown name: the same time as a real one
BAD_LOGIN = N_("Sai tên người dùng hoặc mật khẩu")


@dataclass(frozen=True)
class UserRow:
    """A user as lists show it (no password hash): name, full name, role codes, disabled, locked until (aware UTC)."""

    id: int
    name: str
    full_name: str
    roles: tuple[str, ...]
    disabled: bool
    locked_until: datetime | None

    @property
    def roles_vi(self) -> str:
        """The names of the user's roles, comma separated, in the officer's language (``rights.role_label``)."""
        return role_label(self.roles)


def _row(r) -> UserRow:
    return UserRow(r.id, r.name, r.full_name, _roles(r.roles), bool(r.disabled), r.locked_until)


def _roles(text: str) -> tuple[str, ...]:
    return tuple(c for c in (text or "").split(",") if c)


def check_roles(codes) -> tuple[str, ...]:
    """Role codes cleaned and checked (officer, head, director, accountant, controller, admin); raises
    ``ValidationError`` naming an unknown one."""
    out = []
    for code in codes:
        code = code.strip().lower()
        if not code:
            continue
        if code not in ROLES:
            raise ValidationError(
                msg("Vai trò «{code}» không có: dùng {codes} ({labels})", code=code, codes=', '.join(ROLES),
                    labels=join(", ", [msg(label) for label in ROLES.values()])),
                field="roles")
        if code not in out:
            out.append(code)
    if not out:
        raise ValidationError(N_("Chọn ít nhất một vai trò"), field="roles")
    return tuple(out)


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(
            msg("Mật khẩu phải có ít nhất {least} ký tự", least=MIN_PASSWORD),
            field="password")


def add_user(ctx: Context, name: str, roles, password: str, full_name: str = "") -> UserRow:
    """Add a user with role codes ``roles`` and ``password`` (≥ 8 characters, stored as an argon2id hash). On a
    book with no user yet no login is needed and the user is also an administrator; afterwards the right
    ``users`` is required. Raises ``ValidationError`` (name taken, bad role, short password), ``RightRefused``."""
    name = nfc(name).strip()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise ValidationError(
            N_("Tên đăng nhập không được trống, không có khoảng trắng, tối đa 64 ký tự"),
            field="name")
    codes = check_roles(roles)
    _check_password(password)
    first = not book_has_users(ctx)
    if first:
        codes = codes if "admin" in codes else (*codes, "admin")
    else:
        require(ctx, "users")
    with ctx.db.unit() as s:
        if record_store.user_by_name(s, name) is not None:
            raise ValidationError(msg("Tên đăng nhập «{name}» đã có", name=name), field="name")
        if first and record_store.user_count(s) > 0:  # another officer created the first user meanwhile
            raise UserFacingError(N_("Sổ vừa có người dùng đầu tiên: hãy đăng nhập rồi thêm"))
        r = record_store.add_user(s, name=name, full_name=nfc(full_name), roles=",".join(codes),
                                  password_hash=_hasher.hash(password), disabled=False, failed_attempts=0,
                                  created_by=ctx.user)
        office_store.audit(s, ctx.user if not first else name, "user add", f"{name}: {role_label(codes, 'vi')}")
        row = _row(r)
    note_book_has_users(ctx)
    return row


def list_users(ctx: Context) -> list[UserRow]:
    """Every user (disabled ones too), by name. Needs a login on a book with users (any role)."""
    if book_has_users(ctx) and ctx.roles is None:
        require(ctx, "users")
    with ctx.db.read() as s:
        return [_row(r) for r in record_store.users(s)]


def _user(s, name: str):
    r = record_store.user_by_name(s, nfc(name).strip())
    if r is None:
        raise ValidationError(msg("Không có người dùng «{name}»", name=name), field="name")
    return r


def disable_user(ctx: Context, name: str, disabled: bool = True) -> UserRow:
    """Disable (or enable again) a user; never deletes. Right ``users``; an administrator cannot disable
    themselves (the book would be left without one)."""
    require(ctx, "users")
    with ctx.db.unit() as s:
        r = _user(s, name)
        if disabled and r.name == ctx.user:
            raise UserFacingError(N_("Không thể tự khóa tài khoản của mình"))
        r.disabled = disabled
        if not disabled:
            r.failed_attempts, r.locked_until = 0, None
        s.flush()
        office_store.audit(s, ctx.user, "user disable" if disabled else "user enable", r.name)
        return _row(r)


def grant(ctx: Context, name: str, roles) -> UserRow:
    """Give user ``name`` exactly the role codes ``roles``. Right ``users``."""
    require(ctx, "users")
    codes = check_roles(roles)
    with ctx.db.unit() as s:
        r = _user(s, name)
        if r.name == ctx.user and "admin" not in codes:
            raise UserFacingError(N_("Không thể tự bỏ vai trò quản trị của mình"))
        before = _roles(r.roles)
        r.roles = ",".join(codes)
        s.flush()
        office_store.audit(s, ctx.user, "user grant", f"{r.name}: {role_label(before, 'vi')} → {role_label(codes, 'vi')}")
        return _row(r)


def set_password(ctx: Context, name: str, password: str) -> None:
    """Set a user's password: the user themself or an administrator."""
    _check_password(password)
    if ctx.user != name:
        require(ctx, "users")
    with ctx.db.unit() as s:
        r = _user(s, name)
        r.password_hash = _hasher.hash(password)
        office_store.audit(s, ctx.user, "user password", r.name)


def _now() -> datetime:
    return datetime.now(UTC)


def login(ctx: Context, name: str, password: str, now: datetime | None = None) -> Context:
    """Check ``name``/``password`` (argon2) and return ``ctx`` as that user (``user`` = name, ``roles`` = their
    role codes). After 5 failures in a row the user is locked out for 15 minutes. Raises ``UserFacingError``
    with one message for an unknown name, a wrong password and a disabled user (never which), or the lock-out."""
    now = now or _now()
    name = nfc(name or "").strip()
    with ctx.db.unit() as s:
        r = record_store.user_by_name(s, name) if name else None
        if r is None:
            try:
                _hasher.verify(_DUMMY, password or "-")
            except VerificationError:
                pass
            raise UserFacingError(BAD_LOGIN)
        until = r.locked_until  # aware UTC from either back end (ledger.timestamps)
        if until is not None and until > now:
            raise UserFacingError(
                msg("Đăng nhập bị tạm khóa đến {until} do nhập sai {failures} lần; hãy thử lại sau hoặc nhờ quản trị "
                    "mở khóa", until=f"{local_time(until):%H:%M}", failures=MAX_FAILURES))
        try:
            good = _hasher.verify(r.password_hash, password or "")
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            good = False
        if not good or r.disabled:
            r.failed_attempts = (r.failed_attempts or 0) + 1
            if r.failed_attempts >= MAX_FAILURES:
                r.locked_until, r.failed_attempts = now + timedelta(minutes=LOCK_MINUTES), 0
                office_store.audit(s, name, "login locked", f"{name}: {MAX_FAILURES} lần sai")
            failed = True
        else:
            failed = False
            r.failed_attempts, r.locked_until = 0, None
            if _hasher.check_needs_rehash(r.password_hash):
                r.password_hash = _hasher.hash(password)
            roles = frozenset(_roles(r.roles))
            office_store.audit(s, name, "login", name)
    if failed:  # the counter is committed; then the refusal
        raise UserFacingError(BAD_LOGIN)
    note_book_has_users(ctx)
    return dataclasses.replace(ctx, user=name, roles=roles)
