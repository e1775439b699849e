"""Roles and rights of a fund's officers (issue 14) and the one check every mutating service makes: ``require``.

A book with no user at all runs as before issue 14: one implicit administrator holding every right, "entered by"
the operating-system user. Once the book has a user, every call needs a logged-in user (``Context.roles`` set by
``users.login``) whose roles give the right.
"""

from __future__ import annotations

from fundapp.ledger import record_store

from .errors import UserFacingError
from .portfolio import Context

# right code → its Vietnamese name (what a refusal names)
RIGHTS: dict[str, str] = {
    "borrowers": "quản lý khách hàng",
    "applications": "tiếp nhận hồ sơ vay",
    "propose": "đề xuất cơ cấu lại, miễn giảm lãi, xử lý rủi ro",
    "appraise": "thẩm định hồ sơ vay",
    "approve": "phê duyệt cho vay",
    "limit_override": "phê duyệt vượt giới hạn cho vay",
    "sign": "ký hợp đồng tín dụng",
    "events": "quyết định cơ cấu lại, miễn giảm lãi, xử lý rủi ro",
    "reopen": "mở lại kỳ đã khóa sổ",
    "post": "ghi giải ngân, thu nợ",
    "reverse": "hủy (đảo) bút toán",
    "import": "nhập dữ liệu vào sổ",
    "check": "kiểm soát, xác nhận bút toán",
    "audit": "xem nhật ký thao tác",
    "users": "quản lý người dùng",
    "settings": "thay đổi cài đặt",
    "close": "khóa sổ",
}
RIGHTS_EN: dict[str, str] = {
    "borrowers": "manage borrowers", "applications": "receive applications", "propose": "propose life events",
    "appraise": "appraise applications", "approve": "approve loans", "limit_override": "override lending limits",
    "sign": "sign contracts", "events": "decide restructurings, reliefs, write-offs", "reopen": "reopen a closed period",
    "post": "post disbursements and repayments", "reverse": "reverse entries", "import": "import into the book",
    "check": "check and confirm entries", "audit": "read the audit journal", "users": "manage users",
    "settings": "change settings", "close": "close periods",
}
ROLES: dict[str, str] = {
    "officer": "cán bộ tín dụng",
    "head": "trưởng phòng nghiệp vụ",
    "director": "giám đốc",
    "accountant": "kế toán",
    "controller": "kiểm soát",
    "admin": "quản trị",
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

    def __init__(self, vi: str, en: str, right: str) -> None:
        super().__init__(vi, en)
        self.right = right


def rights_of(roles) -> frozenset[str]:
    """Every right the role codes ``roles`` give."""
    out: set[str] = set()
    for role in roles or ():
        out |= ROLE_RIGHTS.get(role, frozenset())
    return frozenset(out)


def book_has_users(ctx: Context) -> bool:
    """True once the book has a user (then every service call needs a login). Users are never deleted, so a True
    is kept on the book's ``Database``."""
    if getattr(ctx.db, "_has_users", False):
        return True
    with ctx.db.unit() as s:
        found = record_store.user_count(s) > 0
    if found:
        ctx.db._has_users = True
    return found


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
    name = RIGHTS[right]
    if ctx.roles is None:
        raise RightRefused(f"Sổ này có người dùng: hãy đăng nhập (cần quyền «{name}»)",
                           f"log in first (right needed: {RIGHTS_EN[right]})", right)
    holders = ", ".join(ROLES[r] for r, rights in ROLE_RIGHTS.items() if right in rights)
    raise RightRefused(f"Người dùng «{ctx.user}» không có quyền «{name}» (quyền của: {holders})",
                       f"user {ctx.user} lacks the right to {RIGHTS_EN[right]}", right)


def role_label(codes) -> str:
    """Vietnamese names of role codes, comma separated."""
    return ", ".join(ROLES.get(c, c) for c in codes)


# -- maker-checker (a second pair of eyes) -------------------------------------------------------------------
# action → (its Vietnamese name, the right to propose it, the rights that confirm it or do it directly when the
# fund switched maker-checker off for it)
ACTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "reverse": ("hủy (đảo) bút toán", "reverse", ("reverse", "check")),
    "restructure": ("cơ cấu lại thời hạn trả nợ", "propose", ("events",)),
    "relief": ("miễn, giảm lãi", "propose", ("events",)),
    "write_off": ("xử lý rủi ro (xóa nợ)", "propose", ("events",)),
    "limit_override": ("phê duyệt vượt giới hạn cho vay", "approve", ("limit_override",)),
    "settings": ("thay đổi cài đặt", "settings", ("settings",)),
}
MAKER_CHECKER_KEY = "maker_checker.{}"  # a setting "off" switches maker-checker off for the action


def maker_checker_on(ctx: Context, action: str) -> bool:
    """Whether ``action`` must be proposed and confirmed by another user: on a book with users, unless the fund's
    setting ``maker_checker.<action>`` is "off". A book without users has nobody to confirm: off."""
    if not book_has_users(ctx):
        return False
    from fundapp.ledger import store

    with ctx.db.unit() as s:
        return store.settings(s).get(MAKER_CHECKER_KEY.format(action), "on") != "off"


class ProposalMade(UserFacingError):
    """Not a refusal: with maker-checker on, the service recorded the action as a proposal (``proposal``: its
    ``proposals.ProposalRow``) instead of doing it; the message says so and names who may confirm."""

    def __init__(self, proposal) -> None:
        confirm = ACTIONS[proposal.action][2][0]
        super().__init__(
            f"Đã lập đề xuất số {proposal.id} ({proposal.action_vi}); việc này cần một người khác có quyền "
            f"«{RIGHTS[confirm]}» xác nhận (trang «Chờ tôi duyệt»).\n{proposal.preview}",
            f"proposal {proposal.id} recorded ({proposal.action}); another user must confirm it")
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
            f"«{label}» cần hai người: hãy lập đề xuất để một người khác có quyền «{RIGHTS[confirm[0]]}» xác nhận "
            "(trang «Chờ tôi duyệt», hoặc fundapp pending / confirm)",
            f"{action} needs a proposal confirmed by another user", confirm[0])
    require(ctx, confirm[0])
