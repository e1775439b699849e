"""Nhập sổ cũ: the mapping of a foreign sheet's columns to our fields: guessed from the header names, changed by the
officer, remembered by the header's names (JSON), and what it lacks before anything can be read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from fundapp.domain.messages import Message, msg

from .migration_fields import BY_KEY, SHEET_LABELS, TARGETS, Field, fields_of
from .migration_workbook import ForeignSheet, ForeignWorkbook, header_key


# -- the mapping ------------------------------------------------------------------------------------------
@dataclass
class SheetMapping:
    """How one foreign sheet feeds our layout: ``columns`` (the sheet's column index → our field key, or IGNORE)
    and ``constants`` (field key → a value for every row, e.g. the opening date the title states)."""

    columns: dict[int, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)

    def targets(self) -> list[str]:
        """Our sheets this mapping feeds, in INTERCHANGE.md's order."""
        used = {BY_KEY[k].sheet for k in [*self.columns.values(), *self.constants] if k in BY_KEY}
        return [t for t in TARGETS if t in used]

    def to_json(self, sheet: ForeignSheet) -> str:
        """The mapping keyed by the sheet's header names (so a column moved elsewhere keeps its field)."""
        return json.dumps({"columns": {sheet.headers[i]: k for i, k in self.columns.items() if k and
                                       i < len(sheet.headers)}, "constants": self.constants}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, sheet: ForeignSheet) -> SheetMapping:
        """The mapping ``to_json`` wrote, laid on ``sheet`` by header name; unknown fields are dropped."""
        data = json.loads(text)
        index = {h: i for i, h in enumerate(sheet.headers)}
        columns = {index[h]: k for h, k in data.get("columns", {}).items() if h in index and k in BY_KEY}
        constants = {k: str(v) for k, v in data.get("constants", {}).items() if k in BY_KEY}
        return cls(columns, constants)


def _alias_score(header: str, f: Field) -> int:
    name = header_key(header)
    name_bare = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
    best = 0
    for a in f.aliases:
        if a in (name, name_bare):
            best = max(best, 100 + len(a))
        elif len(a) > 2 and re.search(rf"(^|[^a-z]){re.escape(a)}($|[^a-z])", name):
            best = max(best, len(a))
    return best


def guess_target(sheet: ForeignSheet) -> str:
    """Which of our sheets ``sheet`` most likely holds: the one whose required fields its headers name in the
    largest share, then whose names match best (exact names first; ties: the order of ``TARGETS``)."""
    from fractions import Fraction

    def score(target: str) -> tuple[Fraction, int]:
        fs = fields_of(target)
        matched = [max((_alias_score(h, f) for h in sheet.headers), default=0) for f in fs]
        required = [s for f, s in zip(fs, matched, strict=True) if f.required]
        return Fraction(sum(1 for s in required if s), len(required)), sum(matched)

    return max(TARGETS, key=score)


def guess_mapping(sheet: ForeignSheet, target: str | None = None) -> SheetMapping:
    """Each column of ``sheet`` mapped to the field of ``target`` (default ``guess_target``) its name says best,
    each field at most once (the best-named column takes it); columns naming none are left IGNORE."""
    target = target or guess_target(sheet)
    pairs = sorted(((_alias_score(h, f), -i, f.key) for i, h in enumerate(sheet.headers) if h
                    for f in fields_of(target)), reverse=True)
    columns: dict[int, str] = {}
    taken: set[str] = set()
    for score, neg, key in pairs:
        if score <= 0:
            break
        if -neg in columns or key in taken:
            continue
        columns[-neg] = key
        taken.add(key)
    return SheetMapping(dict(sorted(columns.items())))


def mapping_problems(workbook: ForeignWorkbook, mappings: dict[str, SheetMapping]) -> list[str]:
    """What the mappings lack before anything can be read (one line each, in the officer's language): a field of
    ours required by INTERCHANGE.md with no column and no constant, a field given twice on one sheet, a rate neither
    yearly nor monthly, no sheet mapped at all (``mapping_messages``, rendered)."""
    return [str(m) for m in mapping_messages(workbook, mappings)]


def mapping_messages(workbook: ForeignWorkbook, mappings: dict[str, SheetMapping]) -> list[Message]:
    """``mapping_problems`` as Messages (rendered when shown)."""
    problems = []
    if not any(m.columns.values() or m.constants for m in mappings.values()):
        return [msg("Chưa chọn cột nào: chọn cho mỗi cột của sổ cũ trường tương ứng của phần mềm")]
    for title, m in mappings.items():
        keys = [k for k in m.columns.values() if k]
        for key in sorted({k for k in keys if keys.count(k) > 1}):
            problems.append(msg("Trang «{title}»: trường «{field}» được chọn cho nhiều cột", title=title,
                                field=msg(BY_KEY[key].label)))
        given = set(keys) | set(m.constants)
        for target in m.targets():
            for f in fields_of(target):
                if f.required and f.key not in given and not _shared(f, given):
                    problems.append(msg("Trang «{title}»: chưa chọn cột cho «{field}» ({sheet}: {name})", title=title,
                                        field=msg(f.label), sheet=msg(SHEET_LABELS[target]), name=f.name))
            if target == "loans" and not given & {"loans.annual_rate", "loans.monthly_rate"}:
                problems.append(msg("Trang «{title}»: chưa chọn cột lãi suất (%/năm hoặc %/tháng)", title=title))
    return problems


SHARED = {"openings.loan_no": "loans.loan_no", "transactions.loan_no": "loans.loan_no",
          "events.loan_no": "loans.loan_no", "borrowers.code": "loans.borrower_code",
          "loans.borrower_code": "borrowers.code"}


def _shared(f: Field, given: set[str]) -> bool:
    return SHARED.get(f.key) in given


