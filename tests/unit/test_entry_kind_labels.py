"""One label per entry kind (issue 13.8): the domain's ``ENTRY_KIND_LABELS`` names every kind the book stores, the
reversal and the recovery; the loan page's history reads it (no table of its own); every label is a catalogue msgid."""

from __future__ import annotations

from types import SimpleNamespace

from fundapp.domain.events import ENTRY_KIND_LABELS, Kind, entry_kind_label


def test_every_entry_kind_has_one_label():
    assert set(ENTRY_KIND_LABELS) == {*(k.value for k in Kind), "reversal", "recovery"}
    assert entry_kind_label("repayment") == "Thu nợ"
    assert entry_kind_label(Kind.RESTRUCTURE) == "Cơ cấu lại thời hạn trả nợ"  # the legal term (README's glossary)
    assert entry_kind_label(Kind.WRITE_OFF) == "Xử lý rủi ro"
    assert entry_kind_label("recovery") == "Thu hồi nợ đã xử lý rủi ro"
    assert entry_kind_label("unknown-kind") == "unknown-kind"
    assert len(set(ENTRY_KIND_LABELS.values())) == len(ENTRY_KIND_LABELS)


def test_the_history_column_and_the_qt_extraction_read_the_domains_table():
    from fundapp.ui import loan_history
    from fundapp.ui.i18n_extract import fed_by

    assert not hasattr(loan_history, "KIND_LABELS")
    kind_column = loan_history._history_columns()[1]
    for kind, label in ENTRY_KIND_LABELS.items():
        if kind != "recovery":  # a recovery is a repayment the engine read as one (kind_of), tested with the page
            assert kind_column.value(SimpleNamespace(kind=kind)) == label
    fed = fed_by()[("loan_history.py", "entry_kind_label(kind_of(r, events()))")]
    assert sorted(fed) == sorted(ENTRY_KIND_LABELS.values())
