"""collateral (tài sản bảo đảm) of applications and loans

``collateral_items`` names one asset pledged for an application (and so for the loan contracted from
it) or directly for a loan (a loan imported without its application). Every fact about the asset —
kind, description, owner, value and valuation date, secured-transaction registration number and
date, status (pledged, released, enforced) — is a row of ``collateral_revisions``: a change is a new
revision, the latest one is in force, and both tables are append-only (history kept, never deleted).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from fundapp.ledger.migrations.frozen import append_only, columns, drop_append_only

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

KINDS = "kind IN ('land', 'house', 'vehicle', 'machinery', 'goods', 'deposit', 'guarantee')"
STATUSES = "status IN ('pledged', 'released', 'enforced')"


def upgrade() -> None:
    op.create_table(
        "collateral_items",
        *columns("id:int application_id:int? loan_id:int? created_by:str64 created_at:datetime"),
        sa.CheckConstraint("application_id IS NOT NULL OR loan_id IS NOT NULL", name=op.f("ck_collateral_items_owner")),
        sa.ForeignKeyConstraint(["application_id"], ["applications.id"],
                                name=op.f("fk_collateral_items_application_id_applications")),
        sa.ForeignKeyConstraint(["loan_id"], ["loans.id"], name=op.f("fk_collateral_items_loan_id_loans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collateral_items")),
    )
    op.create_index("ix_collateral_items_application_id", "collateral_items", ["application_id"])
    op.create_index("ix_collateral_items_loan_id", "collateral_items", ["loan_id"])
    op.create_table(
        "collateral_revisions",
        *columns("id:int item_id:int revision:int kind:str16 description:text owner:str255 value:bigint "
                 "valued_on:date? registration_no:str64 registered_on:date? status:str16 status_on:date? "
                 "note:text entered_by:str64 entered_at:datetime"),
        sa.CheckConstraint(KINDS, name=op.f("ck_collateral_revisions_kind")),
        sa.CheckConstraint(STATUSES, name=op.f("ck_collateral_revisions_status")),
        sa.CheckConstraint("value >= 0", name=op.f("ck_collateral_revisions_value")),
        sa.ForeignKeyConstraint(["item_id"], ["collateral_items.id"],
                                name=op.f("fk_collateral_revisions_item_id_collateral_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collateral_revisions")),
        sa.UniqueConstraint("item_id", "revision", name=op.f("uq_collateral_revisions_item_id")),
    )
    for table in ("collateral_items", "collateral_revisions"):
        append_only(table)


def downgrade() -> None:
    for table in ("collateral_revisions", "collateral_items"):
        drop_append_only(table)
    op.drop_table("collateral_revisions")
    op.drop_index("ix_collateral_items_loan_id", table_name="collateral_items")
    op.drop_index("ix_collateral_items_application_id", table_name="collateral_items")
    op.drop_table("collateral_items")
