"""Roles and rights of a fund's officers (issue 14) and the one check every mutating service makes: ``require``.

A book with no user at all runs as before issue 14: one implicit administrator holding every right, "entered by"
the operating-system user. Once the book has a user, every call needs a logged-in user (``Context.roles`` set by
``users.login``) whose roles give the right.
"""

from __future__ import annotations

import weakref

from fundapp.domain.messages import N_, Message, join, msg
from fundapp.ledger import record_store
from fundapp.ledger.db import Database

from .context import Context
from .errors import UserFacingError

# right code → its Vietnamese name (what a refusal names)
RIGHTS: dict[str, str] = {
    "borrowers": N_("quản lý khách hàng"),
    "applications": N_("tiếp nhận hồ sơ vay"),
    "propose": N_("đề xuất cơ cấu lại, miễn giảm lãi, xử lý rủi ro"),
    "appraise": N_("thẩm định hồ sơ vay"),
    "approve": N_("phê duyệt cho vay"),
    "limit_override": N_("phê duyệt vượt giới hạn cho vay"),
    "sign": N_("ký hợp đồng tín dụng"),
    "events": N_("quyết định cơ cấu lại, miễn giảm lãi, xử lý rủi ro"),
    "reopen": N_("mở lại kỳ đã khóa sổ"),
    "post": N_("ghi giải ngân, thu nợ"),
    "reverse": N_("hủy (đảo) bút toán"),
    "import": N_("nhập dữ liệu vào sổ"),
    "check": N_("kiểm soát, xác nhận bút toán"),
    "audit": N_("xem nhật ký thao tác"),
    "users": N_("quản lý người dùng"),
    "settings": N_("thay đổi cài đặt"),
    "close": N_("khóa sổ"),
}
ROLES: dict[str, str] = {
    "officer": N_("cán bộ tín dụng"),
    "head": N_("trưởng phòng nghiệp vụ"),
    "director": N_("giám đốc"),
    "accountant": N_("kế toán"),
    "controller": N_("kiểm soát"),
    "admin": N_("quản trị"),
}
ROLE_RIGHTS: dict[str, frozenset[str]] = {
    "officer": frozenset({"borrowers", "applications", "propose"}),
    "head": frozenset({"appraise", "propose"}),
    "director": frozenset({"approve", "limit_override", "sign", "events", "propose", "reopen", "audit"}),
    "accountant": frozenset({"post", "reverse", "import"}),
    "controller": frozenset({"check", "audit"}),
    "admin": frozenset({"users", "settings", "close", "audit"}),
}


class RightRefused(UserFacingError):
    """The logged-in user (or nobody, on a book with users) lacks ``right``; the message names it in Vietnamese."""

    def __init__(self, message: Message, right: str) -> None:
        super().__init__(message)
        self.right = right


def rights_of(roles) -> frozenset[str]:
    """Every right the role codes ``roles`` give."""
    out: set[str] = set()
    for role in roles or ():
        out |= ROLE_RIGHTS.get(role, frozenset())
    return frozenset(out)


_BOOKS_WITH_USERS: weakref.WeakSet[Database] = weakref.WeakSet()  # books known to have a user (never deleted)


def book_has_users(ctx: Context) -> bool:
    """True once the book has a user (then every service call needs a login). Users are never deleted, so a True
    is remembered for the book's ``Database`` (``note_book_has_users``) until ``forget_book_has_users``."""
    if ctx.db in _BOOKS_WITH_USERS:
        return True
    with ctx.db.read() as s:
        found = record_store.user_count(s) > 0
    if found:
        note_book_has_users(ctx)
    return found


def note_book_has_users(ctx: Context) -> None:
    """Remember that ``ctx``'s book has a user (one was added, logged in, or read inside a posting's unit):
    ``book_has_users`` then reads nothing."""
    _BOOKS_WITH_USERS.add(ctx.db)


def forget_book_has_users(ctx: Context) -> None:
    """Forget what ``book_has_users`` remembered of ``ctx``'s book (its file was replaced, e.g. by a restored
    backup): the next call reads the book again."""
    _BOOKS_WITH_USERS.discard(ctx.db)


def allowed(ctx: Context, right: str) -> bool:
    """Whether ``ctx`` may do what ``right`` covers (no exception): the implicit administrator of a book without
    users may do everything."""
    if ctx.roles is None:
        return not book_has_users(ctx)
    return right in rights_of(ctx.roles)


def require(ctx: Context, right: str) -> None:
    """Refuse unless ``ctx``'s user holds ``right`` (a code of ``RIGHTS``). Raises ``RightRefused`` naming the
    missing right in Vietnamese ("Bạn không có quyền «phê duyệt cho vay» …"), or asking to log in on a book with
    users when nobody is logged in."""
    if right not in RIGHTS:
        raise ValueError(f"unknown right {right!r}")
    if allowed(ctx, right):
        return
    name = msg(RIGHTS[right])
    if ctx.roles is None:
        raise RightRefused(msg("Sổ này có người dùng: hãy đăng nhập (cần quyền «{name}»)", name=name), right)
    holders = join(", ", [msg(ROLES[r]) for r, rights in ROLE_RIGHTS.items() if right in rights])
    raise RightRefused(
        msg("Người dùng «{user}» không có quyền «{name}» (quyền của: {holders})",
            user=ctx.user, name=name, holders=holders),
        right)


def require_seen(ctx: Context, right: str, has_users: bool) -> None:
    """``require`` for a caller that read inside its own unit of work whether the book has users (``has_users``):
    no statement of its own (a posting's check stays inside the posting's transaction). Raises ``RightRefused``."""
    if has_users:
        note_book_has_users(ctx)
    elif ctx.roles is None:
        return  # a book without users: its implicit administrator may do everything
    require(ctx, right)


def role_label(codes, lang: str | None = None) -> str:
    """The names of role codes, comma separated, in ``lang`` (default: the officer's language; "vi" for the audit
    record); an unknown code as it is."""
    from fundapp.i18n import render

    return ", ".join(render(ROLES[c], lang) if c in ROLES else c for c in codes)


# -- maker-checker (a second pair of eyes) -------------------------------------------------------------------
# action → (its Vietnamese name, the right to propose it, the rights that confirm it or do it directly when the
# fund switched maker-checker off for it)
ACTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "reverse": (N_("hủy (đảo) bút toán"), "reverse", ("reverse", "check")),
    "restructure": (N_("cơ cấu lại thời hạn trả nợ"), "propose", ("events",)),
    "relief": (N_("miễn, giảm lãi"), "propose", ("events",)),
    "write_off": (N_("xử lý rủi ro (xóa nợ)"), "propose", ("events",)),
    "limit_override": (N_("phê duyệt vượt giới hạn cho vay"), "approve", ("limit_override",)),
    "settings": (N_("thay đổi cài đặt"), "settings", ("settings",)),
}
MAKER_CHECKER_KEY = "maker_checker.{}"  # a setting "off" switches maker-checker off for the action


def maker_checker_on(ctx: Context, action: str) -> bool:
    """Whether ``action`` must be proposed and confirmed by another user: on a book with users, unless the fund's
    setting ``maker_checker.<action>`` is "off". A book without users has nobody to confirm: off."""
    if not book_has_users(ctx):
        return False
    from fundapp.ledger import office_store

    with ctx.db.read() as s:
        return office_store.settings(s).get(MAKER_CHECKER_KEY.format(action), "on") != "off"


class ProposalMade(UserFacingError):
    """Not a refusal: with maker-checker on, the service recorded the action as a proposal (``proposal``: its
    ``proposals.ProposalRow``) instead of doing it; the message says so and names who may confirm."""

    def __init__(self, proposal) -> None:
        confirm = ACTIONS[proposal.action][2][0]
        super().__init__(
            msg("Đã lập đề xuất số {id} ({action}); việc này cần một người khác có quyền «{right}» xác nhận "
                "(trang «Chờ tôi duyệt»).\n{preview}", id=proposal.id, action=msg(ACTIONS[proposal.action][0]),
                right=msg(RIGHTS[confirm]), preview=proposal.preview))
        self.proposal = proposal


def require_action(ctx: Context, action: str, params=None) -> None:
    """The check of a service doing a maker-checker ``action`` (ACTIONS): while confirming a proposal
    (``ctx.confirming``) the user needs one of the confirming rights; otherwise, with maker-checker on, the action
    becomes a proposal when ``params`` (a callable giving its JSON parameters) is given — ``ProposalMade`` is
    raised, nothing else is written — and is refused without it; with maker-checker off, the doing right is
    required."""
    label, propose, confirm = ACTIONS[action]
    if ctx.confirming is not None:
        if not any(allowed(ctx, r) for r in confirm):
            require(ctx, confirm[0])
        return
    if maker_checker_on(ctx, action):
        if not allowed(ctx, propose) and not any(allowed(ctx, r) for r in confirm):
            require(ctx, propose)
        if params is not None:
            from .proposals import propose as make_proposal

            raise ProposalMade(make_proposal(ctx, action, params()))
        raise RightRefused(
            msg("«{label}» cần hai người: hãy lập đề xuất để một người khác có quyền «{right}» xác nhận (trang "
                "«Chờ tôi duyệt», hoặc fundapp pending / confirm)", label=msg(label),
                right=msg(RIGHTS[confirm[0]])),
            confirm[0])
    require(ctx, confirm[0])
