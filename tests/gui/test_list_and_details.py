"""The list-over-details splitter of the applications and borrowers pages keeps the divider where the officer
left it (widgets.flow.ListAndDetails)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from fundapp.ui.widgets.flow import ListAndDetails


def _shown(qtbot, qsettings) -> ListAndDetails:
    splitter = ListAndDetails(qsettings, "borrowers", QLabel("list"), QLabel("details"), (450, 200))
    qtbot.addWidget(splitter)
    splitter.resize(300, 656)
    splitter.show()
    return splitter


def test_the_divider_starts_at_its_sizes_then_where_it_was_left(qtbot, qsettings):
    first = _shown(qtbot, qsettings)
    top, bottom = first.sizes()
    assert top > 2 * bottom > 0  # 450 : 200 before anything is kept
    first.setSizes([250, 400])
    kept = first.sizes()
    first.save()
    assert qsettings.value("borrowers/splitter") is not None
    again = _shown(qtbot, qsettings)
    assert again.sizes() == kept and kept[0] < kept[1]
