"""Sections several loan documents share: borrower and loan lines, balances, history, schedule.

Every figure is printed as given by the domain (LoanDocument's balances, schedule, history,
quote); nothing here adds or rounds money.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from fundapp.domain.borrowers import BorrowerInfo
from fundapp.domain.engine import Balances, Installment, Quote
from fundapp.domain.events import entry_kind_label
from fundapp.domain.labels import BALANCE_LABELS, QUOTE_LABELS, REPORT_LABELS
from fundapp.domain.terms import METHOD_LABELS_VI, LoanTerms
from fundapp.domain.terms_in_force import TermsInForce
from fundapp.formatting import decimal_vi, group_thousands, rate, short_date, vnd

from .layout import (
    CELL_PAD,
    FONT,
    FONT_ITALIC,
    TABLE_SIZE,
    data_table,
    ellipsize,
    esc,
    fit_widths,
    frame_width,
    info_table,
    kept_together,
    para,
    styles,
    text_width,
    vnd_kept,
    words_line,
)
from .model import HistoryLine, LoanDocument
from .parties import contract_text


def heading(text: str) -> Paragraph:
    """A section heading ("I. THÔNG TIN KHÁCH HÀNG")."""
    return para(esc(text), "heading")


TABLE_START = 35 * mm  # a heading, the unit line, a table's header and its first rows


def table_heading(text: str) -> list[Flowable]:
    """A section heading with a table under it: on the next page when less than ``TABLE_START`` is left on this one,
    so the heading is never the last line of a page — a statement's page 1 ended on «III. LỊCH SỬ GIAO DỊCH» and
    «Đơn vị tính: đồng», its table starting on page 2 (an officer's trial)."""
    return [CondPageBreak(TABLE_START), heading(text)]


def borrower_pairs(b: BorrowerInfo) -> list[tuple[str, str]]:
    """The borrower's printed lines; blank fields are left out."""
    pairs = [
        ("Tên khách hàng:", b.name),
        ("Mã khách hàng:", b.code),
        ("Loại hình:", b.kind_label),
        ("Mã số thuế:", b.tax_code),
        ("Người đại diện:", b.representative),
        ("Điện thoại:", b.phone),
        ("Địa chỉ:", b.full_address),
    ]
    return [(k, v) for k, v in pairs if v]


def terms_text(terms: LoanTerms, in_force: TermsInForce | None = None) -> list[tuple[str, str]]:
    """The terms as label/value lines, the rate as "6,6 %/năm": the contract's ``terms``, with the term and grace of
    ``in_force`` (``domain.terms_in_force``) when a restructuring in force set them, saying since when and what the
    contract said (DOMAIN.md "Restructuring on day t")."""
    return [
        ("Số tiền vay:", vnd(terms.amount)),
        (
            "Lãi suất:",
            f"{rate(terms.rate, str(terms.rate_unit))}; lãi quá hạn bằng {decimal_vi(terms.overdue_factor * 100)} % "
            f"lãi suất trong hạn; lãi chậm trả {rate(terms.late_interest_rate)}",
        ),
        ("Thời hạn vay:", _term_line(terms, in_force)),
        ("Phương thức trả nợ:", METHOD_LABELS_VI[terms.method]),
    ]


def _term_line(terms: LoanTerms, in_force: TermsInForce | None) -> str:
    """«36 tháng, trả nợ 3 tháng/kỳ (12 kỳ); ân hạn gốc 1 kỳ», or after a restructuring in force «48 tháng, … (16 kỳ);
    ân hạn gốc 2 kỳ từ kỳ 1 — sau cơ cấu lại ngày 15/10/2024 (hợp đồng: 36 tháng, 12 kỳ; ân hạn gốc 1 kỳ)»."""
    contract_grace = f"ân hạn gốc {terms.grace_periods} kỳ" if terms.grace_periods else ""
    contract = f"{terms.term_months} tháng, trả nợ {terms.frequency_months} tháng/kỳ ({terms.installments} kỳ)"
    if in_force is None or not in_force.restructured:
        return contract + (f"; {contract_grace}" if contract_grace else "")
    t = in_force
    # the contract's grace is not carried over: a restructuring without one says so, beside the contract's below
    grace = (f"; ân hạn gốc {t.grace_periods} kỳ từ kỳ {t.grace_first}" if t.grace_periods else
             "; không ân hạn gốc" if terms.grace_periods else "")
    times = len(t.restructured_on)
    since = (f"sau cơ cấu lại ngày {short_date(t.last_restructured_on)}" if times == 1 else
             f"sau {times} lần cơ cấu lại, lần cuối ngày {short_date(t.last_restructured_on)}")
    was = f"{terms.term_months} tháng, {terms.installments} kỳ" + (f"; {contract_grace}" if contract_grace else "")
    return (f"{t.term_months} tháng, trả nợ {t.frequency_months} tháng/kỳ ({t.installments} kỳ){grace} — {since} "
            f"(hợp đồng: {was})")


def _settlement_parts(q: Quote) -> str:
    """What the settlement amount is made of, adding up to it (DOMAIN.md "A repayment on day t"): the amount payable
    that day when there is one, the principal not yet due and the in-term interest accrued, each when not 0 (after
    the last due date all of it is payable that day). It said «gồm gốc chưa
    đến hạn 820.000.000 đ và lãi trong hạn 4.209.534 đ» beside a settlement of 849.362.486 đ, the 25.152.952 đ
    payable that day left out (a new officer's trial). "" when it is made of nothing (a settlement of 0: the caller
    prints no «(gồm )»)."""
    rest = " và ".join(([f"gốc chưa đến hạn {vnd_kept(q.principal_not_yet_due)}"] if q.principal_not_yet_due else [])
                       + ([f"lãi trong hạn {vnd_kept(q.interest_accrued)}"] if q.interest_accrued else []))
    if not q.due_now:
        return f"gồm {rest}" if rest else ""
    return f"số phải trả trên {vnd_kept(q.due_now)}, cộng {rest}" if rest else "bằng số phải trả trên"  # after the term


def loan_pairs(doc: LoanDocument) -> list[tuple[str, str]]:
    """Contract number and date, purpose, terms (those in force at ``doc.as_of``) and (when known) the amount
    disbursed."""
    pairs = [("Hợp đồng tín dụng số:", contract_text(doc))]
    if doc.purpose:
        pairs.append(("Mục đích vay:", doc.purpose))
    pairs += terms_text(doc.terms, doc.terms_in_force)
    if doc.disbursed:
        pairs.append(("Đã giải ngân:", vnd(doc.disbursed)))
    return pairs


def parties_section(doc: LoanDocument, title: str = "I. KHÁCH HÀNG VÀ KHOẢN VAY") -> list[Flowable]:
    """Heading, the borrower lines and the loan lines in one label/value table."""
    return [heading(title), info_table([*borrower_pairs(doc.borrower), *loan_pairs(doc)])]


def balance_rows(b: Balances, last_due: date | None = None, written_off: bool = False) -> list[list[str]]:
    """The eight figures of DOMAIN.md's balances as (label, value) rows, money as "1.234 đ"; each label is the
    domain's ``BALANCE_LABELS`` (the loan page's), with words around it ("Trong đó: nợ gốc quá hạn").

    The overdue and late interest here run to the END of ``b.as_of``; the payable section's run through the day
    before its date: both say so, so two figures for one date are told apart (issue 10.4). ``last_due`` is the last
    due date of the schedule in force: after it there is no current period, and ``interest_accrued`` is day D_n's
    in-term interest, payable at once (DOMAIN.md "Daily accrual"): «(của ngày đến hạn cuối 27/07/2023)», where «(kỳ
    hiện tại)» after a term ended in 2023 puzzled an officer reading minutes of 31/12/2023 (a new officer's trial).
    ``written_off``: the loan was written off by ``b.as_of`` (no period at all, the debt still owed off the balance
    sheet listed)."""
    through = f"tính đến hết ngày {short_date(b.as_of)}"
    label = BALANCE_LABELS
    period = ("" if written_off else f" (của ngày đến hạn cuối {short_date(last_due)})"
              if last_due is not None and b.as_of > last_due else " (kỳ hiện tại)")
    # a written-off loan's debt is off the balance sheet, its balance figures 0 (DOMAIN.md "Write-off on day t"): what
    # is still owed is said among them, where minutes both parties sign read «Dư nợ gốc 0 đ» and the 788.587.046 đ
    # owed stood only in a sentence under the events (an officer's trial)
    off = [[f"{REPORT_LABELS[name]}, còn theo dõi ngoại bảng", vnd(getattr(b, name))]
           for name in ("written_off_principal", "written_off_interest")
           if b.written_off_principal or b.written_off_interest]
    return [
        [label["principal_outstanding"], vnd(b.principal_outstanding)],
        [f"Trong đó: {_lower_first(label['principal_overdue'])}", vnd(b.principal_overdue)],
        [label["interest_due_unpaid"], vnd(b.interest_due_unpaid)],
        [f"{label['interest_accrued']}{period}", vnd(b.interest_accrued)],
        [f"{label['overdue_interest_accrued']} ({through})", vnd(b.overdue_interest_accrued)],
        [f"{label['late_interest_accrued']} ({through})", vnd(b.late_interest_accrued)],
        *off,
        [label["days_past_due"], f"{b.days_past_due} ngày"],
        [label["debt_group"], str(b.debt_group)],
    ]


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def balances_section(doc: LoanDocument, title: str, extra: Sequence[Sequence[str]] = ()) -> Flowable:
    """The heading ``title`` and a two-column table of ``doc``'s balances (label left, figure right), ``extra`` rows
    first, on one page: moved whole to the next when it does not fit where it falls (the minutes left «Nhóm nợ» alone
    under a repeated header on page 2)."""
    # a written-off loan has no period, current or ended: its schedule stays as it stood (DOMAIN.md "Write-off on day
    # t"), so its last due date (16/01/2024 for a loan written off on 31/12/2022) names nothing
    rows = [list(r) for r in extra] + balance_rows(doc.balances, doc.schedule[-1].due_on if doc.schedule else None,
                                                   written_off=doc.written_off_on is not None)
    widths = fit_widths(rows, ["Chỉ tiêu", "Số tiền"], frame_width(), flexible=(0,), size=11)
    return kept_together([heading(title), data_table(["Chỉ tiêu", "Số tiền"], rows, widths, right=(1,), size=11)])


HISTORY_HEADER = ["Ngày", "Chứng từ", "Diễn giải", "Số tiền", "Gốc", "Lãi\ntrong hạn", "Lãi\nquá hạn", "Lãi\nchậm trả"]


def history_table(history: Sequence[HistoryLine], width: float | None = None) -> Flowable:
    """Every entry with each repayment's split; reversed entries in grey italics marked "Đã hủy"
    Numbers without the unit (the header says "Đơn vị: đồng")."""
    width = width or frame_width()
    rows: list[list[str]] = []
    cancelled: list[int] = []
    kinds: list[tuple[str, str, bool]] = []  # each row's (kind label, note, note kept whole): the label is never cut
    for i, h in enumerate(history):
        label = entry_kind_label(h.kind)  # the loan page's history names it so (README's glossary)
        note, whole = h.note, False
        if h.kind == "recovery" and h.interest and not h.reversed:
            # recovered interest is written-off interest of every kind, not in-term interest: said beside the kind,
            # whole, its interest columns left empty (it stood under «Lãi trong hạn»: an officer's trial)
            note, whole = "; ".join(t for t in (f"lãi {group_thousands(h.interest)}", note) if t), True
        kinds.append((label, note, whole))
        if note:
            label = f"{label} ({note})"
        if h.reversed:
            cancelled.append(i)
            rows.append([short_date(h.on), h.reference, label, _moved(h.amount), "", "", "", ""])
            continue
        if h.kind == "recovery":
            rows.append([short_date(h.on), h.reference, label, _moved(h.amount), _amount(h.principal), "",
                         "", ""])
        elif h.kind == "repayment":
            split = [h.principal, h.interest, h.overdue_interest, h.late_interest]
            rows.append([short_date(h.on), h.reference, label, _moved(h.amount), *map(_amount, split)])
        else:
            rows.append([short_date(h.on), h.reference, label, _moved(h.amount), "", "", "", ""])
    if not rows:
        return para("Chưa có giao dịch.", "italic")
    table = None
    for size in (TABLE_SIZE, 9, 8):
        widths = fit_widths(rows, HISTORY_HEADER, width, flexible=(2,), size=size)
        if widths[2] >= 18 * mm or size == 8:
            for r, (kind, note, whole) in zip(rows, kinds, strict=True):  # a long note must not run into the amounts
                r[2] = _kind_cell(kind, note, widths[2], size, whole)
            table = data_table(HISTORY_HEADER, rows, widths, right=range(3, 8), center=(0,), size=size,
                               extra_style=_cancel_style(cancelled, size),
                               fixed_heights=not any("\n" in r[2] for r in rows))  # a label on two lines
            break
    return table  # type: ignore[return-value]


def _kind_cell(label: str, note: str, width: float, size: float, whole: bool = False) -> str:
    # «Diễn giải»: the entry kind's label and its note on one line when they fit ``width`` points; else the label
    # whole, on as many lines as it needs (a label is never cut: it is the loan page's word), the note shortened below
    # — or whole too (``whole``: a note that carries a figure, which is never cut either)
    full = f"{label} ({note})" if note else label
    if text_width(full, size=size) <= width - 2 * CELL_PAD - 1:
        return full
    lines = simpleSplit(label, FONT, size, width - 2 * CELL_PAD - 1)
    if not note:
        return "\n".join(lines)
    below = simpleSplit(f"({note})", FONT, size, width - 2 * CELL_PAD - 1) if whole else [
        ellipsize(f"({note})", width, size=size)]
    return "\n".join([*lines, *below])


def _amount(value: int) -> str:
    return group_thousands(value) if value else "-"


def _moved(value: int | None) -> str:
    # «Số tiền» of a history row: «-» for an entry that moves no money (a restructuring), never «0»
    return "-" if value is None else group_thousands(value)


def _cancel_style(rows: Sequence[int], size: float) -> list[tuple]:
    out: list[tuple] = []
    for r in rows:
        row = r + 1
        out += [
            ("FONT", (0, row), (-1, row), FONT_ITALIC, size, size * 1.2),
            ("TEXTCOLOR", (0, row), (-1, row), colors.HexColor("#555555")),
        ]
    return out


# What a projected interest is (DOMAIN.md "Installment interest"; ``LoanReplay.schedule``: the period's days × the
# scheduled principal balance × the daily rate), under every table marking one "*". It said «trên dư nợ gốc hiện
# tại», but HD2024-019's projected 5.014.356 đ is on the scheduled 820.000.000 đ while 840.000.000 đ was owed (an
# officer's trial).
PROJECTED_NOTE = "(*) Lãi dự kiến: lãi cả kỳ tính trên dư nợ gốc theo lịch trả nợ của kỳ."  # one line: a notice fits a page

SCHEDULE_HEADER = ["Kỳ", "Ngày đến hạn", "Gốc phải trả", "Lãi phải trả", "Tổng cộng", "Gốc đã trả", "Lãi đã trả"]
RELIEVED_HEADER = "Lãi được\nmiễn, giảm"


def schedule_table(
    schedule: Sequence[Installment], width: float | None = None, paid_columns: bool = True
) -> list[Flowable]:
    """The installments (number, due date, principal, interest, total; optionally what was paid).
    Projected interest carries "*" and a note below the table explains it."""
    width = width or frame_width()
    header = SCHEDULE_HEADER if paid_columns else SCHEDULE_HEADER[:5]
    # interest a relief forgave is neither paid nor owed: its own column, else an installment paid and relieved in
    # full read as unpaid (HD2023-011's 3rd: 3.446.167 due, 2.412.317 paid, 1.033.850 relieved: an officer's trial)
    relieved = paid_columns and any(k.interest_relieved for k in schedule)
    if relieved:
        header = [*header, RELIEVED_HEADER]
    rows = []
    projected = False
    for k in schedule:
        star = "*" if k.interest_projected else ""
        projected |= k.interest_projected
        row = [str(k.no), short_date(k.due_on), group_thousands(k.principal), group_thousands(k.interest) + star,
               group_thousands(k.total) + star]
        if paid_columns:
            row += [_amount(k.principal_paid), _amount(k.interest_paid)]
        if relieved:
            row.append(_amount(k.interest_relieved))
        rows.append(row)
    if not rows:
        return [para("Không còn kỳ trả nợ nào.", "italic")]
    widths = fit_widths(rows, header, width, flexible=tuple(range(len(header))))
    out: list[Flowable] = [data_table(header, rows, widths, right=range(2, len(header)), center=(0, 1))]
    if projected:
        out.append(para(PROJECTED_NOTE, "small"))
    return out


def payable_section(q: Quote) -> list[Flowable]:
    """Amount due now (to become current) and the settlement amount on ``q.on``, each in words."""
    s = styles()
    payable = f"phải trả ngày {short_date(q.on)} (tính đến hết ngày {short_date(q.on - timedelta(days=1))})"
    parts = [
        ["Gốc đến hạn chưa trả", vnd(q.principal_due)],
        ["Lãi đến hạn chưa trả", vnd(q.interest_due)],
        [f"Lãi quá hạn {payable}", vnd(q.overdue_interest)],
        [f"Lãi chậm trả {payable}", vnd(q.late_interest)],
        *([[f"{QUOTE_LABELS['interest_payable_after_term']} (phải trả ngay)", vnd(q.interest_payable_after_term)]]
          if q.interest_payable_after_term else []),
        [QUOTE_LABELS["due_now"], vnd(q.due_now)],
    ]
    widths = fit_widths(parts, ["Khoản", "Số tiền"], frame_width(), flexible=(0,), size=11)
    made_of = _settlement_parts(q)
    made_of = f" ({made_of})" if made_of else ""
    out: list[Flowable] = [
        data_table(["Khoản", "Số tiền"], parts, widths, right=(1,), bold_rows=(-1,), size=11),
        Paragraph(f"Số tiền phải trả ngày {short_date(q.on)}: <b>{vnd_kept(q.due_now)}</b>", s["body"]),
        words_line(q.due_now),
        Spacer(1, 2 * mm),
        Paragraph(f"Số tiền tất toán khoản vay ngày {short_date(q.on)}{made_of}: "
                  f"<b>{vnd_kept(q.settlement)}</b>", s["body"]),
        words_line(q.settlement),
    ]
    return out


def standing_words(doc: LoanDocument) -> str:
    """«Khoản vay đã tất toán ngày 27/10/2024», «… đã xử lý rủi ro (xóa nợ bằng dự phòng) ngày …» or «Khoản vay chưa
    giải ngân»: why nothing is payable (``LoanDocument.standing``)."""
    if doc.standing == "written_off":
        return f"Khoản vay đã xử lý rủi ro (xóa nợ bằng dự phòng) ngày {short_date(doc.written_off_on)}"
    if doc.standing == "settled":
        return f"Khoản vay đã tất toán ngày {short_date(doc.closed_on)}"
    return "Khoản vay chưa giải ngân"


def nothing_payable(doc: LoanDocument) -> str:
    """The amounts-payable section of a loan with nothing payable: why (a written-off loan's debt kept off the balance sheet is the
    line above, in the events' section)."""
    words = esc(standing_words(doc))
    if doc.standing == "written_off":
        return f"{words}: không còn khoản nào đến hạn phải trả; nợ đã xử lý theo dõi ngoại bảng như trên."
    if doc.standing == "settled":
        return f"{words}: không còn số tiền nào phải trả."
    return f"{words}: chưa có số tiền nào phải trả."


def amounts_payable(doc: LoanDocument, numeral: str) -> list[Flowable]:
    """Section ``numeral`` of a loan paper with a quote (statement: V, reconciliation minutes: IV): its heading and
    what is payable on ``doc.quote.on`` item by item, with the settlement amount (``payable_section``), or why nothing
    is (``nothing_payable``: no table of zeros, no settlement line). The minutes printed only the total, 354.154.794 đ
    under balances adding up to 354.251.848 đ, the interest of 31/12 not yet payable on 31/12 left unsaid (a new
    officer's trial)."""
    assert doc.quote is not None
    out: list[Flowable] = [heading(f"{numeral}. SỐ TIỀN PHẢI TRẢ NGÀY {short_date(doc.quote.on)}")]
    return out + ([para(nothing_payable(doc))] if doc.standing else payable_section(doc.quote))
