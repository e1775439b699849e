"""Records the papers share with the domain and the pages, declared once (issue 13): the borrower as a page lists it
is the borrower a paper prints, and a notice's arrears line carries the engine's own quote, not a copy of its
fields. Figures are checked against the domain's replay of the golden CSV files."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from fundapp.domain.borrowers import BorrowerInfo
from fundapp.domain.replay import quote
from fundapp.services.borrowers import list_borrowers
from fundapp.services.documents import borrower_info, due_notices
from tests.golden import sample_loans

ON = date(2024, 12, 31)


def test_a_borrower_is_one_record_on_the_page_and_on_paper(sample_ctx):
    row = next(r for r in list_borrowers(sample_ctx) if r.code == "KH0001")
    paper = borrower_info(sample_ctx, row.id)
    assert isinstance(row, BorrowerInfo) and type(paper) is BorrowerInfo
    assert paper == BorrowerInfo(**{f.name: getattr(row, f.name) for f in fields(BorrowerInfo)})
    assert (paper.name, paper.kind_label, paper.tax_code, paper.full_address) == (
        "Hợp tác xã lợn Tân Lập", "Hợp tác xã", "3219722233", "Xã Gio Linh, Huyện Gio Linh, Tỉnh Quảng Trị")
    assert (row.kind_label, row.full_address, row.members) == (paper.kind_label, paper.full_address, 55)


def test_a_notices_arrears_are_the_engines_quote(sample_ctx):
    loans = {x.loan_no: x for x in sample_loans()}
    notices = due_notices(sample_ctx, 2024, 12, on=ON)
    lines = [(n, a) for n in notices for a in n.arrears]
    assert lines, "the sample book has loans in arrears on 31/12/2024"
    for _, a in lines:
        loan = loans[a.loan_no]
        assert a.quote == quote(loan.terms, loan.transactions, ON), a.loan_no
        assert a.quote.due_now > 0
    for n in notices:
        later = sum(i.installment.total for i in n.items if not n.arrears or i.installment.due_on > ON)
        assert n.total == sum(a.quote.due_now for a in n.arrears) + later == n.not_yet_due + sum(
            quote(loans[a.loan_no].terms, loans[a.loan_no].transactions, ON).due_now for a in n.arrears)
