"""The command line's commands on the book and its loans (INTERCHANGE.md "Command line"): import, balances,
schedule, and the life events (restructure, restructure-batch, relief, write-off) through the GUI's services."""

from __future__ import annotations

import argparse
import sys

from fundapp.cli.output import EXIT_BAD_INPUT, emit, print_named_ints, table
from fundapp.domain.messages import N_, msg
from fundapp.formatting import group_thousands, short_date

COMMANDS = frozenset({"import", "balances", "schedule", "restructure-batch", "restructure", "relief", "write-off"})


def dispatch(ctx, args: argparse.Namespace) -> int:
    """Run one of ``COMMANDS`` on the opened book ``ctx``; returns the exit status (0 done, 2 refused)."""
    from fundapp import cli_record

    today = ctx.today()
    if args.command == "import":
        return import_book(ctx, args)
    if args.command == "balances":
        from fundapp.services.reports import BALANCES_KEYS, balances_json, balances_rows

        if args.format == "json":  # 100,000 loans: written as they come, without a dict each (issue 17)
            print_named_ints(BALANCES_KEYS, balances_rows(ctx, args.as_of or today))
        else:
            emit(balances_json(ctx, args.as_of or today), args.format)
        return 0
    if args.command == "schedule":
        from fundapp.domain.messages import lowered
        from fundapp.services.document_register import DOC_KIND_LABELS
        from fundapp.services.loans import loan_view

        # every entry; installments not yet due are projected; a day before the contract is refused (the loan's
        # schedule did not exist yet), as the schedule paper's
        view = loan_view(ctx, args.loan_no, args.as_of, paper=lowered(DOC_KIND_LABELS["schedule"]))
        emit([{"no": i.no, "due_date": i.due_on.isoformat(), "principal": i.principal, "interest": i.interest,
                "interest_projected": i.interest_projected, "principal_paid": i.principal_paid,
                "interest_paid": i.interest_paid} for i in view.schedule], args.format)
        return 0
    if args.command == "restructure-batch":
        return restructure_batch(ctx, args)
    if args.command in ("restructure", "relief", "write-off"):
        proposed = cli_record.event_as_proposal(ctx, args)  # maker-checker on: a proposal another confirms
        return post_event(ctx, args) if proposed is None else proposed
    raise AssertionError(args.command)


def import_book(ctx, args: argparse.Namespace) -> int:
    """Import (or with --check only check) ``args.path`` into the book and print what it holds; a refused import
    raises as before. When the import wrote nothing (refused, stopped, a check, or a source with no new row) into a
    book file this command created, the file is removed: nothing is left behind where no book was."""
    from fundapp.services.imports import check_and_import

    try:
        summary = check_and_import(ctx, args.path, dry_run=args.check, accept_unusual_rates=args.accept_unusual_rates)
    except BaseException:
        ctx.db.discard_if_created()
        raise
    if args.check or summary.empty:  # nothing was written: a book file this command created is not left behind
        ctx.db.discard_if_created()
    if summary.empty:
        print(msg("Không có dòng nào mới để nhập từ {source}: chưa ghi gì vào sổ.", source=summary.source))
        return 0
    verb = N_("Kiểm tra xong, không có lỗi") if args.check else N_("Đã nhập")
    print(msg("{verb}: {counts} từ {source}.", verb=msg(verb), counts=summary.counts(), source=summary.source))
    return 0


def post_event(ctx, args: argparse.Namespace) -> int:
    """Post a life event through the same services as the GUI; a refusal exits 2 with the message on stderr."""
    from fundapp.services import events
    from fundapp.services.errors import UserFacingError

    try:
        loan_id = events.loan_id_of(ctx, args.loan_no)
        if args.command == "restructure":
            posted = events.restructure(ctx, loan_id, args.on, args.extend_months, args.grace, args.reference,
                                        args.reason)
            done = msg("Đã ghi cơ cấu lại khoản vay {loan} ngày {day} (lần thứ {number}, lãi được chuyển sang kỳ sau "
                       "{deferred} đ)", loan=args.loan_no, day=short_date(args.on), number=str(posted.allocation.number),
                       deferred=group_thousands(posted.allocation.deferred_interest))
        elif args.command == "relief":
            from fundapp.domain.events import relief_label

            posted = events.relieve_interest(ctx, loan_id, args.on, args.relief_of, args.amount, args.reference,
                                             args.reason)
            done = msg("Đã ghi miễn, giảm {amount} đ {what} khoản vay {loan} ngày {day}",
                       amount=group_thousands(args.amount), what=msg(relief_label(args.relief_of)),
                       loan=args.loan_no, day=short_date(args.on))
        else:
            posted = events.write_off(ctx, loan_id, args.on, args.reference, args.reason)
            done = msg("Đã ghi xử lý rủi ro khoản vay {loan} ngày {day}: gốc {principal} đ, lãi {interest} đ chuyển "
                       "ngoại bảng", loan=args.loan_no, day=short_date(args.on),
                       principal=group_thousands(posted.allocation.principal),
                       interest=group_thousands(posted.allocation.interest))
    except UserFacingError as err:
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(msg("{done} — số quyết định {reference}.", done=done, reference=posted.reference))
    return 0


def _before_after(before, after, shown) -> str | None:
    """A preview's «before → after» cell: a refused loan's own figure with a dash after it (nothing changes), None
    (a dash) when the loan has no such figure."""
    if before is None:
        return None
    return f"{shown(before)} → {shown(after) if after is not None else '—'}"


def restructure_batch(ctx, args: argparse.Namespace) -> int:
    """Preview every loan of the ward, district or list, then (without --check) restructure them all under one
    decision, or none: a refused loan is named on stderr with its reason, exit status 2, nothing written."""
    from fundapp.services import batch_restructure as br
    from fundapp.services import events
    from fundapp.services.errors import UserFacingError

    try:
        rows = br.loans_in_area(ctx, ward=args.ward or "", district=args.district or "",
                                loan_nos=(args.loans or "").split(","))
        if not rows:
            raise UserFacingError(N_("Không có khoản vay nào còn dư nợ ở địa bàn này"))
        lines = br.preview_batch(ctx, [r.id for r in rows], args.on, args.extend_months, args.grace,
                                 decision=args.reference, reason=args.reason)
        table([{"loan_no": x.loan_no, "borrower": x.borrower_name, "outstanding": x.principal_outstanding,
                 "deferred_interest": x.deferred_interest,
                 "group": _before_after(x.group_before, x.group_after, str),
                 "last_due": _before_after(x.last_due_before, x.last_due_after, short_date),
                 "refused": x.refusal or ""} for x in lines])
        refused = [x for x in lines if x.refused]
        if refused:
            raise br.BatchRefused({x.loan_no: x.refusal for x in refused})
        if args.check:
            print(msg("Kiểm tra xong: cơ cấu lại được cả {count} khoản vay. Chưa ghi gì (--check).",
                      count=str(len(lines))))
            return 0
        posted = events.restructure_batch(ctx, [x.loan_id for x in lines], args.on, args.extend_months, args.grace,
                                          args.reference, args.reason)
    except UserFacingError as err:
        print(f"fundapp: {err.message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(msg("Đã ghi cơ cấu lại {count} khoản vay ngày {day} theo quyết định {decision} ({first} …).",
              count=str(len(posted)), day=short_date(args.on), decision=args.reference.strip(),
              first=posted[0].reference))
    return 0

