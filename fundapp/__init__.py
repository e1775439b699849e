"""fundapp — the loan desk of a cooperative development support fund."""

__version__ = "0.1.0"

import logging as _logging

# Warnings go to the log file the GUI (or a command) sets up, never raw to the officer's terminal.
_logging.getLogger("fundapp").addHandler(_logging.NullHandler())
