"""A generated book for benchmarks: n loans with ~10 transactions each, all valid under DOMAIN.md.

Repayments are drawn from the engine's own quotes (most on time, some late or partial, a few
prepayments and settlements), so an import of the book refuses nothing.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from fundapp.domain.engine import Kind, LoanReplay, Transaction
from fundapp.domain.errors import TransactionRefused
from fundapp.domain.events import InterestRelief, Opening, Restructuring, WriteOff
from fundapp.domain.terms import LoanTerms

WARDS = [("Xã Gio Linh", "Huyện Gio Linh"), ("Xã Vĩnh Linh", "Huyện Vĩnh Linh"), ("Phường Đông Hà", "Thành phố Đông Hà"),
         ("Xã Hải Lăng", "Huyện Hải Lăng"), ("Xã Khe Sanh", "Huyện Hướng Hóa"), ("Xã Cam Lộ", "Huyện Cam Lộ"),
         ("Xã Đakrông", "Huyện Đakrông"), ("Phường Quảng Trị", "Thị xã Quảng Trị"), ("Xã Triệu Phong", "Huyện Triệu Phong")]
KINDS = ["htx", "htx", "htx", "lhhtx", "tht", "tv_htx"]
SECTORS = ["nông nghiệp", "chăn nuôi", "lâm nghiệp", "dịch vụ", "tiểu thủ công nghiệp", "thủy sản"]
PRODUCTS = ["cà phê", "hồ tiêu", "lợn", "bò", "tôm", "gạo", "mây tre", "nấm"]


EVENT_HEADER = ("loan_no", "date", "kind", "reference", "reason", "extend_months", "grace_periods", "relief_of", "amount")
OPENING_HEADER = ("loan_no", "as_of", "first_disbursement_date", "disbursed", "principal_outstanding",
                  "principal_overdue", "oldest_overdue_date", "interest_due_unpaid", "interest_accrued",
                  "overdue_interest", "late_interest", "restructurings")


def generate(n_loans: int, seed: int = 7, tx_per_loan: int = 13):
    """Rows (dicts of strings) for borrowers, loans and transactions, as INTERCHANGE.md's CSV files."""
    borrowers, loans, transactions, _, _ = generate_book(n_loans, seed, tx_per_loan)
    return borrowers, loans, transactions


def generate_book(n_loans: int, seed: int = 7, tx_per_loan: int = 13, events_share: float = 0.0):
    """Rows for borrowers, loans, transactions, events and openings (INTERCHANGE.md's files). About
    ``events_share`` of the loans bend (DOMAIN.md "Life events"), a quarter each: restructured once when in
    arrears, relieved of overdue/late interest, written off (then partly recovered), or opened mid-life from
    earlier books. Every row is accepted by the engine (events it would refuse are not written)."""
    rnd = random.Random(seed)
    borrowers, loans, transactions, events, openings = [], [], [], [], []
    n_borrowers = max(1, n_loans // 2)
    for b in range(n_borrowers):
        ward, district = rnd.choice(WARDS)
        borrowers.append(dict(code=f"KH{b + 1:05d}", name=f"Hợp tác xã {rnd.choice(PRODUCTS)} {ward.split(' ', 1)[1]} {b + 1}",
                              kind=rnd.choice(KINDS), tax_code=f"32{rnd.randrange(10**8):08d}", province="Tỉnh Quảng Trị",
                              ward=ward, district=district, sector=rnd.choice(SECTORS), members=str(rnd.randint(7, 300)),
                              representative="", phone="", address=""))
    ref = 0
    for i in range(n_loans):
        frequency = rnd.choice([1, 3, 3, 6])
        n = rnd.choice([4, 8, 12]) if frequency > 1 else rnd.choice([12, 24, 36])
        amount = rnd.randint(5, 150) * 10_000_000
        terms = LoanTerms(amount=amount, rate=rnd.choice(["5.4", "6", "6.6", "7.2", "7.8"]), term_months=n * frequency,
                          frequency_months=frequency, method=rnd.choice(["equal_principal"] * 3 + ["annuity", "bullet"]),
                          grace_periods=rnd.choice([0, 0, 0, 1]) if n > 1 else 0)
        start = date(2021, 1, 1) + timedelta(days=rnd.randrange(1400))
        loan_no = f"HD{start.year}-{i + 1:05d}"
        loans.append(dict(loan_no=loan_no, borrower_code=rnd.choice(borrowers)["code"],
                          purpose=f"Đầu tư sản xuất {rnd.choice(PRODUCTS)}", sector=rnd.choice(SECTORS), amount=str(amount),
                          annual_rate=str(terms.rate), term_months=str(terms.term_months), frequency_months=str(frequency),
                          method=str(terms.method), grace_periods=str(terms.grace_periods), overdue_factor="1.5",
                          late_interest_rate="10", contract_date=(start - timedelta(days=rnd.randint(0, 20))).isoformat()))
        state = LoanReplay(terms)
        first = amount if rnd.random() < 0.7 else amount // 2

        def post(tx: Transaction, state: LoanReplay = state, loan_no: str = loan_no) -> None:
            nonlocal ref
            state.apply(tx)
            ref += 1
            prefix = "GN" if tx.kind is Kind.DISBURSEMENT else "PT"
            transactions.append(dict(loan_no=loan_no, date=tx.on.isoformat(), kind=str(tx.kind), amount=str(tx.amount),
                                     reference=f"{prefix}-{ref:07d}"))

        bend = (rnd.choice(("restructure", "relief", "write_off", "opening"))
                if events_share and rnd.random() < events_share else "")
        if bend == "opening":  # the loan arrives mid-life: its history stays in the earlier books
            opened = _opening(terms, start, amount, rnd)
            if opened is None:
                bend = ""
            else:
                state = LoanReplay(terms)
                state.apply(opened)
                openings.append(dict(zip(OPENING_HEADER, (
                    loan_no, opened.on.isoformat(), opened.first_disbursement_date.isoformat(), str(opened.disbursed),
                    str(opened.principal_outstanding), str(opened.principal_overdue),
                    opened.oldest_overdue_date.isoformat() if opened.oldest_overdue_date else "",
                    str(opened.interest_due_unpaid), str(opened.interest_accrued), str(opened.overdue_interest),
                    str(opened.late_interest), str(opened.restructurings)), strict=True)))
        if bend != "opening":
            post(Transaction(start, Kind.DISBURSEMENT, first))
            if first < amount:
                post(Transaction(start + timedelta(days=rnd.randint(10, 40)), Kind.DISBURSEMENT, amount - first))

        def event(entry, row: dict, state: LoanReplay = state, loan_no: str = loan_no) -> bool:
            nonlocal ref
            try:
                state.apply(entry)
            except TransactionRefused:
                return False
            ref += 1
            events.append({**dict.fromkeys(EVENT_HEADER, ""), "loan_no": loan_no, "date": entry.on.isoformat(),
                           "kind": str(entry.kind), "reference": f"QĐ-{ref:07d}", "reason": "Thiên tai", **row})
            return True

        behaviour = 0.99 if bend in ("restructure", "relief", "write_off") else rnd.random()
        for due in [d for d in state.due if d > state.started_on][: tx_per_loan - 1]:
            if bend and bend != "opening" and state.overdue_p and rnd.random() < 0.5:
                day = date.fromordinal(state.day)
                if bend == "restructure":
                    f = terms.frequency_months
                    if event(Restructuring(day, f, 0), dict(extend_months=str(f), grace_periods="0")):
                        bend, behaviour = "", 0.0  # pays on the new schedule
                elif bend == "relief":
                    q = state.quote(day)
                    if q.overdue_interest and event(InterestRelief(day, "overdue_interest", q.overdue_interest),
                                                    dict(relief_of="overdue_interest", amount=str(q.overdue_interest))):
                        bend, behaviour = "", 0.0
                elif event(WriteOff(day), {}):  # written off, then a tenth of it recovered a month later
                    later = day + timedelta(days=30)
                    owed = state.balances(day).written_off_principal
                    if owed // 10:
                        post(Transaction(later, Kind.REPAYMENT, owed // 10))
                    break
            day = due if behaviour < 0.8 or rnd.random() < 0.7 else due + timedelta(days=rnd.randint(1, 60))
            if day.toordinal() < state.day:
                continue  # a quote already looked past this day
            q = state.quote(day)
            if not q.settlement:
                break
            roll = rnd.random()
            if behaviour > 0.95 and roll < 0.8:
                continue  # a borrower who stopped paying
            amount_paid = q.settlement if roll < 0.02 else q.due_now if roll < 0.9 else max(1, q.due_now // 2)
            if roll > 0.97:
                amount_paid = min(q.settlement, q.due_now + q.principal_not_yet_due // 4)
            if amount_paid <= 0:
                continue
            try:
                post(Transaction(day, Kind.REPAYMENT, amount_paid))
            except TransactionRefused:  # a rare in-between amount; skip it
                continue
            if state.closed_on:
                break
    return borrowers, loans, transactions, events, openings


def _opening(terms: LoanTerms, start: date, amount: int, rnd: random.Random) -> Opening | None:
    """An opening as the earlier books would state it: the loan disbursed whole at ``start`` and paid on time
    (or not at all for a quarter of them) until a cut-over day C after its second due date."""
    state = LoanReplay(terms)
    state.apply(Transaction(start, Kind.DISBURSEMENT, amount))
    if len(state.due) < 4:
        return None
    pays = rnd.random() < 0.75
    for due in state.due[:2]:
        q = state.quote(due)
        if pays and q.due_now:
            state.apply(Transaction(due, Kind.REPAYMENT, q.due_now))
    c = state.due[1] + timedelta(days=rnd.randint(5, 40))
    if c >= state.due[2]:
        return None
    b = state.balances(c)
    oldest = date.fromordinal(c.toordinal() - b.days_past_due) if b.days_past_due else None
    if b.principal_overdue + b.interest_due_unpaid and oldest is None:
        oldest = state.due[1]
    return Opening(c, start, amount, b.principal_outstanding, b.principal_overdue, oldest, b.interest_due_unpaid,
                   b.interest_accrued, b.overdue_interest_accrued, b.late_interest_accrued, rnd.choice((0, 0, 1)))


def write_csv(folder: Path, n_loans: int, seed: int = 7, events_share: float = 0.0) -> tuple[int, int]:
    """Write borrowers.csv, loans.csv, transactions.csv (and, with ``events_share`` > 0, events.csv and
    openings.csv); returns (loans, transactions)."""
    borrowers, loans, transactions, events, openings = generate_book(n_loans, seed, events_share=events_share)
    folder.mkdir(parents=True, exist_ok=True)
    files = [("borrowers", borrowers), ("loans", loans), ("transactions", transactions)]
    if events_share:
        files += [("events", events), ("openings", openings)]
    for name, rows in files:
        header = {"events": EVENT_HEADER, "openings": OPENING_HEADER}.get(name)
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(header or rows[0]))
            w.writeheader()
            w.writerows(rows)
    return len(loans), len(transactions)
