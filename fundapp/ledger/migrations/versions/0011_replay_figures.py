"""per-loan figures at past quarter ends beside the replay checkpoints (issue 17): what a report of a past quarter
reads of a loan that had no entry since its last checkpoint

The import keeps a loan's whole state (``replay_checkpoints``) at a quarter's end only when it had an entry since
its last one; at the others, and once after it is settled, it keeps the loan's figures only (balances, flow totals),
all of a loan's in one row dated the last of them (``services.checkpoints.encode_run``). A table of their own:
the reads that start a replay (the last checkpoint of each loan before a day) never scan them (a trial's 439,295
rows of figures in the checkpoints' table made the 100,000-loan book's first ``balances --as-of`` ~0.3 s slower).
Also a cache: the triggers that void a loan's checkpoints void its figures by the same rule (an entry dated on or
before them or a reversal of one, a change of its terms), in the writing transaction.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

TERMS = "amount, rate, rate_unit, term_months, frequency_months, method, grace_periods, overdue_factor, " \
        "late_interest_rate"
_SINCE = "min(NEW.on_date, coalesce((SELECT on_date FROM entries WHERE id = NEW.reverses_id), NEW.on_date))"


def _sqlite_triggers(tables: tuple[str, ...]) -> None:
    """SQLite's row triggers (migration 0006's rule) voiding the rows of ``tables``."""
    op.execute("DROP TRIGGER IF EXISTS entries_void_checkpoints")
    op.execute("DROP TRIGGER IF EXISTS loans_void_checkpoints")
    held = " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE loan_id = NEW.loan_id)" for t in tables)
    deletes = " ".join(f"DELETE FROM {t} WHERE loan_id = NEW.loan_id AND on_date >= {_SINCE};" for t in tables)
    op.execute(f"CREATE TRIGGER entries_void_checkpoints AFTER INSERT ON entries WHEN {held} BEGIN {deletes} END")
    op.execute(f"CREATE TRIGGER loans_void_checkpoints AFTER UPDATE OF {TERMS} ON loans BEGIN "
               + " ".join(f"DELETE FROM {t} WHERE loan_id = NEW.id;" for t in tables) + " END")


def _postgresql_functions(tables: tuple[str, ...]) -> None:
    """PostgreSQL's trigger functions (migration 0008's statement rule, 0006's for terms) voiding the rows of
    ``tables``; the triggers calling them stay."""
    voided = ("SELECT n.loan_id, min(LEAST(n.on_date, COALESCE((SELECT r.on_date FROM entries r "
              "WHERE r.id = n.reverses_id), n.on_date))) AS since FROM new_entries n GROUP BY n.loan_id")
    rule = "USING v WHERE c.loan_id = v.loan_id AND c.on_date >= v.since"
    # the inserted entries grouped once for every table (a data-modifying WITH: one statement, one snapshot)
    earlier = [f"gone_{i} AS (DELETE FROM {t} c {rule})" for i, t in enumerate(tables[:-1])]
    deletes = f"WITH {', '.join([f'v AS ({voided})', *earlier])} DELETE FROM {tables[-1]} c {rule};"
    op.execute("CREATE OR REPLACE FUNCTION entries_void_checkpoints() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               f"{deletes} RETURN NULL; END $$")
    op.execute("CREATE OR REPLACE FUNCTION loans_void_checkpoints() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               + " ".join(f"DELETE FROM {t} WHERE loan_id = NEW.id;" for t in tables) + " RETURN NULL; END $$")


def upgrade() -> None:
    op.create_table(
        "replay_figures",
        sa.Column("loan_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("engine", sa.String(length=40), nullable=False),
        sa.Column("watch_days", sa.Integer(), nullable=False),
        sa.Column("figures", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["loan_id"], ["loans.id"], name=op.f("fk_replay_figures_loan_id_loans")),
        sa.PrimaryKeyConstraint("loan_id", "on_date", name=op.f("pk_replay_figures")),
    )
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers(("replay_checkpoints", "replay_figures"))
    else:
        _postgresql_functions(("replay_checkpoints", "replay_figures"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers(("replay_checkpoints",))
    else:
        _postgresql_functions(("replay_checkpoints",))
    op.drop_table("replay_figures")
