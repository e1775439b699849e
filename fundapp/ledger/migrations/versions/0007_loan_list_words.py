"""one word, one meaning (issue 13.8): the loan list cache's all-interest figure is ``total_interest``

``loan_state.interest_due`` held all interest owed (in-term, overdue and late: ``Balances.total_interest``,
DOMAIN.md "Balances as of a date t"), while ``interest_due`` elsewhere names the quote's installment interest
due and unpaid. The column is renamed; its figures are unchanged (the cache is rebuilt by a replay anyway).
SQLite (3.25+) and PostgreSQL both rename a column in place.

And an index on entries by date (issue 17): the overview's and reports' flows of a period (``entry_store.flow_sums``)
read that period's entries instead of scanning the book's (100,000 loans: 0.4 s → 0.1 s for the cards).

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE loan_state RENAME COLUMN interest_due TO total_interest")
    op.create_index("ix_entries_date", "entries", ["on_date", "kind", "amount", "loan_id"])


def downgrade() -> None:
    op.drop_index("ix_entries_date", table_name="entries")
    op.execute("ALTER TABLE loan_state RENAME COLUMN total_interest TO interest_due")
