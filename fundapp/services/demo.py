"""The demo book: a provincial fund's loans over the three years up to the book's today, built through the same
import as a real book.

Dates follow today (issue 10.9): in the last full year (today's year − 1) exactly 27 projects are financed with
9.450.000.000 đ disbursed, and 14.500.000.000 đ is outstanding at its end (the figures of a typical year), with a
few loans overdue in groups 2–5 then; two of them catch up early this year, so on today's date the fund is healthy:
mostly group 1, some arrears. Nothing is dated after today (a loan planned later is left out, a tranche or a
repayment due later is not posted). Repayments come from the engine's own quotes, so the book is valid under
DOMAIN.md by construction.
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from fundapp.domain.engine import Kind, LoanReplay, Transaction
from fundapp.domain.messages import Message, msg
from fundapp.domain.replay import replay_entries
from fundapp.domain.terms import LoanTerms, plain_decimal

TARGET_DISBURSED = 9_450_000_000  # in the last full year
TARGET_PROJECTS = 27
TARGET_OUTSTANDING = 14_500_000_000  # at the end of the last full year
PLAN_YEAR = 2023  # the plan below is written for a last full year 2023 and shifted to today's

# Wards of Quảng Trị after 1/7/2025 with the district each belonged to before (addresses as signed)
WARDS = [
    ("Phường Đông Hà", "Thành phố Đông Hà"), ("Phường Nam Đông Hà", "Thành phố Đông Hà"),
    ("Phường Quảng Trị", "Thị xã Quảng Trị"), ("Xã Gio Linh", "Huyện Gio Linh"), ("Xã Cửa Tùng", "Huyện Vĩnh Linh"),
    ("Xã Vĩnh Linh", "Huyện Vĩnh Linh"), ("Xã Cam Lộ", "Huyện Cam Lộ"), ("Xã Hiếu Giang", "Huyện Cam Lộ"),
    ("Xã Triệu Phong", "Huyện Triệu Phong"), ("Xã Ái Tử", "Huyện Triệu Phong"), ("Xã Hải Lăng", "Huyện Hải Lăng"),
    ("Xã Nam Hải Lăng", "Huyện Hải Lăng"), ("Xã Khe Sanh", "Huyện Hướng Hóa"), ("Xã Lao Bảo", "Huyện Hướng Hóa"),
    ("Xã Hướng Hiệp", "Huyện Đakrông"), ("Xã Đakrông", "Huyện Đakrông"), ("Xã Ba Lòng", "Huyện Đakrông"),
]
TRADES = [("cà phê", "nông nghiệp"), ("hồ tiêu", "nông nghiệp"), ("lúa gạo hữu cơ", "nông nghiệp"),
          ("chăn nuôi bò", "chăn nuôi"), ("chăn nuôi lợn", "chăn nuôi"), ("nuôi tôm", "thủy sản"),
          ("rừng trồng", "lâm nghiệp"), ("dược liệu", "nông nghiệp"), ("mây tre đan", "tiểu thủ công nghiệp"),
          ("dịch vụ nông nghiệp", "dịch vụ"), ("nấm", "nông nghiệp"), ("chè", "nông nghiệp")]
KINDS = ["htx"] * 6 + ["lhhtx", "tht"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Hồ", "Võ", "Đặng", "Bùi", "Phan"]
GIVEN = ["Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Văn Đức", "Thị Hoa", "Văn Hùng", "Thị Lan", "Văn Minh",
         "Thị Nga", "Văn Phúc", "Thị Quyên", "Văn Sơn", "Thị Thủy", "Văn Tuấn"]


@dataclass
class _Loan:
    no: str
    borrower: str
    trade: tuple[str, str]
    terms: LoanTerms
    start: date
    tranches: list[tuple[date, int]]
    behaviour: str  # "good", "late", "stopped"
    stop_after: date | None = None
    resume_on: date | None = None  # a stopped loan pays everything due at its first installment from this day


def _borrowers(rnd: random.Random) -> list[dict]:
    rows = []
    for i in range(30):
        ward, district = WARDS[i % len(WARDS)]
        trade = TRADES[i % len(TRADES)]
        kind = KINDS[i % len(KINDS)]
        prefix = {"htx": "Hợp tác xã", "lhhtx": "Liên hiệp hợp tác xã", "tht": "Tổ hợp tác"}[kind]
        place = ward.split(" ", 1)[1]
        rows.append(dict(
            code=f"KH{i + 1:04d}", name=f"{prefix} {trade[0]} {place}", kind=kind,
            tax_code=f"32{rnd.randrange(10**8):08d}", province="Tỉnh Quảng Trị", ward=ward, district=district,
            sector=trade[1], members=str(rnd.randint(9, 180)),
            representative=f"{rnd.choice(SURNAMES)} {rnd.choice(GIVEN)}", phone=f"0{rnd.choice([90, 91, 94, 97])}"
            f"{rnd.randrange(10**7):07d}", address=f"Thôn {rnd.randint(1, 9)}"))  # the ward is a field of its own
    return rows


def _split(total: int, parts: int, rnd: random.Random) -> list[int]:
    """``total`` in ``parts`` amounts, each a multiple of 10 million đồng."""
    unit = 10_000_000
    cuts = sorted(rnd.sample(range(1, total // unit), parts - 1))
    bounds = [0, *cuts, total // unit]
    return [(b - a) * unit for a, b in pairwise(bounds)]


def _plan(rnd: random.Random, balancing_amount: int, today: date) -> list[_Loan]:
    """The loans, written for PLAN_YEAR as the last full year and shifted by whole years so that the last full year
    is ``today.year - 1``; loans contracted after ``today`` are left out."""
    loans: list[_Loan] = []
    codes = [f"KH{i + 1:04d}" for i in range(30)]
    n = 0
    shift = today.year - 1 - PLAN_YEAR

    def at(year: int, month: int, day: int) -> date:
        return date(year + shift, month, day)

    def add(year: int, amount: int, start: date, *, method="equal_principal", term=36, freq=3, grace=0,
            rate="6.6", behaviour="good", stop_after=None, resume_on=None, two_tranches=False) -> None:
        nonlocal n
        n += 1
        borrower = codes[(n * 7) % 30]
        terms = LoanTerms(amount=amount, rate=rate, term_months=term, frequency_months=freq, method=method,
                          grace_periods=grace)
        if two_tranches:
            first = amount // 20_000_000 * 10_000_000
            tranches = [(start, first), (start + timedelta(days=rnd.randint(20, 50)), amount - first)]
        else:
            tranches = [(start, amount)]
        loan = _Loan(f"HD{year + shift}-{n:03d}", borrower, TRADES[n % len(TRADES)], terms, start, tranches,
                     behaviour, stop_after, resume_on)
        if _contract_date(loan) <= today:
            loans.append(loan)

    # the portfolio carried from two years before (the first is the balancing bullet loan)
    add(2022, balancing_amount, at(2022, 3, 15), method="bullet", term=36, freq=12, rate="6")
    for i, amount in enumerate([800, 1_000, 600, 1_200, 500, 900, 700, 1_100, 850, 650]):
        if i == 3:  # stopped paying from its installment of 10/05 last year: group 5 since
            add(2022, amount * 1_000_000, at(2022, 4, 10), term=36, freq=1, behaviour="stopped",
                stop_after=at(2023, 5, 2))
            continue
        add(2022, amount * 1_000_000, at(2022, 1 + i, 5 + i), term=rnd.choice([24, 36, 48]),
            freq=rnd.choice([3, 6]), rate=rnd.choice(["6", "6.6", "7.2"]))
    # 27 projects financed in the last full year: 9.450.000.000 đ
    amounts = _split(TARGET_DISBURSED, TARGET_PROJECTS, rnd)
    # monthly loans that stop paying from a chosen installment: at the end of the last full year, one loan each in
    # group 2 (due 10/12, 21 days), group 3 (due 10/11, 51 days) and group 4 (due 10/08, 143 days); the first two
    # catch up from 20/01 this year
    stopped = {2: (at(2023, 12, 2), at(2024, 1, 20)), 9: (at(2023, 11, 2), at(2024, 1, 20)), 6: (at(2023, 8, 2), None)}
    for i, amount in enumerate(amounts):
        start = at(2023, 1, 10) + timedelta(days=i * 12)
        method = rnd.choice(["equal_principal", "equal_principal", "annuity"])
        term, freq, rate, grace = rnd.choice([24, 36]), rnd.choice([1, 3, 3, 6]), rnd.choice(["6", "6.6", "7.2"]), \
            rnd.choice([0, 0, 1])
        if i in stopped:
            add(2023, amount, start.replace(day=10), method=method, term=term, freq=1, rate=rate,
                behaviour="stopped", stop_after=stopped[i][0], resume_on=stopped[i][1])
            continue
        add(2023, amount, start, method=method, term=term, freq=freq, rate=rate, grace=grace,
            behaviour="late" if i in (5, 14) else "good", two_tranches=i % 5 == 0)
    # this year's lending (each only once contracted by today)
    for i, amount in enumerate([500, 700, 350, 900, 600, 450]):
        add(2024, amount * 1_000_000, at(2024, 2 + i, 12), term=36, freq=3, rate="6.6",
            behaviour="stopped" if i == 1 else "good", stop_after=at(2024, 9, 1) if i == 1 else None)
    return loans


def _contract_date(loan: _Loan) -> date:
    return loan.start - timedelta(days=7)


def _transactions(loan: _Loan, rnd: random.Random, today: date) -> list[Transaction]:
    """The loan's disbursements and repayments dated on or before ``today``."""
    state = LoanReplay(loan.terms)
    out: list[Transaction] = []
    pending = [Transaction(on, Kind.DISBURSEMENT, amount) for on, amount in loan.tranches if on <= today]
    if not pending:
        return out  # contracted, not yet disbursed
    first = pending.pop(0)
    state.apply(first)
    out.append(first)
    for due in state.due:
        while pending and pending[0].on <= due:
            tx = pending.pop(0)
            state.apply(tx)
            out.append(tx)
        if loan.stop_after and due >= loan.stop_after and (loan.resume_on is None or due < loan.resume_on):
            if loan.resume_on is None:
                break
            continue
        day = due + timedelta(days=rnd.randint(3, 25)) if loan.behaviour == "late" else due
        if day > today:
            break
        if day.toordinal() < state.day:
            continue  # a late payer already paid this installment with the one before
        q = state.quote(day)
        if q.due_now <= 0:
            continue
        tx = Transaction(day, Kind.REPAYMENT, q.due_now)
        state.apply(tx)
        out.append(tx)
        if state.closed_on:
            break
    for tx in pending:  # a tranche after the last installment paid (nothing more fell due by today)
        state.apply(tx)
        out.append(tx)
    return out


def _outstanding(loan: _Loan, txs: list[Transaction], on: date) -> int:
    """Principal outstanding (đồng) at the end of ``on`` (the one replay path)."""
    return replay_entries(loan.terms, txs, until=on).balances(on).principal_outstanding


def demo_rows(seed: int = 2023, today: date | None = None) -> tuple[list[dict], list[dict], list[dict]]:
    """Borrowers, loans and transactions of the demo book as of ``today`` (default: the calendar's), as
    INTERCHANGE.md's CSV rows; nothing is dated after ``today``."""
    today = today or date.today()
    end_of_year = date(today.year - 1, 12, 31)
    plan = _plan(random.Random(seed), 10_000_000, today)
    txs = [_transactions(loan, random.Random(seed + i), today) for i, loan in enumerate(plan)]
    rest = sum(_outstanding(loan, t, end_of_year) for loan, t in zip(plan[1:], txs[1:], strict=True))
    balancing = TARGET_OUTSTANDING - rest  # the bullet loan's principal is outstanding until March next year
    if not 100_000_000 <= balancing <= 3_000_000_000:
        raise AssertionError(f"demo plan out of balance: {balancing}")
    plan = _plan(random.Random(seed), balancing, today)
    txs[0] = _transactions(plan[0], random.Random(seed), today)
    borrowers = _borrowers(random.Random(seed))
    loans = [dict(loan_no=loan.no, borrower_code=loan.borrower, purpose=f"Đầu tư phát triển {loan.trade[0]}",
                  sector=loan.trade[1], amount=str(loan.terms.amount), annual_rate=plain_decimal(loan.terms.rate),
                  term_months=str(loan.terms.term_months), frequency_months=str(loan.terms.frequency_months),
                  method=str(loan.terms.method), grace_periods=str(loan.terms.grace_periods), overdue_factor="1.5",
                  late_interest_rate="10", contract_date=_contract_date(loan).isoformat())
             for loan in plan]
    transactions = []
    counter = {"disbursement": 0, "repayment": 0}
    for loan, loan_txs in zip(plan, txs, strict=True):
        for tx in loan_txs:
            counter[str(tx.kind)] += 1
            prefix = "GN" if tx.kind is Kind.DISBURSEMENT else "PT"
            transactions.append(dict(loan_no=loan.no, date=tx.on.isoformat(), kind=str(tx.kind),
                                     amount=str(tx.amount), reference=f"{prefix}-{counter[str(tx.kind)]:05d}"))
    transactions.sort(key=lambda r: (r["date"], r["kind"] != "disbursement"))
    return borrowers, loans, transactions


def write_demo_csv(folder: Path, today: date | None = None) -> Path:
    """The demo book as of ``today`` as a folder of CSV files (what an officer's Excel export looks like)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in zip(("borrowers", "loans", "transactions"), demo_rows(today=today), strict=True):
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


DEMO_SETTINGS = dict(
    fund_name="QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ", parent_body="LIÊN MINH HỢP TÁC XÃ TỈNH QUẢNG TRỊ",
    abbreviation="QHT", province="Tỉnh Quảng Trị", place="Quảng Trị", address="Số 01 Hùng Vương, Phường Đông Hà",
    phone="0233 3852 000", director="Nguyễn Văn Hòa", deputy_director="Lê Thị Thủy", chief_accountant="Trần Thị Mai",
    preparer="Hồ Văn Nam", charter_capital=60_000_000_000)


def create_demo_book(path: Path | str, today: date | None = None) -> Message:
    """Create the demo book at ``path`` (a new SQLite file, or a URL) with dates up to ``today`` (default: the
    calendar's; the command line passes FUNDAPP_TODAY when set); returns its one-line summary as a catalogue message
    ("26 khách hàng, 40 khoản vay, 297 giao dịch"; ``str()`` gives it in the officer's language). Raises
    ``UserFacingError`` when ``path`` exists."""
    from fundapp.ledger.db import Database, resolve_url

    from .context import Context
    from .imports import check_and_import
    from .settings import FundSettings, save_settings

    target = Path(path) if "://" not in str(path) else None
    if target is not None and target.exists():
        from .errors import UserFacingError

        raise UserFacingError(msg("Tệp «{target}» đã có: chọn tên khác cho sổ mẫu", target=target))
    with tempfile.TemporaryDirectory() as tmp:
        today = today or date.today()
        folder = write_demo_csv(Path(tmp) / "so-mau", today)  # before the book exists: a failure leaves no half book
        ctx = Context(Database(resolve_url(str(path))), "demo", lambda: today)
        try:
            save_settings(ctx, FundSettings(**DEMO_SETTINGS))
            summary = check_and_import(ctx, folder)
        finally:
            ctx.db.dispose()
    return summary.counts()
