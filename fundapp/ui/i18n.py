"""Translation: Vietnamese is the source language of every string; English is the second language.

``tr("Khoản vay")`` returns the text in the language chosen in Settings: as written in Vietnamese, or in
English from the compiled gettext catalogue ``fundapp/locale/en/LC_MESSAGES/fundapp.mo`` (domain
``fundapp``), falling back to the Vietnamese where the catalogue has no entry. Qt ships no Vietnamese
catalogue for its own strings (OK, Cancel, file dialogs…), so ``QtStringsTranslator`` serves them from
``fundapp/locale/vi/LC_MESSAGES/qt.mo`` (domain ``qt``, source English). The catalogues are kept with
Babel: ``python scripts/i18n.py`` (README, "Translations"); the .po files are what translators edit.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"  # fundapp/locale, in the package and the installer
DOMAIN = "fundapp"  # the GUI's strings: msgid Vietnamese, one .po per other language
QT_DOMAIN = "qt"  # Qt's own strings: msgid English (Qt's source), Vietnamese in vi/LC_MESSAGES/qt.po

_language = "vi"


def set_language(language: str) -> None:
    """Choose the interface language: ``"en"`` for English, anything else for Vietnamese."""
    global _language
    _language = "en" if language == "en" else "vi"


def language() -> str:
    """``"vi"`` or ``"en"``: the language ``tr()`` answers in."""
    return _language


@cache
def catalogue(domain: str, lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``domain`` in ``lang`` (read once); a pass-through one when there is none."""
    return gettext.translation(domain, LOCALE_DIR, languages=[lang], fallback=True)


def tr(text: str) -> str:
    """The Vietnamese ``text`` in the current language (English from the catalogue, else as is)."""
    if _language == "en" and text:  # gettext("") would answer the catalogue's header
        return catalogue(DOMAIN, "en").gettext(text)
    return text


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
        if _language != "vi" or not source:
            return None
        text = catalogue(QT_DOMAIN, "vi").gettext(source)
        return text if text != source else None  # PySide6: None for a miss, Qt keeps its own text


def install_qt_translator(app: QCoreApplication) -> QtStringsTranslator:
    """Install ``QtStringsTranslator`` on ``app``; returns it (the app owns it)."""
    translator = QtStringsTranslator(app)
    app.installTranslator(translator)
    return translator
