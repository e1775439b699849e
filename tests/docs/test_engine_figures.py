"""Issue 10.2: every document shows, for its date, exactly the engine's figures for that date.

The sample book is imported through the services and every document is ISSUED through them (statement, schedule,
reconciliation, receipt, notice, the quarterly report); each PDF is read back with pypdf and every figure is
compared with the domain engine's own replay of the golden CSV files for the document's date — for loans on time,
in arrears, prepaid and settled on 31/12/2024 (the sample book's today).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fundapp.domain.engine import LoanReplay
from fundapp.domain.periods import quarter_bounds
from fundapp.domain.reporting import period_report
from fundapp.formatting import group_thousands, short_date, vnd
from fundapp.services import documents
from fundapp.services.errors import UserFacingError
from tests.docs.test_documents import squash, text
from tests.golden import sample_loans

D = date(2024, 12, 31)
ON_TIME, IN_ARREARS, LONG_ARREARS, PREPAID, SETTLED = "HD2024-005", "HD2024-019", "HD2022-002", "HD2022-011", \
    "HD2024-037"


def engine(loan_no: str, on: date):
    """The engine's state of a golden loan with its entries up to ``on``: (quote on ``on``, balances at its end,
    schedule after both, state)."""
    loan = next(x for x in sample_loans() if x.loan_no == loan_no)
    state = LoanReplay(loan.terms)
    for tx in loan.transactions:
        if tx.on > on:
            break
        state.apply(tx)
    q = state.quote(on)
    b = state.balances(on)
    return q, b, tuple(state.schedule()), state, loan


def has(t: str, *cells: str) -> None:
    """The cells appear in this order, next to each other (one table row or one label/value line)."""
    needle = squash("".join(cells))
    assert needle in t, f"missing {' | '.join(cells)!r}"


def _paid(x: int) -> str:
    return group_thousands(x) if x else "-"


def _schedule_row(k) -> tuple[str, ...]:
    star = "*" if k.interest_projected else ""
    return (str(k.no), short_date(k.due_on), group_thousands(k.principal), group_thousands(k.interest) + star,
            group_thousands(k.total) + star, _paid(k.principal_paid), _paid(k.interest_paid))


def _balances(t: str, b, last_due: date) -> None:
    through = f"(tính đến hết ngày {short_date(b.as_of)})"
    has(t, "Dư nợ gốc", vnd(b.principal_outstanding))
    has(t, "Trong đó: nợ gốc quá hạn", vnd(b.principal_overdue))
    has(t, "Lãi đến hạn chưa trả", vnd(b.interest_due_unpaid))
    # after the last due date no period is current: the in-term interest left is day D_n's, payable at once
    has(t, f"Lãi trong hạn dự thu (của ngày đến hạn cuối {short_date(last_due)})" if b.as_of > last_due
        else "Lãi trong hạn dự thu (kỳ hiện tại)", vnd(b.interest_accrued))
    has(t, f"Lãi quá hạn {through}", vnd(b.overdue_interest_accrued))
    has(t, f"Lãi chậm trả {through}", vnd(b.late_interest_accrued))
    has(t, "Số ngày quá hạn", f"{b.days_past_due} ngày")
    has(t, "Nhóm nợ", str(b.debt_group))


def _payable(t: str, q, state) -> None:
    """What is payable on D item by item and the settlement amount (the statement's section V, the minutes' IV), or,
    once settled, that nothing is."""
    has(t, f"SỐ TIỀN PHẢI TRẢ NGÀY {short_date(D)}")
    if state.closed_on is not None:  # settled: nothing payable, said so; no table of zeros, no settlement line
        has(t, f"Khoản vay đã tất toán ngày {short_date(state.closed_on)}: không còn số tiền nào phải trả.")
        assert squash("Số tiền tất toán") not in t
        return
    payable = f"phải trả ngày {short_date(D)} (tính đến hết ngày {short_date(D - timedelta(days=1))})"
    has(t, "Gốc đến hạn chưa trả", vnd(q.principal_due))
    has(t, "Lãi đến hạn chưa trả", vnd(q.interest_due))
    has(t, f"Lãi quá hạn {payable}", vnd(q.overdue_interest))
    has(t, f"Lãi chậm trả {payable}", vnd(q.late_interest))
    has(t, "Số tiền phải trả để hết nợ đến hạn", vnd(q.due_now))
    has(t, f"Số tiền phải trả ngày {short_date(D)}:", vnd(q.due_now))
    # its parts add up to it: what is payable that day, when anything is, is one of them (it was left out)
    rest = " và ".join(([f"gốc chưa đến hạn {vnd(q.principal_not_yet_due)}"] if q.principal_not_yet_due else [])
                       + ([f"lãi trong hạn {vnd(q.interest_accrued)}"] if q.interest_accrued else []))
    parts = (f"gồm {rest}" if not q.due_now else f"số phải trả trên {vnd(q.due_now)}, cộng {rest}" if rest
             else "bằng số phải trả trên")
    has(t, f"Số tiền tất toán khoản vay ngày {short_date(D)} ({parts}): {vnd(q.settlement)}")
    assert q.due_now + q.principal_not_yet_due + q.interest_accrued == q.settlement


@pytest.fixture
def book(sample_ctx, book_url):
    if "postgresql" in book_url:
        pytest.skip("one backend is enough for the layout; the register's race has its own PostgreSQL test")
    return sample_ctx


def test_the_cases_are_what_their_names_say():
    assert engine(ON_TIME, D)[1].days_past_due == 0 and engine(ON_TIME, D)[1].principal_outstanding > 0
    assert engine(IN_ARREARS, D)[1].days_past_due == 26 and engine(LONG_ARREARS, D)[1].days_past_due == 735
    assert engine(PREPAID, D)[3].prepaid == 30_000_000 and engine(PREPAID, D)[3].closed_on is None
    assert engine(SETTLED, D)[3].closed_on is not None


@pytest.mark.parametrize("loan_no", [ON_TIME, IN_ARREARS, LONG_ARREARS, PREPAID, SETTLED])
def test_every_loan_document_prints_the_engines_figures(book, loan_no):
    q, b, schedule, state, loan = engine(loan_no, D)
    # statement as of D: balances at the end of D, the remaining schedule, what is payable on D
    t = text(documents.issue_document(book, "statement", loan_no, D).pdf)
    _balances(t, b, schedule[-1].due_on)
    for k in schedule:
        if k.principal_paid < k.principal or k.interest_paid < k.interest:
            has(t, *_schedule_row(k))
    _payable(t, q, state)
    # schedule as it stands on D: every installment, actual interest once due
    t = text(documents.issue_document(book, "schedule", loan_no, D).pdf)
    for k in schedule:
        has(t, *_schedule_row(k))
    # reconciliation minutes as of D: the same balances and the same amounts payable, item by item
    t = text(documents.issue_document(book, "reconciliation", loan_no, D).pdf)
    _balances(t, b, schedule[-1].due_on)
    has(t, "Số tiền vay theo hợp đồng", vnd(loan.terms.amount))
    has(t, "Số tiền đã giải ngân", vnd(state.disbursed))
    _payable(t, q, state)
    # receipt of every tranche: its amount, the total received so far, the last due date as of that day
    tranches = [tx for tx in loan.transactions if tx.kind == "disbursement"]
    for n, tx in enumerate(tranches, 1):
        _, _, sched_then, then, _ = engine(loan_no, tx.on)
        t = text(documents.issue_document(book, "receipt", loan_no, reference=tx.reference).pdf)
        has(t, f"Số tiền nhận nợ lần thứ {n}:", vnd(tx.amount))
        has(t, "Tổng số đã nhận nợ:", f"{vnd(then.disbursed)} (kể cả lần này)")
        has(t, "Hạn trả nợ cuối cùng:", short_date(sched_then[-1].due_on))


def _expected_notice(borrower_code: str, on: date, year: int, month: int):
    """(items, arrears, total) of a borrower's notice dated ``on`` for a month, from the engine alone."""
    first, last = date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    items, arrears, total = [], [], 0
    for loan in sample_loans():
        if loan.borrower_code != borrower_code:
            continue
        q, _b, schedule, state, _ = engine(loan.loan_no, on)
        if state.anchor is None or state.closed_on is not None:
            continue
        for k in schedule:
            if first <= k.due_on < last and k.unpaid > 0:
                items.append((loan.loan_no, k))
                if k.due_on > on:
                    total += k.unpaid
        if q.due_now:
            arrears.append((loan.loan_no, q))
            total += q.due_now
    return items, arrears, total


def _before_last_due(loan_no: str) -> tuple[date, tuple[int, int]]:
    """Three days before the loan's last installment due by D (or D, for its first installment if none is due by
    then), and that installment's month."""
    schedule = engine(loan_no, D)[2]
    due = [k for k in schedule if k.due_on <= D]
    k = due[-1] if due else schedule[0]
    return min(D, k.due_on - timedelta(days=3)), (k.due_on.year, k.due_on.month)


@pytest.mark.parametrize(("loan_no", "when"), [(ON_TIME, "before"), (IN_ARREARS, D), (IN_ARREARS, date(2024, 12, 10)),
                                               (LONG_ARREARS, D), (PREPAID, "before"), (LONG_ARREARS, "before")])
def test_notice_shows_actual_interest_and_what_is_overdue(book, loan_no, when):
    """The notice dated ``on`` for a month: installments due by then with their actual interest (no "*"), later
    ones projected, and for a loan in arrears the quote's principal and interest due, overdue and late interest
    payable on ``on``; the total is what the borrower pays: the quotes' due_now plus the installments due later."""
    on, (year, month) = _before_last_due(loan_no) if when == "before" else (when, (2024, 12))
    code = next(x for x in sample_loans() if x.loan_no == loan_no).borrower_code
    items, arrears, total = _expected_notice(code, on, year, month)
    assert items or arrears
    issued = documents.issue_document(book, "notice", loan_no, on, month=(year, month))
    t = text(issued.pdf)
    assert issued.register.label == "01/TB-QHT" and issued.register.on == on
    for no, k in items:
        star = "*" if k.due_on > on else ""
        assert k.interest_projected == (k.due_on > on)
        u = k.as_unpaid()
        has(t, no, str(k.no), short_date(k.due_on), vnd(u.principal), vnd(u.interest) + star, vnd(u.total) + star)
    after_term = any(q.interest_payable_after_term for _, q in arrears)  # the column shows only then
    for no, q in arrears:
        has(t, no, *(group_thousands(x) for x in (q.principal_due, q.interest_due, q.overdue_interest, q.late_interest,
                                                  *([q.interest_payable_after_term] if after_term else []),
                                                  q.due_now)))
    has(t, "Tổng số tiền phải trả:", vnd(total))
    assert ("NỢQUÁHẠN" in t) == any(engine(no, on)[1].days_past_due > 0 for no, _ in arrears)
    if loan_no in (IN_ARREARS, LONG_ARREARS):
        assert arrears and any(q.overdue_interest for _, q in arrears)


PAST_TERM, PAST_TERM_ONLY_INTEREST = "HD2022-002", "HD2023-024"  # last due 27/07/2023; 23/03/2024, principal paid


def test_a_loan_past_its_last_due_date_owes_that_days_interest_at_once(book):
    """DOMAIN.md "Daily accrual": principal unpaid at the end of D_n accrues day D_n's in-term interest, payable
    at once from D_n + 1: the quote counts it in due_now, and the statement, the minutes and the notice print it."""
    q, b, schedule, state, _ = engine(PAST_TERM_ONLY_INTEREST, D)
    assert schedule[-1].due_on == date(2024, 3, 23) and state.closed_on is None and b.principal_outstanding == 0
    assert (q.principal_due, q.interest_due, q.overdue_interest, q.late_interest, q.interest_payable_after_term,
            q.interest_accrued, q.due_now, q.settlement) == (0, 0, 0, 0, 29_589, 0, 29_589, 29_589)
    t = text(documents.issue_document(book, "statement", PAST_TERM_ONLY_INTEREST, D).pdf)
    has(t, "Lãi trong hạn sau ngày đến hạn cuối (phải trả ngay)", vnd(29_589))
    has(t, "Số tiền phải trả để hết nợ đến hạn", vnd(29_589))
    t = text(documents.issue_document(book, "reconciliation", PAST_TERM_ONLY_INTEREST, D).pdf)
    has(t, "Lãi trong hạn dự thu (của ngày đến hạn cuối 23/03/2024)", vnd(29_589))  # the balances, end of D
    has(t, "Lãi trong hạn sau ngày đến hạn cuối (phải trả ngay)", vnd(29_589))  # payable on D
    has(t, f"Số tiền phải trả ngày {short_date(D)}:", vnd(29_589))
    # the notice of December: nothing due in the month, but the 29.589 đ is payable: an arrears line says so
    t = text(documents.issue_document(book, "notice", PAST_TERM_ONLY_INTEREST, D, month=(2024, 12)).pdf)
    has(t, PAST_TERM_ONLY_INTEREST, "0", "0", "0", "0", group_thousands(29_589), group_thousands(29_589))
    has(t, "Tổng số tiền phải trả:", vnd(29_589))
    # in arrears and past its term: 320.000.000 + 8.647.891 + 59.450.301 + 1.570.555 + 7.890 đ
    q = engine(PAST_TERM, D)[0]
    assert q.interest_payable_after_term == 7_890 and q.due_now == 389_676_637
    t = text(documents.issue_document(book, "statement", PAST_TERM, D).pdf)
    has(t, "Lãi trong hạn sau ngày đến hạn cuối (phải trả ngay)", vnd(7_890))
    has(t, "Số tiền phải trả để hết nợ đến hạn", vnd(389_676_637))


def test_no_notice_for_a_settled_loan(book):
    with pytest.raises(UserFacingError):
        documents.issue_document(book, "notice", "HD2022-009", D, month=(2024, 12))  # KH0015 has other loans
    # the month's notices list other loans, never a settled one
    notices = documents.due_notices(book, 2024, 12, on=D)
    listed = {i.loan_no for n in notices for i in n.items} | {a.loan_no for n in notices for a in n.arrears}
    assert IN_ARREARS in listed and SETTLED not in listed and "HD2022-009" not in listed


def test_quarterly_report_pdf_prints_the_engines_figures(book, tmp_path):
    (pdf_path,) = documents.write_quarterly(book, 2024, 4, pdf=tmp_path / "q4.pdf")
    t = text(pdf_path.read_bytes())
    expected = period_report(sample_loans(), *quarter_bounds(2024, 4)).interchange_json()
    for key in ("disbursed_amount", "principal_collected", "interest_collected", "outstanding", "overdue_principal"):
        assert group_thousands(expected[key]) in t, key
    for district, figures in expected["by_district"].items():
        has(t, district)
        assert group_thousands(figures["outstanding"]) in t
    assert "Số:01/BC-QHT" in t
