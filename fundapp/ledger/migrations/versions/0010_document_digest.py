"""one number, one content: the register keeps a digest of what each issued paper states

A reprint of a document (same kind, subject and date) kept its number whatever it stated: a statement at 31/12/2024
numbered «06/SK-…» with 465.136.551 đ outstanding was issued again after a repayment with 463.136.551 đ under the
same number (an officer's trial). ``document_register.digest`` holds the SHA-256 of the paper's model
(``services.document_register.paper_digest``); a reprint keeps its number only when the digests are equal, and the
document's uniqueness becomes (kind, subject, date, digest): one row per content. Rows issued before have no digest
(NULL, distinct from every digest): they cannot be compared, so their document issued again takes a new number.
The downgrade drops the column and, keeping the older rule's key unique, the rows a changed content added (their
numbers stay used up in ``document_numbers``).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document_register') as batch:
        batch.add_column(sa.Column('digest', sa.String(length=64), nullable=True))
        batch.drop_constraint('uq_document_register_document', type_='unique')
        batch.create_unique_constraint('uq_document_register_document', ['kind', 'subject', 'on_date', 'digest'])


def downgrade() -> None:
    op.execute("DELETE FROM document_register WHERE id NOT IN (SELECT min(id) FROM document_register "
               "GROUP BY kind, subject, on_date)")
    with op.batch_alter_table('document_register') as batch:
        batch.drop_constraint('uq_document_register_document', type_='unique')
        batch.create_unique_constraint('uq_document_register_document', ['kind', 'subject', 'on_date'])
        batch.drop_column('digest')
