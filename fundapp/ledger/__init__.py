"""Storage: SQLAlchemy 2 models, the engine and units of work, Alembic migrations, queries."""
