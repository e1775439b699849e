"""argparse's own texts in the officer's language: "usage:", "options", "-h, --help", "invalid int value", "the
following arguments are required"… (the reviewer's finding: they were English under Vietnamese help texts).

argparse words its texts through gettext (``from gettext import gettext as _, ngettext``: the module's own ``_``
and ``ngettext``, looked up at each call). Their Vietnamese is a gettext catalogue like ours: the "argparse"
domain, fundapp/locale/vi/LC_MESSAGES/argparse.po (msgids argparse's English, extracted from the running Python's
argparse.py by ``scripts/i18n.py extract``), compiled to argparse.mo with the others and shipped with them.
``install()`` binds argparse's ``_``/``ngettext`` to that domain's translation loaded from our locale folder
(``fundapp.i18n.catalogue``); in English to a ``gettext.NullTranslations`` (argparse's own words). The standard
library ships no Vietnamese catalogue, and ``gettext.bindtextdomain`` would not reach argparse, whose ``_`` is
``gettext.gettext`` of the global domain.
"""

from __future__ import annotations

import argparse
import gettext

DOMAIN = "argparse"  # the gettext domain of argparse's texts (fundapp/locale/<lang>/LC_MESSAGES/argparse.mo)


def translation(language: str) -> gettext.NullTranslations:
    """The translation of argparse's texts into ``language``: the compiled "argparse" catalogue of our locale folder
    for Vietnamese, argparse's own English (a ``NullTranslations``) for "en"."""
    if language == "en":
        return gettext.NullTranslations()
    from fundapp.i18n import catalogue

    return catalogue(DOMAIN, "vi")


def install(language: str | None = None) -> None:
    """Make argparse word its texts in ``language`` (default: the officer's, ``fundapp.i18n.language()``: "en" when
    FUNDAPP_LANGUAGE=en or the book says so, else "vi"): argparse's module-level ``_``/``ngettext`` are pointed at
    ``translation(language)``."""
    from fundapp.i18n import language as officer_language

    chosen = translation(language or officer_language())
    argparse._ = chosen.gettext
    argparse.ngettext = chosen.ngettext


def text(message: str) -> str:
    """argparse's English ``message`` ("show program's version number and exit") in the language ``install`` chose:
    for the texts argparse writes without looking them up (the --version action's help, on Python 3.11)."""
    return argparse._(message)
