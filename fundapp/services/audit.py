"""The audit journal (issue 14): who did what, when, on which loan — filtered, and exported to .xlsx."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from fundapp.domain.messages import N_
from fundapp.formatting import local_time
from fundapp.i18n import render
from fundapp.ledger import record_store

from .context import Context
from .rights import require

ACTION_LABELS = {
    "post disbursement": N_("Ghi giải ngân"), "post repayment": N_("Ghi thu nợ"),
    "post restructure": N_("Cơ cấu lại thời hạn trả nợ"), "post interest_relief": N_("Miễn, giảm lãi"),
    "post write_off": N_("Xử lý rủi ro"), "post opening": N_("Chuyển số dư"),
    "reverse": N_("Hủy bút toán"), "import": N_("Nhập dữ liệu"), "settings": N_("Cập nhật cài đặt"),
    "borrower add": N_("Thêm khách hàng"), "borrower edit": N_("Sửa khách hàng"), "application receive": N_("Tiếp nhận hồ sơ"),
    "application appraise": N_("Thẩm định hồ sơ"), "application reject": N_("Từ chối hồ sơ"),
    "application approve": N_("Phê duyệt hồ sơ"), "contract": N_("Ký hợp đồng"), "loan terms": N_("Sửa điều kiện vay"),
    "document issue": N_("Cấp số tài liệu"), "user add": N_("Thêm người dùng"), "user disable": N_("Khóa người dùng"),
    "user enable": N_("Mở khóa người dùng"), "user grant": N_("Đặt vai trò"), "user password": N_("Đổi mật khẩu"),
    "login": N_("Đăng nhập"), "login locked": N_("Tạm khóa đăng nhập"), "propose": N_("Lập đề xuất"),
    "proposal confirmed": N_("Xác nhận đề xuất"), "proposal refused": N_("Từ chối đề xuất"),
    "maker-checker": N_("Bật/tắt hai người duyệt"), "close": N_("Khóa sổ"), "reopen": N_("Mở lại kỳ đã khóa sổ"),
}
_LOAN = re.compile(r"\bHD[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*")


@dataclass(frozen=True)
class AuditRow:
    """One audit record: when (local time), who, the action (its key and label in the officer's language), the loan number it
    names ("" when none), the detail; ``override`` marks a limit override."""

    id: int
    at: datetime
    actor: str
    action: str
    label: str
    loan_no: str
    detail: str
    override: bool


def _day_start(d: date) -> datetime:
    """The first instant of the officer's day ``d`` (local midnight, aware): the audit's days are the officer's,
    not UTC's (SQLite's stored text) nor the server's session zone (PostgreSQL's date comparison)."""
    return datetime.combine(d, time()).astimezone()


def audit_log(ctx: Context, text: str = "", actor: str = "", start: date | None = None, end: date | None = None,
              loan_no: str = "", limit: int = 5000) -> list[AuditRow]:
    """Audit records, newest first (at most ``limit``), filtered by actor, a text in the action or the detail, a
    loan number and the officer's days ``start``–``end`` (inclusive, in local time). Right ``audit`` (director,
    controller, admin)."""
    require(ctx, "audit")
    with ctx.db.unit() as s:
        since = None if start is None else _day_start(start)
        before = None if end is None else _day_start(end + timedelta(days=1))
        records = record_store.audit_rows(s, text.strip(), actor.strip(), since, before, limit)
        rows = []
        for r in records:
            found = _LOAN.search(r.detail or "")
            rows.append(AuditRow(r.id, local_time(r.at), r.actor, r.action,
                                 render(ACTION_LABELS.get(r.action, r.action)), found.group(0) if found else "",
                                 r.detail or "", bool(r.override)))
    if loan_no.strip():
        rows = [r for r in rows if r.loan_no == loan_no.strip()]
    return rows


def audit_actors(ctx: Context) -> list[str]:
    """Every name found in the audit journal, sorted (for the filter)."""
    return sorted({r.actor for r in audit_log(ctx, limit=100_000)})


def export_audit(ctx: Context, rows: list[AuditRow], path: Path) -> Path:
    """Write ``rows`` to the .xlsx ``path`` (text cells as strings, never formulas), refused as every file target
    (``refuse_missing_folder``) and written beside it until whole (``replacing``). Right ``audit``."""
    from fundapp.documents.audit_xlsx import write_audit_xlsx

    from .document_register import refuse_missing_folder, replacing

    require(ctx, "audit")
    refuse_missing_folder(path)
    with replacing(path) as part:
        write_audit_xlsx(part, render(N_("NHẬT KÝ THAO TÁC TRÊN SỔ CHO VAY")),
                         [(r.at, r.actor, r.label, r.loan_no, r.detail) for r in rows])
    return Path(path)
