"""A written-off loan's statement and reconciliation minutes list the debt still owed off the balance sheet among the
balances (DOMAIN.md "Write-off on day t": its balance figures are 0, except ``written_off_principal`` and
``written_off_interest``). The minutes of HD2022-025, which both parties sign, read «Dư nợ gốc 0 đ … Nhóm nợ 1» and
the 788.587.046 đ owed stood only in a sentence under the events; their in-term interest row named a last due date
after the write-off (an officer's trial on sample-fund-events)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from fundapp.formatting import vnd
from tests.docs.test_documents import text
from tests.docs.test_engine_figures import has
from tests.docs.test_reports_events import EVENTS_BOOK, events_ctx  # noqa: F401 (the module's book)

LOAN = "HD2022-025"  # written off on 31/12/2022
EXPECTED = json.loads((EVENTS_BOOK / "expected.json").read_text(encoding="utf-8"))["balances"]


@pytest.mark.parametrize("kind", ["statement", "reconciliation"])
@pytest.mark.parametrize("day", ["2023-12-31", "2025-06-30"])
def test_a_written_off_loans_papers_list_what_is_still_owed_off_the_balance_sheet(events_ctx, kind, day):  # noqa: F811
    from fundapp.services.documents import preview_document

    figures = EXPECTED[day][LOAN]
    assert figures["principal_outstanding"] == 0 and figures["written_off_principal"] > 0
    t = text(preview_document(events_ctx, kind, LOAN, date.fromisoformat(day)))
    has(t, "Dư nợ gốc", vnd(0))
    has(t, "Nợ gốc xử lý rủi ro (xóa nợ bằng dự phòng), còn theo dõi ngoại bảng", vnd(figures["written_off_principal"]))
    has(t, "Lãi xử lý rủi ro (xóa nợ bằng dự phòng), còn theo dõi ngoại bảng", vnd(figures["written_off_interest"]))
    # no period, current or ended: the schedule stays as it stood at the write-off
    has(t, "Lãi trong hạn dự thu", vnd(0))
    assert "kỳhiệntại" not in t and "củangàyđếnhạncuối" not in t


def test_a_loan_never_written_off_has_no_off_balance_rows(events_ctx):  # noqa: F811
    from fundapp.services.documents import preview_document

    t = text(preview_document(events_ctx, "reconciliation", "HD2024-001", date(2025, 6, 30)))
    assert "theodõingoạibảng" not in t


def test_no_page_of_a_statement_ends_on_a_tables_heading(events_ctx):  # noqa: F811
    """A table's heading and its unit line start the page its table starts on: HD2024-035's statement at 31/12/2025
    ended page 1 on «III. LỊCH SỬ GIAO DỊCH / Đơn vị tính: đồng», the table on page 2 (an officer's trial)."""
    import io
    import re
    import unicodedata

    from pypdf import PdfReader

    from fundapp.services.documents import preview_document
    from fundapp.services.queries import list_loans

    for loan in list_loans(events_ctx):
        for kind in ("statement", "reconciliation"):
            pdf = preview_document(events_ctx, kind, loan.loan_no, date(2025, 12, 31))
            for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
                t = re.sub(r"\s+", "", unicodedata.normalize("NFC", page.extract_text() or ""))
                assert not t.endswith("Đơnvịtính:đồng"), (loan.loan_no, kind, n)
                assert not re.search(r"(LỊCHSỬGIAODỊCH|LỊCHTRẢNỢCÒNLẠI|CÁCGIAODỊCHĐÃPHÁTSINH|xửlýrủiro)$", t), (
                    loan.loan_no, kind, n)


def test_a_recoverys_interest_is_not_printed_as_in_term_interest(events_ctx):  # noqa: F811
    """Recovered interest is written-off interest of every kind: the statement's history says it beside the kind,
    whole («(lãi 30.139.000)»), its interest columns empty; it stood under «Lãi trong hạn» (an officer's trial,
    HD2022-029's PT-00216)."""
    from fundapp.services.documents import preview_document

    t = text(preview_document(events_ctx, "statement", "HD2022-029", date(2025, 12, 31)))
    row = t[t.index("07/01/2024PT-00216"):]
    row = row[:row.index("Cơcấulại")]
    # the kind and its note, the amount, the principal recovered, and no interest column
    assert row == "07/01/2024PT-00216Thuhồinợđãxửlýrủiro(lãi30.139.000)906.014.000875.875.000", row
