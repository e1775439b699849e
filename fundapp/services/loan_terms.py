"""A loan's terms (DOMAIN.md "Terms of a loan"): built from typed values, read from the book, and edited on a
contracted loan until its first disbursement.
"""

from __future__ import annotations

from fundapp.domain.errors import TermsError
from fundapp.domain.messages import N_, msg
from fundapp.domain.terms import LoanTerms, plain_decimal
from fundapp.ledger import entry_store, lending_store, office_store

from .book_loader import terms_of
from .context import Context
from .errors import NotFound, StaleEdit, UserFacingError, ValidationError
from .loan_states import refresh_states
from .rights import require


def terms_dict(terms: LoanTerms) -> dict:
    """The terms without the amount as JSON-ready values (rates as decimal strings in their unit, months, method
    name), as an approval stores them. Raises nothing."""
    return dict(rate=plain_decimal(terms.rate), rate_unit=str(terms.rate_unit), term_months=terms.term_months,
                frequency_months=terms.frequency_months, method=str(terms.method), grace_periods=terms.grace_periods,
                overdue_factor=plain_decimal(terms.overdue_factor),
                late_interest_rate=plain_decimal(terms.late_interest_rate))


def make_terms(**values) -> LoanTerms:
    """LoanTerms from form values; a TermsError becomes a ValidationError naming the field."""
    try:
        return LoanTerms(**values)
    except TermsError as err:
        raise ValidationError.from_domain(err) from None


def loan_terms(ctx: Context, loan_id: int) -> LoanTerms:
    """The terms stored on loan ``loan_id`` (amount đồng, rate in its unit, months, method, grace, overdue factor,
    late-payment rate; DOMAIN.md "Terms of a loan"). Raises ``NotFound`` for an unknown loan."""
    with ctx.db.read() as s:
        loan = lending_store.loan(s, loan_id)
        if loan is None:
            raise NotFound(msg("Không có khoản vay mã {loan_id}", loan_id=loan_id))
        return terms_of(loan)


def update_loan_terms(ctx: Context, loan_id: int, terms: LoanTerms, version: int) -> None:
    """Change a loan's terms; allowed only until its first disbursement. Right ``sign``."""
    require(ctx, "sign")
    with ctx.db.unit() as s:
        loan = lending_store.loan(s, loan_id)
        if loan is None:
            raise NotFound(msg("Không có khoản vay mã {loan_id}", loan_id=loan_id))
        if loan.version != version:
            raise StaleEdit(N_("Khoản vay vừa được người khác cập nhật: hãy mở lại"))
        if entry_store.entries_of(s, loan_id):
            raise UserFacingError(N_("Đã giải ngân: không thể sửa điều kiện vay (hãy lập phụ lục hợp đồng mới)"))
        for key, value in terms_dict(terms).items():
            setattr(loan, key, value)
        loan.amount = terms.amount
        s.flush()
        refresh_states(s, [loan_id], ctx.today())
        office_store.audit(s, ctx.user, "loan terms", loan.loan_no)
