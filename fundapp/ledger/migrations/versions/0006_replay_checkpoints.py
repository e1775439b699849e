"""per-loan replay checkpoints (issue 17): the engine's state of a loan at the end of a day, so figures as of a
later day replay only the later entries

A checkpoint holds what the entries in force dated on or before ``on_date`` made of the loan, under one engine
(``engine``: the format and the engine's version stamp) and one watch length (``watch_days``). It is a cache:
the triggers below delete a loan's checkpoints that an inserted entry makes stale (an entry dated on or before
them, or a reversal of one) and all of them when the loan's terms change, in the writing transaction itself;
any checkpoint may be deleted at any time and is rebuilt by a replay.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

TERMS = "amount, rate, rate_unit, term_months, frequency_months, method, grace_periods, overdue_factor, " \
        "late_interest_rate"


def upgrade() -> None:
    op.create_table(
        "replay_checkpoints",
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("engine", sa.String(length=40), nullable=False),
        sa.Column("watch_days", sa.Integer(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loans.id"], name=op.f("fk_replay_checkpoints_loan_id_loans")),
        sa.PrimaryKeyConstraint("loan_id", "on_date", name=op.f("pk_replay_checkpoints")),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER entries_void_checkpoints AFTER INSERT ON entries "
            "WHEN EXISTS (SELECT 1 FROM replay_checkpoints WHERE loan_id = NEW.loan_id) BEGIN "
            "DELETE FROM replay_checkpoints WHERE loan_id = NEW.loan_id AND on_date >= min(NEW.on_date, "
            "coalesce((SELECT on_date FROM entries WHERE id = NEW.reverses_id), NEW.on_date)); END")
        op.execute(
            f"CREATE TRIGGER loans_void_checkpoints AFTER UPDATE OF {TERMS} ON loans BEGIN "
            "DELETE FROM replay_checkpoints WHERE loan_id = NEW.id; END")
    else:
        op.execute(
            "CREATE FUNCTION entries_void_checkpoints() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "DELETE FROM replay_checkpoints WHERE loan_id = NEW.loan_id AND on_date >= LEAST(NEW.on_date, "
            "COALESCE((SELECT on_date FROM entries WHERE id = NEW.reverses_id), NEW.on_date)); RETURN NULL; END $$")
        op.execute("CREATE TRIGGER entries_void_checkpoints AFTER INSERT ON entries "
                   "FOR EACH ROW EXECUTE FUNCTION entries_void_checkpoints()")
        op.execute(
            "CREATE FUNCTION loans_void_checkpoints() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "DELETE FROM replay_checkpoints WHERE loan_id = NEW.id; RETURN NULL; END $$")
        op.execute(f"CREATE TRIGGER loans_void_checkpoints AFTER UPDATE OF {TERMS} ON loans "
                   "FOR EACH ROW EXECUTE FUNCTION loans_void_checkpoints()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS entries_void_checkpoints")
        op.execute("DROP TRIGGER IF EXISTS loans_void_checkpoints")
    else:
        op.execute("DROP TRIGGER IF EXISTS entries_void_checkpoints ON entries")
        op.execute("DROP FUNCTION IF EXISTS entries_void_checkpoints()")
        op.execute("DROP TRIGGER IF EXISTS loans_void_checkpoints ON loans")
        op.execute("DROP FUNCTION IF EXISTS loans_void_checkpoints()")
    op.drop_table("replay_checkpoints")
