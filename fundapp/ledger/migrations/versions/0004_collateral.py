"""collateral (tài sản bảo đảm) of applications and loans (placeholder: filled by the issue "The fund's own papers")

Revision ID: 0004
Revises: 0003
"""

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
