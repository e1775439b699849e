"""fundapp — the loan desk of a cooperative development support fund."""

__version__ = "0.1.0"
