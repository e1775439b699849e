"""The audit journal (issue 14): who did what, when, on which loan — filtered, and exported to .xlsx."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from fundapp.ledger import record_store

from .portfolio import Context
from .rights import require

ACTION_LABELS = {
    "post disbursement": "Ghi giải ngân", "post repayment": "Ghi thu nợ", "post restructure": "Cơ cấu lại nợ",
    "post interest_relief": "Miễn, giảm lãi", "post write_off": "Xử lý rủi ro", "post opening": "Chuyển số dư",
    "reverse": "Hủy (đảo) bút toán", "import": "Nhập dữ liệu", "settings": "Cập nhật cài đặt",
    "borrower add": "Thêm khách hàng", "borrower edit": "Sửa khách hàng", "application receive": "Tiếp nhận hồ sơ",
    "application appraise": "Thẩm định hồ sơ", "application reject": "Từ chối hồ sơ",
    "application approve": "Phê duyệt hồ sơ", "contract": "Ký hợp đồng", "loan terms": "Sửa điều kiện vay",
    "document issue": "Cấp số tài liệu", "user add": "Thêm người dùng", "user disable": "Khóa người dùng",
    "user enable": "Mở khóa người dùng", "user grant": "Đặt vai trò", "user password": "Đổi mật khẩu",
    "login": "Đăng nhập", "login locked": "Tạm khóa đăng nhập", "propose": "Lập đề xuất",
    "proposal confirmed": "Xác nhận đề xuất", "proposal refused": "Từ chối đề xuất",
    "maker-checker": "Bật/tắt hai người duyệt", "close": "Khóa sổ", "reopen": "Mở lại kỳ đã khóa sổ",
}
_LOAN = re.compile(r"\bHD[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")


@dataclass(frozen=True)
class AuditRow:
    """One audit record: when (local time), who, the action (its key and Vietnamese label), the loan number it
    names ("" when none), the detail; ``override`` marks a limit override."""

    id: int
    at: datetime
    actor: str
    action: str
    label: str
    loan_no: str
    detail: str
    override: bool


def _local(t: datetime) -> datetime:
    from datetime import UTC

    return (t if t.tzinfo is not None else t.replace(tzinfo=UTC)).astimezone()


def audit_log(ctx: Context, text: str = "", actor: str = "", start: date | None = None, end: date | None = None,
              loan_no: str = "", limit: int = 5000) -> list[AuditRow]:
    """Audit records, newest first (at most ``limit``), filtered by actor, a text in the action or the detail, a
    loan number and the days ``start``–``end`` (inclusive). Right ``audit`` (director, controller, admin)."""
    require(ctx, "audit")
    with ctx.db.unit() as s:
        records = record_store.audit_rows(s, text.strip(), actor.strip(), start, end, limit)
        rows = []
        for r in records:
            found = _LOAN.search(r.detail or "")
            rows.append(AuditRow(r.id, _local(r.at), r.actor, r.action, ACTION_LABELS.get(r.action, r.action),
                                 found.group(0) if found else "", r.detail or "", bool(r.override)))
    if loan_no.strip():
        rows = [r for r in rows if r.loan_no == loan_no.strip()]
    return rows


def audit_actors(ctx: Context) -> list[str]:
    """Every name found in the audit journal, sorted (for the filter)."""
    return sorted({r.actor for r in audit_log(ctx, limit=100_000)})


def export_audit(ctx: Context, rows: list[AuditRow], path: Path) -> Path:
    """Write ``rows`` to the .xlsx ``path`` (text cells as strings, never formulas). Right ``audit``."""
    from fundapp.documents.audit_xlsx import write_audit_xlsx

    require(ctx, "audit")
    return write_audit_xlsx(Path(path), "NHẬT KÝ THAO TÁC TRÊN SỔ CHO VAY",
                            [(r.at, r.actor, r.label, r.loan_no, r.detail) for r in rows])
