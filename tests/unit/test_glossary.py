"""README's glossary names every term the label tables use (issue 13.4/13.8: one word, one meaning): for each table
the screens, the papers and the command line take their words from — entry kinds, relief kinds, balances, the
quote's figures, a period's figures, the debt groups — each label is written in the Vietnamese column of the
glossary row whose English identifier column names its key. A label reworded in a table, or a table gaining a key,
fails here until the glossary says it too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fundapp.domain.events import ENTRY_KIND_LABELS, RELIEF_LABELS
from fundapp.domain.labels import BALANCE_LABELS, DEBT_GROUP_NAMES, QUOTE_LABELS, REPORT_LABELS

README = Path(__file__).resolve().parents[2] / "README.md"

TABLES = {
    "ENTRY_KIND_LABELS": ENTRY_KIND_LABELS,
    "RELIEF_LABELS": RELIEF_LABELS,
    "BALANCE_LABELS": BALANCE_LABELS,
    "QUOTE_LABELS": QUOTE_LABELS,
    "REPORT_LABELS": REPORT_LABELS,
    "DEBT_GROUP_NAMES": DEBT_GROUP_NAMES,
}


def glossary() -> list[tuple[set[str], str, str]]:
    """The glossary's rows: (the identifiers in backticks of the first column, the Vietnamese column casefolded,
    the DOMAIN.md column)."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("## Glossary"):]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English identifier", "---"):
            continue
        rows.append((set(re.findall(r"`([^`]+)`", cells[0])), cells[1].casefold(), cells[2]))
    return rows


def test_the_glossary_has_its_three_columns_on_every_row():
    rows = glossary()
    assert len(rows) >= 35
    for identifiers, vietnamese, section in rows:
        assert identifiers and vietnamese and section, (identifiers, vietnamese, section)


def missing_labels(table: str, labels: dict, rows: list[tuple[set[str], str, str]]) -> list[tuple[str, str]]:
    """The (key, label) pairs of ``labels`` whose label is not a whole term of the Vietnamese column of a glossary row
    naming the key (a debt group's number: the ``debt_group`` row), compared casefolded."""
    missing = []
    for key, label in labels.items():
        own = [v for ids, v, _ in rows if str(key) in ids or (table == "DEBT_GROUP_NAMES" and "debt_group" in ids)]
        # the whole term, not a piece of a longer one ("gốc quá hạn" is not the term "nợ gốc quá hạn")
        term = re.compile(r"(?:^|[,;:/«(]\s*|\d\s)" + re.escape(label.casefold()) + r"(?=$|[,;/»).]|\s[(/«])")
        if not any(term.search(v) for v in own):
            missing.append((str(key), label))
    return missing


@pytest.mark.parametrize("table", list(TABLES))
def test_every_label_of_the_table_is_on_its_identifiers_glossary_row(table):
    assert not missing_labels(table, TABLES[table], glossary()), f"{table}: labels not on their glossary row"


def test_a_reworded_label_is_caught():
    """The check can fail: the wordings this change removed (the statement's «Trả nợ», the loan page's «Cơ cấu lại
    nợ» and «Gốc quá hạn», the reports page's «Số lần giải ngân») are not on their rows, nor is a key unknown to the
    glossary."""
    rows = glossary()
    assert missing_labels("ENTRY_KIND_LABELS", {"repayment": "Trả nợ", "restructure": "Cơ cấu lại nợ"}, rows) == [
        ("repayment", "Trả nợ"), ("restructure", "Cơ cấu lại nợ")]
    assert missing_labels("BALANCE_LABELS", {"principal_overdue": "Gốc quá hạn"}, rows) == [
        ("principal_overdue", "Gốc quá hạn")]
    assert missing_labels("REPORT_LABELS", {"disbursed_count": "Số lần giải ngân", "penalty": "Thu lãi"}, rows) == [
        ("disbursed_count", "Số lần giải ngân"), ("penalty", "Thu lãi")]
