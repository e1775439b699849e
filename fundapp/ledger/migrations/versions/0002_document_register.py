"""the register of issued documents: number, kind, loan, date, who and when (issue 10.3)

A document takes its number when it is issued (saved or printed), never when it is previewed; a
reprint of the same document (same kind, subject and date) keeps its number. Numbers are gap-free
per code and year (the counter in ``document_numbers`` is incremented in the same transaction that
writes the register row).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from fundapp.ledger.migrations.frozen import columns

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_register',
        *columns("id:int kind:str16 code:str16 year:int number:int label:str64 subject:str255 loan_no:str64? "
                 "on_date:date issued_by:str64 issued_at:datetime"),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_register')),
        sa.UniqueConstraint('code', 'year', 'number', name='uq_document_register_number'),
        sa.UniqueConstraint('kind', 'subject', 'on_date', name='uq_document_register_document'),
    )
    op.create_index('ix_document_register_year', 'document_register', ['year', 'code', 'number'])


def downgrade() -> None:
    op.drop_index('ix_document_register_year', table_name='document_register')
    op.drop_table('document_register')
