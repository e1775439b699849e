"""One word, one meaning (issue 13.8): each kind of interest a relief forgives (DOMAIN.md "Interest relief on day
t") carries one label, the domain's ``RELIEF_LABELS`` (README's glossary: lãi chậm trả, lãi quá hạn, lãi đến hạn
chưa trả), on the loan page's history and events box, in the relief dialog's choice and preview, on the relief
decision and the statement's events, in the quarterly report's list of events and in the command line's
confirmation and refusals — in English too, from the one catalogue entry. Before, ``interest`` read "lãi đến hạn",
"lãi trong hạn", "lãi trong hạn đến hạn" or "lãi trong hạn đến hạn chưa trả" depending on where it was shown."""

from __future__ import annotations

import io
import re
from datetime import date
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

import fundapp.i18n  # noqa: F401  (registers the catalogue: english() renders from it)
from fundapp.documents import restructuring
from fundapp.documents.quarterly_model import QuarterlyReportData
from fundapp.domain.engine import ReliefResult
from fundapp.domain.events import RELIEF_KINDS, RELIEF_LABELS, relief_kind_refused, relief_label
from fundapp.domain.messages import english, msg
from fundapp.domain.reporting import life_event
from fundapp.ui import loan_events
from fundapp.ui.event_dialogs import ReliefDialog
from tests.gui.test_life_event_dialogs import _open

WANT = {"late_interest": "lãi chậm trả", "overdue_interest": "lãi quá hạn", "interest": "lãi đến hạn chưa trả"}
ENGLISH = {"late_interest": "late-payment interest", "overdue_interest": "overdue interest",
           "interest": "unpaid interest due"}


def test_the_domain_names_each_kind_once_as_the_glossary_does():
    assert RELIEF_LABELS == WANT and RELIEF_KINDS == tuple(WANT)
    assert {k: english(msg(v)) for k, v in RELIEF_LABELS.items()} == ENGLISH


@pytest.mark.parametrize("kind", list(WANT))
def test_the_loan_page_and_the_papers_show_the_domains_label(kind):
    relief = ReliefResult(date(2024, 12, 31), kind, 34_048)
    row = SimpleNamespace(id=7, kind="interest_relief", reason="Thiên tai")
    assert loan_events.event_note(row, SimpleNamespace(results={7: relief})) == f"miễn, giảm {WANT[kind]}; Thiên tai"
    line = life_event(SimpleNamespace(on=relief.on, reference="QĐ-MG-0007"), relief, "HD1")
    assert restructuring._line_text(line)[0] == f"Miễn, giảm {WANT[kind]}"
    assert relief_label(kind) == WANT[kind]
    event = SimpleNamespace(kind="interest_relief", relief_of=kind, borrower_code="KH1", loan_no="HD1", on=relief.on,
                            reference="QĐ-MG-0007", amount=34_048, principal=0, interest=34_048)
    quarter = SimpleNamespace(current=SimpleNamespace(life_event_list=lambda: [event]), borrower_names={"KH1": "HTX"})
    [listed] = QuarterlyReportData.event_lines(quarter)
    assert listed.event == f"Miễn, giảm lãi ({WANT[kind]} được miễn, giảm)"


def test_the_relief_decision_prints_the_domains_label(sample_ctx):
    from fundapp.services import documents, events

    loan_id = events.loan_id_of(sample_ctx, "HD2024-019")
    events.relieve_interest(sample_ctx, loan_id, date(2024, 12, 31), "late_interest", 34_048, "QĐ-MG-0007",
                            "Thiên tai")
    pdf = documents.preview_document(sample_ctx, "relief", "HD2024-019", reference="QĐ-MG-0007")
    text = re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert f"Miễn, giảm {WANT['late_interest']} cho" in text


def test_the_relief_dialog_offers_the_domains_labels(window, qtbot):
    _loans, detail = _open(window, qtbot, "HD2024-019")
    dialog = ReliefDialog(window.env, detail.view, date(2024, 12, 31), detail)
    qtbot.addWidget(dialog)
    offered = {dialog.kind.itemData(i): dialog.kind.itemText(i) for i in range(dialog.kind.count())}
    assert offered == {k: v[:1].upper() + v[1:] for k, v in WANT.items()}


def test_a_wrong_kind_is_refused_naming_the_labels_in_both_languages():
    refusal = relief_kind_refused("penalty")
    assert refusal.render() == ("Loại lãi được miễn, giảm «penalty» không hợp lệ: late_interest (lãi chậm trả), "
                                "overdue_interest (lãi quá hạn) hoặc interest (lãi đến hạn chưa trả)")
    assert english(refusal) == ("Relieved interest kind «penalty» is not valid: late_interest (late-payment "
                                "interest), overdue_interest (overdue interest) or interest (unpaid interest due)")


def test_the_service_refuses_a_wrong_kind_with_the_domains_words(sample_ctx):
    from fundapp.services import events
    from fundapp.services.errors import ValidationError

    loan_id = events.loan_id_of(sample_ctx, "HD2024-019")
    with pytest.raises(ValidationError) as err:
        events.relieve_interest(sample_ctx, loan_id, date(2024, 12, 31), "penalty", 1_000, "QĐ-MG-0008", "Thiên tai")
    assert err.value.field == "relief_of"
    assert err.value.vi == relief_kind_refused("penalty").render()
    assert err.value.en == english(relief_kind_refused("penalty"))
