"""The Word papers take their number from the register of issued documents at issue (issue 16, services.documents'
register): gap-free per code and year, printed in the paper's «Số:», listed by `fundapp documents`; a draft takes
none and says so; a refused issue takes none."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, timedelta

import pytest

from fundapp.services import documents, paper_issue, templates
from fundapp.services.errors import ValidationError
from fundapp.services.loans import loan_view


def _text(docx: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(docx))
    lines = [p.text for p in doc.paragraphs]
    lines += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(lines)


def test_two_contracts_and_an_acknowledgment_take_01_02_and_01(sample_ctx, tmp_path):
    ctx = sample_ctx
    a = paper_issue.issue_loan_paper(ctx, "contract", "HD2024-001", tmp_path / "a.docx")
    b = paper_issue.issue_loan_paper(ctx, "contract", "HD2022-002", tmp_path / "b.docx")
    k = paper_issue.issue_loan_paper(ctx, "acknowledgment", "HD2022-002", tmp_path / "k.docx", reference="GN-00003")
    assert [x.register.label for x in (a, b, k)] == ["01/HĐTD-QHT", "02/HĐTD-QHT", "01/KUNN-QHT"]
    assert "Số: 01/HĐTD-QHT" in _text((tmp_path / "a.docx").read_bytes())
    assert "Số: 02/HĐTD-QHT" in _text((tmp_path / "b.docx").read_bytes())
    assert "Số: 01/KUNN-QHT" in _text((tmp_path / "k.docx").read_bytes())
    assert a.warnings == [] and a.paths == [tmp_path / "a.docx"]
    rows = [(r.label, r.kind, r.loan_no, r.on, r.year) for r in documents.document_register(ctx, 2024)]
    contract_002 = loan_view(ctx, "HD2022-002").contract_date
    assert rows == [("01/HĐTD-QHT", "contract", "HD2024-001", loan_view(ctx, "HD2024-001").contract_date, 2024),
                    ("02/HĐTD-QHT", "contract", "HD2022-002", contract_002, 2024),
                    ("01/KUNN-QHT", "acknowledgment", "HD2022-002", date(2022, 7, 27), 2024)]
    # the same paper issued again keeps its number: no gap, no second row
    again = paper_issue.issue_loan_paper(ctx, "contract", "HD2024-001", tmp_path / "a2.docx")
    assert again.register.label == "01/HĐTD-QHT" and again.register.reprint
    assert len(documents.document_register(ctx)) == 3


def test_a_draft_takes_no_number_and_says_so(sample_ctx, tmp_path):
    draft = paper_issue.render_loan_paper(sample_ctx, "contract", "HD2024-001")
    assert "Số: HD2024-001/HĐTD-QHT (bản nháp, chưa cấp số)" in _text(draft.docx)
    paper_issue.write_loan_draft(sample_ctx, "decision", "HD2024-001", tmp_path / "qd.docx")
    assert "(bản nháp, chưa cấp số)" in _text((tmp_path / "qd.docx").read_bytes())
    assert documents.document_register(sample_ctx) == []


def test_a_refused_issue_takes_no_number(sample_ctx, tmp_path):
    contract_date = loan_view(sample_ctx, "HD2024-019").contract_date
    before = dataclasses.replace(sample_ctx, today=lambda: contract_date - timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        paper_issue.issue_loan_paper(before, "contract", "HD2024-019", tmp_path / "x.docx")
    assert err.value.message.startswith("Không lập được giấy tờ cho ngày sau hôm nay: hợp đồng tín dụng ngày "
                                        f"{contract_date:%d/%m/%Y}")
    assert "nghiệp vụ" not in err.value.message  # the papers' words, not the postings'
    with pytest.raises(ValidationError) as err:  # a folder that does not exist: refused before the number
        paper_issue.issue_loan_paper(sample_ctx, "contract", "HD2024-019", tmp_path / "no" / "x.docx")
    assert str(tmp_path / "no") in err.value.message
    assert not (tmp_path / "x.docx").exists() and documents.document_register(sample_ctx) == []
    # the next contract issued still takes 01: the refusals left no gap
    assert paper_issue.issue_loan_paper(sample_ctx, "contract", "HD2024-019",
                                      tmp_path / "x.docx").register.label == "01/HĐTD-QHT"


def test_a_funds_template_without_the_number_tag_is_accepted_with_a_warning(sample_ctx, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("HỢP ĐỒNG TÍN DỤNG của {{ fund_name }} cho {{ borrower_name }}, số tiền {{ amount }} đồng")
    out = io.BytesIO()
    doc.save(out)
    warnings = templates.install_template(sample_ctx, "contract", out.getvalue())
    assert warnings == [templates.NO_NUMBER_TAG]
    issued = paper_issue.issue_loan_paper(sample_ctx, "contract", "HD2024-001", tmp_path / "own.docx")
    assert issued.register.label == "01/HĐTD-QHT" and issued.warnings == [templates.NO_NUMBER_TAG]
    assert "1.330.000.000" in _text((tmp_path / "own.docx").read_bytes())
    assert templates.install_template(sample_ctx, "contract", templates.default_template("contract")) == []
