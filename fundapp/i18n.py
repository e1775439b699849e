"""The officer's language and the gettext catalogues, for every layer above the domain (no Qt here).

Vietnamese is the source language: a message's template is its msgid (``fundapp.domain.messages``), and
``fundapp/locale/en/LC_MESSAGES/fundapp.mo`` (domain ``fundapp``) holds the English. ``set_language`` is
called by the GUI at start (Settings' language) and by the command line (the book's setting, which
``FUNDAPP_LANGUAGE`` overrides: ``environment_language``); ``render(message)`` gives the text in that language, ``render(message, "en")`` the English
the log keeps. A template missing from the catalogue falls back to the Vietnamese.
"""

from __future__ import annotations

import gettext as _gettext
import os
from functools import cache
from pathlib import Path

from fundapp.domain.messages import Message, as_message, register_english

LOCALE_DIR = Path(__file__).resolve().parent / "locale"  # fundapp/locale, in the package and the installer
DOMAIN = "fundapp"  # msgid Vietnamese, one .po per other language


def environment_language() -> str | None:
    """The language FUNDAPP_LANGUAGE asks for ("en" for any value starting "en", "vi" for any other value), or None
    when it is unset or empty: then the command line follows the book's setting."""
    value = os.environ.get("FUNDAPP_LANGUAGE", "").strip().lower()
    return None if not value else ("en" if value.startswith("en") else "vi")


_language = environment_language() or "vi"


def set_language(language: str) -> None:
    """Choose the officer's language: ``"en"`` for English, anything else for Vietnamese."""
    global _language
    _language = "en" if language == "en" else "vi"


def language() -> str:
    """``"vi"`` or ``"en"``: the language messages are shown in."""
    return _language


@cache
def catalogue(domain: str, lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``domain`` in ``lang`` (read once); a pass-through one when there is none."""
    return _gettext.translation(domain, LOCALE_DIR, languages=[lang], fallback=True)


def translate(text: str, lang: str | None = None) -> str:
    """The Vietnamese ``text`` (a msgid) in ``lang`` (default: the current language); as is when untranslated."""
    if (lang or _language) == "en" and text:  # gettext("") would answer the catalogue's header
        return catalogue(DOMAIN, "en").gettext(text)
    return text


def render(message: Message | str, lang: str | None = None) -> str:
    """``message`` (a ``Message``, or a str taken as a msgid) as text in ``lang`` (default: the current
    language): the template from the catalogue, its fields filled, nested messages in the same language."""
    lang = lang or _language
    return as_message(message).render(_english_lookup if lang == "en" else None)


def _english_lookup(text: str) -> str:
    return translate(text, "en")


register_english(lambda message: render(message, "en"), render)  # DomainError.en and str(message), from here
