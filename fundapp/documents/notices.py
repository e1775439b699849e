"""Notice of debt due (thông báo nợ đến hạn): one per borrower, or a batch as one PDF."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from reportlab.platypus import Flowable, PageBreak, Paragraph

from fundapp.domain.labels import QUOTE_LABELS
from fundapp.formatting import group_thousands, long_date, short_date, vnd

from .layout import (
    DocumentStart,
    build_pdf,
    closing_block,
    data_table,
    director_signer,
    esc,
    fit_widths,
    frame_width,
    info_table,
    kept_together,
    name_in_sentence,
    national_heading,
    para,
    styles,
    title_block,
    words_line,
)
from .model import DueNotice
from .sections import PROJECTED_NOTE

NOTICE_HEADER = ["Hợp đồng", "Kỳ", "Ngày đến hạn", "Gốc", "Lãi", "Tổng cộng"]
ARREARS_HEADER = ["Hợp đồng", "Gốc đến hạn\nchưa trả", "Lãi đến hạn\nchưa trả", "Lãi quá hạn", "Lãi chậm trả",
                  "Cộng"]
# the quote's figure by its one label (the statement's too), on two lines: «Lãi trong hạn / sau ngày đến hạn cuối»
AFTER_TERM_LABEL = QUOTE_LABELS["interest_payable_after_term"]
AFTER_TERM_HEADER = AFTER_TERM_LABEL.replace(" sau ", "\nsau ", 1)


class Cancelled(Exception):
    """The batch was cancelled by the caller's ``cancelled()`` check; nothing was produced."""


def notice_story(n: DueNotice) -> list[Flowable]:
    """One notice: heading, "Kính gửi", the installments due in the month, the total in figures and
    words, where to pay, "Nơi nhận:" and the director's signature."""
    s = styles()
    b = n.borrower
    month = f"{n.month:02d}/{n.year}"
    rows = []
    projected = False
    for item in n.items:
        k = item.installment
        star = "*" if k.interest_projected else ""
        projected |= k.interest_projected
        rows.append([item.loan_no, str(k.no), short_date(k.due_on), vnd(k.principal), vnd(k.interest) + star,
                     vnd(k.total) + star])
    on = short_date(n.issued_on)
    title = "Thông báo nợ đến hạn và nợ quá hạn" if n.overdue else "Thông báo nợ đến hạn"
    story: list[Flowable] = [
        DocumentStart(),
        national_heading(n.fund, n.number, long_date(n.issued_on, n.fund.place)),
        *title_block(title, f"Kỳ trả nợ tháng {month}"),
        Paragraph(f"<b>Kính gửi:</b> {esc(b.name)}", s["body_left"]),
        info_table([(k, v) for k, v in (
            ("Mã khách hàng:", b.code), ("Người đại diện:", b.representative), ("Địa chỉ:", b.full_address),
        ) if v]),
    ]
    if rows:
        story += [
            para(f"{esc(_fund_name(n))} thông báo các khoản nợ gốc và lãi đến hạn trong tháng {month} như sau:"),
            data_table(NOTICE_HEADER, rows, fit_widths(rows, NOTICE_HEADER, frame_width(), flexible=(0,)),
                       right=(3, 4, 5), center=(1, 2)),
        ]
        if projected:
            story.append(para(PROJECTED_NOTE, "small"))
        if n.arrears and n.not_yet_due:  # beside the rows it sums, not under the arrears (they do not hold them)
            lead = "Trong các kỳ trên, chưa đến hạn" if n.items_in_arrears else "Các kỳ trên chưa đến hạn"
            story.append(para(f"{lead} ngày {on}: {vnd(n.not_yet_due)}."))
    if n.arrears:
        # a loan past its last due date: one more column
        after_term = any(a.quote.interest_payable_after_term for a in n.arrears)
        header = [*ARREARS_HEADER[:-1], AFTER_TERM_HEADER, ARREARS_HEADER[-1]] if after_term else ARREARS_HEADER
        arrears = [[a.loan_no, group_thousands(q.principal_due), group_thousands(q.interest_due),
                    group_thousands(q.overdue_interest), group_thousands(q.late_interest),
                    *([group_thousands(q.interest_payable_after_term)] if after_term else []),
                    group_thousands(q.due_now)]
                   for a in n.arrears for q in [a.quote]]
        widths = fit_widths(arrears, header, frame_width(), flexible=(0,), size=9)
        # which of the rows above the arrears hold: only those due by ``on`` (a next month's rows, none of them)
        scope = (" (gồm các kỳ trên đã đến hạn)" if n.items_in_arrears
                 else " (không gồm các kỳ trên)" if rows else "")
        story += [
            para(f"Nợ đã đến hạn chưa trả, phải trả ngày {on}{scope}:"),
            para("Đơn vị tính: đồng", "unit"),
            data_table(header, arrears, widths, right=range(1, len(header)), size=9),
            para(f"Lãi quá hạn và lãi chậm trả tính đến hết ngày {short_date(n.issued_on - timedelta(days=1))}; "
                 "sau ngày này tiếp tục tính cho đến ngày trả hết nợ quá hạn.", "small"),
        ]
        if after_term:
            story.append(para(f"{AFTER_TERM_LABEL}: lãi trong hạn của ngày đến hạn cuối cùng trên dư nợ gốc "
                              "chưa trả, không còn kỳ nào nhận nên phải trả ngay.", "small"))
    from .qr import vietqr_block

    loans = list(dict.fromkeys([i.loan_no for i in n.items] + [a.loan_no for a in n.arrears]))
    # the notice's number first, then its one loan or (several) the borrower: what the fund matches a transfer to
    code = vietqr_block(n.fund, n.total, [n.number, loans[0] if len(loans) == 1 else b.code])
    # the total, what to do with it, the code and the signature are kept on one page: the batch of 01/2025 put «Nơi
    # nhận / GIÁM ĐỐC / name» alone on a second page (an officer's trial). When only the words before the code fit
    # where they fall, they stay there and the code moves with the signature (the block moved whole left a first
    # page 40 % blank: another trial); without a code the request to pay moves with the signature
    story.append(kept_together([
        Paragraph(f"Tổng số tiền phải trả: <b>{vnd(n.total)}</b>", s["body_left"]),
        words_line(n.total),
        para(
            "Đề nghị Quý khách hàng thu xếp nguồn tiền trả nợ đúng hạn"
            + (f" tại {esc(n.pay_to)}" if n.pay_to else "")
            + ". Quá hạn trả nợ, khoản nợ chịu lãi quá hạn và lãi chậm trả theo hợp đồng tín dụng đã ký."
        ),
        *code,
        closing_block([b.name, *n.recipients], director_signer(n.fund)),
    ], head=3 if code else 2))
    return story


def _fund_name(n: DueNotice) -> str:
    name = n.fund.name
    return name_in_sentence(name)


def notice_pdf(notice: DueNotice) -> bytes:
    """One notice as PDF bytes (A4 portrait)."""
    return build_pdf(notice_story(notice), title=f"Thông báo nợ {esc(notice.borrower.code)}",
                     author=notice.fund.name)


def notices_pdf(
    notices: Sequence[DueNotice],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """Many notices in ONE PDF, each starting on a new page with its own page count.

    ``progress(done, total)`` is called as notices are laid out (story built, then once more when
    the file is written); ``cancelled()`` is checked between notices and raises ``Cancelled``.
    """
    total = len(notices)
    story: list[Flowable] = []
    for i, n in enumerate(notices):
        if cancelled is not None and cancelled():
            raise Cancelled
        if i:
            story.append(PageBreak())
        story += notice_story(n)
        if progress is not None and (i % 10 == 9 or i + 1 == total):
            progress(i + 1, total + 1)
    if cancelled is not None and cancelled():
        raise Cancelled
    pdf = build_pdf(story, title=f"Thông báo nợ đến hạn ({total})", author=notices[0].fund.name if notices else "")
    if progress is not None:
        progress(total + 1, total + 1)
    return pdf
