"""The book's tables (SQLAlchemy 2 typed models): the lending tables, the settings, the document register, the
audit trail and collateral; the book of record's (users, proposals, closings, stored reports, the journal) are in
``record_models``, on the same ``Base``. Money is BigInteger đồng; rates are exact decimal text.

Entries are never updated or deleted: a correction is a reversal entry that points at the one
it cancels. ``loan_state`` is a cache of each loan's figures, rewritten after every change.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fundapp.domain.borrowers import BORROWER_KINDS

from .timestamps import UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

METHODS = ("equal_principal", "annuity", "bullet")
RATE_UNITS = ("year", "month")
ENTRY_KINDS = ("disbursement", "repayment", "reversal", "opening", "restructure", "interest_relief", "write_off")
EVENT_KINDS = ("opening", "restructure", "interest_relief", "write_off")  # DOMAIN.md "Life events" (migration 0003)
RELIEF_KINDS = ("late_interest", "overdue_interest", "interest")
APPLICATION_STATUSES = ("received", "appraised", "approved", "rejected", "contracted")


def one_of(column: str, values: tuple[str, ...]) -> str:
    """The SQL of a CHECK that ``column`` holds one of ``values`` (``status IN ('a', 'b')``)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """The declarative base of every table of the book, with the constraint naming convention (``NAMING``) the
    migrations use."""

    metadata = MetaData(naming_convention=NAMING)


class LoanTermsColumns:
    """The loan terms a product offers and a loan carries (DOMAIN.md "Terms"): the rate as exact decimal text in
    %/năm or %/tháng (``rate_unit``), term and payment frequency in months, the method, grace periods (installments
    without principal), the overdue factor (× the rate) and the late-payment rate (% of the rate)."""

    rate: Mapped[str] = mapped_column(String(16), sort_order=1)
    rate_unit: Mapped[str] = mapped_column(String(8), default="year", sort_order=1)
    term_months: Mapped[int] = mapped_column(Integer, sort_order=1)
    frequency_months: Mapped[int] = mapped_column(Integer, default=1, sort_order=1)
    method: Mapped[str] = mapped_column(String(20), default="equal_principal", sort_order=1)
    grace_periods: Mapped[int] = mapped_column(Integer, default=0, sort_order=1)
    overdue_factor: Mapped[str] = mapped_column(String(16), default="1.5", sort_order=1)
    late_interest_rate: Mapped[str] = mapped_column(String(16), default="10", sort_order=1)


class SettingRecord(Base):
    """One setting of the fund (``services.settings.FundSettings`` field → its value as text)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class BorrowerRecord(Base):
    """A borrower (DOMAIN.md "Borrowers"): a cooperative, union, cooperative group or member, by its unique code;
    ``search`` holds the folded name and code for search, ``version`` guards concurrent edits."""

    __tablename__ = "borrowers"
    __table_args__ = (CheckConstraint(one_of("kind", BORROWER_KINDS), name="kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16), default="htx")
    tax_code: Mapped[str] = mapped_column(String(20), default="")
    province: Mapped[str] = mapped_column(String(100), default="")
    ward: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    sector: Mapped[str] = mapped_column(String(100), default="")
    members: Mapped[int | None] = mapped_column(Integer, nullable=True)
    representative: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(255), default="")
    related_group: Mapped[str] = mapped_column(String(64), default="")  # borrowers linked for Decree 45's 25 % limit
    search: Mapped[str] = mapped_column(Text, default="")  # folded name, code, places: diacritic-free search
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class ProductRecord(LoanTermsColumns, Base):
    """A loan product: its code, name, the terms it offers and its largest amount (đồng, None: no limit)."""

    __tablename__ = "loan_products"
    __table_args__ = (
        CheckConstraint(one_of("method", METHODS), name="method"),
        CheckConstraint(one_of("rate_unit", RATE_UNITS), name="rate_unit"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    max_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True, sort_order=2)  # after the terms


class ApplicationRecord(Base):
    """A loan application through its workflow: received → appraised → approved/rejected → contracted."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint(one_of("status", APPLICATION_STATUSES), name="status"),
        CheckConstraint("requested_amount > 0", name="requested_positive"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("loan_products.id"), nullable=True)
    purpose: Mapped[str] = mapped_column(String(255), default="")
    sector: Mapped[str] = mapped_column(String(100), default="")
    requested_amount: Mapped[int] = mapped_column(BigInteger)
    plan_total: Mapped[int] = mapped_column(BigInteger, default=0)  # the project's total cost
    own_capital: Mapped[int] = mapped_column(BigInteger, default=0)  # the borrower's own contribution
    status: Mapped[str] = mapped_column(String(16), default="received")
    received_on: Mapped[date] = mapped_column(Date)
    received_by: Mapped[str] = mapped_column(String(64), default="")
    appraisal_notes: Mapped[str] = mapped_column(Text, default="")
    appraised_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    appraised_by: Mapped[str] = mapped_column(String(64), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    limit_override_reason: Mapped[str] = mapped_column(Text, default="")
    approved_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    approved_terms: Mapped[str] = mapped_column(Text, default="")  # JSON of the terms approved (from a product)
    contracted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    contracted_by: Mapped[str] = mapped_column(String(64), default="")
    # the workflow's dates as entered by the officer (migration 0005): received ≤ appraised ≤ approved ≤ contract
    appraised_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class LoanRecord(LoanTermsColumns, Base):
    """A loan (DOMAIN.md "Loans"): its number, borrower, amount in đồng, terms and contract date; its money moves
    are entries. ``version`` guards concurrent edits of the terms."""

    __tablename__ = "loans"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(one_of("method", METHODS), name="method"),
        CheckConstraint(one_of("rate_unit", RATE_UNITS), name="rate_unit"),
        CheckConstraint("frequency_months IN (1, 3, 6, 12)", name="frequency"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_no: Mapped[str] = mapped_column(String(32), unique=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrowers.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(255), default="")
    sector: Mapped[str] = mapped_column(String(100), default="")
    amount: Mapped[int] = mapped_column(BigInteger)
    contract_date: Mapped[date | None] = mapped_column(Date, nullable=True, sort_order=2)  # after the terms
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), sort_order=2)
    version: Mapped[int] = mapped_column(Integer, default=1, sort_order=2)
    __mapper_args__ = {"version_id_col": version}


class EntryRecord(Base):
    """A posted disbursement, repayment, life event (opening, restructure, interest_relief, write_off) or
    reversal. Never updated, never deleted. An event's parameters are in ``entry_events``; a relief's amount
    and an opening's disbursed are ``amount``; a restructuring or write-off (or a reversal of one) has 0."""

    __tablename__ = "entries"
    __table_args__ = (
        CheckConstraint(one_of("kind", ENTRY_KINDS), name="kind"),
        CheckConstraint("amount > 0 OR (amount = 0 AND kind IN ('restructure', 'write_off', 'reversal'))",
                        name="amount_positive"),
        CheckConstraint("(kind = 'reversal') = (reverses_id IS NOT NULL)", name="reversal_link"),
        UniqueConstraint("reverses_id", name="uq_entries_reverses_id"),
        Index("ix_entries_loan_date", "loan_id", "on_date", "kind", "amount"),
        Index("ix_entries_date", "on_date", "kind", "amount", "loan_id"),  # a period's flows (0007)
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"))
    on_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    reference: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("entries.id"), nullable=True)
    principal: Mapped[int] = mapped_column(BigInteger, default=0)  # the split as posted (audit)
    interest: Mapped[int] = mapped_column(BigInteger, default=0)
    overdue_interest: Mapped[int] = mapped_column(BigInteger, default=0)
    late_interest: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class EntryEventRecord(Base):
    """A life event's reason and parameters, keyed by its entry (DOMAIN.md "Life events"). Never updated."""

    __tablename__ = "entry_events"
    __table_args__ = (
        CheckConstraint("relief_of IS NULL OR " + one_of("relief_of", RELIEF_KINDS), name="relief_of"),
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    extend_months: Mapped[int | None] = mapped_column(Integer, nullable=True)  # restructure
    grace_periods: Mapped[int | None] = mapped_column(Integer, nullable=True)  # restructure
    relief_of: Mapped[str | None] = mapped_column(String(24), nullable=True)  # interest_relief
    first_disbursement_date: Mapped[date | None] = mapped_column(Date, nullable=True)  # opening, and below
    principal_outstanding: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    principal_overdue: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    oldest_overdue_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    interest_due_unpaid: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    interest_accrued: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    overdue_interest: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    late_interest: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    restructurings: Mapped[int | None] = mapped_column(Integer, nullable=True)


class LoanStateRecord(Base):
    """Each loan's figures as of ``as_of`` (a cache the loan list reads; the engine is the truth)."""

    __tablename__ = "loan_state"
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    disbursed: Mapped[int] = mapped_column(BigInteger, default=0)
    principal_outstanding: Mapped[int] = mapped_column(BigInteger, default=0)
    principal_overdue: Mapped[int] = mapped_column(BigInteger, default=0)
    total_interest: Mapped[int] = mapped_column(BigInteger, default=0)  # all interest owed (Balances; 0007)
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    debt_group: Mapped[int] = mapped_column(Integer, default=1)
    next_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    next_due_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    first_disbursed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="approved")
    # from this day on the figures are all 0 and debt group 1 for good (a settled loan no watch can hold)
    quiet_from: Mapped[date | None] = mapped_column(Date, nullable=True)


class DocumentNumberRecord(Base):
    """The last number given to a kind of document in a year (numbering restarts every year)."""

    __tablename__ = "document_numbers"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class DocumentRecord(Base):
    """An issued document (saved or printed): its number, what it is about, its date, who issued it and when.

    ``kind`` is the service's kind ("statement", "notice", …), ``code`` the number's code ("SK", "TB", …);
    ``subject`` names the document (loan number, borrower and month, report period): a reprint of the same
    (kind, subject, on_date) keeps its number when it states the same (``digest``: SHA-256 of the paper's model,
    ``document_register.paper_digest``; None for a row issued before migration 0010), and takes a new number when
    it does not. Numbers have no gaps per (code, year).
    """

    __tablename__ = "document_register"
    __table_args__ = (
        UniqueConstraint("code", "year", "number", name="uq_document_register_number"),
        UniqueConstraint("kind", "subject", "on_date", "digest", name="uq_document_register_document"),
        Index("ix_document_register_year", "year", "code", "number"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255))
    loan_no: Mapped[str | None] = mapped_column(String(64), nullable=True)
    on_date: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime())
    digest: Mapped[str | None] = mapped_column(String(64), nullable=True)


class AuditRecord(Base):
    """Who did what and when (approvals, overrides, settings, reversals)."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    override: Mapped[bool] = mapped_column(Boolean, default=False)


# -- collateral (migration 0004): an asset and its append-only revisions --------------------------------------
COLLATERAL_KINDS = ("land", "house", "vehicle", "machinery", "goods", "deposit", "guarantee")
COLLATERAL_STATUSES = ("pledged", "released", "enforced")


class CollateralItemRecord(Base):
    """One asset pledged for an application (and the loan contracted from it) or for a loan. Never updated."""

    __tablename__ = "collateral_items"
    __table_args__ = (CheckConstraint("application_id IS NOT NULL OR loan_id IS NOT NULL", name="owner"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), nullable=True, index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id"), nullable=True, index=True)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CollateralRevisionRecord(Base):
    """What is known of an asset from one moment on; the highest ``revision`` is in force. Never updated."""

    __tablename__ = "collateral_revisions"
    __table_args__ = (
        CheckConstraint(one_of("kind", COLLATERAL_KINDS), name="kind"),
        CheckConstraint(one_of("status", COLLATERAL_STATUSES), name="status"),
        CheckConstraint("value >= 0", name="value"),
        UniqueConstraint("item_id", "revision"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("collateral_items.id"))
    revision: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(255), default="")
    value: Mapped[int] = mapped_column(BigInteger)  # đồng
    valued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    registration_no: Mapped[str] = mapped_column(String(64), default="")
    registered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="pledged")
    status_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    entered_at: Mapped[datetime] = mapped_column(UtcDateTime())


def schema():
    """Every table of the book — those above and the book of record's (``record_models``, imported here so its
    tables join ``Base.metadata``): what the migrations and their schema test compare with."""
    from . import record_models  # noqa: F401  (importing it declares its tables)

    return Base.metadata
