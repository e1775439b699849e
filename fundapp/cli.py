"""The ``fundapp`` command line (INTERCHANGE.md): thin over the services, errors in Vietnamese on stderr."""

from __future__ import annotations

import argparse
import errno
import json
import sys
from datetime import date, datetime
from pathlib import Path

EXIT_BAD_INPUT = 2  # every refusal an officer can cause: bad input, a rule, a right, a file (INTERCHANGE.md)
EXIT_DEFECT = 1  # an unexpected error: a defect of ours, detail in the log


def _date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày «{text}» không hợp lệ: dùng YYYY-MM-DD hoặc dd/mm/yyyy")


def _month(text: str) -> tuple[int, int]:
    try:
        d = datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(f"tháng «{text}» không hợp lệ: dùng YYYY-MM") from None
    return d.year, d.month


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors exit 2 as well, in our words
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"fundapp: lỗi: {message}\n")


_OS_ERRORS = {
    errno.ENOENT: "không có tệp hoặc thư mục này",
    errno.EISDIR: "đây là một thư mục, không phải tệp: chọn một tên tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EACCES: "không có quyền ghi/đọc ở đây: chọn thư mục khác",
    errno.EPERM: "không có quyền ghi/đọc ở đây: chọn thư mục khác",
    errno.ENOSPC: "ổ đĩa đã đầy: giải phóng chỗ trống rồi thử lại",
    errno.EROFS: "ổ đĩa chỉ cho đọc: chọn thư mục khác",
    errno.EEXIST: "tệp đã có",
}


def os_error_text(err: OSError) -> str:
    """An operating-system file error in Vietnamese, naming the file: "không ghi/đọc được tệp X: lý do".

    The library's English text never reaches the officer (issue 10.5); unknown codes get a general reason."""
    from fundapp.services.credentials import scrub

    reason = _OS_ERRORS.get(err.errno or 0, "lỗi hệ điều hành khi ghi/đọc tệp")
    where = f" {scrub(str(err.filename))}" if err.filename else ""
    return f"không ghi/đọc được tệp{where}: {reason}"


def command_names() -> frozenset[str]:
    """The names of the command line's commands (``import``, ``balances``, … ``verify``): main.py starts the
    command line instead of the window when the first word is one of them."""
    parser = build_parser()
    for action in parser._actions:  # argparse keeps its sub-commands in a _SubParsersAction
        if isinstance(action, argparse._SubParsersAction):
            return frozenset(action.choices)
    return frozenset()


def build_parser() -> argparse.ArgumentParser:
    """The ``fundapp`` command line's parser (INTERCHANGE.md "Command line"): global --db/--user and every
    command with its options, help texts in Vietnamese."""
    p = _Parser(prog="fundapp", description="Sổ cho vay của Quỹ hỗ trợ phát triển hợp tác xã (fundapp).")
    p.add_argument("--db", help="tệp sổ SQLite hoặc URL SQLAlchemy (postgresql+psycopg://…); mặc định FUNDAPP_DB, "
                                "rồi thư mục dữ liệu của người dùng")
    p.add_argument("--version", action="version", version=_version())
    sub = p.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    s = sub.add_parser("import", help="nhập thư mục CSV hoặc tệp .xlsx (tất cả hoặc không gì cả)")
    s.add_argument("path", type=Path)
    s.add_argument("--check", action="store_true", help="chỉ kiểm tra, không ghi")
    s.add_argument("--accept-unusual-rates", action="store_true",
                   help="xác nhận lãi suất ngoài khoảng 0,5–30 %%/năm là đúng (mặc định: từ chối dòng đó)")

    s = sub.add_parser("balances", help="dư nợ từng khoản vay tại một ngày")
    s.add_argument("--as-of", type=_date, default=None, help="ngày (YYYY-MM-DD), mặc định hôm nay")
    s.add_argument("--format", choices=("json", "csv", "table"), default="table")

    s = sub.add_parser("schedule", help="lịch trả nợ của một khoản vay")
    s.add_argument("loan_no")
    s.add_argument("--as-of", type=_date, default=None)
    s.add_argument("--format", choices=("json", "csv", "table"), default="table")

    s = sub.add_parser("report", help="báo cáo")
    rs = s.add_subparsers(dest="report", metavar="BÁO_CÁO", parser_class=_Parser, required=True)
    q = rs.add_parser("quarterly", help="báo cáo giải ngân, thu nợ quý")
    q.add_argument("--year", type=int, required=True)
    q.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), required=True)
    q.add_argument("--format", choices=("json", "table"), default=None)
    q.add_argument("--xlsx", type=Path)
    q.add_argument("--pdf", type=Path)
    an = rs.add_parser("annual", help="tổng kết năm: số dự án, giải ngân, thu nợ, dư nợ cuối năm")
    an.add_argument("--year", type=int, required=True)
    an.add_argument("--format", choices=("json", "table"), default="table")
    an.add_argument("--xlsx", type=Path)
    an.add_argument("--pdf", type=Path)
    hy = rs.add_parser("semiannual", help="báo cáo 6 tháng (--half 1) hoặc cả năm (--half 2), Nghị định 45 Điều 44")
    hy.add_argument("--year", type=int, required=True)
    hy.add_argument("--half", type=int, choices=(1, 2), required=True)
    hy.add_argument("--format", choices=("json", "table"), default="table")
    hy.add_argument("--xlsx", type=Path)
    hy.add_argument("--pdf", type=Path)
    pf = rs.add_parser("portfolio", help="danh mục cho vay tại một ngày")
    pf.add_argument("--as-of", type=_date, default=None)
    pf.add_argument("--xlsx", type=Path)
    pf.add_argument("--pdf", type=Path)
    cv = rs.add_parser("coverage", help="khoản vay dưới ngưỡng tỷ lệ bảo đảm, tài sản đến hạn định giá lại")
    cv.add_argument("--as-of", type=_date, default=None)
    cv.add_argument("--format", choices=("table", "json", "csv"), default="table")

    s = sub.add_parser("statement", help="sao kê khoản vay (PDF)")
    s.add_argument("loan_no")
    s.add_argument("--as-of", type=_date, default=None)
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("schedule-pdf", help="lịch trả nợ (PDF)")
    s.add_argument("loan_no")
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("receipt", help="giấy nhận nợ của một lần giải ngân (PDF)")
    s.add_argument("loan_no")
    s.add_argument("--reference", required=True, help="số chứng từ của lần giải ngân, ví dụ GN-00180")
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("reconciliation", help="biên bản đối chiếu công nợ tại một ngày (PDF)")
    s.add_argument("loan_no")
    s.add_argument("--as-of", type=_date, default=None)
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("event-document", help="quyết định cơ cấu lại / miễn, giảm lãi / xử lý rủi ro (PDF)")
    s.add_argument("reference", help="số quyết định của bút toán, ví dụ QĐ-CC-0019")
    s.add_argument("--amendment", action="store_true", help="phụ lục hợp đồng tín dụng của lần cơ cấu lại")
    s.add_argument("--pdf", type=Path, required=True)

    for name, text in (("contract", "hợp đồng tín dụng"), ("acknowledgment", "khế ước nhận nợ của một lần giải ngân"),
                       ("appraisal", "tờ trình thẩm định"), ("decision", "quyết định cho vay"),
                       ("release", "thông báo giải chấp tài sản bảo đảm")):
        s = sub.add_parser(name, help=f"{text} từ mẫu Word của Quỹ (.docx, và PDF nếu có LibreOffice)")
        s.add_argument("loan_no")
        if name == "acknowledgment":
            s.add_argument("--reference", required=True, help="số chứng từ của lần giải ngân, ví dụ GN-00180")
        s.add_argument("--docx", type=Path, default=None)
        s.add_argument("--pdf", type=Path, default=None)

    s = sub.add_parser("collateral-export", help="tài sản bảo đảm của các khoản vay ra tệp collateral.csv (nhập lại được)")
    s.add_argument("--csv", type=Path, required=True)

    s = sub.add_parser("notices", help="thông báo nợ đến hạn trong một tháng (một PDF)")
    s.add_argument("--month", type=_month, required=True)
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("documents", help="sổ đăng ký tài liệu đã cấp số (sao kê, thông báo, báo cáo…)")
    s.add_argument("--year", type=int, default=None, help="năm cấp số (mặc định: mọi năm)")
    s.add_argument("--format", choices=("json", "csv", "table"), default="table")

    s = sub.add_parser("restructure", help="cơ cấu lại thời hạn trả nợ của một khoản vay")
    s.add_argument("loan_no")
    s.add_argument("--on", type=_date, required=True, help="ngày cơ cấu lại (YYYY-MM-DD)")
    s.add_argument("--extend-months", type=int, required=True, help="số tháng gia hạn (bội số của kỳ trả nợ; 0: "
                                                                    "điều chỉnh kỳ hạn trong thời hạn cũ)")
    s.add_argument("--grace", type=int, default=0, help="số kỳ tiếp theo không trả gốc (ân hạn gốc)")
    s.add_argument("--reference", required=True, help="số quyết định, ví dụ QĐ-CC-0019")
    s.add_argument("--reason", required=True, help="lý do, ví dụ «Ảnh hưởng bão lũ tháng 10»")

    s = sub.add_parser("restructure-batch", help="cơ cấu lại nhiều khoản vay theo một quyết định (sau thiên tai): "
                                                 "tất cả hoặc không khoản nào")
    area = s.add_mutually_exclusive_group(required=True)
    area.add_argument("--ward", help="mọi khoản vay còn dư nợ của khách hàng ở xã/phường này")
    area.add_argument("--district", help="mọi khoản vay còn dư nợ của khách hàng ở huyện này")
    area.add_argument("--loans", help="các số hợp đồng, cách nhau bằng dấu phẩy: HD2024-019,HD2024-023")
    s.add_argument("--on", type=_date, required=True, help="ngày cơ cấu lại (YYYY-MM-DD)")
    s.add_argument("--extend-months", type=int, required=True, help="số tháng gia hạn (bội số của kỳ trả nợ)")
    s.add_argument("--grace", type=int, default=0, help="số kỳ tiếp theo không trả gốc (ân hạn gốc)")
    s.add_argument("--reference", required=True, help="số quyết định, ví dụ QĐ-CC-0019 (mỗi khoản vay ghi "
                                                      "QĐ-CC-0019/số hợp đồng)")
    s.add_argument("--reason", required=True, help="lý do, ví dụ «Lũ lụt tháng 11/2024»")
    s.add_argument("--check", action="store_true", help="chỉ xem trước, không ghi gì")

    s = sub.add_parser("relief", help="miễn, giảm lãi của một khoản vay")
    s.add_argument("loan_no")
    s.add_argument("--on", type=_date, required=True, help="ngày miễn, giảm (YYYY-MM-DD)")
    s.add_argument("--of", dest="relief_of", choices=("late_interest", "overdue_interest", "interest"), required=True,
                   help="loại lãi: late_interest (chậm trả), overdue_interest (quá hạn), interest (trong hạn đến hạn)")
    s.add_argument("--amount", type=int, required=True, help="số tiền miễn, giảm (đồng)")
    s.add_argument("--reference", required=True, help="số quyết định")
    s.add_argument("--reason", required=True, help="lý do")

    s = sub.add_parser("write-off", help="xử lý rủi ro: xóa nợ bằng dự phòng (chuyển ngoại bảng)")
    s.add_argument("loan_no")
    s.add_argument("--on", type=_date, required=True, help="ngày xử lý (YYYY-MM-DD)")
    s.add_argument("--reference", required=True, help="số quyết định")
    s.add_argument("--reason", required=True, help="lý do")

    s = sub.add_parser("demo", help="tạo sổ mẫu (demo) tại PATH")
    s.add_argument("path", type=Path)

    from fundapp import cli_record  # users, post, reverse, close, reopen, verify, pending, confirm; --user (issue 14)

    cli_record.add_parsers(p, sub)
    cli_record.user_everywhere(p)  # --user after the command words too
    return p


def _version() -> str:
    from fundapp import __version__

    return f"fundapp {__version__}"


def _print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=1))
    sys.stdout.write("\n")


def _table(rows: list[dict]) -> None:
    if not rows:
        print("(không có dòng nào)")
        return
    from fundapp.formatting import group_thousands

    def cell(v):
        return group_thousands(v) if isinstance(v, int) and not isinstance(v, bool) else str(v)

    cols = list(rows[0])
    texts = [[cell(r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(t[i]) for t in texts)) for i, c in enumerate(cols)]
    print("  ".join(c.rjust(w) for c, w in zip(cols, widths, strict=True)))
    for t in texts:
        print("  ".join(v.rjust(w) for v, w in zip(t, widths, strict=True)))


def _csv(rows: list[dict]) -> None:
    import csv

    if rows:
        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _emit(rows: list[dict], fmt: str) -> None:
    {"json": _print_json, "csv": _csv, "table": _table}[fmt](rows)


def run(args: argparse.Namespace) -> int:
    """Run the parsed command ``args`` on the book and return the exit code (0 done, 1 refused with a message on
    stderr, others as INTERCHANGE.md says)."""
    from fundapp.app import open_book

    if args.command == "demo":
        from fundapp.services.clock import fixed_today_from_env
        from fundapp.services.demo import create_demo_book

        summary = create_demo_book(args.path, today=fixed_today_from_env())
        print(f"Đã tạo sổ mẫu {args.path}: {summary}")
        return 0
    ctx = open_book(args.db)
    from fundapp import cli_record

    ctx = cli_record.login(ctx, args)  # a book with users: --user / FUNDAPP_USER and the password (issue 14)
    if args.command in cli_record.COMMANDS:
        return cli_record.run(ctx, args)
    from fundapp.services.backup import book_holders

    for holder in book_holders(ctx):  # SQLite: another process has the book open (it may write meanwhile)
        print(f"fundapp: lưu ý: sổ cũng đang được mở bởi {holder}", file=sys.stderr)
    if not _prints_papers(args):
        return _dispatch(ctx, args)
    from fundapp.services.settings import papers_without_defaults

    with papers_without_defaults(ctx) as unnamed:
        if unnamed:  # never the defaults' province on a fund's papers: blanks, and say how to fill them
            print("fundapp: Chưa nhập tên Quỹ: giấy tờ in tên Quỹ, cơ quan chủ quản và địa danh để trống (……). "
                  "Nhập tên Quỹ trong chương trình: Cài đặt (trang «Cài đặt», mục «Đơn vị»), rồi in lại.",
                  file=sys.stderr)
        return _dispatch(ctx, args)


PAPER_COMMANDS = frozenset({"statement", "schedule-pdf", "receipt", "reconciliation", "event-document", "notices",
                            "contract", "acknowledgment", "appraisal", "decision", "release"})


def _prints_papers(args: argparse.Namespace) -> bool:
    """Whether the command writes a paper carrying the fund's name (a PDF, .docx or .xlsx)."""
    if args.command in PAPER_COMMANDS:
        return True
    return args.command == "report" and bool(getattr(args, "pdf", None) or getattr(args, "xlsx", None))


def _dispatch(ctx, args: argparse.Namespace) -> int:
    """Run a command on the opened book ``ctx``; returns the exit status."""
    from fundapp import cli_record

    today = ctx.today()
    if args.command == "import":
        from fundapp.services.imports import check_and_import

        summary = check_and_import(ctx, args.path, dry_run=args.check, accept_unusual_rates=args.accept_unusual_rates)
        verb = "Kiểm tra xong, không có lỗi" if args.check else "Đã nhập"
        print(f"{verb}: {summary.borrowers} khách hàng, {summary.loans} khoản vay, {summary.transactions} giao dịch "
              f"từ {summary.source}.")
        return 0
    if args.command == "balances":
        from fundapp.services.reports import balances_json

        _emit(balances_json(ctx, args.as_of or today), args.format)
        return 0
    if args.command == "schedule":
        from fundapp.services.loans import loan_view

        view = loan_view(ctx, args.loan_no, args.as_of)  # every entry; installments not yet due are projected
        _emit([{"no": i.no, "due_date": i.due_on.isoformat(), "principal": i.principal, "interest": i.interest,
                "interest_projected": i.interest_projected, "principal_paid": i.principal_paid,
                "interest_paid": i.interest_paid} for i in view.schedule], args.format)
        return 0
    if args.command == "restructure-batch":
        return _restructure_batch(ctx, args)
    if args.command in ("restructure", "relief", "write-off"):
        proposed = cli_record.event_as_proposal(ctx, args)  # maker-checker on: a proposal another confirms
        return _event(ctx, args) if proposed is None else proposed
    if args.command == "report" and args.report == "quarterly":
        return _quarterly(ctx, args)
    if args.command == "report" and args.report in ("annual", "semiannual"):
        from fundapp.services.reports import annual_summary, half_year_summary

        half = None if args.report == "annual" else args.half
        if args.xlsx or args.pdf:
            from fundapp.services.documents import write_period_report

            for path in write_period_report(ctx, args.year, half, xlsx=args.xlsx, pdf=args.pdf):
                print(f"Đã ghi {path}")
            return 0
        figures = annual_summary(ctx, args.year) if half is None else half_year_summary(ctx, args.year, half)
        if args.format == "json":
            _print_json(figures)
        else:
            _table([{k: v for k, v in figures.items() if not isinstance(v, dict)}])
        return 0
    if args.command == "report" and args.report == "coverage":
        from fundapp.services.collateral import coverage_report

        _emit([{"loan_no": r.loan_no, "borrower": r.borrower_name, "outstanding": r.outstanding, "pledged": r.pledged,
                "coverage_percent": "" if r.percent is None else str(r.percent), "below_threshold": r.below,
                "revalue": "; ".join(r.revalue)} for r in coverage_report(ctx, args.as_of or today)], args.format)
        return 0
    if args.command == "report" and args.report == "portfolio":
        from fundapp.services.documents import write_portfolio

        written = write_portfolio(ctx, args.as_of or today, xlsx=args.xlsx, pdf=args.pdf)
        print("\n".join(f"Đã ghi {p}" for p in written))
        return 0
    if args.command == "statement":
        from fundapp.services.documents import write_statement

        print(f"Đã ghi {write_statement(ctx, args.loan_no, args.as_of or today, args.pdf)}")
        return 0
    if args.command == "schedule-pdf":
        from fundapp.services.documents import write_schedule

        print(f"Đã ghi {write_schedule(ctx, args.loan_no, args.pdf)}")
        return 0
    if args.command == "receipt":
        from fundapp.services.documents import write_receipt

        print(f"Đã ghi {write_receipt(ctx, args.loan_no, args.reference, args.pdf)}")
        return 0
    if args.command == "reconciliation":
        from fundapp.services.documents import write_reconciliation

        print(f"Đã ghi {write_reconciliation(ctx, args.loan_no, args.as_of or today, args.pdf)}")
        return 0
    if args.command == "event-document":
        from fundapp.services.event_documents import write_event_document

        issued = write_event_document(ctx, args.reference, args.pdf, args.amendment)
        print(f"Đã ghi {args.pdf} (số {issued.register.label})")
        return 0
    if args.command == "documents":
        from fundapp.services.documents import document_register

        _emit([{"so": r.label, "loai": r.kind_label, "khoan_vay": r.loan_no or "", "ve": r.subject,
                "ngay": r.on.isoformat(), "nguoi_cap": r.issued_by, "luc": r.issued_at.isoformat(timespec="seconds")}
               for r in document_register(ctx, args.year)], args.format)
        return 0
    if args.command in ("contract", "acknowledgment", "appraisal", "decision", "release"):
        from fundapp.services.templates import write_loan_paper

        if args.docx is None and args.pdf is None:
            print("Cần --docx TỆP hoặc --pdf TỆP", file=sys.stderr)
            return 2
        for path in write_loan_paper(ctx, args.command, args.loan_no, args.docx, args.pdf,
                                     getattr(args, "reference", None)):
            print(f"Đã ghi {path}")
        return 0
    if args.command == "collateral-export":
        from fundapp.services.collateral import write_csv

        print(f"Đã ghi {write_csv(ctx, args.csv)} tài sản bảo đảm vào {args.csv}")
        return 0
    if args.command == "notices":
        from fundapp.services.documents import write_notices

        year, month = args.month
        count = write_notices(ctx, year, month, args.pdf)
        print(f"Đã ghi {count} thông báo vào {args.pdf}")
        return 0
    raise AssertionError(args.command)


def _event(ctx, args) -> int:
    """Post a life event through the same services as the GUI; a refusal exits 2 with the message on stderr."""
    from fundapp.formatting import group_thousands
    from fundapp.services import events
    from fundapp.services.errors import UserFacingError

    try:
        loan_id = events.loan_id_of(ctx, args.loan_no)
        if args.command == "restructure":
            posted = events.restructure(ctx, loan_id, args.on, args.extend_months, args.grace, args.reference,
                                        args.reason)
            done = (f"Đã ghi cơ cấu lại khoản vay {args.loan_no} ngày {args.on:%d/%m/%Y} (lần thứ "
                    f"{posted.allocation.number}, lãi được chuyển sang kỳ sau "
                    f"{group_thousands(posted.allocation.deferred_interest)} đ)")
        elif args.command == "relief":
            posted = events.relieve_interest(ctx, loan_id, args.on, args.relief_of, args.amount, args.reference,
                                             args.reason)
            done = (f"Đã ghi miễn, giảm {group_thousands(args.amount)} đ "
                    f"{events.RELIEF_NAMES[args.relief_of]} khoản vay {args.loan_no} ngày {args.on:%d/%m/%Y}")
        else:
            posted = events.write_off(ctx, loan_id, args.on, args.reference, args.reason)
            done = (f"Đã ghi xử lý rủi ro khoản vay {args.loan_no} ngày {args.on:%d/%m/%Y}: gốc "
                    f"{group_thousands(posted.allocation.principal)} đ, lãi "
                    f"{group_thousands(posted.allocation.interest)} đ chuyển ngoại bảng")
    except UserFacingError as err:
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{done} — số quyết định {posted.reference}.")
    return 0


def _restructure_batch(ctx, args) -> int:
    """Preview every loan of the ward, district or list, then (without --check) restructure them all under one
    decision, or none: a refused loan is named on stderr with its reason, exit status 2, nothing written."""
    from fundapp.services import batch_restructure as br
    from fundapp.services import events
    from fundapp.services.errors import UserFacingError

    try:
        rows = br.loans_in_area(ctx, ward=args.ward or "", district=args.district or "",
                                loan_nos=(args.loans or "").split(","))
        if not rows:
            raise UserFacingError("Không có khoản vay nào còn dư nợ ở địa bàn này", "no loan with principal outstanding")
        lines = br.preview_batch(ctx, [r.id for r in rows], args.on, args.extend_months, args.grace)
        _table([{"loan_no": x.loan_no, "borrower": x.borrower_name, "outstanding": x.principal_outstanding,
                 "deferred_interest": x.deferred_interest,
                 "group": f"{x.group_before} → {x.group_after}" if not x.refused else "",
                 "last_due": (f"{x.last_due_before:%d/%m/%Y} → {x.last_due_after:%d/%m/%Y}"
                              if x.last_due_before and x.last_due_after else ""),
                 "refused": x.refusal or ""} for x in lines])
        refused = [x for x in lines if x.refused]
        if refused:
            raise br.BatchRefused({x.loan_no: x.refusal for x in refused})
        if args.check:
            print(f"Kiểm tra xong: cơ cấu lại được cả {len(lines)} khoản vay. Chưa ghi gì (--check).")
            return 0
        posted = events.restructure_batch(ctx, [x.loan_id for x in lines], args.on, args.extend_months, args.grace,
                                          args.reference, args.reason)
    except UserFacingError as err:
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Đã ghi cơ cấu lại {len(posted)} khoản vay ngày {args.on:%d/%m/%Y} theo quyết định {args.reference.strip()}"
          f" ({posted[0].reference} …).")
    return 0


def _quarterly(ctx, args) -> int:
    from fundapp.services.closing import stored_quarterly
    from fundapp.services.reports import quarterly_json

    closed = stored_quarterly(ctx, args.year, args.quarter)  # a closed quarter prints its stored report (issue 14)
    if closed is not None:
        print(f"Báo cáo quý {args.quarter}/{args.year} {closed.status}", file=sys.stderr)
        quarterly_json = lambda _ctx, _year, _quarter: closed.figures  # noqa: E731
    if args.format == "json" or not (args.xlsx or args.pdf or args.format):
        _print_json(quarterly_json(ctx, args.year, args.quarter))
    elif args.format == "table":
        figures = quarterly_json(ctx, args.year, args.quarter)
        _table([{k: v for k, v in figures.items() if not isinstance(v, dict)}])
    if args.xlsx or args.pdf:
        from fundapp.services.documents import write_quarterly

        for path in write_quarterly(ctx, args.year, args.quarter, xlsx=args.xlsx, pdf=args.pdf):
            print(f"Đã ghi {path}", file=sys.stderr if args.format == "json" else sys.stdout)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``fundapp`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_BAD_INPUT
    import logging

    from fundapp.app import setup_logging
    from fundapp.services.errors import ImportRefused, UserFacingError
    from fundapp.services.rights import RightRefused

    try:
        setup_logging(logging.WARNING)  # refusals' details (a corrupt page, a driver's text) go to the log file
    except OSError:
        pass  # no writable log folder: the command still runs
    try:
        return run(args)
    except ImportRefused as err:
        print(err.message, file=sys.stderr)
        return EXIT_BAD_INPUT
    except RightRefused as err:  # a right the user lacks, named (issue 14)
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UserFacingError as err:
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("fundapp: đã dừng theo yêu cầu", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped (``| head``): nothing more to say
        return 0
    except OSError as err:
        print(f"fundapp: {os_error_text(err)}", file=sys.stderr)
        logging.getLogger("fundapp.cli").warning("file error in %s: %r", args.command, err)
        return EXIT_BAD_INPUT
    except Exception:  # a defect: the detail goes to the log, never a traceback on the officer's screen
        from fundapp.app import log_folder

        log_file = log_folder() / "fundapp.log"
        logging.getLogger("fundapp.cli").exception("unexpected error in %s", args.command)
        print(f"fundapp: lỗi không mong muốn, chưa ghi gì thêm vào sổ; chi tiết đã ghi vào nhật ký {log_file}",
              file=sys.stderr)
        return EXIT_DEFECT


if __name__ == "__main__":
    sys.exit(main())
