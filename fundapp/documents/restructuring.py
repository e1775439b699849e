"""The fund's documents of a loan's life events (DOMAIN.md "Life events"), Decree 30 layout like the others:

- the amendment to the credit contract (phụ lục hợp đồng: điều chỉnh kỳ hạn trả nợ / gia hạn nợ) with the new
  schedule, signed by both parties;
- the fund's restructuring decision (quyết định cơ cấu lại thời hạn trả nợ);
- the relief decision (quyết định miễn, giảm lãi);
- the write-off decision (quyết định xử lý rủi ro) with the amounts taken off-balance and the provision used.

Each takes an ``EventDocument`` of plain values filled by ``services.event_documents``; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from fundapp.domain.engine import Installment
from fundapp.domain.event_words import restructure_words
from fundapp.domain.events import entry_kind_label, relief_label
from fundapp.domain.reporting import LifeEvent
from fundapp.formatting import decimal_comma_text, long_date, short_date, vnd

from .layout import (
    PARTIES_A_B,
    DocumentStart,
    build_pdf,
    closing_block,
    director_signer,
    esc,
    info_table,
    name_in_sentence,
    national_heading,
    para,
    party_signers,
    signature_blocks,
    styles,
    title_block,
    vnd_kept,
    words_line,
)
from .model import LoanHeading
from .parties import contract_text, lender_pairs, met_line
from .sections import borrower_pairs, heading, schedule_table, table_heading, terms_text


@dataclass(frozen=True, slots=True)
class EventDocument(LoanHeading):
    """One life event of a loan as its documents print it (money int đồng, dates, groups as the engine gave them).

    ``reference`` is the entry's decision number in the book, ``number`` the document's register number ("" in a
    preview). A restructuring fills ``extend_months``, ``grace_periods``, ``deferred_interest``,
    ``restructure_number`` (r after it), ``principal_outstanding`` (at the end of ``on``), ``last_due_before`` /
    ``last_due_after`` and ``schedule`` (as it stands after it); a relief ``relief_of`` and ``amount``; a write-off
    ``principal``, ``interest``, ``provision_rate`` (% of principal for ``debt_group``) and ``provision``, with the
    domain's ``write_off_total`` (principal + interest taken off-balance, ``figures.write_off_total``) and
    ``uncovered_principal`` (principal − provision, ``figures.uncovered_principal``), which the services fill.
    ``debt_group`` is the group at the end of ``on`` (after a restructuring or relief; before a write-off)."""

    kind: str  # restructure, interest_relief or write_off
    on: date
    reference: str
    reason: str
    debt_group: int
    number: str = ""
    extend_months: int = 0
    grace_periods: int = 0
    deferred_interest: int = 0
    restructure_number: int = 0
    principal_outstanding: int = 0
    last_due_before: date | None = None
    last_due_after: date | None = None
    schedule: tuple[Installment, ...] = ()
    relief_of: str = ""
    amount: int = 0
    principal: int = 0
    interest: int = 0
    provision_rate: Decimal | None = None
    provision: int = 0
    write_off_total: int = 0
    uncovered_principal: int = 0


def _decision(doc: EventDocument, about: str, rule: str, articles: list[list[Flowable]]) -> list[Flowable]:
    """A decision of the fund's director: heading, title, the director's grounds (``rule`` the regulation it
    applies), "QUYẾT ĐỊNH:", the articles and the last one (who carries it out, in force when signed), recipients
    beside the signature."""
    s = styles()
    fund = doc.fund
    story: list[Flowable] = [
        DocumentStart(),
        national_heading(fund, doc.number, long_date(doc.on, fund.place)),
        *title_block("Quyết định", about),
        Paragraph(f"GIÁM ĐỐC {esc(fund.name.upper())}", s["subtitle"]),
    ]
    story += [para(f"<i>{esc(g)}</i>") for g in _grounds(doc, rule)]
    story.append(Paragraph("QUYẾT ĐỊNH:", s["subtitle"]))
    articles = [*articles, [f"Bộ phận tín dụng, kế toán và {esc(doc.borrower.name)} chịu trách nhiệm thi hành Quyết "
                            "định này. Quyết định có hiệu lực kể từ ngày ký."]]
    for i, article in enumerate(articles, 1):
        first, *rest = article
        story.append(para(f"<b>Điều {i}.</b> {first}"))
        story += rest
    story.append(closing_block(_recipients(doc), director_signer(fund)))
    return story


def _grounds(doc: EventDocument, rule: str) -> list[str]:
    return [
        f"Căn cứ {rule};",
        f"Căn cứ Hợp đồng tín dụng số {contract_text(doc)} giữa {name_in_sentence(doc.fund.name)} và "
        f"{doc.borrower.name};",
        # the last ground ends with a full stop before «QUYẾT ĐỊNH:» (Decree 30), not on the comma or semicolon an
        # officer may have typed: «lý do: Thiệt hại do thiên tai, xử lý bằng dự phòng rủi ro,» read as if it went on
        f"Xét đề nghị của {doc.borrower.name} và của bộ phận tín dụng; lý do: {_reason_text(doc.reason)}.",
    ]


def _reason_text(reason: str) -> str:
    """The officer's reason without the punctuation it may end with (the grounds put their own full stop); «—» when
    none was given."""
    return reason.strip().rstrip(" ,;:.").strip() or "—"


def _recipients(doc: EventDocument) -> list[str]:
    return [doc.borrower.name, "Bộ phận tín dụng, kế toán", "Ban Kiểm soát"]


def _ref(doc: EventDocument) -> str:
    return f"(chứng từ {doc.reference})" if doc.reference else ""


# -- restructuring ---------------------------------------------------------------------------------
# Only what changed is said to change: a restructuring without extension (0 months: the installments rearranged
# within the old term) is «điều chỉnh kỳ hạn trả nợ», not «gia hạn nợ», and its papers said «Thời gian gia hạn nợ:
# 0 tháng», «0 kỳ (từ kỳ đầu sau ngày cơ cấu lại)» and «Hạn trả nợ cuối cùng: 10/04/2025 thành 10/04/2025»
# (QĐ-CC-0003 of the events book: an officer's trial).
def _what_it_is(doc: EventDocument) -> str:
    """«điều chỉnh kỳ hạn trả nợ, gia hạn nợ», or «điều chỉnh kỳ hạn trả nợ» when the loan is not extended."""
    return "điều chỉnh kỳ hạn trả nợ, gia hạn nợ" if doc.extend_months else "điều chỉnh kỳ hạn trả nợ"


def _extension_text(months: int) -> str:
    return f"{months} tháng" if months else "không gia hạn"


def _grace_text(periods: int) -> str:
    return f"{periods} kỳ (từ kỳ đầu sau ngày cơ cấu lại)" if periods else "không"


def _last_due_text(before: date | None, after: date | None) -> str:
    """«07/11/2024 thành 07/05/2025»; one date «(không thay đổi)» when the restructuring kept it."""
    if before == after:
        return f"{short_date(after)} (không thay đổi)"
    return f"{short_date(before)} thành {short_date(after)}"


def _restructure_lines(doc: EventDocument) -> list[tuple[str, str]]:
    return [
        ("Dư nợ gốc được cơ cấu lại:", vnd(doc.principal_outstanding)),
        ("Thời gian gia hạn nợ:", _extension_text(doc.extend_months)),
        ("Số kỳ ân hạn gốc:", _grace_text(doc.grace_periods)),
        ("Lãi đến hạn chưa trả chuyển sang kỳ sau:", vnd(doc.deferred_interest)),
        ("Hạn trả nợ cuối cùng:", _last_due_text(doc.last_due_before, doc.last_due_after)),
        ("Lần cơ cấu lại:", f"lần thứ {doc.restructure_number}"),
        ("Nhóm nợ sau khi cơ cấu lại:", f"nhóm {doc.debt_group}"),
    ]


def restructure_decision_story(doc: EventDocument) -> list[Flowable]:
    """The fund's decision to restructure the loan's repayment terms."""
    articles = [
        [f"Cơ cấu lại thời hạn trả nợ ({_what_it_is(doc)}) đối với khoản vay theo Hợp đồng tín "
         f"dụng số {esc(contract_text(doc))} của {esc(doc.borrower.name)}, kể từ ngày {short_date(doc.on)} {esc(_ref(doc))}:",
         # «Bằng chữ» right under the figure it spells, not six lines below after «Nhóm nợ …» (an officer's trial)
         info_table(_restructure_lines(doc)[:1], label_width=90 * mm),
         words_line(doc.principal_outstanding),
         info_table(_restructure_lines(doc)[1:], label_width=90 * mm)],
        ["Lịch trả nợ mới theo Phụ lục hợp đồng tín dụng kèm theo; lãi suất và các điều khoản khác của hợp đồng "
         "tín dụng không thay đổi. Khoản vay được theo dõi cho đến khi đủ điều kiện hết theo dõi theo quy định."],
    ]
    return _decision(doc, f"Về việc cơ cấu lại thời hạn trả nợ khoản vay số {doc.loan_no}",
                     "Thông tư 14/2024 về phân loại nợ, cơ cấu lại thời hạn trả nợ và quy chế cho vay của Quỹ", articles)


def amendment_story(doc: EventDocument) -> list[Flowable]:
    """The amendment to the credit contract (phụ lục hợp đồng) with the new schedule, signed by both parties."""
    fund = doc.fund
    remaining = [k for k in doc.schedule if k.due_on > doc.on]
    story: list[Flowable] = [
        DocumentStart(),
        national_heading(fund, doc.number, long_date(doc.on, fund.place)),
        *title_block("Phụ lục hợp đồng tín dụng", _what_it_is(doc).capitalize(),
                     f"Kèm theo Hợp đồng tín dụng số {contract_text(doc)}"),
        met_line(long_date(doc.on), fund),
        heading("BÊN CHO VAY (BÊN A)"),
        info_table(lender_pairs(fund)),
        heading("BÊN VAY (BÊN B)"),
        info_table(borrower_pairs(doc.borrower)),
        para(f"Căn cứ quyết định cơ cấu lại thời hạn trả nợ {esc(_ref(doc))} ngày {short_date(doc.on)}, hai bên thống "
             "nhất sửa đổi kỳ hạn trả nợ của hợp đồng tín dụng như sau:"),
        heading("Điều 1. Nội dung điều chỉnh"),
        info_table(_restructure_lines(doc)[:5], label_width=90 * mm),
        heading("Điều 2. Lịch trả nợ mới (từ sau ngày điều chỉnh)"),
        para("Đơn vị tính: đồng", "unit"),
        *schedule_table(remaining, paid_columns=False),
        # the engine's schedule carries the deferred interest on the installment that receives it: say so, never add it
        *([para(f"Tiền lãi kỳ {remaining[0].no} (đến hạn ngày {short_date(remaining[0].due_on)}) đã bao gồm lãi đến "
                f"hạn chưa trả được chuyển sang: {vnd_kept(doc.deferred_interest)}.", "small")]
          if remaining and doc.deferred_interest else []),
        heading("Điều 3. Các điều khoản khác"),
        info_table([p for p in terms_text(doc.terms) if p[0] != "Thời hạn vay:"]),  # the term is what changed
        para("Các điều khoản khác của hợp đồng tín dụng không thay đổi. Phụ lục này là bộ phận không tách rời của "
             "hợp đồng tín dụng, có hiệu lực kể từ ngày ký, lập thành 02 bản, mỗi bên giữ 01 bản."),
        signature_blocks(party_signers(fund, doc.borrower.representative, PARTIES_A_B)),
    ]
    return story


# -- relief and write-off --------------------------------------------------------------------------
def relief_decision_story(doc: EventDocument) -> list[Flowable]:
    """The fund's decision to relieve interest: the kind and the amount, in figures and words."""
    kind = relief_label(doc.relief_of)
    articles = [
        [f"Miễn, giảm {esc(kind)} cho {esc(doc.borrower.name)} theo Hợp đồng tín dụng số {esc(contract_text(doc))}"
         f" {esc(_ref(doc))}, số tiền: <b>{vnd_kept(doc.amount)}</b>.",
         words_line(doc.amount)],
        [f"Số lãi được miễn, giảm là {esc(kind)} phải trả đến ngày {short_date(doc.on)}; không hạch toán là thu "
         f"nợ. Khoản vay được phân loại ít nhất nhóm 3 trong thời gian theo dõi (Thông tư 14/2024, Điều 5); nhóm nợ "
         f"tại ngày {short_date(doc.on)}: nhóm {doc.debt_group}."],
    ]
    return _decision(doc, f"Về việc miễn, giảm lãi khoản vay số {doc.loan_no}",
                     "quy chế cho vay và quy chế xử lý rủi ro của Quỹ", articles)


def write_off_decision_story(doc: EventDocument) -> list[Flowable]:
    """The fund's write-off decision: principal and interest taken off-balance, the provision used, in words."""
    rate = decimal_comma_text(doc.provision_rate) if doc.provision_rate is not None else "0"
    amounts = [
        ("Nợ gốc:", vnd(doc.principal)),
        ("Nợ lãi (trong hạn, quá hạn, chậm trả):", vnd(doc.interest)),
        ("Tổng số tiền xử lý rủi ro:", vnd(doc.write_off_total)),
    ]
    articles = [
        [f"Xử lý rủi ro (xóa nợ bằng dự phòng) khoản vay theo Hợp đồng tín dụng số {esc(contract_text(doc))} của "
         f"{esc(doc.borrower.name)}, tại ngày {short_date(doc.on)} {esc(_ref(doc))}:",
         info_table(amounts, label_width=80 * mm),
         words_line(doc.write_off_total)],
        # the provision's words right after its figure, the uncovered part after them (they followed «phần chưa được
        # dự phòng bù đắp: 0 đ», as if they spelled that: an officer's trial)
        [f"Sử dụng dự phòng cụ thể đã trích lập ({rate} % dư nợ gốc nhóm {doc.debt_group}) để bù đắp nợ gốc: "
         f"<b>{vnd_kept(doc.provision)}</b>.",
         words_line(doc.provision),
         para(f"Phần nợ gốc chưa được dự phòng bù đắp: {vnd_kept(doc.uncovered_principal)}.")],
        ["Số tiền trên được chuyển ra theo dõi ngoại bảng. Khách hàng vẫn có nghĩa vụ trả nợ; Quỹ tiếp tục theo dõi, "
         "đôn đốc thu hồi, số tiền thu được hạch toán là thu hồi nợ đã xử lý rủi ro."],
    ]
    return _decision(doc, f"Về việc xử lý rủi ro khoản vay số {doc.loan_no}",
                     "quy chế xử lý rủi ro của Quỹ và Nghị định 86/2024 về trích lập, sử dụng dự phòng", articles)


STORIES: dict[str, tuple[str, Callable[[EventDocument], list[Flowable]]]] = {
    "amendment": ("Phụ lục hợp đồng tín dụng", amendment_story),
    "restructuring": ("Quyết định cơ cấu lại thời hạn trả nợ", restructure_decision_story),
    "relief": ("Quyết định miễn, giảm lãi", relief_decision_story),
    "write_off": ("Quyết định xử lý rủi ro", write_off_decision_story),
}


def event_pdf(kind: str, doc: EventDocument) -> bytes:
    """The PDF bytes (A4 portrait) of document ``kind`` (a key of ``STORIES``) for ``doc``. Raises KeyError."""
    title, story = STORIES[kind]
    return build_pdf(story(doc), title=f"{title} {esc(doc.loan_no)}", author=doc.fund.name)


# -- the statement's and the minutes' section -------------------------------------------------------
def _line_text(e: LifeEvent) -> tuple[str, str]:
    # each event named by the domain's entry-kind label (the loan page's history), words put around it, never reworded
    name = entry_kind_label(e.kind)
    if e.kind == "restructure":
        terms = restructure_words(e.extend_months, e.grace_periods).render()  # the papers print Vietnamese
        return f"{name}: {terms}; lãi đến hạn chuyển kỳ sau {vnd_kept(e.amount)}", "-"
    if e.kind == "interest_relief":
        return f"Miễn, giảm {relief_label(e.relief_of)}", vnd(e.amount)
    if e.kind == "write_off":
        return (f"{name} (xóa nợ bằng dự phòng), chuyển ngoại bảng: gốc {vnd_kept(e.principal)}, lãi "
                f"{vnd_kept(e.interest)}", vnd(e.amount))
    return f"{name}: gốc {vnd_kept(e.principal)}, lãi {vnd_kept(e.interest)}", vnd(e.amount)


def events_section(doc) -> list[Flowable]:
    """For a ``LoanDocument`` with ``life_events`` (the domain's ``LifeEvent``s): the restructurings, reliefs, write-off and recoveries to its
    date, then the debt still off-balance (``balances.written_off_*``); nothing for a loan without any."""
    from .layout import data_table, fit_widths

    lines = doc.life_events
    b = doc.balances
    if not lines and not (b.written_off_principal or b.written_off_interest):
        return []
    s = styles()
    out: list[Flowable] = table_heading("Cơ cấu lại, miễn giảm lãi, xử lý rủi ro")
    if lines:
        header = ["Ngày", "Chứng từ", "Nội dung", "Số tiền"]
        rows = [[short_date(e.on), e.reference, *_line_text(e)] for e in lines]
        from .layout import frame_width

        widths = fit_widths([[r[0], r[1], "", r[3]] for r in rows], header, frame_width(), flexible=(2,))
        cells = [[r[0], r[1], Paragraph(esc(r[2]), s["cell"]), r[3]] for r in rows]
        out.append(data_table(header, cells, widths, right=(3,), center=(0,), fixed_heights=False))
    if b.written_off_principal or b.written_off_interest:
        out.append(para(f"Nợ đã xử lý rủi ro còn theo dõi ngoại bảng đến hết ngày {short_date(b.as_of)}: gốc "
                        f"<b>{vnd_kept(b.written_off_principal)}</b>, lãi <b>{vnd_kept(b.written_off_interest)}</b>."))
    return out
