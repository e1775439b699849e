"""a book of record (issue 14): users, maker-checker proposals, closed periods with their stored reports, the
workflow's entered dates, and the hash chain (``journal``)

A book of an earlier revision that already holds entries, events and audit records gets its chain started over
them (each kind in id order, ``ledger.journal.start_over_existing``); later records are appended as written.
The journal, the closings and the stored reports are append-only (as entries).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from fundapp.ledger.migrations.frozen import append_only, columns, drop_append_only

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

APPEND_ONLY = ("journal", "closings", "period_reports")


def upgrade() -> None:
    op.create_table(
        "users",
        *columns("id:int name:str64 full_name:str128 roles:str128 password_hash:str255 disabled:bool "
                 "failed_attempts:int locked_until:datetime? created_at:datetime created_by:str64"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "proposals",
        *columns("id:int action:str32 params:text preview:text loan_no:str32 status:str16 proposed_by:str64 "
                 "proposed_at:datetime decided_by:str64 decided_at:datetime? note:text version:int"),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'refused', 'failed')",
                           name=op.f("ck_proposals_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    op.create_table(
        "closings",
        *columns("id:int action:str8 through:date closed_through:date? by:str64 at:datetime reason:text"),
        sa.CheckConstraint("action IN ('close', 'reopen')", name=op.f("ck_closings_action")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closings")),
    )
    op.create_table(
        "period_reports",
        *columns("id:int closing_id:int kind:str32 through:date payload:text"),
        sa.ForeignKeyConstraint(["closing_id"], ["closings.id"], name=op.f("fk_period_reports_closing_id_closings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_reports")),
    )
    op.create_table(
        "journal",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        *columns("kind:str16 record_id:int payload_hash:str64 prev_hash:str64 hash:str64"),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_journal")),
        sa.UniqueConstraint("kind", "record_id", name="uq_journal_record"),
    )
    op.add_column("applications", sa.Column("appraised_on", sa.Date(), nullable=True))
    op.add_column("applications", sa.Column("approved_on", sa.Date(), nullable=True))
    for table in APPEND_ONLY:
        append_only(table)
    from fundapp.ledger.journal import start_over_existing

    start_over_existing(op.get_bind())


def downgrade() -> None:
    for table in APPEND_ONLY:
        drop_append_only(table)
    with op.batch_alter_table("applications") as batch_op:
        batch_op.drop_column("approved_on")
        batch_op.drop_column("appraised_on")
    for table in ("journal", "period_reports", "closings", "proposals", "users"):
        op.drop_table(table)
