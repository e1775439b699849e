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
from fundapp.formatting import short_date, short_date_time

EXIT_BAD_INPUT = 2
EXIT_BROKEN = 3
COMMANDS = ("users", "post", "reverse", "close", "reopen", "verify", "pending", "confirm", "refuse", "maker-checker")
EVENT_ACTIONS = {"restructure": "restructure", "relief": "relief", "write-off": "write_off"}


def add_parsers(p: argparse.ArgumentParser, sub) -> None:
    """Add ``--user`` to the main parser ``p`` and the book-of-record commands to its subparsers ``sub``."""
    from fundapp.cli.parser import RAW, date_help, examples, parse_amount, parse_int
    from fundapp.cli.parser import parse_date as _date

    p.add_argument("--user", default=None, help=str(msg("tên đăng nhập (mặc định FUNDAPP_USER); mật khẩu hỏi khi chạy hoặc "
                                                "lấy từ FUNDAPP_PASSWORD")))
    s = sub.add_parser("users", help=str(msg("người dùng của sổ: add, list, disable, grant")))
    us = s.add_subparsers(dest="users_command", metavar=str(msg("VIỆC")), required=True, parser_class=type(p))
    a = us.add_parser("add", help=str(msg("thêm người dùng (sổ chưa có ai: người đầu tiên là quản trị, không cần đăng nhập)")))
    a.add_argument("name")
    a.add_argument("--roles", required=True, help=str(msg("vai trò, cách nhau bằng dấu phẩy: officer, head, director, "
                                                   "accountant, controller, admin")))
    a.add_argument("--full-name", default="")
    a.add_argument("--password-env", default=None, help=str(msg("tên biến môi trường chứa mật khẩu (cho kịch bản); mặc "
                                                        "định hỏi hai lần")))
    us.add_parser("list", help=str(msg("danh sách người dùng")))
    d = us.add_parser("disable", help=str(msg("khóa người dùng (không bao giờ xóa)")))
    d.add_argument("name")
    e = us.add_parser("enable", help=str(msg("mở khóa người dùng")))
    e.add_argument("name")
    g = us.add_parser("grant", help=str(msg("đặt vai trò của người dùng")))
    g.add_argument("name")
    g.add_argument("--roles", required=True)

    s = sub.add_parser("post", help=str(msg("ghi giải ngân hoặc thu nợ")), formatter_class=RAW, epilog=examples(
        "fundapp --db book.sqlite post repayment HD2022-008 --on 2024-12-31 --amount 1.000.000",
        "fundapp --db book.sqlite post repayment HD2022-008 --on 31/12/2024 --amount 1,5tr --reference PT-0099"))
    s.add_argument("kind", choices=("disbursement", "repayment"))
    s.add_argument("loan_no")
    s.add_argument("--on", type=_date, required=True, help=date_help(N_("ngày ({forms})")))
    s.add_argument("--amount", type=parse_amount, required=True, help=str(msg("số tiền (đồng)")))
    s.add_argument("--reference", default="", help=str(msg("số chứng từ (mặc định: số tiếp theo)")))
    s.add_argument("--accept-changed-receipts", action="store_true",
                   help=str(msg("vẫn ghi khi bút toán ghi lùi ngày làm thay đổi phân bổ của phiếu thu đã lập")))
    s.add_argument("--again", action="store_true",
                   help=str(msg("vẫn ghi khi khoản vay đã có bút toán cùng loại, cùng ngày, cùng số tiền (một khoản "
                                "khác, không phải ghi lại chứng từ cũ)")))

    s = sub.add_parser("reverse", help=str(msg("hủy (đảo) một bút toán theo số chứng từ")))
    s.add_argument("reference")
    s.add_argument("--reason", required=True)
    s.add_argument("--accept-changed-receipts", action="store_true",
                   help=str(msg("vẫn hủy khi việc hủy làm thay đổi phân bổ của phiếu thu đã lập")))

    s = sub.add_parser("close", help=str(msg("khóa sổ đến hết một ngày (quản trị)")))
    s.add_argument("--through", type=_date, required=True)
    s.add_argument("--reason", default="")

    s = sub.add_parser("reopen", help=str(msg("mở lại kỳ đã khóa sổ (giám đốc)")))
    s.add_argument("--through", type=_date, required=True)
    s.add_argument("--reason", required=True)

    s = sub.add_parser("verify", help=str(msg("kiểm tra chuỗi băm của sổ và các báo cáo đã khóa sổ")))
    s.add_argument("--anchor", action="append", default=[], metavar=str(msg("SỐ:MÃ")),
                   help=str(msg("mã kiểm tra in trên báo cáo đã khóa sổ (có thể nhắc lại)")))
    sub.add_parser("pending", help=str(msg("các đề xuất chờ tôi duyệt")))
    s = sub.add_parser("confirm", help=str(msg("xác nhận một đề xuất")))
    s.add_argument("id", type=parse_int)
    s.add_argument("--accept-changed-receipts", action="store_true",
                   help=str(msg("vẫn xác nhận khi việc hủy bút toán được đề xuất làm thay đổi phân bổ của phiếu thu đã "
                                "lập")))
    s = sub.add_parser("refuse", help=str(msg("từ chối một đề xuất")))
    s.add_argument("id", type=parse_int)
    s.add_argument("--note", default="")
    s = sub.add_parser("maker-checker", help=str(msg("bật/tắt hai người duyệt cho một việc (quản trị; có ghi nhật ký)")))
    s.add_argument("action", choices=("reverse", "restructure", "relief", "write_off", "limit_override", "settings"))
    s.add_argument("state", choices=("on", "off"))


def user_everywhere(parser: argparse.ArgumentParser) -> None:
    """Let ``--user NAME`` stand after any command word too (``fundapp post … --user kt``), not only before it:
    every sub-parser, nested ones included, gets the option without a default (the main parser's stays)."""
    for action in parser._actions:  # argparse keeps its sub-parsers there
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                if not any("--user" in a.option_strings for a in sub._actions):
                    sub.add_argument("--user", default=argparse.SUPPRESS, help=str(msg("tên đăng nhập (như --user chung)")))
                user_everywhere(sub)


def _password() -> str:
    env = os.environ.get("FUNDAPP_PASSWORD")
    if env is not None:
        return env
    return getpass.getpass(f"{msg('Mật khẩu:')} ")


def login(ctx, args: argparse.Namespace):
    """``ctx`` as the user of ``--user``/FUNDAPP_USER on a book with users (password from FUNDAPP_PASSWORD or
    asked); unchanged on a book without users (``users add`` of the first user needs none). Raises
    ``UserFacingError`` for a refused login or a missing name."""
    import dataclasses

    from fundapp.services.errors import UserFacingError
    from fundapp.services.rights import RightRefused, book_has_users

    name = args.user or os.environ.get("FUNDAPP_USER") or ""
    if not book_has_users(ctx):
        return dataclasses.replace(ctx, user=name) if name else ctx
    from fundapp.services.users import login as service_login  # argon2: only where a login is checked

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
    first = getpass.getpass(f"{msg('Mật khẩu cho {name}:', name=args.name)} ")
    if getpass.getpass(f"{msg('Nhập lại mật khẩu:')} ") != first:
        raise ValidationError(N_("Hai lần nhập mật khẩu không giống nhau"), field="password")
    return first


def _users(ctx, args) -> int:
    from fundapp.services import users

    c = args.users_command
    if c == "add":
        row = users.add_user(ctx, args.name, args.roles.split(","), _new_password(args), args.full_name)
        print(msg("Đã thêm người dùng {name}: {roles}", name=row.name, roles=row.roles_vi))
    elif c == "list":
        listed = users.list_users(ctx)
        if not listed:  # nothing printed said nothing (a new officer's trial)
            print(msg("Sổ chưa có người dùng nào: ai dùng sổ cũng làm được mọi việc. Người đầu tiên thêm bằng "
                      "fundapp users add TÊN --roles admin là quản trị."))
        for u in listed:
            state = f" {msg('(đã khóa)')}" if u.disabled else ""
            print(f"{u.name}\t{u.full_name}\t{','.join(u.roles)}\t{u.roles_vi}{state}")
    elif c in ("disable", "enable"):
        users.disable_user(ctx, args.name, c == "disable")
        print(msg("Đã khóa người dùng {name}", name=args.name) if c == "disable" else
              msg("Đã mở khóa người dùng {name}", name=args.name))
    else:
        row = users.grant(ctx, args.name, args.roles.split(","))
        print(msg("Vai trò của {name}: {roles}", name=row.name, roles=row.roles_vi))
    return 0


def _post(ctx, args) -> int:
    from fundapp.domain.events import Kind
    from fundapp.formatting import vnd
    from fundapp.services import events, posting

    kind = Kind.DISBURSEMENT if args.kind == "disbursement" else Kind.REPAYMENT
    loan_id = events.loan_id_of(ctx, args.loan_no)
    warning = posting.preview_transaction_receipts(ctx, loan_id, kind, args.on, args.amount)
    twin = posting.twin_text(ctx, loan_id, kind, args.on, args.amount)
    if twin:  # the same voucher typed twice went through silently (an officer's trial)
        print(twin, file=sys.stderr)
        if not args.again:
            print(msg("fundapp: chưa ghi; nếu đây là một khoản khác, chạy lại lệnh với --again"), file=sys.stderr)
            return EXIT_BAD_INPUT
    if warning:
        print(warning, file=sys.stderr)
        if not args.accept_changed_receipts:
            print(msg("fundapp: chưa ghi; thêm --accept-changed-receipts để vẫn ghi"), file=sys.stderr)
            return EXIT_BAD_INPUT
    posted = posting.post_transaction(ctx, loan_id, kind, args.on, args.amount, args.reference)
    from fundapp.domain.event_words import shown_kind

    # a repayment the engine took as a recovery of written-off debt is said as one (DOMAIN.md "Write-off on day t")
    recovery = shown_kind(str(kind), posted.allocation) == "recovery"
    what = msg("giải ngân") if kind == Kind.DISBURSEMENT else msg("thu hồi nợ đã xử lý rủi ro") if recovery else msg(
        "thu nợ")
    print(msg("Đã ghi {what} {amount} khoản vay {loan} ngày {on}, số chứng từ {reference}.", what=what,
              amount=vnd(args.amount), loan=args.loan_no, on=short_date(args.on), reference=posted.reference))
    return 0


def _propose_or_do(ctx, action: str, params: dict, do) -> int:
    from fundapp.services import proposals
    from fundapp.services.rights import maker_checker_on

    if maker_checker_on(ctx, action) and ctx.confirming is None:
        p = proposals.propose(ctx, action, params)
        print(msg("Đã lập đề xuất số {id} ({action}), chờ người khác xác nhận:\n{preview}", id=p.id,
                  action=p.action_vi, preview=p.preview))
        return 0
    print(do())
    return 0


def _receipts_refused(warning: str, accepted: bool, said: bool = True) -> bool:
    """Say ``warning`` (the receipts already issued a reversal would change; nothing when "") on stderr unless
    ``said`` is False, and whether to stop: it changes some and ``accepted`` (--accept-changed-receipts) was not
    given — then the refusal is said too."""
    if not warning:
        return False
    if said or not accepted:
        print(warning, file=sys.stderr)
    if accepted:
        return False
    print(msg("fundapp: chưa hủy; thêm --accept-changed-receipts để vẫn hủy"), file=sys.stderr)
    return True


def _reverse(ctx, args) -> int:
    from fundapp.services import posting, proposals
    from fundapp.services.rights import maker_checker_on

    entry_id = proposals.entry_by_reference(ctx, args.reference)[0]
    # a reversal changed a later receipt's split silently where a back-dated posting says so (an officer's trial);
    # as a proposal its preview prints the receipts anyway
    proposing = maker_checker_on(ctx, "reverse") and ctx.confirming is None
    if _receipts_refused(posting.preview_reversal_receipts(ctx, entry_id), args.accept_changed_receipts,
                         said=not proposing):
        return EXIT_BAD_INPUT

    def do() -> str:
        posting.reverse_entry(ctx, entry_id, args.reason)
        return str(msg("Đã hủy bút toán {reference}.", reference=args.reference))

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
    print(msg("Đã lập đề xuất số {id} ({action}), chờ người khác xác nhận:\n{preview}", id=p.id,
              action=p.action_vi, preview=p.preview))
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
        print(msg("Đã khóa sổ đến hết ngày {through}; báo cáo của kỳ đã được lưu ({mark}).",
                  through=short_date(row.through), mark=msg(closing.CLOSED)))
        for report in closing.stored_reports(ctx):
            if report.through == row.through:
                print(msg("Mã kiểm tra báo cáo {kind}: {anchor} (ghi lại; fundapp verify --anchor {anchor})",
                          kind=closing.stored_kind_label(report.kind), anchor=report.anchor))
        return 0
    if c == "reopen":
        row = closing.reopen_period(ctx, args.through, args.reason)
        after = (msg("sổ còn khóa đến hết ngày {on}", on=short_date(row.closed_through)) if row.closed_through
                 else msg("sổ không còn kỳ nào khóa"))
        print(msg("Đã mở lại kỳ khóa sổ đến ngày {on}; {after}.", on=short_date(row.through), after=after))
        return 0
    if c == "verify":
        check = verify_book(ctx, tuple(args.anchor))
        if check.ok:
            print(msg("Sổ toàn vẹn: chuỗi {n} bản ghi khớp.", n=check.count))  # as the window says it (not «OK»)
            return 0
        if check.broken:
            print(msg("HỎNG: {problem}", problem=check.broken), file=sys.stderr)
        for line in check.reports:
            print(msg("HỎNG: {problem}", problem=line), file=sys.stderr)
        return EXIT_BROKEN
    if c == "pending":
        rows = proposals.pending(ctx)
        if not rows:
            print(msg("Không có đề xuất nào chờ bạn duyệt."))
        for r in rows:
            print(f"#{r.id}\t{r.action_vi}\t{r.loan_no or '—'}\t{r.proposed_by}\t{short_date_time(r.proposed_at)}\n"
                  f"\t{r.preview}")
        return 0
    if c == "confirm":  # the receipts a reversal changes are said again to the checker, who confirms them too
        if _receipts_refused(proposals.changed_receipts_of(ctx, args.id), args.accept_changed_receipts):
            return EXIT_BAD_INPUT
        proposals.confirm(ctx, args.id)
        print(msg("Đã xác nhận đề xuất số {id}.", id=args.id))
        return 0
    if c == "maker-checker":
        proposals.set_maker_checker(ctx, args.action, args.state == "on")
        print(msg("Hai người duyệt cho «{action}»: bật.", action=args.action) if args.state == "on" else
              msg("Hai người duyệt cho «{action}»: tắt.", action=args.action))
        return 0
    if c == "refuse":
        proposals.refuse(ctx, args.id, args.note)
        print(msg("Đã từ chối đề xuất số {id}.", id=args.id))
        return 0
    raise AssertionError(c)
