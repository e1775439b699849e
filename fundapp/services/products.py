"""Loan products (sản phẩm cho vay): named default terms and an optional maximum amount (đồng).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from fundapp.domain.messages import N_, msg
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import nfc
from fundapp.ledger import store

from .errors import ValidationError
from .portfolio import Context
from .rights import require


# -- products --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductRow:
    """A loan product (sản phẩm cho vay): code, name, default terms (rate as decimal text in ``rate_unit``,
    months, method, grace periods, overdue factor, late-payment rate %/năm) and an optional maximum amount (đồng)."""

    id: int
    code: str
    name: str
    rate: str
    rate_unit: str
    term_months: int
    frequency_months: int
    method: str
    grace_periods: int
    overdue_factor: str
    late_interest_rate: str
    max_amount: int | None

    def terms(self, amount: int) -> LoanTerms:
        """The product's terms for a loan of ``amount`` đồng (``LoanTerms``). Raises ``TermsError`` when the
        product's terms do not make a valid loan (DOMAIN.md "Terms of a loan")."""
        return LoanTerms(amount=amount, rate=self.rate, rate_unit=self.rate_unit, term_months=self.term_months,
                         frequency_months=self.frequency_months, method=self.method, grace_periods=self.grace_periods,
                         overdue_factor=self.overdue_factor, late_interest_rate=self.late_interest_rate)


def list_products(ctx: Context) -> list[ProductRow]:
    """Every loan product of the book, as rows. Raises nothing beyond the database's errors."""
    with ctx.db.unit() as s:
        return [ProductRow(**{f.name: getattr(r, f.name) for f in fields(ProductRow)}) for r in store.products(s)]


def save_product(ctx: Context, code: str, name: str, terms: LoanTerms, max_amount: int | None = None) -> ProductRow:
    """Add a loan product (default terms for applications)."""
    require(ctx, "settings")
    code, name = nfc(code), nfc(name)
    if not code or not name:
        raise ValidationError(N_("Nhập mã và tên sản phẩm vay"), field="code")
    with ctx.db.unit() as s:
        if any(p.code == code for p in store.products(s)):
            raise ValidationError(msg("Mã sản phẩm «{code}» đã có", code=code), field="code")
        r = store.add_product(s, code=code, name=name, rate=str(terms.rate), rate_unit=str(terms.rate_unit),
                              term_months=terms.term_months, frequency_months=terms.frequency_months,
                              method=str(terms.method), grace_periods=terms.grace_periods,
                              overdue_factor=str(terms.overdue_factor), late_interest_rate=str(terms.late_interest_rate),
                              max_amount=max_amount)
        return ProductRow(**{f.name: getattr(r, f.name) for f in fields(ProductRow)})
