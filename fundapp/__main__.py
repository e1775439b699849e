"""``python -m fundapp`` runs the command line (with arguments) or the GUI (without)."""

import sys

from fundapp.cli import main

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a no-op unless frozen: see main.py
    sys.exit(main())
