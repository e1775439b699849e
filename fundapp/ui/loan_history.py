"""The loan page's history table: every posted entry with its kind, reference, amount and each repayment's split.

A reversed entry and its reversal stay visible, struck through and grey (DOMAIN.md "Corrections": nothing is
deleted); life events are named by what the engine read of them (``loan_events``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from fundapp.domain.events import entry_kind_label

from .env import UiEnv
from .i18n import tr
from .loan_events import event_amount, event_note, kind_of, reference_of
from .widgets.table_model import Column, RowTableModel, struck_font
from .widgets.table_view import TableView


def _history_style(row: Any) -> tuple[Any, Any]:
    # a reversed entry and its reversal stay visible, struck through and grey: nothing is deleted
    if row.kind == "reversal" or row.reversed_by is not None:
        return struck_font() if row.reversed_by is not None else None, QColor("#777777")
    return None, None


def _split_shown(row: Any, events: Any) -> bool:
    """Whether ``row``'s interest split is shown in the history's interest columns: a repayment in force, not a
    recovery of written-off debt."""
    return row.kind == "repayment" and row.active and kind_of(row, events) != "recovery"


def _history_columns(events=lambda: None) -> list[Column]:
    # ``events()``: the page's LoanEvents (restructurings, reliefs, write-off and recoveries as the engine read them)
    return [
        Column(tr("Ngày"), lambda r: r.on, "date"),
        Column(tr("Loại"), lambda r: tr(entry_kind_label(kind_of(r, events()))), identifies=True),
        Column(tr("Chứng từ"), reference_of),
        Column(tr("Số tiền"), lambda r: event_amount(r, events()), "money"),
        Column(tr("Gốc"), lambda r: r.principal if r.kind == "repayment" and r.active else None, "money"),
        # a recovery's interest is written-off interest of every kind, not in-term: its note says it («thu hồi gốc …,
        # lãi …»), the interest columns stay empty (it stood under «Lãi trong hạn»: an officer's trial)
        Column(tr("Lãi trong hạn"), lambda r: r.interest if _split_shown(r, events()) else None, "money"),
        Column(tr("Lãi quá hạn"), lambda r: r.overdue_interest if _split_shown(r, events()) else None, "money"),
        Column(tr("Lãi chậm trả"), lambda r: r.late_interest if _split_shown(r, events()) else None, "money"),
        Column(tr("Người ghi"), lambda r: r.entered_by),
        # an officer's note, of any length, in the last column: what the window leaves of it, and the whole on hover
        Column(tr("Ghi chú"), lambda r: (tr("Đã hủy") + ". " if r.reversed_by else "")
               + ((event_note(r, events()) or r.note or "") if r.kind != "reversal"
                  else "; ".join(t for t in (event_note(r, events()), r.note) if t)), tips=True),
    ]


def history_table(env: UiEnv, events: Callable[[], Any], parent: QWidget) -> tuple[RowTableModel, TableView]:
    """The history's model and view (rows: ``services.loans.EntryRow``, in the ledger's order, not sortable);
    ``events()`` gives the page's ``LoanEvents`` the life events' columns read."""
    model = RowTableModel(_history_columns(events), parent, row_style=_history_style)
    view = TableView(env.qsettings, "loan_history", sortable=False)  # by date, then as posted: the only sensible order
    view.setModel(model)
    view.set_default_widths([90, 200, 120, 120, 110, 100, 95, 95, 80])  # «Cơ cấu lại thời hạn trả nợ» whole
    view.set_empty_texts(tr("Chưa có giao dịch: khoản vay chưa giải ngân lần nào (nút «Giải ngân…»)."))
    return model, view
