"""The loan page's life events: the box showing restructurings, the watch (and why the group is what it is),
reliefs and the off-balance figures, and how an event entry reads in the history. Values come from
``services.event_previews.loan_events``; nothing is computed here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from fundapp.domain.event_words import described, effect, figure, shown_kind
from fundapp.domain.events import relief_label
from fundapp.formatting import short_date, vnd

from .i18n import tr


def _result(row: Any, events: Any) -> object:
    """The engine's record of a history row's life event or recovery: the page's ``LoanEvents`` for an entry in
    force, else what the service kept on the row (a reversed entry's as the book read it before its reversal, a
    reversal's that of the entry it cancels)."""
    if events is not None and row.kind != "reversal" and getattr(row, "reversed_by", None) is None \
            and row.id in events.results:
        return events.results[row.id]
    return getattr(row, "result", None)


def kind_of(row: Any, events: Any) -> str:
    """The history's kind of ``row``: "recovery" for a repayment the engine took as a recovery."""
    return shown_kind(row.kind, _result(row, events)) if row.kind == "repayment" else row.kind


def event_note(row: Any, events: Any) -> str:
    """What a life event did, in the history's note column (its reason first); a reversal's says what it undid."""
    result = _result(row, events)
    parts = []
    words = effect(result)
    if row.kind == "reversal" and getattr(row, "reverses_kind", ""):
        parts.append(str(described(row.reverses_kind, row.amount, result)))  # the «Loại» column says «Hủy bút toán»
    elif words is not None:
        parts.append(str(words))
    if getattr(row, "reason", ""):
        parts.append(row.reason)
    return "; ".join(parts)


def event_amount(row: Any, events: Any) -> int | None:
    """The amount shown for a row: what the entry moved (``event_words.figure``: a write-off's total taken
    off-balance, none for a restructuring, else the entry's amount); a reversal's, that of the entry it cancels."""
    kind = row.kind
    if kind == "reversal":
        kind = getattr(row, "reverses_kind", "") or kind
    return figure(kind, row.amount, _result(row, events))


def reference_of(row: Any) -> str:
    """The history's «Chứng từ» of ``row``: its reference; a reversal's names the entry it cancels («↶ QĐ-XL-0003»),
    never an internal id."""
    if row.kind == "reversal":
        return f"↶ {getattr(row, 'reverses_reference', '')}".rstrip() if getattr(row, "reverses_reference", "") else "↶"
    return row.reference or ""


class EventsBox(QGroupBox):
    """Restructurings, the watch and why the group is what it is, reliefs, write-off and off-balance figures;
    hidden for a loan without any."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Cơ cấu lại, miễn giảm lãi, xử lý rủi ro"), parent)
        self.text = QLabel()
        self.text.setObjectName("events_text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self).addWidget(self.text)
        self.hide()

    def show_events(self, e: Any) -> None:
        """Show ``e`` (a ``LoanEvents``, or None): hidden when the loan has no life event."""
        if e is None or not e.has_events:
            self.text.clear()
            self.hide()
            return
        lines = []
        done = []
        if e.restructurings:
            done.append(tr("đã cơ cấu lại một lần") if e.restructurings == 1
                        else tr("đã cơ cấu lại {n} lần").format(n=e.restructurings))  # "once", "{n} times"
        relieved = [(tr(relief_label(k)), v) for k, v in e.relieved.items() if v]
        if relieved:
            done.append(tr("đã miễn, giảm {items}").format(items=", ".join(f"{k} {vnd(v)}" for k, v in relieved)))
        if done:
            text = "; ".join(done)
            lines.append(text[:1].upper() + text[1:] + ".")
        if e.watch_since is not None:
            holds = []
            if e.watch_restructured and e.restructurings:
                holds.append(tr("cơ cấu lại lần {r}: Thông tư 14/2024, Điều 5").format(r=e.restructurings))
            if e.watch_relieved:
                holds.append(tr("miễn, giảm lãi: ít nhất nhóm 3"))
            lines.append(tr("<b>Đang theo dõi</b> từ {since} ({holds}): nhóm {g}; theo số ngày quá hạn ({d}) là nhóm "
                            "{gd}.").format(since=short_date(e.watch_since), holds="; ".join(holds), g=e.debt_group,
                                            d=e.days_past_due, gd=e.group_by_days))
            lines.append(tr("Hết theo dõi sớm nhất cuối ngày {end}: đủ {n} ngày liên tục không quá hạn và kỳ {due} trả "
                            "đủ đúng hạn.").format(due=short_date(e.watch_first_due), n=e.watch_days,
                                                   end=short_date(e.watch_earliest_end)))
        elif done:
            lines.append(tr("Đã hết thời gian theo dõi: nhóm nợ theo số ngày quá hạn."))
        if e.written_off_on is not None:
            lines.append(tr("<b>Đã xử lý rủi ro (xóa nợ) ngày {on}</b>: gốc {p}, lãi {i}.").format(
                on=short_date(e.written_off_on), p=vnd(e.written_off_principal), i=vnd(e.written_off_interest)))
            lines.append(tr("Còn theo dõi ngoại bảng: gốc <b>{p}</b>, lãi <b>{i}</b>; đã thu hồi: gốc {rp}, lãi {ri}.")
                         .format(p=vnd(e.off_principal), i=vnd(e.off_interest), rp=vnd(e.recovered_principal),
                                 ri=vnd(e.recovered_interest)))
        self.text.setText("<br>".join(lines))
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * len(lines) + 4)
        self.show()
