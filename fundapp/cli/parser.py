"""The ``fundapp`` command line's parser (INTERCHANGE.md "Command line"): every command with its options, the
option types (dates, months) and the names main.py dispatches on."""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from datetime import date
from pathlib import Path

import fundapp.i18n  # noqa: F401  (registers the catalogue: a msg() below renders in the officer's language)
from fundapp.cli.output import EXIT_BAD_INPUT
from fundapp.domain.events import RELIEF_KINDS, relief_kinds
from fundapp.domain.messages import N_, msg
from fundapp.domain.numerals import to_int

DATE_FORMS = N_("YYYY-MM-DD hoặc dd/mm/yyyy")  # the forms parse_date takes: every date option's help names both


def date_help(template: str) -> str:
    """The help of a date option read by ``parse_date``: ``template`` (a msgid with "{forms}") with ``DATE_FORMS``,
    in the officer's language: "ngày cơ cấu lại (YYYY-MM-DD hoặc dd/mm/yyyy)"."""
    return str(msg(template, forms=msg(DATE_FORMS)))


_DAY_FORMS = (re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"),  # ASCII digits only
              re.compile(r"(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})"))
_MONTH_FORMS = (re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})"),
                re.compile(r"(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})"))


def _form(forms: tuple[re.Pattern, ...], text: str) -> dict[str, int] | None:
    """The numbers (year, month, day) ``text`` writes in the first of ``forms`` it has, None when it has none."""
    for form in forms:
        if (match := form.fullmatch(text)) is not None:
            return {name: int(value) for name, value in match.groupdict().items()}
    return None


def parse_date(text: str) -> date:
    """An option's date: "YYYY-MM-DD" or "dd/mm/yyyy" in ASCII digits → ``date``; argparse.ArgumentTypeError
    (Vietnamese) else. A day of the right form that does not exist is told why, by the window's own check
    (``formatting.calendar_reason``): «ngày «2024-13-01» không có trong lịch: một năm chỉ có 12 tháng»
    («31/02/2024» was told to use the form it had, later only to check the day and the month)."""
    from fundapp.formatting import calendar_reason

    found = _form(_DAY_FORMS, text)
    if found is None:
        raise argparse.ArgumentTypeError(str(msg("ngày «{text}» không hợp lệ: dùng YYYY-MM-DD hoặc dd/mm/yyyy",
                                                 text=text)))
    reason = calendar_reason(found["year"], found["month"], found["day"])
    if reason is not None:
        raise argparse.ArgumentTypeError(str(msg("ngày «{text}» không có trong lịch: {reason}", text=text,
                                                 reason=reason)))
    return date(found["year"], found["month"], found["day"])


def parse_int(text: str) -> int:
    """An option's whole number in ASCII digits ("2024", "-3", "150000000") → ``int`` (``numerals.to_int``);
    argparse.ArgumentTypeError (Vietnamese) naming the text else (argparse's own "invalid int value" is English), also
    for what int() reads and no one means: «2_024», «２０２４»."""
    number = to_int(text)
    if number is None:
        raise argparse.ArgumentTypeError(str(msg("«{text}» không phải số nguyên", text=text)))
    return number


def parse_year(text: str) -> int:
    """An option's year: four ASCII digits from the earliest year a book holds (``import_cells.EARLIEST``) → ``int``;
    argparse.ArgumentTypeError (Vietnamese) else, saying what is wrong with it: no number, a number below 0, its
    count of digits («--year 24» gave the year 24's report, every figure 0), a year before the first. A year not
    yet begun is refused later, by the report, in its own words."""
    from fundapp.services.import_cells import EARLIEST

    year = parse_int(text)
    digits = text.strip().lstrip("+-")
    if year < 0:
        reason = msg(N_("số âm"))
    elif len(digits) != 4:
        reason = msg("có {n} chữ số", n=len(digits))
    elif year < EARLIEST.year:  # «1999», «0000»: four digits, a year no book holds
        raise argparse.ArgumentTypeError(str(msg("năm «{text}» trước năm {first}: sổ chỉ ghi nghiệp vụ từ năm {first}",
                                                 text=text, first=EARLIEST.year)))
    else:
        return year
    raise argparse.ArgumentTypeError(str(msg("«{text}» không phải một năm ({reason}): viết năm đủ bốn chữ số, từ "
                                             "{first} (ví dụ 2024)", text=text, reason=reason, first=EARLIEST.year)))


def parse_quarter(text: str) -> int:
    """An option's quarter, 1 to 4 → ``int``; argparse.ArgumentTypeError (Vietnamese) else, saying a year has four
    («--quarter 5» was told argparse's «lựa chọn 5 không có»), also for what is no number («Q4», «IV» were told only
    «không phải số nguyên»: an officer's trial)."""
    quarter = to_int(text)
    if quarter is None:
        raise argparse.ArgumentTypeError(str(msg("quý «{text}» không đọc được: quý viết bằng một số từ 1 đến 4 (ví dụ "
                                                 "--quarter 4)", text=text)))
    if not 1 <= quarter <= 4:
        raise argparse.ArgumentTypeError(str(msg("quý «{text}» không có: một năm có 4 quý, từ 1 đến 4", text=text)))
    return quarter


def parse_half(text: str) -> int:
    """An option's half-year, 1 (the first six months) or 2 (the whole year, Decree 45 Art. 44) → ``int``;
    argparse.ArgumentTypeError (Vietnamese) else, saying what each means."""
    half = parse_int(text)
    if half not in (1, 2):
        raise argparse.ArgumentTypeError(str(msg("kỳ báo cáo «{text}» không có: 1 là sáu tháng đầu năm, 2 là cả năm",
                                                 text=text)))
    return half


def parse_amount(text: str) -> int:
    """An option's amount of đồng, above 0, read as a form reads it (``formatting.parse_money``: "1500000",
    "1.500.000", "1,5 triệu"); argparse.ArgumentTypeError with its Vietnamese refusal else ("1_000" included). 0 and
    an amount below it («-5», a number all the same) are refused alike, quoting it: «Số tiền phải lớn hơn 0 đồng
    (nhận được -5)» («-5» was told it was no amount, «0» that it must be above 0)."""
    from fundapp.domain.money import quoted_amount
    from fundapp.formatting import AmountError, parse_money

    try:
        amount = parse_money(text)
    except AmountError as err:
        if err.negative is None:
            raise argparse.ArgumentTypeError(str(err.msg)) from None  # in the command's language
        amount = err.negative
    if amount <= 0:
        raise argparse.ArgumentTypeError(str(msg("Số tiền phải lớn hơn 0 đồng (nhận được {amount})",
                                                 amount=quoted_amount(amount))))
    return amount


def parse_month(text: str) -> tuple[int, int]:
    """An option's month: "YYYY-MM", or "MM/YYYY" as the window writes a month, in ASCII digits, from the earliest
    year a book holds (``import_cells.EARLIEST``) → (year, month); argparse.ArgumentTypeError (Vietnamese) else
    («06/2025» was refused though the window writes it so). A month of the right form that does not exist is told
    why, by the window's own check (``formatting.calendar_reason``): «tháng «13/2024» không có trong lịch: một năm
    chỉ có 12 tháng» (it was told to use the form it had)."""
    from fundapp.formatting import calendar_reason
    from fundapp.services.import_cells import EARLIEST

    found = _form(_MONTH_FORMS, text)
    if found is None:
        raise argparse.ArgumentTypeError(str(msg("tháng «{text}» không hợp lệ: dùng YYYY-MM hoặc MM/YYYY", text=text)))
    reason = calendar_reason(found["year"], found["month"])
    if reason is not None:
        raise argparse.ArgumentTypeError(str(msg("tháng «{text}» không có trong lịch: {reason}", text=text,
                                                 reason=reason)))
    if found["year"] < EARLIEST.year:  # as ``parse_year``: «--month 1999-12» read a month no book holds, figures 0
        raise argparse.ArgumentTypeError(str(msg("tháng «{text}» trước năm {first}: sổ chỉ ghi nghiệp vụ từ năm {first}",
                                                 text=text, first=EARLIEST.year)))
    return found["year"], found["month"]


NEGATIVE_VALUE = re.compile(r"^-[0-9][0-9.,]*(\s*[^\W\d_]+)?$")  # «-5», «-1.500.000», «-1,5tr», «-2 tỷ»


class Parser(argparse.ArgumentParser):
    """argparse's parser whose own errors exit 2 (EXIT_BAD_INPUT) as every refusal does, in our words; a value
    written as a number below 0 the way a form writes amounts («-1.500.000», «-1,5tr») is a value, as «-5» is, so
    that ``parse_amount`` says what is wrong with it (argparse took it for an option: «cần một giá trị»)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = NEGATIVE_VALUE  # argparse's own takes «-5» and «-1.5» only

    def error(self, message: str):
        """Print the usage and ``message`` on stderr and exit 2 (argparse's own errors exit 2 as well)."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, str(msg("fundapp: lỗi: {message}", message=message)) + "\n")



def examples(*commands: str) -> str:
    """A parser's epilog «Ví dụ:» (in the officer's language) with ``commands``, one real invocation a line, as
    written (they run on the sample book: tests/unit/test_cli_words.py runs each); the parser shows it as is
    (``argparse.RawDescriptionHelpFormatter``)."""
    return "\n".join([str(msg(N_("Ví dụ:"))), *(f"  {command}" for command in commands)])


def notice_examples() -> tuple[str, str]:
    """The ``notices`` examples: this month's and, ahead, next month's (by the book's clock: FUNDAPP_TODAY, else the
    computer's day) — the only months notices are made for (``documents.refuse_notice_month``): fixed months (12/2024,
    2025-01) taught a command that is refused once they are gone by (a review)."""
    from fundapp.domain.dates import add_months
    from fundapp.services.clock import fixed_today_from_env
    from fundapp.services.errors import UserFacingError

    try:
        today = fixed_today_from_env() or date.today()
    except UserFacingError:  # a bad FUNDAPP_TODAY is refused by the command that reads the book, in words
        today = date.today()
    month = today.replace(day=1)
    return (f"fundapp --db book.sqlite notices --month {month:%m/%Y} --pdf thong-bao.pdf",
            f"fundapp --db book.sqlite notices --month {add_months(month, 1):%Y-%m} --pdf thang-sau.pdf")


RAW = argparse.RawDescriptionHelpFormatter  # a parser with ``examples``: its lines as written, not re-wrapped


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
    from fundapp.cli import argparse_vi

    argparse_vi.install()  # argparse's own texts ("usage:", "options", "-h, --help"…) in Vietnamese
    language = str(msg("Ngôn ngữ: theo cài đặt ngôn ngữ của sổ (--db); FUNDAPP_LANGUAGE=en hoặc vi chọn ngôn ngữ "
                       "khác cho một lần chạy. Khóa JSON và tiêu đề CSV không dịch (INTERCHANGE.md); bảng in ra "
                       "(--format table) có tiêu đề theo ngôn ngữ."))
    p = Parser(prog="fundapp", description=str(msg("Sổ cho vay của Quỹ hỗ trợ phát triển hợp tác xã (fundapp).")),
               epilog=textwrap.fill(language, 78) + "\n\n" + examples(
                   "fundapp --db book.sqlite balances --as-of 2024-02-20",
                   "fundapp --db book.sqlite report quarterly --year 2024 --quarter 4 --format json"),
               formatter_class=RAW)
    p.add_argument("--db", help=str(msg("tệp sổ SQLite hoặc URL SQLAlchemy (postgresql+psycopg://…); mặc định FUNDAPP_DB, "
                                "rồi thư mục dữ liệu của người dùng")))
    p.add_argument("--version", action="version", version=_version(),
                   help=argparse_vi.text("show program's version number and exit"))
    sub = p.add_subparsers(dest="command", metavar=str(msg("LỆNH")), parser_class=Parser)

    s = sub.add_parser("import", help=str(msg("nhập thư mục CSV hoặc tệp .xlsx (tất cả hoặc không gì cả)")))
    s.add_argument("path", type=Path, help=str(msg("thư mục các tệp CSV hoặc tệp .xlsx cần nhập")))
    s.add_argument("--check", action="store_true", help=str(msg("chỉ kiểm tra, không ghi")))
    s.add_argument("--accept-unusual-rates", action="store_true",
                   help=str(msg("xác nhận lãi suất ngoài khoảng 0,5–30 %%/năm là đúng (mặc định: từ chối dòng đó)")))

    s = sub.add_parser("balances", help=str(msg("dư nợ từng khoản vay tại một ngày")))
    s.add_argument("--as-of", type=parse_date, default=None, help=date_help(HELPS["as_of"]))
    s.add_argument("--format", choices=("json", "csv", "table"), default="table")

    s = sub.add_parser("schedule", help=str(msg("lịch trả nợ của một khoản vay")))
    s.add_argument("loan_no")
    s.add_argument("--as-of", type=parse_date, default=None)
    s.add_argument("--format", choices=("json", "csv", "table"), default="table")

    s = sub.add_parser("report", help=str(msg("báo cáo")), formatter_class=RAW, epilog=examples(
        "fundapp --db book.sqlite report quarterly --year 2024 --quarter 4 --pdf quy-4.pdf --xlsx quy-4.xlsx",
        "fundapp --db book.sqlite report annual --year 2023 --format json"))
    rs = s.add_subparsers(dest="report", metavar=str(msg("BÁO_CÁO")), parser_class=Parser, required=True)
    q = rs.add_parser("quarterly", help=str(msg("báo cáo giải ngân, thu nợ quý")))
    q.add_argument("--year", type=parse_year, required=True)
    q.add_argument("--quarter", type=parse_quarter, choices=(1, 2, 3, 4), required=True)
    q.add_argument("--format", choices=("json", "table"), default=None)
    q.add_argument("--xlsx", type=Path)
    q.add_argument("--pdf", type=Path)
    an = rs.add_parser("annual", help=str(msg("tổng kết năm: số dự án, giải ngân, thu nợ, dư nợ cuối năm")))
    an.add_argument("--year", type=parse_year, required=True)
    an.add_argument("--format", choices=("json", "table"), default="table")
    an.add_argument("--xlsx", type=Path)
    an.add_argument("--pdf", type=Path)
    hy = rs.add_parser("semiannual", help=str(msg("báo cáo 6 tháng (--half 1) hoặc cả năm (--half 2), Nghị định 45 Điều 44")))
    hy.add_argument("--year", type=parse_year, required=True)
    hy.add_argument("--half", type=parse_half, choices=(1, 2), required=True)
    hy.add_argument("--format", choices=("json", "table"), default="table")
    hy.add_argument("--xlsx", type=Path)
    hy.add_argument("--pdf", type=Path)
    pf = rs.add_parser("portfolio", help=str(msg("danh mục cho vay tại một ngày")))
    pf.add_argument("--as-of", type=parse_date, default=None)
    pf.add_argument("--xlsx", type=Path)
    pf.add_argument("--pdf", type=Path)
    cv = rs.add_parser("coverage", help=str(msg("khoản vay dưới ngưỡng tỷ lệ bảo đảm, tài sản đến hạn định giá lại")))
    cv.add_argument("--as-of", type=parse_date, default=None)
    cv.add_argument("--format", choices=("table", "json", "csv"), default="table")

    s = sub.add_parser("statement", help=str(msg("sao kê khoản vay (PDF)")), formatter_class=RAW, epilog=examples(
        "fundapp --db book.sqlite statement HD2022-002 --as-of 2024-02-20 --pdf sao-ke.pdf"))
    s.add_argument("loan_no")
    s.add_argument("--as-of", type=parse_date, default=None)
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("schedule-pdf", help=str(msg("lịch trả nợ (PDF)")))
    s.add_argument("loan_no")
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("receipt", help=str(msg("giấy nhận nợ của một lần giải ngân (PDF)")))
    s.add_argument("loan_no")
    s.add_argument("--reference", required=True, help=str(msg("số chứng từ của lần giải ngân, ví dụ GN-00180")))
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("reconciliation", help=str(msg("biên bản đối chiếu công nợ tại một ngày (PDF)")))
    s.add_argument("loan_no")
    s.add_argument("--as-of", type=parse_date, default=None)
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("event-document", help=str(msg("quyết định cơ cấu lại / miễn, giảm lãi / xử lý rủi ro (PDF)")))
    s.add_argument("reference", help=str(msg("số quyết định của bút toán, ví dụ QĐ-CC-0019")))
    s.add_argument("--amendment", action="store_true", help=str(msg("phụ lục hợp đồng tín dụng của lần cơ cấu lại")))
    s.add_argument("--pdf", type=Path, required=True)

    for name, text in (("contract", N_("hợp đồng tín dụng")),
                       ("acknowledgment", N_("khế ước nhận nợ của một lần giải ngân")),
                       ("appraisal", N_("tờ trình thẩm định")), ("decision", N_("quyết định cho vay")),
                       ("release", N_("thông báo giải chấp tài sản bảo đảm"))):
        s = sub.add_parser(name, help=str(msg("{paper} từ mẫu Word của Quỹ (.docx, và PDF nếu có LibreOffice)",
                                              paper=msg(text))))
        s.add_argument("loan_no")
        if name == "acknowledgment":
            s.add_argument("--reference", required=True, help=str(msg("số chứng từ của lần giải ngân, ví dụ GN-00180")))
        s.add_argument("--docx", type=Path, default=None, help=str(msg("tệp Word (.docx) được cấp số trong sổ đăng ký tài liệu")))
        s.add_argument("--pdf", type=Path, default=None, help=str(msg("tệp PDF (cần LibreOffice Writer), cùng số")))
        s.add_argument("--draft", action="store_true", help=str(msg("bản nháp .docx, không cấp số (ghi «bản nháp, chưa cấp số»)")))

    s = sub.add_parser("collateral-export", help=str(msg("tài sản bảo đảm của các khoản vay ra tệp collateral.csv (nhập lại được)")))
    s.add_argument("--csv", type=Path, required=True)

    s = sub.add_parser("notices", help=str(msg("thông báo nợ đến hạn trong một tháng (một PDF)")), formatter_class=RAW,
                       epilog=examples(*notice_examples()))
    s.add_argument("--month", type=parse_month, required=True)
    s.add_argument("--pdf", type=Path, required=True)

    s = sub.add_parser("documents", help=str(msg("sổ đăng ký tài liệu đã cấp số (sao kê, thông báo, báo cáo…)")))
    s.add_argument("--year", type=parse_year, default=None, help=str(msg("năm cấp số (mặc định: mọi năm)")))
    s.add_argument("--format", choices=("json", "csv", "table"), default="table")

    s = sub.add_parser("restructure", help=str(msg("cơ cấu lại thời hạn trả nợ của một khoản vay")))
    s.add_argument("loan_no")
    s.add_argument("--on", type=parse_date, required=True, help=date_help(N_("ngày cơ cấu lại ({forms})")))
    s.add_argument("--extend-months", type=parse_int, required=True, help=str(msg("số tháng gia hạn (bội số của kỳ trả nợ; 0: "
                                                                    "điều chỉnh kỳ hạn trong thời hạn cũ)")))
    s.add_argument("--grace", type=parse_int, default=0, help=str(msg("số kỳ tiếp theo không trả gốc (ân hạn gốc)")))
    s.add_argument("--reference", required=True, help=str(msg("số quyết định, ví dụ QĐ-CC-0019")))
    s.add_argument("--reason", required=True, help=str(msg("lý do, ví dụ «Ảnh hưởng bão lũ tháng 10»")))

    s = sub.add_parser("restructure-batch", help=str(msg("cơ cấu lại nhiều khoản vay theo một quyết định (sau thiên tai): "
                                                 "tất cả hoặc không khoản nào")))
    area = s.add_mutually_exclusive_group(required=True)
    area.add_argument("--ward", help=str(msg("mọi khoản vay còn dư nợ của khách hàng ở xã/phường này")))
    area.add_argument("--district", help=str(msg("mọi khoản vay còn dư nợ của khách hàng ở huyện này")))
    area.add_argument("--loans", help=str(msg("các số hợp đồng, cách nhau bằng dấu phẩy: HD2024-019,HD2024-023")))
    s.add_argument("--on", type=parse_date, required=True, help=date_help(N_("ngày cơ cấu lại ({forms})")))
    s.add_argument("--extend-months", type=parse_int, required=True, help=str(msg("số tháng gia hạn (bội số của kỳ trả nợ)")))
    s.add_argument("--grace", type=parse_int, default=0, help=str(msg("số kỳ tiếp theo không trả gốc (ân hạn gốc)")))
    s.add_argument("--reference", required=True, help=str(msg("số quyết định, ví dụ QĐ-CC-0019 (mỗi khoản vay ghi "
                                                      "QĐ-CC-0019/số hợp đồng)")))
    s.add_argument("--reason", required=True, help=str(msg("lý do, ví dụ «Lũ lụt tháng 11/2024»")))
    s.add_argument("--check", action="store_true", help=str(msg("chỉ xem trước, không ghi gì")))

    s = sub.add_parser("relief", help=str(msg("miễn, giảm lãi của một khoản vay")))
    s.add_argument("loan_no")
    s.add_argument("--on", type=parse_date, required=True, help=date_help(N_("ngày miễn, giảm ({forms})")))
    s.add_argument("--of", dest="relief_of", choices=RELIEF_KINDS, required=True,
                   help=str(msg("loại lãi: {kinds}", kinds=relief_kinds())))
    s.add_argument("--amount", type=parse_amount, required=True, help=str(msg("số tiền miễn, giảm (đồng)")))
    s.add_argument("--reference", required=True, help=str(msg("số quyết định")))
    s.add_argument("--reason", required=True, help=str(msg("lý do")))

    s = sub.add_parser("write-off", help=str(msg("xử lý rủi ro: xóa nợ bằng dự phòng (chuyển ngoại bảng)")))
    s.add_argument("loan_no")
    s.add_argument("--on", type=parse_date, required=True, help=date_help(N_("ngày xử lý ({forms})")))
    s.add_argument("--reference", required=True, help=str(msg("số quyết định")))
    s.add_argument("--reason", required=True, help=str(msg("lý do")))

    s = sub.add_parser("demo", help=str(msg("tạo sổ mẫu (demo) tại một đường dẫn")))
    s.add_argument("path", type=Path, nargs="?", default=None,
                   help=str(msg("tệp sổ mẫu sẽ tạo (.sqlite); mặc định tệp của --db")))

    from fundapp.cli import fund_settings

    fund_settings.add_parser(sub)  # the settings the papers print (the window's Settings page)

    from fundapp import cli_record  # users, post, reverse, close, reopen, verify, pending, confirm; --user (issue 14)

    cli_record.add_parsers(p, sub)
    cli_record.user_everywhere(p)  # --user after the command words too
    name_every_argument(p)
    return p


# every argument's placeholder in the usage and help, by its ``dest`` (the code's and the JSON's name, unchanged):
# the officer reads "SỐ_HĐ", never "loan_no" (English twins in the catalogue: LOAN_NO…)
METAVARS = {
    "db": N_("SỔ"), "user": N_("TÊN"), "name": N_("TÊN"), "full_name": N_("HỌ_TÊN"), "roles": N_("VAI_TRÒ"),
    "password_env": N_("TÊN_BIẾN"), "path": N_("ĐƯỜNG_DẪN"), "loan_no": N_("SỐ_HĐ"), "loans": N_("CÁC_SỐ_HĐ"),
    "as_of": N_("NGÀY"), "on": N_("NGÀY"), "through": N_("NGÀY"), "year": N_("NĂM"), "quarter": N_("QUÝ"),
    "half": N_("NỬA_NĂM"), "month": N_("THÁNG"), "format": N_("ĐỊNH_DẠNG"), "pdf": N_("TỆP_PDF"),
    "xlsx": N_("TỆP_XLSX"), "docx": N_("TỆP_DOCX"), "csv": N_("TỆP_CSV"), "reference": N_("SỐ_CHỨNG_TỪ"),
    "reason": N_("LÝ_DO"), "note": N_("GHI_CHÚ"), "amount": N_("SỐ_TIỀN"), "extend_months": N_("SỐ_THÁNG"),
    "grace": N_("SỐ_KỲ"), "ward": N_("XÃ"), "district": N_("HUYỆN"), "relief_of": N_("LOẠI_LÃI"), "kind": N_("LOẠI"),
    "id": N_("SỐ_ĐỀ_XUẤT"), "action": N_("VIỆC"), "state": N_("BẬT_TẮT"),
}
# the help of an argument given none where it is added, by its ``dest``; "{choices}" lists the values it takes,
# "{forms}" the date forms parse_date takes (DATE_FORMS)
HELPS = {
    "loan_no": N_("số hợp đồng của khoản vay, ví dụ HD2024-001"),
    "as_of": N_("ngày tính số liệu ({forms}), mặc định hôm nay"),
    "format": N_("cách in ra: {choices}"),
    "pdf": N_("tệp PDF ghi ra"), "xlsx": N_("tệp Excel (.xlsx) ghi ra"), "csv": N_("tệp CSV ghi ra"),
    "year": N_("năm, ví dụ 2024"), "quarter": N_("quý: {choices}"), "half": N_("1: sáu tháng đầu năm, 2: cả năm"),
    "month": N_("tháng (YYYY-MM hoặc MM/YYYY)"), "reason": N_("lý do"), "name": N_("tên đăng nhập của người dùng"),
    "full_name": N_("họ và tên của người dùng"),
    "roles": N_("vai trò, cách nhau bằng dấu phẩy: officer, head, director, accountant, controller, admin"),
    "through": N_("ngày cuối của kỳ khóa sổ ({forms})"), "id": N_("số đề xuất (xem fundapp pending)"),
    "note": N_("ghi chú gửi người đề xuất"), "kind": N_("disbursement: giải ngân; repayment: thu nợ"),
    "reference": N_("số chứng từ của bút toán"), "action": N_("việc: {choices}"), "state": N_("on: bật, off: tắt"),
}


def name_every_argument(parser: argparse.ArgumentParser) -> None:
    """Give every argument of ``parser`` and its sub-commands (nested ones too) taking a value its placeholder
    (``METAVARS``: "SỐ_HĐ" for loan_no, "NGÀY" for --as-of…) and every argument without a help its ``HELPS`` text,
    both in the officer's language; ``dest`` stays (the code and the JSON name it). An argument missing from both
    tables keeps what argparse makes of it: the catalogue test names it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                name_every_argument(sub)
            continue
        if action.nargs != 0 and action.metavar is None and action.dest in METAVARS:
            action.metavar = str(msg(METAVARS[action.dest]))
        if action.help is None and action.dest in HELPS:
            choices = ", ".join(map(str, action.choices)) if action.choices else ""
            action.help = str(msg(HELPS[action.dest], choices=choices, forms=msg(DATE_FORMS)))


def _version() -> str:
    from fundapp import __version__

    return f"fundapp {__version__}"
