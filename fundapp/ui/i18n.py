"""Translation: Vietnamese is the source language of every string; English is the second language.

``tr("Khoản vay")`` returns the text in the language chosen in Settings: as written in Vietnamese, or in
English from the compiled gettext catalogue ``fundapp/locale/en/LC_MESSAGES/fundapp.mo`` (domain
``fundapp``; the language and catalogues are ``fundapp.i18n``'s, shared with the services' messages),
falling back to the Vietnamese where the catalogue has no entry. Qt ships no Vietnamese
catalogue for its own strings (OK, Cancel, file dialogs…), so ``QtStringsTranslator`` serves them from
``fundapp/locale/vi/LC_MESSAGES/qt.mo`` (domain ``qt``, source English). The catalogues are kept with
Babel: ``python scripts/i18n.py`` (README, "Translations"); the .po files are what translators edit.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from fundapp.i18n import DOMAIN, LOCALE_DIR, catalogue, language, set_language  # noqa: F401  (the one language)
from fundapp.i18n import translate as _translate

QT_DOMAIN = "qt"  # Qt's own strings: msgid English (Qt's source), Vietnamese in vi/LC_MESSAGES/qt.po


def tr(text: str) -> str:
    """The Vietnamese ``text`` in the current language (English from the catalogue, else as is)."""
    return _translate(text)


def english_pairs() -> dict[str, str]:
    """Every (Vietnamese → English) pair of the compiled English catalogue, accelerators as written."""
    from babel.messages.mofile import read_mo

    path = LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return {m.id: m.string for m in read_mo(f) if m.id and m.string}


class QtStringsTranslator(QTranslator):
    """Serves Qt's own button and dialog texts in Vietnamese (from the ``qt`` catalogue); nothing in English."""

    def translate(self, context, source, disambiguation=None, n=-1):
        if language() != "vi" or not source:
            return None
        text = catalogue(QT_DOMAIN, "vi").gettext(source)
        return text if text != source else None  # PySide6: None for a miss, Qt keeps its own text


def install_qt_translator(app: QCoreApplication) -> QtStringsTranslator:
    """Install ``QtStringsTranslator`` on ``app``; returns it (the app owns it)."""
    translator = QtStringsTranslator(app)
    app.installTranslator(translator)
    return translator
