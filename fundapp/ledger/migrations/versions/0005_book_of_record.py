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

from fundapp.ledger.migrations.frozen import append_only, drop_append_only

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

APPEND_ONLY = ("journal", "closings", "period_reports")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=128), nullable=False),
        sa.Column("roles", sa.String(length=128), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("preview", sa.Text(), nullable=False),
        sa.Column("loan_no", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_by", sa.String(length=64), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('pending', 'confirmed', 'refused', 'failed')",
                           name=op.f("ck_proposals_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposals")),
    )
    op.create_table(
        "closings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("closed_through", sa.Date(), nullable=True),
        sa.Column("by", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint("action IN ('close', 'reopen')", name=op.f("ck_closings_action")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closings")),
    )
    op.create_table(
        "period_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("closing_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["closing_id"], ["closings.id"], name=op.f("fk_period_reports_closing_id_closings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_reports")),
    )
    op.create_table(
        "journal",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
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
