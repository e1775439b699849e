"""The register of issued documents (issue 10.3) and what every issued paper shares.

Each issued document takes the next number of its code ("05/SK-QHT", "01/QĐ-QHT") in the book's year, gap-free
per code and year; a document issued again (same kind, subject and date) keeps its number only when what it states
is the same (``paper_digest``), and takes a new one otherwise. ``fund_info`` is
the fund's letterhead and signers as the documents print them; ``save`` writes a rendered paper to a file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path

from fundapp.domain.messages import N_, lowered, msg
from fundapp.ledger import office_store

from .clock import refuse_future_paper
from .context import Context
from .errors import UserFacingError, ValidationError
from .settings import FundSettings, load_settings

# kind → the code of its number ("05/SK-QHT"); the reports share one BC sequence
DOC_KINDS = {"statement": "SK", "schedule": "LTN", "notice": "TB", "receipt": "GNN", "reconciliation": "BB",
             "quarterly": "BC", "portfolio": "BC", "period": "BC",
             # life events (services.event_documents): the amendment to the contract, the director's decisions
             "amendment": "PL", "restructuring": "QĐ", "relief": "QĐ", "write_off": "QĐ",
             # the Word papers (services.templates): the director's loan decision shares the decisions' QĐ sequence
             "contract": "HĐTD", "acknowledgment": "KUNN", "appraisal": "TTr", "decision": "QĐ", "release": "TB"}


DOC_KIND_LABELS = {
    "statement": N_("Sao kê khoản vay"),
    "schedule": N_("Lịch trả nợ"),
    "notice": N_("Thông báo nợ"),
    "receipt": N_("Giấy nhận nợ"),
    "reconciliation": N_("Biên bản đối chiếu công nợ"),
    "quarterly": N_("Báo cáo quý"),
    "portfolio": N_("Báo cáo danh mục cho vay"),
    "period": N_("Báo cáo tình hình cho vay"),
    "amendment": N_("Phụ lục hợp đồng tín dụng"),
    "restructuring": N_("Quyết định cơ cấu lại thời hạn trả nợ"),
    "relief": N_("Quyết định miễn, giảm lãi"),
    "write_off": N_("Quyết định xử lý rủi ro"),
    "contract": N_("Hợp đồng tín dụng"),
    "acknowledgment": N_("Khế ước nhận nợ"),
    "appraisal": N_("Tờ trình thẩm định"),
    "decision": N_("Quyết định cho vay"),
    "release": N_("Thông báo giải chấp tài sản bảo đảm"),
}


@dataclass(frozen=True)
class RegisterRow:
    """One issued document of the register: ``label`` is the printed number ("05/SK-QHT"), ``number`` its
    place in the (code, year) sequence, ``on`` the document's date, ``reprint`` True when the document had been
    issued before and kept its number. ``replaced``: the number the same document (kind, subject, date) was issued
    with before when what it states has changed since (a new number was taken), ``compared`` False when that earlier
    issue kept no digest to compare with (issued before the register kept one)."""

    number: int
    label: str
    kind: str
    code: str
    year: int
    subject: str
    loan_no: str | None
    on: date
    issued_by: str
    issued_at: datetime
    reprint: bool = False
    replaced: str | None = None
    compared: bool = True

    @property
    def change_note(self):
        """Why this issue took a new number though the same document was issued before (a Message for the officer),
        None when it did not: «Nội dung đã thay đổi từ lần cấp số trước (06/SK-QHT): cấp số mới 07/SK-QHT». What the
        paper states changed: its figures, or its letterhead once the fund's name was entered — «Số liệu đã thay đổi»
        told an officer the figures had moved when only the name had (an officer's trial)."""
        if self.replaced is None:
            return None
        if not self.compared:
            return msg("Lần cấp số trước ({previous}) không lưu dấu số liệu nên không so được: cấp số mới {number}",
                       previous=self.replaced, number=self.label)
        return msg("Nội dung đã thay đổi từ lần cấp số trước ({previous}): cấp số mới {number}",
                   previous=self.replaced, number=self.label)

    @property
    def kind_label(self) -> str:
        """The document kind in Vietnamese words, the raw kind when unknown."""
        return DOC_KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class IssuedDocument:
    """An issued document: its register row and the PDF bytes printed with its number."""

    register: RegisterRow
    pdf: bytes


def _register_row(r, reprint: bool = False, replaced=None) -> RegisterRow:
    return RegisterRow(r.number, r.label, r.kind, r.code, r.year, r.subject, r.loan_no, r.on_date, r.issued_by,
                       r.issued_at, reprint, None if replaced is None else replaced.label,
                       replaced is None or replaced.digest is not None)


def paper_digest(*content) -> str:
    """The digest (64 hex digits, SHA-256) of what a paper states: its model(s) — dataclasses, dicts, tuples of
    dates, Decimals, text — with the number left blank, never its PDF bytes (they carry the time they were made).
    Two issues of one document keep one number only when their digests are equal (``take_numbers``). Raises
    nothing for the papers' models; every value is written by its ``str`` in a canonical JSON. A value with a
    ``stated()`` method is written by what it returns: a period's figures (``PeriodReport.stated``) without its
    ~100,000 loans' list (issue 17: the quarterly report's digest must not cost what its figures did)."""
    def plain(value):
        stated = getattr(value, "stated", None)
        if callable(stated):
            return {type(value).__name__: plain(stated())}
        if is_dataclass(value) and not isinstance(value, type):
            return {type(value).__name__: {f.name: plain(getattr(value, f.name)) for f in fields(value)}}
        if isinstance(value, dict):
            if all(type(k) is str and type(v) in (str, int) for k, v in value.items()):  # a flat map of text: its own
                # digest, of its items sorted (the ~50,000 borrowers' names of a large book's report took 0.7 s
                # through the canonical JSON below)
                flat = "\x1e".join(f"{k}\x1f{type(v).__name__}:{v}" for k, v in sorted(value.items()))
                return {"#flat": hashlib.sha256(flat.encode("utf-8")).hexdigest()}
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if value is None or isinstance(value, bool | int | str):
            return value
        return f"{type(value).__name__}:{value}"

    text = json.dumps(plain(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def refuse_future_document(ctx: Context, kind: str, on: date, field: str = "on") -> None:
    """Refuse a document of ``kind`` (a key of ``DOC_KIND_LABELS``) dated ``on`` after the book's today, in the
    papers' own words, not the postings' (``clock.refuse_future_paper``: "Không lập được giấy tờ cho ngày sau hôm
    nay: sao kê khoản vay ngày …"); ``field`` is the form field the GUI marks. Returns None for today or earlier;
    raises ``ValidationError`` otherwise. One refusal for a preview, an issue and the command line alike."""
    refuse_future_paper(ctx, on, lowered(DOC_KIND_LABELS[kind]), field)


def take_numbers(ctx: Context, kind: str, documents: list[tuple[str, date, str | None, str]],
                 settings: FundSettings | None = None) -> list[RegisterRow]:
    """Issue the documents ``(subject, on, loan_no, digest)`` of one ``kind`` (``digest``: ``paper_digest`` of what
    the paper states): each takes the next number of its code in the year of the book's today, or keeps the number
    it was issued with before (a reprint) when that issue stated the same (same digest). A paper number is a record:
    one number never carries two contents, so a document whose figures changed since (a repayment posted, a
    restructure) takes a new number, its row's ``replaced`` naming the earlier one (``change_note``). An earlier
    issue without a digest (made before the register kept one) cannot be compared: a new number is taken too — an
    extra number costs nothing, a number reused for other figures is the defect this prevents.

    All or nothing, in one transaction: the register never has a gap per code and year. Two officers issuing at
    once wait for each other on the counter row (see ``office_store.next_document_number``); the same document issued
    twice at the same moment is retried and then found as a reprint. Raises ValidationError for a document dated
    after today.
    """
    if kind not in DOC_KINDS:
        raise UserFacingError(msg("Không có loại tài liệu «{kind}»", kind=kind))
    for _subject, on, _loan, _digest in documents:
        refuse_future_document(ctx, kind, on)
    settings = settings or load_settings(ctx)
    code, year = DOC_KINDS[kind], ctx.today().year
    for attempt in range(5):
        try:
            with ctx.db.unit() as s:
                rows = []
                for subject, on, loan_no, digest in documents:
                    earlier = office_store.issued_documents(s, kind, subject, on)
                    same = next((r for r in earlier if r.digest == digest), None)
                    if same is not None:
                        rows.append(_register_row(same, reprint=True))
                        continue
                    n = office_store.next_document_number(s, year, code)
                    record = office_store.register_document(
                        s, kind=kind, code=code, year=year, number=n, label=f"{n:02d}/{code}-{settings.abbreviation}",
                        subject=subject, loan_no=loan_no, on_date=on, issued_by=ctx.user, digest=digest)
                    rows.append(_register_row(record, replaced=earlier[-1] if earlier else None))
                issued = [r.label for r in rows if not r.reprint]
                if issued:
                    office_store.audit(s, ctx.user, "document issue", f"{kind}: {', '.join(issued)}")
                return rows
        except office_store.DocumentConflict:
            if attempt == 4:
                raise UserFacingError(N_("Người khác vừa cấp số cho tài liệu này, vui lòng thử lại")) from None
    raise AssertionError("unreachable")


def document_register(ctx: Context, year: int | None = None) -> list[RegisterRow]:
    """The register of issued documents (of ``year``, or all), by year, code and number."""
    with ctx.db.read() as s:
        return [_register_row(r) for r in office_store.document_rows(s, year)]


def fund_info(settings: FundSettings):
    """The fund's name, address, signers and bank account from ``settings`` as the documents print them
    (``documents.model.FundInfo``). Raises nothing."""
    from fundapp.documents.model import FundInfo

    return FundInfo(**{f.name: getattr(settings, "fund_name" if f.name == "name" else f.name)
                       for f in fields(FundInfo)})


def refuse_missing_folder(*paths: Path | str | None, field: str = "path") -> None:
    """The one refusal of a file target that cannot be written as a file, checked before any number is taken (the
    GUI's save dialog offers only existing folders; the command line, the Word papers, the report files and ``save``
    share it): raises ValidationError (``field`` given), creating nothing, naming the first target whose folder does
    not exist («Thư mục «…» không có: …») or is a file (««…» là một tệp, không phải thư mục …»), that is itself an
    existing folder («… là một thư mục, không phải tệp…»), or that is a read-only file or in a read-only folder.
    ``paths``: files to write (None skipped, "~" expanded).
    Also refused: a target that is a SQLite database or its write-ahead log (a fundapp book, the one open among
    them: «--xlsx sổ.sqlite» replaced the book with a report) and one file named for two targets (only the last
    written would be left). Returns None when every target can be written."""
    seen: set[Path] = set()
    for path in paths:
        if path is None:
            continue
        target = Path(path).expanduser()
        same = target.resolve()
        if same in seen:
            raise ValidationError(msg("«{path}» được chọn cho hai tệp: mỗi tệp cần một tên riêng", path=str(target)),
                                  field=field)
        seen.add(same)
        if _is_database(target):
            raise ValidationError(msg("«{path}» là một tệp sổ dữ liệu, không ghi đè lên được: chọn tên tệp khác",
                                      path=str(target)), field=field)
        folder = target.parent
        if not folder.is_dir():
            ancestor = next((f for f in (folder, *folder.parents) if f.exists()), None)
            if ancestor is not None and not ancestor.is_dir():  # «--pdf sổ.sqlite/x.pdf»: not a missing folder
                raise ValidationError(msg("«{file}» là một tệp, không phải thư mục: không lưu được «{path}» vào "
                                          "trong nó; chọn thư mục khác", file=str(ancestor), path=str(target)),
                                      field=field)
            raise ValidationError(msg("Thư mục «{folder}» không có: tạo thư mục đó trước hoặc chọn thư mục khác",
                                      folder=str(folder)), field=field)
        if target.is_dir():
            raise ValidationError(msg("«{path}» là một thư mục, không phải tệp: hãy ghi kèm tên tệp cần lưu",
                                      path=str(target)), field=field)
        if not os.access(target if target.exists() else folder, os.W_OK):
            raise ValidationError(msg("Không ghi được vào «{path}»: tệp hoặc thư mục chỉ cho đọc; chọn chỗ lưu khác",
                                      path=str(target)), field=field)


_DATABASE_MAGIC = (b"SQLite format 3\x00", bytes.fromhex("377f0682"), bytes.fromhex("377f0683"))  # a book, a WAL


def _is_database(path: Path) -> bool:
    """Whether ``path`` is an existing SQLite database file or write-ahead log (by its first bytes)."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:  # absent, a folder, unreadable: not a book this would overwrite
        return False
    return head.startswith(_DATABASE_MAGIC)


def save(path: Path, data: bytes) -> Path:
    """Write ``data`` (a PDF, a .docx) to ``path`` (its folder must exist: ``refuse_missing_folder``, nothing is
    created) through ``replacing``; returns the path. Raises ValidationError naming a missing folder; OSError passes to the
    caller."""
    path = Path(path)
    refuse_missing_folder(path)
    with replacing(path) as part:
        part.write_bytes(data)
    return path


def beside(path: Path) -> Path:
    """A new file's name in ``path``'s folder, hidden and unlikely to be taken («.bao-cao.xlsx.3f9a1c2e.tmp»): where a
    file is written before it replaces ``path``."""
    import secrets

    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


@contextmanager
def replacing(path: Path | str) -> Iterator[Path]:
    """A file to write beside ``path`` (``beside``, created empty with the folder's usual permissions) that replaces
    ``path`` in one step (``os.replace``) once the block ends, or is removed when it raises — a cancel, Ctrl-C, a
    full disk: a file half written never replaces the officer's, which stays byte for byte. OSError (a file open in
    Excel on Windows at the replacing) passes to the caller, the written file removed."""
    target = Path(path).expanduser()
    part = beside(target)
    part.open("xb").close()
    try:
        yield part
        os.replace(part, target)
    except OSError as err:  # named by the officer's file, not the hidden one beside it (nor none: a full disk)
        part.unlink(missing_ok=True)
        if err.filename in (None, str(part)):
            raise OSError(err.errno, err.strerror, str(target)) from err
        raise
    except BaseException:
        part.unlink(missing_ok=True)
        raise
