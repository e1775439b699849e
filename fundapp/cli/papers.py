"""The command line's reports and papers (INTERCHANGE.md "Command line"): quarterly, annual, semiannual,
portfolio and coverage reports, the PDF papers, the Word papers from the fund's templates, the collateral sheet,
the notices and the register of issued documents."""

from __future__ import annotations

import argparse
import sys

from fundapp.cli.headings import PERIOD_HEADINGS
from fundapp.cli.output import EXIT_BAD_INPUT, emit, print_json, record, terminal_progress
from fundapp.domain.messages import msg
from fundapp.formatting import local_time, short_date

COMMANDS = frozenset({"report", "statement", "schedule-pdf", "receipt", "reconciliation", "event-document",
                      "documents", "contract", "acknowledgment", "appraisal", "decision", "release",
                      "collateral-export", "notices"})

LOAN_PDFS = {"statement": "statement", "schedule-pdf": "schedule", "receipt": "receipt",
             "reconciliation": "reconciliation"}  # command → the loan document it issues (services.documents)


def dispatch(ctx, args: argparse.Namespace) -> int:
    """Run one of ``COMMANDS`` on the opened book ``ctx``; returns the exit status (0 done, 2 refused)."""
    today = ctx.today()
    if args.command == "report" and args.report == "quarterly":
        return quarterly(ctx, args)
    if args.command == "report" and args.report in ("annual", "semiannual"):
        from datetime import date

        from fundapp.services.reports import annual_summary, half_year_summary, period_cut, refuse_year_not_begun

        half = None if args.report == "annual" else args.half
        start, end = date(args.year, 1, 1), date(args.year, 6, 30) if half == 1 else date(args.year, 12, 31)
        refuse_year_not_begun(ctx, args.year)  # a period not begun has no figures yet: «Năm 2025 chưa bắt đầu»
        if period_cut(ctx, start, end) != end:  # counted to today: say so (the JSON's "end" says it too)
            print(msg("fundapp: lưu ý: kỳ {start}–{end} chưa kết thúc — số liệu đến hết ngày {today} (hôm nay)",
                      start=short_date(start), end=short_date(end), today=short_date(ctx.today())), file=sys.stderr)
        if args.xlsx or args.pdf:
            from fundapp.services.report_documents import write_period_report

            with terminal_progress() as progress:
                written = write_period_report(ctx, args.year, half, xlsx=args.xlsx, pdf=args.pdf, progress=progress)
            for path in written:
                print(msg("Đã ghi {path}", path=str(path)))
            return 0
        figures = annual_summary(ctx, args.year) if half is None else half_year_summary(ctx, args.year, half)
        if args.format == "json":
            print_json(figures)
        else:
            record(figures, PERIOD_HEADINGS)
        return 0
    if args.command == "report" and args.report == "coverage":
        from fundapp.services.collateral import coverage_report

        emit([{"loan_no": r.loan_no, "borrower": r.borrower_name, "outstanding": r.outstanding, "pledged": r.pledged,
                "coverage_percent": "" if r.percent is None else str(r.percent), "below_threshold": r.below,
                "revalue": "; ".join(r.revalue)} for r in coverage_report(ctx, args.as_of or today)], args.format)
        return 0
    if args.command == "report" and args.report == "portfolio":
        from fundapp.services.report_documents import write_portfolio

        if not (args.xlsx or args.pdf):  # the portfolio is a file only (INTERCHANGE.md names no printed form of it)
            print(msg("fundapp: report portfolio ghi danh mục cho vay ra tệp: cần --xlsx TỆP hoặc --pdf TỆP"),
                  file=sys.stderr)
            return EXIT_BAD_INPUT
        with terminal_progress() as progress:
            written = write_portfolio(ctx, args.as_of or today, xlsx=args.xlsx, pdf=args.pdf, progress=progress)
        print("\n".join(str(msg("Đã ghi {path}", path=str(p))) for p in written))
        return 0
    if args.command in LOAN_PDFS:  # the loan's PDF documents, issued with their number from the register
        from fundapp.services.documents import write_document

        kind = LOAN_PDFS[args.command]
        on = args.as_of or today if kind in ("statement", "reconciliation") else None
        options = {"reference": args.reference} if kind == "receipt" else {}
        issued = write_document(ctx, kind, args.loan_no, args.pdf, on, **options)
        _tell_change(issued.register)
        print(msg("Đã ghi {path} (số {number})", path=str(args.pdf), number=issued.register.label))
        return 0
    if args.command == "event-document":
        from fundapp.services.event_documents import write_event_document

        issued = write_event_document(ctx, args.reference, args.pdf, args.amendment)
        _tell_change(issued.register)
        print(msg("Đã ghi {path} (số {number})", path=str(args.pdf), number=issued.register.label))
        return 0
    if args.command == "documents":
        from fundapp.services.document_register import document_register

        emit([{"so": r.label, "loai": r.kind_label, "khoan_vay": r.loan_no or "", "ve": r.subject,
                "ngay": r.on.isoformat(), "nguoi_cap": r.issued_by,
                "luc": local_time(r.issued_at).isoformat(timespec="seconds")}  # the officer's time, its offset said
               for r in document_register(ctx, args.year)], args.format)
        return 0
    if args.command in ("contract", "acknowledgment", "appraisal", "decision", "release"):
        return word_paper(ctx, args)
    if args.command == "collateral-export":
        from fundapp.services.collateral import write_csv

        print(msg("Đã ghi {count} tài sản bảo đảm vào {path}", count=str(write_csv(ctx, args.csv)),
                  path=str(args.csv)))
        return 0
    if args.command == "notices":
        from fundapp.services.documents import write_notices

        year, month = args.month
        count = write_notices(ctx, year, month, args.pdf,
                              told=lambda note: print(msg("fundapp: lưu ý: {warning}", warning=note), file=sys.stderr))
        print(msg("Đã ghi {count} thông báo vào {path}", count=str(count), path=str(args.pdf)))
        return 0
    raise AssertionError(args.command)


def _tell_change(register) -> None:
    """On stderr, why an issued paper (``register``: its ``RegisterRow``) took a new number though it was issued
    before: what it states changed since (``RegisterRow.change_note``); nothing when it did not."""
    if register.change_note is not None:
        print(msg("fundapp: lưu ý: {warning}", warning=register.change_note), file=sys.stderr)


def quarterly(ctx, args: argparse.Namespace) -> int:
    """Print the quarter's figures (JSON or table) and/or write its .xlsx/PDF; a closed quarter prints its stored
    report (issue 14). Returns the exit status."""
    from fundapp.services.clock import refuse_future_figures
    from fundapp.services.closing import stored_quarterly
    from fundapp.services.reports import quarter_cut, quarterly_json

    closed = stored_quarterly(ctx, args.year, args.quarter)  # a closed quarter prints its stored report (issue 14)
    if closed is not None:
        print(msg("Báo cáo quý {quarter}/{year} {status}", quarter=args.quarter, year=args.year, status=closed.status),
              file=sys.stderr)
        from fundapp.domain.reporting import interchange_ordered

        # stored with its keys sorted: printed in the order of the same quarter not closed
        quarterly_json = lambda _ctx, _year, _quarter: interchange_ordered(closed.figures)  # noqa: E731
    else:
        start, _end, unfinished = quarter_cut(ctx, args.year, args.quarter)
        refuse_future_figures(ctx, start, "quarter")  # a quarter not begun has no figures yet
        if unfinished is not None:  # INTERCHANGE.md's JSON keys are a contract: the mark goes to stderr
            print(msg("fundapp: lưu ý: quý {quarter}/{year} chưa kết thúc — số liệu đến hết ngày {today} (hôm nay), "
                      "không phải ngày cuối quý", quarter=str(args.quarter), year=str(args.year),
                      today=short_date(unfinished)), file=sys.stderr)
    if args.format == "json" or not (args.xlsx or args.pdf or args.format):
        print_json(quarterly_json(ctx, args.year, args.quarter))
    elif args.format == "table":
        figures = quarterly_json(ctx, args.year, args.quarter)
        record(figures, PERIOD_HEADINGS)
    if args.xlsx or args.pdf:
        from fundapp.services.report_documents import write_quarterly

        with terminal_progress() as progress:
            written = write_quarterly(ctx, args.year, args.quarter, xlsx=args.xlsx, pdf=args.pdf, progress=progress)
        for path in written:
            print(msg("Đã ghi {path}", path=str(path)), file=sys.stderr if args.format == "json" else sys.stdout)
    return 0


def word_paper(ctx, args: argparse.Namespace) -> int:
    """Issue a Word paper (contract, acknowledgment, appraisal, decision, release) with its number from the register,
    or with --draft write the draft .docx (no number); warnings (a fund's template without the number tag) go to
    stderr. Returns the exit status (2 when neither --docx nor --pdf is given)."""
    from fundapp.services import paper_issue

    reference = getattr(args, "reference", None)
    if args.draft:
        if args.docx is None or args.pdf is not None:
            print(msg("fundapp: bản nháp chỉ lưu dạng .docx: dùng --draft --docx TỆP"), file=sys.stderr)
            return EXIT_BAD_INPUT
        draft = paper_issue.write_loan_draft(ctx, args.command, args.loan_no, args.docx, reference)
        print(msg("Đã ghi bản nháp {path} (chưa cấp số)", path=str(draft)))
        return 0
    if args.docx is None and args.pdf is None:
        print(msg("fundapp: cần --docx TỆP hoặc --pdf TỆP"), file=sys.stderr)
        return EXIT_BAD_INPUT
    issued = paper_issue.issue_loan_paper(ctx, args.command, args.loan_no, args.docx, args.pdf, reference)
    for warning in issued.warnings:
        print(msg("fundapp: lưu ý: {warning}", warning=warning), file=sys.stderr)
    for path in issued.paths:
        print(msg("Đã ghi {path} (số {number})", path=str(path), number=issued.register.label))
    return 0
