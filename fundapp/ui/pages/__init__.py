"""The pages of the main window: each module defines ``Page(env, parent)`` with ``refresh()``."""
