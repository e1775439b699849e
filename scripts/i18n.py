"""Extract, update and compile fundapp's gettext catalogues with Babel (README, "Translations").

    python scripts/i18n.py extract    # fundapp/ → fundapp/locale/fundapp.pot (pybabel extract, pyproject's [tool.babel]);
                                      # the running Python's argparse.py → fundapp/locale/argparse.pot
    python scripts/i18n.py update     # the .pot's new strings into every <lang>/LC_MESSAGES/fundapp.po (untranslated)
    python scripts/i18n.py compile    # every .po → .mo beside it (fundapp and qt domains), what the program reads
    python scripts/i18n.py all        # the three in turn
    python scripts/i18n.py missing    # list the English catalogue's untranslated or fuzzy strings; exit 1 if any

Vietnamese is the source language (the msgids); fundapp/locale/en/LC_MESSAGES/fundapp.po holds the English.
Qt's own button and dialog texts (source English) have their Vietnamese in fundapp/locale/vi/LC_MESSAGES/qt.po,
whose template fundapp/locale/qt.pot is kept by hand (Qt's strings are not in our source): `update` merges it too.
argparse's own texts ("usage: ", "the following arguments are required: %s"…, source English) have their Vietnamese
in fundapp/locale/vi/LC_MESSAGES/argparse.po (gettext domain "argparse", the one argparse's texts belong to); its
template fundapp/locale/argparse.pot is extracted from the standard library's argparse.py of the Python running
this script (`_()` and `ngettext()` calls, plus the few texts argparse writes without looking them up), so a Python
upgrade that rewords one shows up as a new untranslated string and an obsolete one.
A string removed from the source stays in the .po as an obsolete `#~` entry, which is not compiled.
Run from anywhere; the commands run in the repository's root. Needs the project installed (`pip install -e .`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "fundapp" / "locale"
DOMAINS = ("fundapp", "qt", "argparse")  # ours (source Vietnamese); Qt's and argparse's own strings (source English)
# argparse's texts it writes without _() on some Python versions (3.11's --version help): looked up by cli/argparse_vi
ARGPARSE_UNWRAPPED = ("show program's version number and exit",)


def _pybabel(*args: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # extraction imports the GUI's tables
    os.chdir(ROOT)  # pyproject.toml's [tool.babel] is read from the working directory
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    """fundapp/ (the GUI's tr() and every msg()/N_() of the services, domain, ledger…) → fundapp/locale/fundapp.pot,
    with the mappings and keywords of pyproject.toml; argparse's texts → fundapp/locale/argparse.pot."""
    _pybabel("extract", "fundapp")
    with (LOCALE / "argparse.pot").open("wb") as f:
        write_po(f, argparse_template(), width=120, omit_header=False, sort_output=True)


def argparse_template():
    """The "argparse" domain's template: every ``_()``/``ngettext()`` text of the running Python's argparse.py (as
    ``pybabel extract`` reads it: Babel's Python extractor, keywords ``_`` and ``ngettext``) and the texts of
    ``ARGPARSE_UNWRAPPED`` found in that file; a Babel ``Catalog`` without locations (they change with every
    Python release)."""
    import argparse

    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_python

    catalog = Catalog(project="argparse (Python standard library)", charset="utf-8")
    source = Path(argparse.__file__)
    with source.open("rb") as f:
        for _line, _func, message, _comments in extract_python(f, {"_": None, "ngettext": (1, 2)}, (), {}):
            if isinstance(message, tuple):
                message = tuple(m for m in message if m)
            if message:
                catalog.add(message)
    text = source.read_text(encoding="utf-8")
    for message in ARGPARSE_UNWRAPPED:
        if message not in catalog and (f'"{message}"' in text or f"'{message}'" in text):
            catalog.add(message)
    return catalog


def update() -> None:
    """Merge each domain's .pot into its .po files, as ``pybabel update -D <domain> --no-fuzzy-matching`` does
    (new strings untranslated, removed ones obsolete ``#~``), except that a string coming back into the
    source takes its obsolete translation again instead of starting untranslated."""
    for domain in DOMAINS:
        with (LOCALE / f"{domain}.pot").open("rb") as f:
            template = read_po(f)
        for po in sorted(LOCALE.glob(f"*/LC_MESSAGES/{domain}.po")):
            with po.open("rb") as f:
                catalog = read_po(f, locale=po.parts[-3], domain=domain)
            revived = 0
            for message in template:
                old = catalog.obsolete.pop(message.id, None) if message.id and message.id not in catalog else None
                if old is not None:
                    catalog[message.id] = old
                    revived += 1
            catalog.update(template, no_fuzzy_matching=True)
            with po.open("wb") as f:
                write_po(f, catalog, width=120, include_previous=False)
            new = sum(1 for m in catalog if m.id and not m.string)
            print(f"{po.relative_to(ROOT)}: {len(catalog)} strings, {new} untranslated, {revived} revived, "
                  f"{len(catalog.obsolete)} obsolete")


def compile_all() -> None:
    """Every fundapp/locale/<lang>/LC_MESSAGES/<domain>.po → .mo beside it (untranslated and fuzzy entries left
    out), as ``pybabel compile -D <domain> -d fundapp/locale`` writes it.

    Babel's compile also checks printf placeholders and takes the "% d" of "(% dư nợ gốc)" for one (Python's
    "% d" is a space-flagged integer), so it reports 2 false errors; the .mo is the same. The catalogue test
    checks the placeholders this program really uses ({name}, &, %s, %d, %(name)s).
    """
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parts[-3], domain=po.stem)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)
        done = sum(1 for m in catalog if m.id and m.string and not m.fuzzy)
        print(f"{po.relative_to(ROOT)} → {po.with_suffix('.mo').name}: {done} of {len(catalog)} translated")


def missing() -> int:
    """Print each untranslated or fuzzy string of every .po; the number of them."""
    count = 0
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if message.id and (not message.string or message.fuzzy):
                count += 1
                where = ", ".join(f"{file}:{line}" for file, line in message.locations)
                print(f"{po.relative_to(ROOT)}: {message.id!r} ({where})")
    return count


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "all"
    if command in ("extract", "all"):
        extract()
    if command in ("update", "all"):
        update()
    if command in ("compile", "all"):
        compile_all()
    if command == "missing":
        return 1 if missing() else 0
    if command not in ("extract", "update", "compile", "all", "missing"):
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
