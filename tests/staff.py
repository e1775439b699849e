"""A book with its staff: the users the rights tests log in as (issue 14)."""

from __future__ import annotations

from fundapp.services import users

PASSWORD = "mat-khau-8"


def staffed(ctx, staff: dict[str, tuple[str, ...]], admin_full_name: str) -> dict:
    """Add ``staff`` (name → roles; "qt" is the administrator, added first with ``admin_full_name``) to ``ctx``'s
    book, every one with PASSWORD; returns {name: that user's logged-in Context}."""
    users.add_user(ctx, "qt", ["admin"], PASSWORD, admin_full_name)
    admin = users.login(ctx, "qt", PASSWORD)
    for name, roles in staff.items():
        if name != "qt":
            users.add_user(admin, name, roles, PASSWORD)
    return {name: (admin if name == "qt" else users.login(ctx, name, PASSWORD)) for name in staff}
