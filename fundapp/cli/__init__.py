"""The ``fundapp`` command line (INTERCHANGE.md): thin over the services, errors in Vietnamese on stderr."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from fundapp.cli.output import EXIT_BAD_INPUT, EXIT_DEFECT, os_error_text
from fundapp.cli.parser import build_parser
from fundapp.domain.messages import N_, msg, on_command_line


def _text(message) -> str:
    """``message`` (a domain ``Message``) as text in the officer's language, or its Vietnamese if the catalogue
    cannot be read: for the last-resort lines, which must print whatever failed."""
    try:
        return str(message)
    except Exception:  # a defect's report must not fail itself
        return message.render()


def run(args: argparse.Namespace) -> int:
    """Run the parsed command ``args`` on the book and return the exit code (0 done, 1 refused with a message on
    stderr, others as INTERCHANGE.md says)."""
    from fundapp.app import open_book

    _refuse_missing_folders(args)
    if args.command == "demo":
        from fundapp.services.clock import fixed_today_from_env
        from fundapp.services.demo import create_demo_book

        path = _demo_path(args)
        summary = create_demo_book(path, today=fixed_today_from_env())
        print(msg("Đã tạo sổ mẫu {path}: {summary}", path=str(path), summary=summary))
        return 0
    _refuse_missing_book(args)
    ctx = open_book(args.db)
    if "://" in (str(args.db) if args.db else os.environ.get("FUNDAPP_DB", "")):
        from fundapp.services.language import follow_book

        follow_book(ctx)  # a server book's language, read once it is open (a SQLite file's was read before parsing)
    from fundapp import cli_record

    ctx = cli_record.login(ctx, args)  # a book with users: --user / FUNDAPP_USER and the password (issue 14)
    if args.command in cli_record.COMMANDS:
        return cli_record.run(ctx, args)
    from fundapp.services.backup import book_holders

    for holder in book_holders(ctx):  # SQLite: another process has the book open (it may write meanwhile)
        print(msg("fundapp: lưu ý: sổ cũng đang được mở bởi {holder}", holder=holder), file=sys.stderr)
    _refuse_future_as_of(ctx, args)
    if not _prints_papers(args):
        return _dispatch(ctx, args)
    from fundapp.services.settings import papers_without_defaults

    with papers_without_defaults(ctx) as unnamed:
        status = _dispatch(ctx, args)
    if unnamed and status == 0:  # said only once a paper (a draft too) was produced, never before a refusal
        from fundapp.cli.fund_settings import NAMING_ADVICE

        print(msg("fundapp: Chưa nhập tên Quỹ: giấy tờ in tên Quỹ, cơ quan chủ quản và địa danh để trống (……). "
                  "Nhập bằng lệnh {command} (hoặc trong chương trình: trang «Cài đặt», mục «Đơn vị»), rồi in lại.",
                  command=NAMING_ADVICE), file=sys.stderr)
    return status


OUTPUT_OPTIONS = ("pdf", "xlsx", "docx", "csv")  # the options naming a file the command writes
BOOK_CREATING = frozenset({"import", "demo"})  # the commands that may make a new book at --db's path
PAPERS_AS_OF = {"statement": N_("sao kê khoản vay"), "reconciliation": N_("biên bản đối chiếu công nợ")}


def _refuse_missing_folders(args: argparse.Namespace) -> None:
    """A file to write into a folder that does not exist is refused naming the folder (as the GUI's save dialog
    offers only existing folders), and one whose name does not end in its option's suffix (.pdf, .xlsx, .docx,
    .csv), or with spaces around it (a pasted «q.pdf »), is refused naming a name that would do: nothing is
    created, numbered or written. The refusal is the services' own
    (document_register.refuse_missing_folder), prefixed with the option: «--pdf x/sk.pdf: Thư mục «x» không có: …»."""
    from fundapp.services.document_register import refuse_missing_folder
    from fundapp.services.errors import ValidationError

    for option in OUTPUT_OPTIONS:
        path = getattr(args, option, None)
        try:
            refuse_missing_folder(path, field=option)
        except ValidationError as e:
            raise ValidationError(msg("--{option} {path}: {reason}", option=option, path=str(path), reason=e.msg),
                                  field=option) from None
        if path is not None and Path(path).name != Path(path).name.strip():
            raise ValidationError(msg("--{option} «{path}»: tên tệp có khoảng trắng ở đầu hoặc cuối: bỏ đi, ví dụ "
                                      "«{example}»", option=option, path=str(path),
                                      example=str(_with_suffix(Path(path), option))), field=option)
        if path is not None and Path(path).suffix.lower() != f".{option}":
            # «--xlsx q.txt» wrote a workbook no program opens by its name (the GUI's save dialog adds the suffix)
            raise ValidationError(msg("--{option} {path}: tên tệp cần đuôi «.{option}», ví dụ «{example}»",
                                      option=option, path=str(path), example=str(_with_suffix(Path(path), option))),
                                  field=option)


def _with_suffix(path: Path, option: str) -> Path:
    """The name an officer most likely meant for ``path`` with the suffix ``.{option}``: the spaces around it
    dropped (a pasted «q.pdf »), a last suffix after it dropped («a.pdf.txt» → «a.pdf»), the suffix put in place of
    another or added («q.txt» → «q.xlsx», «bao-cao» → «bao-cao.pdf»); «bao-cao» when nothing but a suffix was
    named («.pdf»)."""
    want = f".{option}"
    name = path.name.strip()
    stem = Path(name).stem if Path(name).suffix else name
    if name.lower().endswith(want) and len(name) > len(want):
        chosen = name
    elif stem.lower().endswith(want) and len(stem) > len(want):
        chosen = stem
    elif stem.strip(".") and stem.lower() != want:
        chosen = stem + want
    else:
        chosen = "bao-cao" + want
    return path.with_name(chosen)


def _demo_path(args: argparse.Namespace) -> Path:
    """The demo book's file: the path after ``demo``, else --db's (or FUNDAPP_DB's), as every other command takes its
    book («fundapp --db X demo» was refused for lacking the path). Raises ``ValidationError`` (field "path") when
    neither names one, or when the book named is a server's: a demo book is a SQLite file."""
    from fundapp.services.errors import ValidationError

    if args.path is not None:
        return args.path
    value = str(args.db) if args.db else os.environ.get("FUNDAPP_DB", "")
    if not value:
        raise ValidationError(msg("Chưa có tệp sổ mẫu: fundapp demo ĐƯỜNG_DẪN (hoặc fundapp --db ĐƯỜNG_DẪN demo)"),
                              field="path")
    if "://" in value:
        from fundapp.ledger.urls import sqlite_file

        if (file := sqlite_file(value)) is not None:  # «sqlite:///x.sqlite», as --db takes it for every command
            return file
        raise ValidationError(msg("Sổ mẫu là một tệp SQLite: fundapp demo ĐƯỜNG_DẪN, không phải sổ trên máy chủ "
                                  "«{url}»", url=value.split("@")[-1]), field="path")
    return Path(value)


def _refuse_missing_book(args: argparse.Namespace) -> None:
    """--db (or FUNDAPP_DB, else the per-user book) naming a SQLite file that does not exist is refused naming it,
    unless the command makes books (import, demo): a read command never creates an empty book silently. A
    ``sqlite:///`` address names its file as SQLAlchemy reads it (no «~» expanded)."""
    from fundapp.services.errors import ValidationError

    value = str(args.db) if args.db else os.environ.get("FUNDAPP_DB", "")
    if args.command in BOOK_CREATING:
        return
    per_user = not value
    if per_user:  # the per-user book (``urls.resolve_url``): a read command made it empty and read nothing from it
        from fundapp.ledger.urls import default_book_path

        value = str(default_book_path())
    if "://" in value:  # a server's book is there or refused by its server; a SQLite URL names a file
        from fundapp.ledger.urls import sqlite_file

        file = sqlite_file(value)
        if file is None:
            return
    else:
        file = Path(value).expanduser()
    if not file.exists() and per_user:  # not a mistyped path: the book of this user was never made
        raise ValidationError(msg("Chưa có sổ: sổ riêng của người dùng này trên máy («{path}», dùng khi không có --db "
                                  "và FUNDAPP_DB) chưa được tạo. Sổ này được tạo khi mở cửa sổ fundapp lần đầu, hoặc "
                                  "từ dòng lệnh bằng «fundapp import ĐƯỜNG_DẪN» (nhập thư mục CSV hoặc tệp .xlsx của "
                                  "Quỹ vào sổ mới); muốn dùng một sổ đã có thì ghi đường dẫn của nó sau --db (hoặc "
                                  "trong FUNDAPP_DB)", path=value), field="db")
    if not file.exists():
        raise ValidationError(msg("Không có sổ «{path}»: kiểm tra --db (hoặc FUNDAPP_DB); sổ mới được tạo bằng "
                                  "fundapp import hoặc fundapp demo", path=value), field="db")


def _refuse_future_as_of(ctx, args: argparse.Namespace) -> None:
    """--as-of after the book's today is refused like every future date: a paper in the papers' words
    (clock.refuse_future_paper), figures in the figures' (clock.refuse_future_figures); exit 2."""
    from fundapp.services.clock import refuse_future_figures, refuse_future_paper

    as_of = getattr(args, "as_of", None)
    if as_of is None:
        return
    if args.command in PAPERS_AS_OF:
        refuse_future_paper(ctx, as_of, PAPERS_AS_OF[args.command], "as_of")
    else:
        refuse_future_figures(ctx, as_of)


PAPER_COMMANDS = frozenset({"statement", "schedule-pdf", "receipt", "reconciliation", "event-document", "notices",
                            "contract", "acknowledgment", "appraisal", "decision", "release"})


def _prints_papers(args: argparse.Namespace) -> bool:
    """Whether the command writes a paper carrying the fund's name (a PDF, .docx or .xlsx)."""
    if args.command in PAPER_COMMANDS:
        return True
    return args.command == "report" and bool(getattr(args, "pdf", None) or getattr(args, "xlsx", None))


def _dispatch(ctx, args: argparse.Namespace) -> int:
    """Run a command on the opened book ``ctx``; returns the exit status."""
    from fundapp.cli import book, fund_settings, papers

    for module in (book, papers, fund_settings):
        if args.command in module.COMMANDS:
            return module.dispatch(ctx, args)
    raise AssertionError(args.command)


def _db_option(argv: list[str]) -> str | None:
    """The value of ``--db`` in ``argv`` ("--db X" or "--db=X"), read before parsing; None when absent."""
    for i, word in enumerate(argv):
        if word == "--db" and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith("--db="):
            return word.removeprefix("--db=")
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``fundapp`` console script: ``argv`` (sys.argv's by default) → the exit status. Its
    messages are worded for the command line (``on_command_line``: its options, not the window's menus)."""
    with on_command_line():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    from fundapp.services.language import follow_book_file

    argv = sys.argv[1:] if argv is None else list(argv)
    follow_book_file(_db_option(argv))  # the book's language (FUNDAPP_LANGUAGE overrides it) before --help is built
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_BAD_INPUT
    import logging

    from fundapp.app import log_unraisable, setup_logging
    from fundapp.services.errors import ImportRefused, UserFacingError
    from fundapp.services.rights import RightRefused

    try:
        setup_logging(logging.WARNING)  # refusals' details (a corrupt page, a driver's text) go to the log file
    except OSError:
        pass  # no writable log folder: the command still runs
    log_unraisable()
    try:
        return run(args)
    except ImportRefused as err:
        print(err.message, file=sys.stderr)
        if err.unusual_rates:  # the GUI asks; here the officer confirms with the option
            print(_text(msg("Nếu các lãi suất bất thường trên đúng như hợp đồng: chạy lại lệnh với "
                            "--accept-unusual-rates.")), file=sys.stderr)
        return EXIT_BAD_INPUT
    except RightRefused as err:  # a right the user lacks, named (issue 14)
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except UserFacingError as err:
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(_text(msg("fundapp: đã dừng theo yêu cầu")), file=sys.stderr)
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
        print(_text(msg("fundapp: lỗi không mong muốn, chưa ghi gì thêm vào sổ; chi tiết đã ghi vào nhật ký {log}",
                        log=str(log_file))), file=sys.stderr)
        return EXIT_DEFECT


if __name__ == "__main__":
    sys.exit(main())
