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
from fundapp.domain.terms import LoanTerms

WARDS = [("Xã Gio Linh", "Huyện Gio Linh"), ("Xã Vĩnh Linh", "Huyện Vĩnh Linh"), ("Phường Đông Hà", "Thành phố Đông Hà"),
         ("Xã Hải Lăng", "Huyện Hải Lăng"), ("Xã Khe Sanh", "Huyện Hướng Hóa"), ("Xã Cam Lộ", "Huyện Cam Lộ"),
         ("Xã Đakrông", "Huyện Đakrông"), ("Phường Quảng Trị", "Thị xã Quảng Trị"), ("Xã Triệu Phong", "Huyện Triệu Phong")]
KINDS = ["htx", "htx", "htx", "lhhtx", "tht", "tv_htx"]
SECTORS = ["nông nghiệp", "chăn nuôi", "lâm nghiệp", "dịch vụ", "tiểu thủ công nghiệp", "thủy sản"]
PRODUCTS = ["cà phê", "hồ tiêu", "lợn", "bò", "tôm", "gạo", "mây tre", "nấm"]


def generate(n_loans: int, seed: int = 7, tx_per_loan: int = 13):
    """Rows (dicts of strings) for borrowers, loans and transactions, as INTERCHANGE.md's CSV files."""
    rnd = random.Random(seed)
    borrowers, loans, transactions = [], [], []
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

        post(Transaction(start, Kind.DISBURSEMENT, first))
        if first < amount:
            post(Transaction(start + timedelta(days=rnd.randint(10, 40)), Kind.DISBURSEMENT, amount - first))
        behaviour = rnd.random()
        for due in state.due[: tx_per_loan - 1]:
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
    return borrowers, loans, transactions


def write_csv(folder: Path, n_loans: int, seed: int = 7) -> tuple[int, int]:
    """Write borrowers.csv, loans.csv and transactions.csv; returns (loans, transactions)."""
    borrowers, loans, transactions = generate(n_loans, seed)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("borrowers", borrowers), ("loans", loans), ("transactions", transactions)):
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return len(loans), len(transactions)
