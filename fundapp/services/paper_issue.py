"""Rendering and issuing the fund's Word papers (issue 16): a draft (no number), or a paper issued as .docx and/or
PDF (LibreOffice, headless) that takes its number from the register of issued documents
(``services.document_register.take_numbers``: gap-free per code and year, given at issue) and prints it in the tag
``{{ document_number }}`` ("01/HĐTD-QHT"). Everything that can refuse is checked before the number is taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fundapp.domain.messages import N_, msg

from .context import Context
from .document_register import paper_digest, refuse_missing_folder, save, take_numbers
from .errors import UserFacingError, ValidationError
from .paper_values import application_context, dated_loan_context, loan_context
from .templates import SCHEMAS, template, template_warnings


@dataclass(frozen=True)
class WordPaper:
    """A rendered paper: the .docx bytes, the context it was filled with (plain text) and a file-name subject."""

    kind: str
    subject: str
    context: dict
    docx: bytes


def render_loan_paper(ctx: Context, kind: str, loan_no: str, reference: str | None = None) -> WordPaper:
    """The draft .docx of ``kind`` for loan ``loan_no`` from the template in use (``reference``: the tranche of an
    acknowledgment): no number is taken, ``{{ document_number }}`` says "bản nháp, chưa cấp số". Raises NotFound, or
    UserFacingError when the fund's template cannot be used."""
    context = loan_context(ctx, kind, loan_no, reference)
    return WordPaper(kind, _subject(loan_no, reference), context, _render(ctx, kind, context))


def _subject(loan_no: str, reference: str | None) -> str:
    return f"{loan_no} {reference}" if reference else loan_no


def _render(ctx: Context, kind: str, context: dict[str, object], data: bytes | None = None) -> bytes:
    from fundapp.documents.word import TemplateError, render

    try:
        return render(template(ctx, kind) if data is None else data, context, SCHEMAS[kind])
    except TemplateError as e:
        raise UserFacingError(msg("Mẫu văn bản không dùng được: {problems}", problems="; ".join(e.problems))) from None


@dataclass(frozen=True)
class IssuedPaper:
    """A Word paper issued: its register row (``register.label`` "01/HĐTD-QHT", printed in the paper), the paths
    written (.docx and/or PDF) and the warnings the officer should read (a fund's template without the number tag,
    a new number taken because the paper's values changed since its last issue: ``RegisterRow.change_note``)."""

    register: object  # services.documents.RegisterRow
    paths: list[Path]
    warnings: list[str]


def _issue(ctx: Context, kind: str, context: dict[str, object], on: date, subject: str, loan_no: str | None,
           docx_path: Path | None, pdf_path: Path | None) -> IssuedPaper:
    """Check everything that can refuse (paths, template, LibreOffice, the date), then take the number and write.
    A refused issue takes no number; a paper issued again (same kind, subject and date) keeps its number."""
    from fundapp.documents.word import to_pdf


    paths = [p for p in (docx_path, pdf_path) if p is not None]
    if not paths:
        raise ValidationError(N_("Cần chọn tệp .docx hoặc PDF để lưu giấy tờ"), field="path")
    refuse_missing_folder(*paths)
    data = template(ctx, kind)
    _render(ctx, kind, context, data)  # a template that cannot be used is refused before a number is taken
    if pdf_path is not None and not pdf_available():
        raise UserFacingError(N_("Không tạo được PDF: máy chưa cài LibreOffice Writer (lưu tệp .docx thay thế)"))
    # refuses a date after today: no number then; a paper whose values changed since its last issue takes a new one
    [row] = take_numbers(ctx, kind, [(subject, on, loan_no, paper_digest(kind, context))])
    docx = _render(ctx, kind, {**context, "document_number": row.label}, data)
    written = []
    if docx_path is not None:
        written.append(save(docx_path, docx))
    if pdf_path is not None:
        pdf = to_pdf(docx)
        if pdf is None:
            raise UserFacingError(msg("Không tạo được PDF: LibreOffice Writer không chuyển được tệp (số {number} đã "
                                      "cấp; lưu lại sẽ giữ số này)", number=row.label))
        written.append(save(pdf_path, pdf))
    notes = [row.change_note] if row.change_note is not None else []
    return IssuedPaper(row, written, notes + list(template_warnings(data)))


def issue_loan_paper(ctx: Context, kind: str, loan_no: str, docx_path: Path | None = None,
                     pdf_path: Path | None = None, reference: str | None = None) -> IssuedPaper:
    """Issue the paper ``kind`` of loan ``loan_no`` (``reference``: the tranche of an acknowledgment): the number is
    taken from the register of issued documents (gap-free per code and year, DOMAIN.md / issue 16) only once the
    paper can be made, printed in ``{{ document_number }}``, and the .docx (``docx_path``) and/or PDF (``pdf_path``,
    by LibreOffice) written. Raises NotFound; ValidationError for a missing folder, no path, or a paper dated after
    today (no number taken); UserFacingError for an unusable template or no LibreOffice for a PDF."""
    context, on = dated_loan_context(ctx, kind, loan_no, reference)
    return _issue(ctx, kind, context, on, _subject(loan_no, reference), loan_no, docx_path, pdf_path)


def write_loan_paper(ctx: Context, kind: str, loan_no: str, docx_path: Path | None = None, pdf_path: Path | None = None,
                     reference: str | None = None) -> list[Path]:
    """``issue_loan_paper``'s paths written (.docx and/or PDF): the paper takes its number at issue. Raises as
    ``issue_loan_paper``."""
    return issue_loan_paper(ctx, kind, loan_no, docx_path, pdf_path, reference).paths


def write_loan_draft(ctx: Context, kind: str, loan_no: str, docx_path: Path, reference: str | None = None) -> Path:
    """Write the draft .docx (no number taken, "bản nháp, chưa cấp số" where the number goes) to ``docx_path``.
    Raises as ``render_loan_paper``, ValidationError for a missing folder."""
    refuse_missing_folder(docx_path)
    return save(docx_path, render_loan_paper(ctx, kind, loan_no, reference).docx)


def pdf_available() -> bool:
    """True when LibreOffice Writer can convert a .docx to PDF on this computer."""
    from fundapp.documents.word import soffice

    return soffice() is not None


def issue_application_paper(ctx: Context, kind: str, application_id: int, docx_path: Path | None = None,
                            pdf_path: Path | None = None) -> IssuedPaper:
    """Issue the appraisal report or approval decision of application ``application_id`` (before its contract),
    dated today, numbered from the register at issue as ``issue_loan_paper`` does. Raises as ``issue_loan_paper``."""
    context = application_context(ctx, kind, application_id)
    return _issue(ctx, kind, context, ctx.today(), f"hồ sơ vay #{application_id}", None, docx_path, pdf_path)


def write_application_paper(ctx: Context, kind: str, application_id: int, docx_path: Path | None = None,
                            pdf_path: Path | None = None) -> list[Path]:
    """The appraisal report or approval decision of an application as .docx and/or PDF, issued with its number;
    returns the paths written. Raises as ``issue_application_paper``."""
    return issue_application_paper(ctx, kind, application_id, docx_path, pdf_path).paths
