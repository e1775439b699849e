"""The command line's language (issue 16): the book's Settings language, unless FUNDAPP_LANGUAGE says otherwise.

The GUI stores the officer's language in the book (Settings, key ``language``: "vi" or "en"); the command line
follows it for the book ``--db`` names, and ``FUNDAPP_LANGUAGE`` (en/vi) overrides it for one run. Only words
change: JSON keys, CSV headers and table columns are INTERCHANGE.md's in either language.
"""

from __future__ import annotations

from fundapp.i18n import environment_language, set_language

LANGUAGE_KEY = "language"  # services.settings.FundSettings.language, stored as text


def follow_book_file(db: str | None) -> str:
    """Before the book is opened (the parser, --help, argument errors): the language of the SQLite book ``db`` names
    (a ``--db`` value; None: FUNDAPP_DB, then the per-user book), unless FUNDAPP_LANGUAGE is set; made current
    (``fundapp.i18n.set_language``) and returned ("vi" or "en"). A server book, a missing file or a book without the
    setting leaves the current language (FUNDAPP_LANGUAGE's, else Vietnamese)."""
    from fundapp.i18n import language

    if environment_language() is None:
        from fundapp.ledger.peek import stored_setting

        stored = stored_setting(db, LANGUAGE_KEY)
        if stored:
            set_language(stored)
    return language()


def follow_book(ctx) -> str:
    """After the book ``ctx`` is opened (a server book's setting cannot be read before): its language, unless
    FUNDAPP_LANGUAGE is set; made current and returned ("vi" or "en")."""
    from fundapp.i18n import language

    if environment_language() is None:
        from fundapp.ledger import office_store

        with ctx.db.read() as s:
            stored = office_store.setting(s, LANGUAGE_KEY)
        if stored:
            set_language(stored)
    return language()
