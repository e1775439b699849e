"""The hash chain of the book (issue 14): every entry, life event, audit record, closing and stored period report
gets one ``journal`` row, in the order written, whose hash covers the record's canonical serialisation and the
previous row's hash. ``verify`` walks the chain and names the first record that does not match.

Canonical serialisation: the record's columns as JSON with sorted keys, no spaces, UTF-8 (``ensure_ascii=False``);
amounts as integers (đồng), dates ISO ``YYYY-MM-DD``, times as UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, text in NFC.
``payload_hash = SHA-256(json)``; ``hash = SHA-256("seq|kind|record_id|payload_hash|prev_hash")``; the first
row's ``prev_hash`` is 64 zeros.

Writing: the store marks what a unit of work adds (``track``); just before the unit commits, its records are
appended under a lock (PostgreSQL: a transaction-level advisory lock; SQLite: the write lock every unit takes
at BEGIN IMMEDIATE), so two officers never fork the chain. An import's entries (``insert_chained``) are hashed as
they are written and chained at the same moment, before the tracked records: the lock is held only from the chain
step to the commit, so an officer posting on a shared book while an import runs commits at once (issue 17).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial
from itertools import chain
from types import NoneType

from sqlalchemy import Connection, event, select, type_coerce
from sqlalchemy.orm import Session

from fundapp.domain.events import entry_kind_label
from fundapp.domain.messages import N_, Message, Worded, msg
from fundapp.formatting import json_string as _encode_str  # json.dumps' string under ensure_ascii=False
from fundapp.formatting import short_date, vnd

from .bulk_rows import write_rows
from .models import AuditRecord, EntryEventRecord, EntryRecord
from .record_models import ClosingRecord, JournalRecord, PeriodReportRecord
from .timestamps import UtcDateTime

GENESIS = "0" * 64
ADVISORY_KEY = 0x66756E64  # "fund": the PostgreSQL advisory lock guarding the chain's head
# kind → (table, primary key, the columns hashed). A fixed list: a column added later to a table does not change
# the hashes already written. The order is the one a book upgraded from revision 0004 is chained in.
_E, _X, _A = EntryRecord.__table__.c, EntryEventRecord.__table__.c, AuditRecord.__table__.c
_C, _R = ClosingRecord.__table__.c, PeriodReportRecord.__table__.c
KINDS = {
    "entry": (_E.id, [_E.id, _E.loan_id, _E.on_date, _E.kind, _E.amount, _E.reference, _E.reverses_id, _E.principal,
                      _E.interest, _E.overdue_interest, _E.late_interest, _E.note, _E.entered_by, _E.entered_at]),
    "event": (_X.entry_id, [_X.entry_id, _X.reason, _X.extend_months, _X.grace_periods, _X.relief_of,
                            _X.first_disbursement_date, _X.principal_outstanding, _X.principal_overdue,
                            _X.oldest_overdue_date, _X.interest_due_unpaid, _X.interest_accrued, _X.overdue_interest,
                            _X.late_interest, _X.restructurings]),
    "audit": (_A.id, [_A.id, _A.at, _A.actor, _A.action, _A.detail, _A.override]),
    "closing": (_C.id, [_C.id, _C.action, _C.through, _C.closed_through, _C.by, _C.at, _C.reason]),
    "report": (_R.id, [_R.id, _R.closing_id, _R.kind, _R.through, _R.payload]),
}
KIND_NAMES = {"entry": N_("bút toán"), "event": N_("tham số sự kiện của bút toán"), "audit": N_("nhật ký thao tác"),
              "closing": N_("khóa sổ"), "report": N_("báo cáo đã khóa sổ")}
_TRACK = "fundapp.journal"
_DEFERRED = "fundapp.journal.deferred"  # Session.info: an import's records written, their journal rows not yet
CHAIN_BATCH = 20_000  # journal rows written per executemany / COPY


def _value(v):
    if isinstance(v, bool) or v is None or isinstance(v, int):
        return v
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            v = v.astimezone(UTC).replace(tzinfo=None)
        return v.isoformat(sep=" ", timespec="microseconds")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v)
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, float):  # never money; SQLite may hand a REAL back for a number column
        return repr(v)
    return str(v)


def canonical(row: dict) -> bytes:
    """The canonical serialisation of a record's columns (see the module's docstring) as UTF-8 bytes: the reference
    ``verify`` checks every record by; ``canonical_many`` gives the same bytes for a batch, faster."""
    return json.dumps({k: _value(v) for k, v in row.items()}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def payload_hash(row: dict) -> str:
    """SHA-256 (hex) of ``canonical(row)``."""
    return hashlib.sha256(canonical(row)).hexdigest()


def chain_hash(seq: int, kind: str, record_id: int, payload: str, prev: str) -> str:
    """SHA-256 (hex) linking journal row ``seq`` to the previous row's hash ``prev``."""
    return hashlib.sha256(f"{seq}|{kind}|{record_id}|{payload}|{prev}".encode("ascii")).hexdigest()


_NFC = partial(unicodedata.normalize, "NFC")
_MEMO_TYPES = {type(None), bool, int, str, date, datetime}  # equal values of one of these encode alike


def _scalar(v) -> str:
    """One value as ``canonical`` writes it inside the object."""
    return json.dumps(_value(v), ensure_ascii=False)


def _column(values: tuple) -> list[str]:
    """The values of one column of a batch, each as ``canonical`` writes it: ints by ``str`` (json's int form),
    text by json's encoder after NFC, other values once per distinct (type, value) — floats and Decimals (whose
    equal values may print differently: 0.0/-0.0, 1.0/1.00) one by one."""
    types = set(map(type, values))
    if types == {int}:
        return list(map(str, values))
    if types == {str}:
        return list(map(_encode_str, map(_NFC, values)))
    if types == {int, NoneType}:  # e.g. an entry's reverses_id: mostly null
        return ["null" if v is None else str(v) for v in values]
    if types == {str, NoneType}:  # a voucher number or null: each distinct, the memo below cost json.dumps each
        return ["null" if v is None else _encode_str(_NFC(v)) for v in values]
    if types == {datetime}:  # the time each entry was posted: distinct, and ASCII (no escape)
        return [f'"{_value(v)}"' for v in values]
    if types <= _MEMO_TYPES:
        keys = list(zip(map(type, values), values, strict=True))
        memo = {key: _scalar(key[1]) for key in set(keys)}
        return list(map(memo.__getitem__, keys))
    return [_scalar(v) for v in values]


def canonical_many(names: list[str], rows: list[tuple]) -> list[bytes]:
    """``canonical(dict(zip(names, row)))`` for each of ``rows`` (tuples of one table's values in ``names``' order),
    byte for byte, column by column: one import writes 900,000 entries, and json.dumps of each was 13 % of it."""
    if not rows:
        return []
    order = sorted(range(len(names)), key=names.__getitem__)
    template = "{" + ",".join(_encode_str(names[i]).replace("%", "%%") + ":%s" for i in order) + "}"
    columns = list(zip(*rows, strict=True))
    encoded = [_column(columns[i]) for i in order]
    return [(template % values).encode("utf-8") for values in zip(*encoded, strict=True)]


def _rows(conn: Connection, kind: str, ids: list[int]) -> dict[int, dict]:
    pk, columns = KINDS[kind]
    stmt = select(*columns)
    out: dict[int, dict] = {}
    for start in range(0, len(ids), 500):
        for r in conn.execute(stmt.where(pk.in_(ids[start:start + 500]))).mappings():
            out[int(r[pk.name])] = dict(r)
    return out


def _head(conn: Connection) -> tuple[int, str]:
    J = JournalRecord.__table__.c
    row = conn.execute(select(J.seq, J.hash).order_by(J.seq.desc()).limit(1)).first()
    return (0, GENESIS) if row is None else (int(row[0]), row[1])


def _read_back(conn: Connection, items: list[tuple[str, int]]) -> list[tuple[str, int, str]]:
    """(kind, record id, payload hash) of ``items`` ((kind, record id), in order), hashing the records as the book
    holds them (read back on ``conn``)."""
    by_kind: dict[str, list[int]] = {}
    for kind, rid in items:
        by_kind.setdefault(kind, []).append(rid)
    payloads = {}
    for kind, ids in by_kind.items():
        records = _rows(conn, kind, ids)
        names = [c.name for c in KINDS[kind][1]]
        values = [tuple(records[rid][n] for n in names) for rid in ids]
        payloads[kind] = dict(zip(ids, canonical_many(names, values), strict=True))
    return [(kind, rid, hashlib.sha256(payloads[kind][rid]).hexdigest()) for kind, rid in items]


def append(conn: Connection, items: Iterable[tuple[str, int]]) -> int:
    """Append journal rows for ``items`` ((kind, record id), in that order; each at most once) on ``conn`` inside
    its transaction, under the chain lock, hashing the records as the book holds them (read back). Returns the
    number of rows appended."""
    items = list(dict.fromkeys(items))
    if not items:
        return 0
    links = _read_back(conn, items)
    _lock(conn)
    return _chain(conn, links)


@dataclass
class _Written:
    """Records of one kind an import wrote, their journal rows still to come: ids (``array('q')``) and the SHA-256
    digests of their canonical serialisations (32 bytes each, in one ``bytearray``): 40 bytes a record, ~36 MB
    for the 900,000 entries of a 100,000-loan book (a tuple of str per row would be ~200 MB)."""

    kind: str
    ids: array = field(default_factory=lambda: array("q"))
    digests: bytearray = field(default_factory=bytearray)

    def links(self) -> Iterator[tuple[str, int, str]]:
        """(kind, record id, payload hash) of each record, in the order written."""
        digests, kind = memoryview(self.digests), self.kind
        for i, rid in enumerate(self.ids):
            yield kind, rid, digests[32 * i:32 * i + 32].hex()


def insert_chained(s: Session, kind: str, rows: list[tuple]) -> int:
    """Insert records of ``kind`` (an import's batch of entries) on unit of work ``s``'s connection, in its
    transaction, hashed from the values written instead of read back: ``rows`` are tuples of every hashed column in
    the order of ``KINDS[kind]`` (the record id first), with the values the book stores (no default left to the
    database). Written by the driver (``bulk_rows``). Their journal rows are written when ``s`` commits, in the
    order of the calls and before the records marked by ``track``, under the chain lock taken only then: the same
    rows and hashes as chaining each batch at once, without holding back every other writer's commit for the whole
    import. Returns the records written."""
    if not rows:
        return 0
    pk, columns = KINDS[kind]
    names = [c.name for c in columns]
    write_rows(s.connection(), pk.table, names, rows)
    written: list[_Written] = s.info.setdefault(_DEFERRED, [])
    if not written or written[-1].kind != kind:
        written.append(_Written(kind))
    last = written[-1]
    last.ids.extend(row[0] for row in rows)
    for payload in canonical_many(names, rows):
        last.digests += hashlib.sha256(payload).digest()
    return len(rows)


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})")


def _chain(conn: Connection, links: Iterable[tuple[str, int, str]]) -> int:
    """Hash ``links`` ((kind, record id, payload hash) in order) onto the chain's head and write the journal rows by
    the driver (executemany, COPY on PostgreSQL), ``CHAIN_BATCH`` at a time. Returns the rows written."""
    seq, prev = _head(conn)
    names = ["seq", "kind", "record_id", "payload_hash", "prev_hash", "hash"]
    rows: list[tuple] = []
    count = 0
    for kind, rid, p in links:
        seq += 1
        prev_hash, prev = prev, chain_hash(seq, kind, rid, p, prev)
        rows.append((seq, kind, rid, p, prev_hash, prev))
        if len(rows) >= CHAIN_BATCH:
            write_rows(conn, JournalRecord.__table__, names, rows)
            count, rows = count + len(rows), []
    write_rows(conn, JournalRecord.__table__, names, rows)
    return count + len(rows)


def start_over_existing(conn: Connection) -> int:
    """Chain every record a book already holds (migration 0005 on a book of an earlier revision): entries,
    events, audit records… each kind in id order. Returns the rows appended."""
    items = []
    for kind, (pk, _columns) in KINDS.items():
        items += [(kind, int(i)) for i in conn.execute(select(pk).order_by(pk)).scalars()]
    return append(conn, items)


def track(s: Session, kind: str, ids: Iterable[int]) -> None:
    """Mark records unit of work ``s`` has written: they are chained just before it commits."""
    s.info.setdefault(_TRACK, []).extend((kind, int(i)) for i in ids)


@event.listens_for(Session, "before_commit")
def _chain_before_commit(session: Session) -> None:
    written = session.info.pop(_DEFERRED, None) or []
    pending = session.info.pop(_TRACK, None)
    if not written and not pending:
        return
    session.flush()
    conn = session.connection()
    links = _read_back(conn, list(dict.fromkeys(pending))) if pending else []
    _lock(conn)
    _chain(conn, chain(*(w.links() for w in written), links))


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_TRACK, None)
    session.info.pop(_DEFERRED, None)


@dataclass(frozen=True)
class Broken(Worded):
    """The first record that does not match the chain: ``seq`` (None for a record with no journal row), its kind
    and id, and what is wrong (``msg``, a catalogue message; ``str()`` in the officer's language, ``vi``/``en``)."""

    seq: int | None
    kind: str
    record_id: int
    msg: Message


@dataclass(frozen=True)
class ChainCheck:
    """The result of ``verify``: the rows checked and the first break (None when the chain holds)."""

    count: int
    broken: Broken | None

    @property
    def ok(self) -> bool:
        """True when the chain verified to its end (no ``broken`` record)."""
        return self.broken is None


def _digests(conn: Connection, kind: str) -> dict[int, bytes]:
    """Record id → SHA-256 digest of its canonical serialisation, for every record of ``kind`` the book holds, read
    as the driver's rows and encoded ``CHAIN_BATCH`` at a time by ``canonical_many`` (byte for byte ``canonical``):
    the start-up check walks ~900,000 records, and a dict and json.dumps per record was most of its time and ~1 GB
    (the records themselves are read again only for one that does not match)."""
    pk, columns = KINDS[kind]
    names = [c.name for c in columns]
    at = names.index(pk.name)
    # a time as the driver gives it (``_value`` takes naive UTC and aware alike): UtcDateTime's per-row conversion
    # would add ~1 s to the start-up check of 900,000 entries for bytes that come out the same
    raw = [type_coerce(c, c.type.impl) if isinstance(c.type, UtcDateTime) else c for c in columns]
    out: dict[int, bytes] = {}
    for rows in conn.execute(select(*raw)).partitions(CHAIN_BATCH):
        for row, payload in zip(rows, canonical_many(names, rows), strict=True):
            out[int(row[at])] = hashlib.sha256(payload).digest()
    return out


def _breaks(conn: Connection) -> Iterator[Broken]:
    J = JournalRecord.__table__.c
    digests = {kind: _digests(conn, kind) for kind in KINDS}
    seen: dict[str, set[int]] = {kind: set() for kind in KINDS}
    prev, expected = GENESIS, 1
    for seq, kind, rid, p, prev_hash, h in conn.execute(
            select(J.seq, J.kind, J.record_id, J.payload_hash, J.prev_hash, J.hash).order_by(J.seq)):
        if seq != expected:
            yield Broken(seq, kind, rid, msg("chuỗi bị đứt trước dòng {seq} (thiếu dòng {expected}): {name}", seq=seq,
                                             expected=expected, name=_name(kind, rid)))
        if prev_hash != prev or chain_hash(seq, kind, rid, p, prev_hash) != h:
            yield Broken(seq, kind, rid, msg("dòng {seq} của chuỗi ({name}) không khớp với dòng trước", seq=seq,
                                             name=_name(kind, rid)))
        digest = digests.get(kind, {}).get(rid)
        if digest is None:
            yield Broken(seq, kind, rid, msg("{name} đã bị xóa khỏi sổ", name=_name(kind, rid)))
        elif digest.hex() != p:
            yield Broken(seq, kind, rid, msg("{name} đã bị sửa trực tiếp trong cơ sở dữ liệu ({what})",
                                             name=_name(kind, rid), what=_describe(kind, _record(conn, kind, rid))))
        seen.setdefault(kind, set()).add(rid)
        prev, expected = h, seq + 1
    for kind, held in digests.items():
        for rid in sorted(set(held) - seen[kind]):
            yield Broken(None, kind, rid, msg("{name} không có trong chuỗi: được chèn trực tiếp vào cơ sở dữ liệu "
                                              "({what})", name=_name(kind, rid),
                                              what=_describe(kind, _record(conn, kind, rid))))


def _record(conn: Connection, kind: str, record_id: int) -> dict:
    """The hashed columns of one record (name → value), read for a message."""
    return _rows(conn, kind, [record_id])[record_id]


def _name(kind: str, record_id: int) -> Message:
    return msg("{kind} #{id}", kind=msg(KIND_NAMES.get(kind, kind)), id=record_id)


def _describe(kind: str, record: dict) -> Message | str:
    """What a broken record holds, for the officer: an entry by its day (dd/mm/yyyy), kind (the loan page's label,
    ``domain.events.entry_kind_label``), amount ("27.836.753 đ") and voucher; an audit record by who did what."""
    if kind == "entry":
        on, amount = record.get("on_date"), record.get("amount")
        return msg("ngày {on}, loại {kind}, số tiền {amount}, chứng từ {reference}",
                   on=short_date(on) if isinstance(on, date) else str(on),
                   kind=msg(entry_kind_label(str(record.get("kind")))),
                   amount=vnd(amount) if isinstance(amount, int) else str(amount),
                   reference=record.get("reference") or "—")
    if kind == "audit":
        return f"{record.get('actor')}: {record.get('action')}"
    return ", ".join(f"{k}={_value(v)}" for k, v in list(record.items())[:4])


def verify(conn: Connection) -> ChainCheck:
    """Walk the chain on ``conn``: every row's hash recomputed, every record re-serialised and compared, every
    record of the chained tables present in the chain. Returns the row count and the first break."""
    count = length(conn)
    first = next(_breaks(conn), None)
    return ChainCheck(count, first)


def length(conn: Connection) -> int:
    """How many rows the chain holds (its last row's number; 0 when empty): one indexed read."""
    return _head(conn)[0]


def head(conn: Connection) -> tuple[int, str]:
    """The chain's last row: (its number, its hash); (0, ``GENESIS``) when empty. One indexed read."""
    return _head(conn)


def written_since(conn: Connection, seq: int, digest: str, most: int) -> list[tuple[str, int, str | None]] | None:
    """What was written after chain row ``seq`` whose hash was ``digest`` (``head`` read earlier): (kind, record
    id, an audit record's action or None) of each later row, in order; None when row ``seq`` no longer has that hash
    (another book, or a chain begun again) or more than ``most`` rows follow it."""
    J, A = JournalRecord.__table__.c, AuditRecord.__table__.c
    if seq and conn.execute(select(J.hash).where(J.seq == seq)).scalar() != digest:
        return None
    if not seq and digest != GENESIS:
        return None
    rows = conn.execute(select(J.kind, J.record_id, A.action).select_from(JournalRecord.__table__)
                        .outerjoin(AuditRecord.__table__, (J.kind == "audit") & (A.id == J.record_id))
                        .where(J.seq > seq).order_by(J.seq).limit(most + 1)).all()
    return None if len(rows) > most else [(kind, int(record_id), action) for kind, record_id, action in rows]


def anchor_of(conn: Connection, kind: str, record_id: int) -> str | None:
    """"seq:first 16 hex of the hash" of a record's journal row (None if it has none): printed on a closed
    period's report, it lets ``anchor_holds`` tell a chain recomputed after the fact from the one that was."""
    J = JournalRecord.__table__.c
    row = conn.execute(select(J.seq, J.hash).where(J.kind == kind, J.record_id == record_id)).first()
    return None if row is None else f"{row[0]}:{row[1][:16]}"


def anchor_holds(conn: Connection, anchor: str) -> bool:
    """Whether journal row ``seq`` of ``anchor`` ("seq:hex prefix", at least 8 hex) still has that hash."""
    seq, _, prefix = anchor.strip().partition(":")
    if not (seq.isascii() and seq.isdigit()) or len(prefix) < 8:  # str.isdigit() also takes «１２» and «²»
        raise ValueError(anchor)
    J = JournalRecord.__table__.c
    value = conn.execute(select(J.hash).where(J.seq == int(seq))).scalar()
    return value is not None and value.startswith(prefix.lower())
