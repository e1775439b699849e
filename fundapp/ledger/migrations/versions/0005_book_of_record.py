"""users, rights, proposals, closed periods and the hash chain (placeholder: filled by the issue "A book of record")

Revision ID: 0005
Revises: 0004
"""

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
