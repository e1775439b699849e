"""life events: restructuring, interest relief, write-off, opening balances (DOMAIN.md "Life events")

Each event is an entry of the loan (the ``entries`` table: its date, the decision number as
``reference``, who and when), with four new kinds; its parameters (extend_months, grace_periods,
relief_of, the opening's figures) and its reason live in the companion table ``entry_events``
keyed by the entry. A relief's amount and an opening's ``disbursed`` are the entry's ``amount``;
a restructuring, a write-off (and the reversal of either) carry amount 0. Both tables are
append-only: an event is cancelled by the usual reversal entry.

SQLite cannot alter a CHECK constraint, and the usual copy-and-rename of ``entries`` is refused
while foreign keys are on (the reversal rows point at the table being dropped; the pragma cannot
be switched inside the migration's transaction). SQLite's documentation ("ALTER TABLE", section
"Making Other Kinds Of Table Schema Changes") allows editing the stored CREATE TABLE text for
changes that leave every stored row valid, such as widening a CHECK constraint: done here, with
the schema version bumped so that every connection rereads the schema.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from fundapp.ledger.migrations.frozen import append_only, columns, drop_append_only

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OLD_KIND = "kind IN ('disbursement', 'repayment', 'reversal')"
NEW_KIND = ("kind IN ('disbursement', 'repayment', 'reversal', 'opening', 'restructure', 'interest_relief', "
            "'write_off')")
OLD_AMOUNT = "CHECK (amount > 0)"
NEW_AMOUNT = "CHECK (amount > 0 OR (amount = 0 AND kind IN ('restructure', 'write_off', 'reversal')))"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_edit_checks(bind, ((OLD_KIND, NEW_KIND), (OLD_AMOUNT, NEW_AMOUNT)))
    else:
        _postgres_checks(NEW_KIND, NEW_AMOUNT)
    op.create_table(
        "entry_events",
        *columns("entry_id:int reason:text extend_months:int? grace_periods:int? relief_of:str24? "
                 "first_disbursement_date:date? principal_outstanding:bigint? principal_overdue:bigint? "
                 "oldest_overdue_date:date? interest_due_unpaid:bigint? interest_accrued:bigint? "
                 "overdue_interest:bigint? late_interest:bigint? restructurings:int?"),
        sa.CheckConstraint("relief_of IS NULL OR relief_of IN ('late_interest', 'overdue_interest', 'interest')",
                           name=op.f("ck_entry_events_relief_of")),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], name=op.f("fk_entry_events_entry_id_entries")),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_entry_events")),
    )
    append_only("entry_events")
    # the day from which a loan's figures are all 0 and group 1 for good (settled, no watch can hold after it):
    # balances as of a later day skip it. A written-off or watched loan has none.
    with op.batch_alter_table("loan_state") as batch_op:
        batch_op.add_column(sa.Column("quiet_from", sa.Date(), nullable=True))


def _postgres_checks(kind: str, amount: str) -> None:
    op.execute("ALTER TABLE entries DROP CONSTRAINT ck_entries_kind")
    op.execute(f"ALTER TABLE entries ADD CONSTRAINT ck_entries_kind CHECK ({kind})")
    op.execute("ALTER TABLE entries DROP CONSTRAINT ck_entries_amount_positive")
    op.execute(f"ALTER TABLE entries ADD CONSTRAINT ck_entries_amount_positive {amount}")


def _sqlite_edit_checks(bind, edits) -> None:
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'").scalar()
    for old, new in edits:
        if old not in sql:
            raise RuntimeError(f"entries: constraint {old!r} not found in {sql!r}")
        sql = sql.replace(old, new)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'entries'", (sql,))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    bind.exec_driver_sql("PRAGMA integrity_check")


def downgrade() -> None:
    drop_append_only("entry_events")
    op.drop_table("entry_events")
    with op.batch_alter_table("loan_state") as batch_op:
        batch_op.drop_column("quiet_from")
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_edit_checks(bind, ((NEW_KIND, OLD_KIND), (NEW_AMOUNT, OLD_AMOUNT)))
    else:
        _postgres_checks(OLD_KIND, OLD_AMOUNT)
