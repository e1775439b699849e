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

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_register',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('loan_no', sa.String(length=64), nullable=True),
        sa.Column('on_date', sa.Date(), nullable=False),
        sa.Column('issued_by', sa.String(length=64), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_register')),
        sa.UniqueConstraint('code', 'year', 'number', name='uq_document_register_number'),
        sa.UniqueConstraint('kind', 'subject', 'on_date', name='uq_document_register_document'),
    )
    op.create_index('ix_document_register_year', 'document_register', ['year', 'code', 'number'])


def downgrade() -> None:
    op.drop_index('ix_document_register_year', table_name='document_register')
    op.drop_table('document_register')
