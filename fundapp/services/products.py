"""Loan products (sản phẩm cho vay): named default terms and an optional maximum amount (đồng).
"""

from __future__ import annotations

from typing import NamedTuple

from fundapp.domain.messages import N_, msg
from fundapp.domain.terms import LoanTerms
from fundapp.formatting import nfc, rate
from fundapp.ledger import lending_store, models, office_store

from .book_loader import terms_from
from .context import Context
from .errors import ValidationError
from .loan_terms import terms_dict
from .rights import require


# -- products --------------------------------------------------------------------------------
class ProductRow(NamedTuple("ProductRow", [("id", int), ("code", str), ("name", str), *lending_store.TERMS_FIELDS,
                                            ("max_amount", int | None)])):
    """A loan product (sản phẩm cho vay): code, name, default terms (``lending_store.TERMS_FIELDS``: rate as decimal text in
    ``rate_unit``, months, method, grace periods, overdue factor, late-payment rate %/năm) and an optional maximum
    amount (đồng)."""

    __slots__ = ()

    def terms(self, amount: int) -> LoanTerms:
        """The product's terms for a loan of ``amount`` đồng (``LoanTerms``). Raises ``TermsError`` when the
        product's terms do not make a valid loan (DOMAIN.md "Terms of a loan")."""
        return terms_from(amount, *(getattr(self, name) for name, _ in lending_store.TERMS_FIELDS))

    @classmethod
    def of(cls, record: models.ProductRecord) -> ProductRow:
        """The row of a stored product."""
        return cls._make(getattr(record, name) for name in cls._fields)


def list_products(ctx: Context) -> list[ProductRow]:
    """Every loan product of the book, as rows. Raises nothing beyond the database's errors."""
    with ctx.db.read() as s:
        return [ProductRow.of(r) for r in lending_store.products(s)]


def save_product(ctx: Context, code: str, name: str, terms: LoanTerms, max_amount: int | None = None) -> ProductRow:
    """Add a loan product (default terms for applications): ``code`` and ``name`` (NFC), ``terms`` (its amount not
    kept), ``max_amount`` in đồng or None. Right ``settings``; journalled («product add») in the same transaction.
    Returns the stored ``ProductRow``; raises ``ValidationError`` for a missing code or name or a code already in
    the book (nothing written)."""
    require(ctx, "settings")
    code, name = nfc(code), nfc(name)
    if not code or not name:
        raise ValidationError(N_("Nhập mã và tên sản phẩm vay"), field="code")
    with ctx.db.unit() as s:
        if any(p.code == code for p in lending_store.products(s)):
            raise ValidationError(msg("Mã sản phẩm «{code}» đã có", code=code), field="code")
        r = lending_store.add_product(s, code=code, name=name, **terms_dict(terms), max_amount=max_amount)
        # stored in Vietnamese as every record is («SX12: Cho vay sản xuất, 7,2 %/năm, 12 tháng, tối đa 500000000 đ»);
        # Nhật ký groups the amount (audit_text.plain)
        office_store.audit(s, ctx.user, "product add",
                           f"{code}: {name}, {rate(terms.rate, str(terms.rate_unit))}, {terms.term_months} tháng"
                           + (f", tối đa {max_amount} đ" if max_amount else ""))
        return ProductRow.of(r)
