"""one statement-level trigger voids replay checkpoints on PostgreSQL (issue 17)

Migration 0006's trigger on entries ran once per inserted row: most of a server's COPY of an import's entries. An
import turned it off meanwhile with ALTER TABLE … DISABLE TRIGGER, which needs the table's ownership and holds a
SHARE ROW EXCLUSIVE lock on entries until the commit — every other officer's posting, on any loan, waited for the
whole import. On PostgreSQL the trigger now runs once per INSERT or COPY statement over its transition table
(``new_entries``): each touched loan's checkpoints dated on or after the earliest day its new rows void are deleted
in one DELETE. The rule is 0006's, row for row: a new entry voids its loan's checkpoints from the earlier of its own
date and, for a reversal, the reversed entry's date. SQLite has no statement triggers: its row trigger stays.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

ROW_FUNCTION = (  # migration 0006's, restored by the downgrade
    "CREATE OR REPLACE FUNCTION entries_void_checkpoints() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM replay_checkpoints WHERE loan_id = NEW.loan_id AND on_date >= LEAST(NEW.on_date, "
    "COALESCE((SELECT on_date FROM entries WHERE id = NEW.reverses_id), NEW.on_date)); RETURN NULL; END $$")

STATEMENT_FUNCTION = (
    "CREATE OR REPLACE FUNCTION entries_void_checkpoints() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM replay_checkpoints c USING ("
    "SELECT n.loan_id, min(LEAST(n.on_date, COALESCE((SELECT r.on_date FROM entries r WHERE r.id = n.reverses_id), "
    "n.on_date))) AS since FROM new_entries n GROUP BY n.loan_id) v "
    "WHERE c.loan_id = v.loan_id AND c.on_date >= v.since; RETURN NULL; END $$")


def upgrade() -> None:
    _void_trigger(STATEMENT_FUNCTION, "REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT")


def downgrade() -> None:
    _void_trigger(ROW_FUNCTION, "FOR EACH ROW")


def _void_trigger(function: str, firing: str) -> None:
    """PostgreSQL: the entries trigger that voids replay checkpoints, replaced by ``function`` fired ``firing``
    (SQLite keeps migration 0006's row trigger either way)."""
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS entries_void_checkpoints ON entries")
    op.execute(function)
    op.execute(f"CREATE TRIGGER entries_void_checkpoints AFTER INSERT ON entries {firing} "
               "EXECUTE FUNCTION entries_void_checkpoints()")
