"""Pure loan arithmetic of the fund (DOMAIN.md): no Qt, no SQLAlchemy, no I/O."""
