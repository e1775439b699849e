"""every borrower's search key made by the one borrower check (issue 13.6)

The import built a borrower's diacritic-free search key (``borrowers.search``) without the representative, the form
with it, so a borrower that came in by import could not be found by its representative's name. Both paths now go
through ``services.borrowers.clean_borrower``; this recomputes the key of every borrower already in the book by the
same rule (``formatting.search_key`` of name, code, tax code, ward, district and representative). The key is a cache
of those columns, not a record: no version is bumped and no journal record covers it. The rule is read from
``formatting`` at upgrade time on purpose (a search key is only useful if it is today's). The downgrade keeps the
keys (they are right for the older program too).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from fundapp.formatting import search_key

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name, code, tax_code, ward, district, representative, search "
                                "FROM borrowers")).all()
    changed = [dict(id=r.id, search=key) for r in rows
               if (key := search_key(r.name, r.code, r.tax_code, r.ward, r.district, r.representative)) != r.search]
    if changed:
        conn.execute(sa.text("UPDATE borrowers SET search = :search WHERE id = :id"), changed)


def downgrade() -> None:
    pass
