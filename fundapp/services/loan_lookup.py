"""The refusal of a loan number the book does not have, one wording for every service that looks a loan up by its
number, with the number the book has when only the letters' case differs («hd2022-002» for «HD2022-002»)."""

from __future__ import annotations

from fundapp.domain.messages import msg
from fundapp.ledger import lending_store

from .errors import NotFound


def missing_loan(s, loan_no: str) -> NotFound:
    """``NotFound`` for ``loan_no`` (no loan of the book has it), read inside unit of work ``s``: «Không có khoản vay số
    «hd2022-002» trong sổ; có phải «HD2022-002»?» when a loan's number differs from it by case only (a new officer's
    trial: the loan filter of Nhật ký takes «hd…», the command line refused it without a hint), else «Không có khoản
    vay số «…» trong sổ»."""
    near = lending_store.loan_no_ignoring_case(s, loan_no) if loan_no else None
    if near is not None:
        return NotFound(msg("Không có khoản vay số «{loan_no}» trong sổ; có phải «{near}»?", loan_no=loan_no,
                            near=near))
    return NotFound(msg("Không có khoản vay số «{loan_no}» trong sổ", loan_no=loan_no))
