"""A second pair of eyes (maker-checker, issue 14): reversals, restructurings, reliefs, write-offs, limit
overrides and changes of settings are proposals until a different user holding the right confirms them.

A proposal keeps the action, its parameters (JSON) and the exact preview text the maker saw. Confirming
recomputes the preview: if the book changed meanwhile so that it reads otherwise, the confirmation is refused
(propose again). The fund can switch maker-checker off per action (``set_maker_checker``, audited).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime

from fundapp.domain.event_words import figure, moved, restructure_words, shown_kind
from fundapp.domain.events import entry_kind_label, relief_label
from fundapp.domain.messages import N_, msg
from fundapp.formatting import short_date, vnd
from fundapp.i18n import render
from fundapp.ledger import entry_store, lending_store, office_store, record_store, sql

from .context import Context
from .errors import NotFound, UserFacingError, ValidationError
from .rights import ACTIONS, MAKER_CHECKER_KEY, RIGHTS, allowed, require


@dataclass(frozen=True)
class ProposalRow:
    """A proposal as the pending page shows it."""

    id: int
    action: str
    action_vi: str  # the action's name in the officer's language (as the row was read)
    loan_no: str
    preview: str
    status: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str
    decided_at: datetime | None
    note: str
    params: dict


def _row(r) -> ProposalRow:
    return ProposalRow(r.id, r.action, render(ACTIONS[r.action][0]), r.loan_no, r.preview, r.status, r.proposed_by,
                       r.proposed_at, r.decided_by, r.decided_at, r.note, json.loads(r.params))


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _lower_first(label: str) -> str:
    # an entry kind's label inside a sentence ("Thu nợ" → "thu nợ"): the domain's words, never reworded
    return label[:1].lower() + label[1:]


def _entry_key(params: dict) -> int | str:
    """A reversal's entry: its id when the proposal came from the GUI, else its reference."""
    return int(params["entry_id"]) if params.get("entry_id") is not None else params["reference"]


# -- previews: the one text a maker sees and a checker confirms -----------------------------------------------
def entry_by_reference(ctx: Context, reference: str | int):
    """The entry of voucher/decision number ``reference`` (or of id ``reference`` when an int) as (entry id, kind,
    date, amount đồng, loan number, loan id, reference); NotFound naming the reference when the book has none.
    Shared by the proposals' previews and the command line's ``reverse``."""
    with ctx.db.read() as s:
        e = (entry_store.entry(s, int(reference)) if isinstance(reference, int)
             else record_store.entry_by_reference(s, reference.strip()))
        if e is None:
            raise NotFound(msg("Không có bút toán số chứng từ «{reference}» trong sổ", reference=reference))
        loan = lending_store.loan(s, e.loan_id)
        return e.id, e.kind, e.on_date, e.amount, loan.loan_no, e.loan_id, e.reference


def _entry_result(ctx: Context, loan_id: int, entry_id: int) -> object:
    """The engine's record of entry ``entry_id`` of loan ``loan_id`` as the book reads it now (``EntryRow.result``:
    a life event's or a recovery's figures; None for another entry): what a reversal's preview says it undoes."""
    from .loans import loan_view

    return next((h.result for h in loan_view(ctx, loan_id=loan_id).history if h.id == entry_id), None)


def preview_text(ctx: Context, action: str, params: dict) -> tuple[str, str]:
    """(loan number or "", the Vietnamese preview of ``action`` with ``params``); nothing written. Raises
    ``UserFacingError`` when the action would be refused now."""
    if action == "reverse":
        entry_id, kind, on, amount, loan_no, _loan_id, reference = entry_by_reference(ctx, _entry_key(params))
        from .posting import preview_reversal_receipts

        changed = preview_reversal_receipts(ctx, entry_id)
        # what it undoes: a write-off's principal and interest, a restructuring's months (both stored with 0); a
        # transaction's text as before, so a proposal made earlier still confirms
        result = _entry_result(ctx, _loan_id, entry_id)
        what = moved(kind, amount, result)
        said = ("" if what is None else f", số tiền {what.render()}" if figure(kind, amount, result) is not None
                else f": {what.render()}")
        text = (f"Hủy bút toán {reference or '#' + str(entry_id)} "
                f"({_lower_first(entry_kind_label(shown_kind(kind, result)))}) ngày {short_date(on)}{said}, khoản vay "
                f"{loan_no}. Lý do: {params['reason']}")
        if changed:
            text += "\n" + changed
        return loan_no, text
    if action in ("restructure", "relief", "write_off"):
        from . import event_previews
        from .events import loan_id_of

        loan_no = params["loan_no"]
        loan_id, on = loan_id_of(ctx, loan_no), _d(params["on"])
        if action == "restructure":
            p = event_previews.preview_restructure(ctx, loan_id, on, params["extend_months"], params["grace_periods"])
            terms = restructure_words(p.extend_months, p.grace_periods).render()
            text = (f"Cơ cấu lại khoản vay {loan_no} ngày {short_date(on)}: {terms}; lãi chuyển sang kỳ sau "
                    f"{vnd(p.deferred_interest)}; lần cơ cấu thứ {p.number}; nhóm nợ {p.group_before} → "
                    f"{p.debt_group}; dư nợ gốc {vnd(p.principal_outstanding)}; hạn cuối {short_date(p.before[-1].due_on)} → "
                    f"{short_date(p.after[-1].due_on)}")
        elif action == "relief":
            p = event_previews.preview_relief(ctx, loan_id, on, params["relief_of"], params["amount"])
            text = (f"Miễn, giảm {vnd(params['amount'])} {relief_label(params['relief_of'])} khoản vay {loan_no} ngày "
                    f"{short_date(on)}; nhóm nợ {p.group_before} → {p.balances.debt_group}")
        else:
            p = event_previews.preview_write_off(ctx, loan_id, on)
            text = (f"Xử lý rủi ro khoản vay {loan_no} ngày {short_date(on)}: gốc {vnd(p.principal)}, lãi "
                    f"{vnd(p.interest)} chuyển ngoại bảng; dự phòng {vnd(p.provision)}")
        text += f". Số quyết định {params.get('reference') or '(tự cấp)'}. Lý do: {params.get('reason', '')}"
        return loan_no, text
    if action == "limit_override":
        from .applications import check_limits

        limits = check_limits(ctx, params["application_id"], params["terms"]["amount"])
        text = (f"Phê duyệt vượt giới hạn hồ sơ #{params['application_id']} số tiền "
                f"{vnd(params['terms']['amount'])}: " + "; ".join(b.render() for b in limits.breaches) +  # stored: Vietnamese
                f". Lý do: {params['override_reason']}")
        return "", text
    if action == "settings":
        from .settings import changes_shown, changes_vietnamese, load_settings

        changes = changes_vietnamese(changes_shown(dataclasses.asdict(load_settings(ctx)), params["values"]))
        return "", "Thay đổi cài đặt: " + (changes or "không có gì thay đổi")
    raise ValueError(action)


def propose(ctx: Context, action: str, params: dict) -> ProposalRow:
    """Record a proposal of ``action`` (ACTIONS) with ``params`` (JSON values) and its preview, for another user
    holding the confirming right. The maker needs the proposing right. Raises ``RightRefused`` or the action's
    own refusal (its preview is computed first)."""
    if action not in ACTIONS:
        raise ValidationError(msg("Không có thao tác «{action}»", action=action), field="action")
    require(ctx, ACTIONS[action][1])
    loan_no, text = preview_text(ctx, action, params)
    with ctx.db.unit() as s:
        r = record_store.add_proposal(s, action=action, params=json.dumps(params, ensure_ascii=False, sort_keys=True),
                                      preview=text, loan_no=loan_no, status="pending", proposed_by=ctx.user,
                                      decided_by="", note="")
        office_store.audit(s, ctx.user, "propose", f"#{r.id} {action} {loan_no}: {text}"[:2000])
        return _row(r)


def pending(ctx: Context, mine: bool = True) -> list[ProposalRow]:
    """Proposals waiting: with ``mine``, those this user may confirm (holding a confirming right, not the maker)."""
    with ctx.db.read() as s:
        rows = [_row(r) for r in record_store.proposals(s, "pending")]
    if not mine:
        return rows
    return [r for r in rows if r.proposed_by != ctx.user and any(allowed(ctx, x) for x in ACTIONS[r.action][2])]


def proposal_rows(ctx: Context, status: str | None = None) -> list[ProposalRow]:
    """Every proposal (of ``status``), oldest first."""
    with ctx.db.read() as s:
        return [_row(r) for r in record_store.proposals(s, status)]


# a proposal's status in words (``record_models.PROPOSAL_STATUSES``): a refusal named «confirmed» to the officer
STATUS_WORDS = {"pending": N_("đang chờ duyệt"), "confirmed": N_("đã xác nhận"), "refused": N_("đã từ chối"),
                "failed": N_("không thực hiện được")}


def _decided_already(r) -> UserFacingError:
    """The refusal of deciding proposal ``r`` (its record), which another checker decided first."""
    return UserFacingError(
        msg("Đề xuất số {proposal_id} đã được xử lý: {decided_by} {status} trước; lần này không ghi gì thêm. Xem "
            "lại danh sách chờ duyệt.",
            proposal_id=r.id, decided_by=r.decided_by or "—", status=msg(STATUS_WORDS.get(r.status, r.status))))


def decide_in(s, ctx: Context, proposal_id: int, status: str, note: str = "") -> None:
    """Mark proposal ``proposal_id`` ``status`` (confirmed or refused) by this user, audited, inside unit of work
    ``s``: its row is locked first, so of two checkers deciding it at the same moment the second waits and is
    refused (``_decided_already``) — with everything of his unit rolled back — instead of doing it a second time or
    overwriting the first one's decision. Raises ``NotFound`` when there is no such proposal."""
    r = record_store.proposal_to_decide(s, proposal_id)
    if r is None:
        raise NotFound(msg("Không có đề xuất số {proposal_id}", proposal_id=proposal_id))
    if r.status != "pending":
        raise _decided_already(r)
    r.status, r.decided_by, r.decided_at, r.note = status, ctx.user, sql.now(), note
    s.flush()
    office_store.audit(s, ctx.user, "proposal confirmed" if status == "confirmed" else "proposal refused",
                       f"#{r.id} {r.action} {r.loan_no} (lập bởi {r.proposed_by})" + (f": {note}" if note else ""))


def record_confirmation(s, ctx: Context) -> None:
    """In the unit of work that does what proposal ``ctx.confirming`` proposed (a posting, a reversal, an approval, a
    change of settings): mark it confirmed in the same transaction, so the action and its confirmation are written
    together or not at all (a server stopped between them left a reversal done and its proposal pending, to be
    confirmed again), and a second checker confirming it meanwhile is refused. Nothing when not confirming."""
    if ctx.confirming is not None:
        decide_in(s, ctx, ctx.confirming, "confirmed")


def _claim(ctx: Context, proposal_id: int) -> ProposalRow:
    with ctx.db.unit() as s:
        r = record_store.proposal(s, proposal_id)
        if r is None:
            raise NotFound(msg("Không có đề xuất số {proposal_id}", proposal_id=proposal_id))
        if r.status != "pending":
            raise _decided_already(r)
        _label, _propose, confirm = ACTIONS[r.action]
        if not any(allowed(ctx, x) for x in confirm):
            require(ctx, confirm[0])
        if r.proposed_by == ctx.user:
            raise UserFacingError(
                msg("Người lập đề xuất «{user}» không thể tự xác nhận: cần một người khác có quyền «{right}»",
                    user=ctx.user, right=msg(RIGHTS[confirm[0]])))
        return _row(r)


def _decide(ctx: Context, proposal_id: int, status: str, note: str) -> None:
    with ctx.db.unit() as s:
        decide_in(s, ctx, proposal_id, status, note)


def refuse(ctx: Context, proposal_id: int, note: str = "") -> None:
    """Refuse a proposal (a different user holding a confirming right). Audited."""
    _claim(ctx, proposal_id)
    _decide(ctx, proposal_id, "refused", note.strip())


def confirm(ctx: Context, proposal_id: int) -> object:
    """Confirm a proposal and do what it proposed, as this user (a different one from the maker, holding a
    confirming right). The preview is recomputed first: if it no longer reads as the maker saw it, the
    confirmation is refused. Returns the action's result (``Posted`` for entries). Raises ``UserFacingError``."""
    row = _claim(ctx, proposal_id)
    _loan_no, text = preview_text(ctx, row.action, row.params)
    if text != row.preview:
        raise UserFacingError(
            msg("Sổ đã thay đổi từ khi lập đề xuất số {proposal_id}: nội dung không còn như người lập đã xem. Hãy "
                "từ chối và lập đề xuất mới.\nKhi lập: {preview}\nBây giờ: {text}",
                proposal_id=proposal_id, preview=row.preview, text=text))
    acting = dataclasses.replace(ctx, confirming=proposal_id)
    result = _execute(acting, row.action, row.params)  # its unit of work marks the proposal confirmed
    with ctx.db.read() as s:
        still_pending = getattr(record_store.proposal(s, proposal_id), "status", "") == "pending"
    if still_pending:  # an action whose unit did not (none should): decided after it, as before
        _decide(ctx, proposal_id, "confirmed", "")
    return result


def changed_receipts_of(ctx: Context, proposal_id: int) -> str:
    """The receipts already issued whose split confirming proposal ``proposal_id`` would change
    (``posting.preview_reversal_receipts`` of a reversal's entry, as the book reads now; "" for any other action or
    when none changes): what the checker is shown again before confirming, as the maker was. Raises what confirming
    would first (``NotFound``, a proposal decided already, ``RightRefused``, the maker confirming his own), and
    ``UserFacingError`` when the entry was reversed meanwhile. Nothing written."""
    row = _claim(ctx, proposal_id)
    if row.action != "reverse":
        return ""
    from .posting import preview_reversal_receipts

    return preview_reversal_receipts(ctx, entry_by_reference(ctx, _entry_key(row.params))[0])


def _execute(ctx: Context, action: str, p: dict) -> object:
    if action == "reverse":
        from .posting import reverse_entry

        entry_id = entry_by_reference(ctx, _entry_key(p))[0]
        return reverse_entry(ctx, entry_id, p["reason"])
    if action in ("restructure", "relief", "write_off"):
        from . import events

        loan_id, on = events.loan_id_of(ctx, p["loan_no"]), _d(p["on"])
        if action == "restructure":
            return events.restructure(ctx, loan_id, on, p["extend_months"], p["grace_periods"], p.get("reference", ""),
                                      p.get("reason", ""))
        if action == "relief":
            return events.relieve_interest(ctx, loan_id, on, p["relief_of"], p["amount"], p.get("reference", ""),
                                           p.get("reason", ""))
        return events.write_off(ctx, loan_id, on, p.get("reference", ""), p.get("reason", ""))
    if action == "limit_override":
        from .applications import approve_application
        from .loan_terms import make_terms

        return approve_application(ctx, p["application_id"], make_terms(**p["terms"]), p["override_reason"],
                                   approved_on=_d(p["approved_on"]) if p.get("approved_on") else None)
    if action == "settings":
        from .settings import FundSettings, load_settings, save_settings

        values = {**dataclasses.asdict(load_settings(ctx)), **p["values"]}
        return save_settings(ctx, FundSettings(**values))
    raise ValueError(action)


def set_maker_checker(ctx: Context, action: str, on: bool) -> None:
    """Switch maker-checker on or off for ``action`` (right ``settings``); the switch itself is audited."""
    require(ctx, "settings")
    if action not in ACTIONS:
        raise ValidationError(msg("Không có thao tác «{action}»", action=action), field="action")
    with ctx.db.unit() as s:
        office_store.set_setting(s, MAKER_CHECKER_KEY.format(action), "on" if on else "off")
        office_store.audit(s, ctx.user, "maker-checker", f"{ACTIONS[action][0]}: {'bật' if on else 'tắt'} hai người duyệt")


def maker_checker_settings(ctx: Context) -> dict[str, bool]:
    """action → whether maker-checker is on (the stored switch; a book without users applies none)."""
    with ctx.db.read() as s:
        stored = office_store.settings(s)
    return {a: stored.get(MAKER_CHECKER_KEY.format(a), "on") != "off" for a in ACTIONS}
