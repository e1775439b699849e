"""Alembic environment: runs on the connection fundapp hands over (config.attributes["connection"])."""

from alembic import context

from fundapp.ledger.models import schema

config = context.config
connection = config.attributes.get("connection")


def run() -> None:
    """Run the migrations on the connection fundapp handed over, or (the ``alembic`` command line, development
    only) on a new engine of ``sqlalchemy.url`` in one transaction."""
    if connection is None:  # `alembic` command line on a URL (development only)
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _migrate(conn)
    else:
        _migrate(connection)


def _migrate(conn) -> None:
    context.configure(connection=conn, target_metadata=schema(), render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run()
