"""The book-of-record words of the ``fundapp`` command line (issue 14): users, post, reverse, close, reopen,
verify, pending, confirm — and the login every command makes on a book with users.

``--user NAME`` (or FUNDAPP_USER) names the user; the password comes from FUNDAPP_PASSWORD or is asked (never
echoed, never logged). A refused right exits 2 naming it; ``verify`` exits 3 when the chain is broken. On a book
without users every command works as before issue 14 (no login).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from fundapp.domain.messages import N_, msg

EXIT_BAD_INPUT = 2
EXIT_BROKEN = 3
COMMANDS = ("users", "post", "reverse", "close", "reopen", "verify", "pending", "confirm", "refuse", "maker-checker")
EVENT_ACTIONS = {"restructure": "restructure", "relief": "relief", "write-off": "write_off"}


def add_parsers(p: argparse.ArgumentParser, sub) -> None:
    """Add ``--user`` to the main parser ``p`` and the book-of-record commands to its subparsers ``sub``."""
    from fundapp.cli.parser import parse_date as _date
    from fundapp.cli.parser import parse_int

    p.add_argument("--user", default=None, help="tên đăng nhập (mặc định FUNDAPP_USER); mật khẩu hỏi khi chạy hoặc "
                                                "lấy từ FUNDAPP_PASSWORD")
    s = sub.add_parser("users", help="người dùng của sổ: add, list, disable, grant")
    us = s.add_subparsers(dest="users_command", metavar="VIỆC", required=True, parser_class=type(p))
    a = us.add_parser("add", help="thêm người dùng (sổ chưa có ai: người đầu tiên là quản trị, không cần đăng nhập)")
    a.add_argument("name")
    a.add_argument("--roles", required=True, help="vai trò, cách nhau bằng dấu phẩy: officer, head, director, "
                                                   "accountant, controller, admin")
    a.add_argument("--full-name", default="")
    a.add_argument("--password-env", default=None, help="tên biến môi trường chứa mật khẩu (cho kịch bản); mặc "
                                                        "định hỏi hai lần")
    us.add_parser("list", help="danh sách người dùng")
    d = us.add_parser("disable", help="khóa người dùng (không bao giờ xóa)")
    d.add_argument("name")
    e = us.add_parser("enable", help="mở khóa người dùng")
    e.add_argument("name")
    g = us.add_parser("grant", help="đặt vai trò của người dùng")
    g.add_argument("name")
    g.add_argument("--roles", required=True)

    s = sub.add_parser("post", help="ghi giải ngân hoặc thu nợ")
    s.add_argument("kind", choices=("disbursement", "repayment"))
    s.add_argument("loan_no")
    s.add_argument("--on", type=_date, required=True, help="ngày (YYYY-MM-DD)")
    s.add_argument("--amount", type=parse_int, required=True, help="số tiền (đồng)")
    s.add_argument("--reference", default="", help="số chứng từ (mặc định: số tiếp theo)")
    s.add_argument("--accept-changed-receipts", action="store_true",
                   help="vẫn ghi khi bút toán ghi lùi ngày làm thay đổi phân bổ của phiếu thu đã lập")

    s = sub.add_parser("reverse", help="hủy (đảo) một bút toán theo số chứng từ")
    s.add_argument("reference")
    s.add_argument("--reason", required=True)

    s = sub.add_parser("close", help="khóa sổ đến hết một ngày (quản trị)")
    s.add_argument("--through", type=_date, required=True)
    s.add_argument("--reason", default="")

    s = sub.add_parser("reopen", help="mở lại kỳ đã khóa sổ (giám đốc)")
    s.add_argument("--through", type=_date, required=True)
    s.add_argument("--reason", required=True)

    s = sub.add_parser("verify", help="kiểm tra chuỗi băm của sổ và các báo cáo đã khóa sổ")
    s.add_argument("--anchor", action="append", default=[], metavar="SỐ:MÃ",
                   help="mã kiểm tra in trên báo cáo đã khóa sổ (có thể nhắc lại)")
    sub.add_parser("pending", help="các đề xuất chờ tôi duyệt")
    s = sub.add_parser("confirm", help="xác nhận một đề xuất")
    s.add_argument("id", type=parse_int)
    s = sub.add_parser("refuse", help="từ chối một đề xuất")
    s.add_argument("id", type=parse_int)
    s.add_argument("--note", default="")
    s = sub.add_parser("maker-checker", help="bật/tắt hai người duyệt cho một việc (quản trị; có ghi nhật ký)")
    s.add_argument("action", choices=("reverse", "restructure", "relief", "write_off", "limit_override", "settings"))
    s.add_argument("state", choices=("on", "off"))


def user_everywhere(parser: argparse.ArgumentParser) -> None:
    """Let ``--user NAME`` stand after any command word too (``fundapp post … --user kt``), not only before it:
    every sub-parser, nested ones included, gets the option without a default (the main parser's stays)."""
    for action in parser._actions:  # argparse keeps its sub-parsers there
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                if not any("--user" in a.option_strings for a in sub._actions):
                    sub.add_argument("--user", default=argparse.SUPPRESS, help="tên đăng nhập (như --user chung)")
                user_everywhere(sub)


def _password(prompt: str = "Mật khẩu: ") -> str:
    env = os.environ.get("FUNDAPP_PASSWORD")
    if env is not None:
        return env
    return getpass.getpass(prompt)


def login(ctx, args: argparse.Namespace):
    """``ctx`` as the user of ``--user``/FUNDAPP_USER on a book with users (password from FUNDAPP_PASSWORD or
    asked); unchanged on a book without users (``users add`` of the first user needs none). Raises
    ``UserFacingError`` for a refused login or a missing name."""
    import dataclasses

    from fundapp.services.errors import UserFacingError
    from fundapp.services.rights import RightRefused, book_has_users
    from fundapp.services.users import login as service_login

    name = args.user or os.environ.get("FUNDAPP_USER") or ""
    if not book_has_users(ctx):
        return dataclasses.replace(ctx, user=name) if name else ctx
    if not name:
        raise RightRefused(N_("Sổ này có người dùng: hãy cho biết tên đăng nhập (--user TÊN hoặc biến "
                              "FUNDAPP_USER)"), "login")
    try:
        return service_login(ctx, name, _password())
    except (EOFError, KeyboardInterrupt):
        raise UserFacingError(N_("Chưa nhập mật khẩu")) from None


def _new_password(args) -> str:
    from fundapp.services.errors import ValidationError

    if args.password_env:
        value = os.environ.get(args.password_env)
        if value is None:
            raise ValidationError(msg("Biến môi trường {name} chưa có mật khẩu", name=args.password_env), field="password")
        return value
    first = getpass.getpass(f"Mật khẩu cho {args.name}: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ValidationError(N_("Hai lần nhập mật khẩu không giống nhau"), field="password")
    return first


def _users(ctx, args) -> int:
    from fundapp.services import users

    c = args.users_command
    if c == "add":
        row = users.add_user(ctx, args.name, args.roles.split(","), _new_password(args), args.full_name)
        print(f"Đã thêm người dùng {row.name}: {row.roles_vi}")
    elif c == "list":
        for u in users.list_users(ctx):
            state = " (đã khóa)" if u.disabled else ""
            print(f"{u.name}\t{u.full_name}\t{','.join(u.roles)}\t{u.roles_vi}{state}")
    elif c in ("disable", "enable"):
        users.disable_user(ctx, args.name, c == "disable")
        print(f"Đã {'khóa' if c == 'disable' else 'mở khóa'} người dùng {args.name}")
    else:
        row = users.grant(ctx, args.name, args.roles.split(","))
        print(f"Vai trò của {row.name}: {row.roles_vi}")
    return 0


def _post(ctx, args) -> int:
    from fundapp.domain.events import Kind
    from fundapp.formatting import vnd
    from fundapp.services import events, posting

    kind = Kind.DISBURSEMENT if args.kind == "disbursement" else Kind.REPAYMENT
    loan_id = events.loan_id_of(ctx, args.loan_no)
    warning = posting.preview_transaction_receipts(ctx, loan_id, kind, args.on, args.amount)
    if warning:
        print(warning, file=sys.stderr)
        if not args.accept_changed_receipts:
            print("fundapp: chưa ghi; thêm --accept-changed-receipts để vẫn ghi", file=sys.stderr)
            return EXIT_BAD_INPUT
    posted = posting.post_transaction(ctx, loan_id, kind, args.on, args.amount, args.reference)
    what = "giải ngân" if kind == Kind.DISBURSEMENT else "thu nợ"
    print(f"Đã ghi {what} {vnd(args.amount)} khoản vay {args.loan_no} ngày {args.on:%d/%m/%Y}, số chứng từ "
          f"{posted.reference}.")
    return 0


def _propose_or_do(ctx, action: str, params: dict, do) -> int:
    from fundapp.services import proposals
    from fundapp.services.rights import maker_checker_on

    if maker_checker_on(ctx, action) and ctx.confirming is None:
        p = proposals.propose(ctx, action, params)
        print(f"Đã lập đề xuất số {p.id} ({p.action_vi}), chờ người khác xác nhận:\n{p.preview}")
        return 0
    print(do())
    return 0


def _reverse(ctx, args) -> int:
    from fundapp.services import posting, proposals

    def do() -> str:
        entry_id = proposals._entry_by_reference(ctx, args.reference)[0]
        posting.reverse_entry(ctx, entry_id, args.reason)
        return f"Đã hủy bút toán {args.reference}."

    return _propose_or_do(ctx, "reverse", dict(reference=args.reference, reason=args.reason), do)


def event_as_proposal(ctx, args) -> int | None:
    """On a book whose maker-checker is on for the event, ``restructure``/``relief``/``write-off`` become a
    proposal (printed with its preview); None: the event command runs as before."""
    from fundapp.services import proposals
    from fundapp.services.rights import maker_checker_on

    action = EVENT_ACTIONS[args.command]
    if not maker_checker_on(ctx, action):
        return None
    params = dict(loan_no=args.loan_no, on=args.on.isoformat(), reference=args.reference, reason=args.reason)
    if action == "restructure":
        params.update(extend_months=args.extend_months, grace_periods=args.grace)
    elif action == "relief":
        params.update(relief_of=args.relief_of, amount=args.amount)
    p = proposals.propose(ctx, action, params)
    print(f"Đã lập đề xuất số {p.id} ({p.action_vi}), chờ người khác xác nhận:\n{p.preview}")
    return 0


def run(ctx, args: argparse.Namespace) -> int:
    """Run a book-of-record command (``COMMANDS``) as ``ctx``'s user; returns the exit status."""
    from fundapp.services import closing, proposals
    from fundapp.services.verify import verify_book

    c = args.command
    if c == "users":
        return _users(ctx, args)
    if c == "post":
        return _post(ctx, args)
    if c == "reverse":
        return _reverse(ctx, args)
    if c == "close":
        row = closing.close_period(ctx, args.through, args.reason)
        print(f"Đã khóa sổ đến hết ngày {row.through:%d/%m/%Y}; báo cáo của kỳ đã được lưu ({closing.CLOSED_VI}).")
        for report in closing.stored_reports(ctx):
            if report.through == row.through:
                print(f"Mã kiểm tra báo cáo {report.kind}: {report.anchor} (ghi lại; fundapp verify --anchor "
                      f"{report.anchor})")
        return 0
    if c == "reopen":
        row = closing.reopen_period(ctx, args.through, args.reason)
        after = f"sổ còn khóa đến hết ngày {row.closed_through:%d/%m/%Y}" if row.closed_through else "sổ không còn kỳ nào khóa"
        print(f"Đã mở lại kỳ khóa sổ đến ngày {row.through:%d/%m/%Y}; {after}.")
        return 0
    if c == "verify":
        check = verify_book(ctx, tuple(args.anchor))
        if check.ok:
            print(f"OK: {check.count} records")
            return 0
        if check.broken:
            print(f"HỎNG: {check.broken}", file=sys.stderr)
        for line in check.reports:
            print(f"HỎNG: {line}", file=sys.stderr)
        return EXIT_BROKEN
    if c == "pending":
        rows = proposals.pending(ctx)
        if not rows:
            print("Không có đề xuất nào chờ bạn duyệt.")
        for r in rows:
            print(f"#{r.id}\t{r.action_vi}\t{r.loan_no or '—'}\t{r.proposed_by}\t{r.proposed_at:%d/%m/%Y %H:%M}\n"
                  f"\t{r.preview}")
        return 0
    if c == "confirm":
        proposals.confirm(ctx, args.id)
        print(f"Đã xác nhận đề xuất số {args.id}.")
        return 0
    if c == "maker-checker":
        proposals.set_maker_checker(ctx, args.action, args.state == "on")
        print(f"Hai người duyệt cho «{args.action}»: {'bật' if args.state == 'on' else 'tắt'}.")
        return 0
    if c == "refuse":
        proposals.refuse(ctx, args.id, args.note)
        print(f"Đã từ chối đề xuất số {args.id}.")
        return 0
    raise AssertionError(c)
