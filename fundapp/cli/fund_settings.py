"""The command line's ``settings`` command: the settings the papers print (the fund's name, parent body, province,
place, address, signers, bank account), listed or changed through the service the window's Settings page saves
with (``services.settings.save_settings``: its checks, its audit record, the right «thay đổi cài đặt», and a
proposal another administrator confirms on a book whose maker-checker is on). Every paper made from the command
line of a book never named warned of blanks and sent the officer to the window's Settings page."""

from __future__ import annotations

import argparse
from dataclasses import replace

from fundapp.domain.messages import N_, msg

COMMANDS = frozenset({"settings"})
EXAMPLE = ('fundapp --db book.sqlite settings --fund-name "QUỸ HỖ TRỢ PHÁT TRIỂN HỢP TÁC XÃ TỈNH QUẢNG TRỊ" '
           '--parent-body "LIÊN MINH HỢP TÁC XÃ TỈNH QUẢNG TRỊ" --province "Tỉnh Quảng Trị" --place "Quảng Trị"')
NAMING_ADVICE = ('fundapp settings --fund-name "…" --parent-body "…" --province "…" --place "…"')
SWITCHES = ("on", "off")  # --deputy-signs: on (the deputy signs «KT. GIÁM ĐỐC»), off


def option(name: str) -> str:
    """The option of setting ``name``: «--fund-name» for fund_name."""
    return "--" + name.replace("_", "-")


def add_parser(sub) -> None:
    """Add ``settings`` to the sub-commands ``sub``: one option for each of ``PAPER_SETTINGS``, each helped by the
    label the Settings page gives the field."""
    from fundapp.cli.parser import RAW, examples
    from fundapp.services.settings import PAPER_SETTINGS, SETTING_LABELS

    s = sub.add_parser("settings", help=str(msg("các cài đặt in trên giấy tờ (tên Quỹ, địa chỉ, người ký…): xem, sửa")),
                       description=str(msg("Không có tùy chọn: in các cài đặt. Có tùy chọn: lưu các cài đặt đó (như "
                                           "trang «Cài đặt» của chương trình: cần quyền thay đổi cài đặt, ghi nhật "
                                           "ký).")),
                       epilog=examples(EXAMPLE, "fundapp --db book.sqlite settings"), formatter_class=RAW)
    for name in PAPER_SETTINGS:
        if name == "deputy_signs":
            s.add_argument(option(name), choices=SWITCHES, default=None, metavar=str(msg(N_("BẬT_TẮT"))),
                           help=str(msg("{label}: on hoặc off", label=msg(SETTING_LABELS[name]))))
        else:
            s.add_argument(option(name), default=None, metavar=str(msg(N_("GIÁ_TRỊ"))),
                           help=str(msg(SETTING_LABELS[name])))


def dispatch(ctx, args: argparse.Namespace) -> int:
    """List the paper settings (no option given) or save those given; returns the exit status (0; a refusal raises:
    ``ValidationError``, ``RightRefused``). A save that becomes a proposal prints it and exits 0, as ``reverse``
    does."""
    from fundapp.services.errors import ValidationError
    from fundapp.services.rights import ProposalMade
    from fundapp.services.settings import (
        PAPER_SETTINGS,
        changes_shown,
        changes_vietnamese,
        load_settings,
        naming_missing,
        papers_without_defaults,
        save_settings,
        setting_changes,
    )

    values: dict[str, object] = {}
    for name in PAPER_SETTINGS:
        given = getattr(args, name)
        if given is not None:
            values[name] = given == "on" if name == "deputy_signs" else given.strip()
    if not values:
        return _list(ctx)
    for name in ("fund_name", "parent_body", "province", "place"):
        if name in values and not values[name]:
            raise ValidationError(msg("{option}: không được để trống (giấy tờ in mục này)", option=option(name)),
                                  field=name)
    missing = naming_missing(ctx, values)
    if missing:
        raise ValidationError(msg("Sổ chưa có tên Quỹ: lần đầu cần đủ --fund-name, --parent-body, --province và --place "
                                  "(giấy tờ in bốn mục này; thiếu mục nào, giấy tờ in mục đó theo tỉnh khác); còn "
                                  "thiếu {missing}", missing=", ".join(option(n) for n in missing)), field=missing[0])
    current = load_settings(ctx)
    with papers_without_defaults(ctx):
        printed = load_settings(ctx)
    wanted = replace(current, **values)
    if not setting_changes(current, wanted):
        print(msg("Không có thay đổi nào để lưu."))
        return 0
    from dataclasses import asdict

    try:
        saved = save_settings(ctx, wanted, current)
    except ProposalMade as made:  # maker-checker: recorded for another administrator to confirm (fundapp confirm)
        print(made.message)
        return 0
    # the changes from what the papers printed: a book never named printed «……» where its stored defaults hold
    # another province's names, which the list above had not shown (an officer's trial: setting them reported only
    # two of the five values given)
    print(msg("Đã lưu cài đặt: {changes}", changes=changes_vietnamese(changes_shown(asdict(printed), asdict(saved)))))
    return 0


def _list(ctx) -> int:
    """Print each paper setting as the papers print it (a book never named: the dotted blanks), with its option."""
    from fundapp.services.settings import (
        PAPER_SETTINGS,
        SETTING_LABELS,
        SETTING_VALUE_WORDS,
        load_settings,
        papers_without_defaults,
    )

    with papers_without_defaults(ctx) as unnamed:
        settings = load_settings(ctx)
    for name in PAPER_SETTINGS:
        value = getattr(settings, name)
        if name == "deputy_signs":
            shown = str(msg(SETTING_VALUE_WORDS[name][str(value)]))
        else:
            shown = str(value) or "—"
        print(f"{msg(SETTING_LABELS[name])} ({option(name)}): {shown}")
    if unnamed:
        print(msg("Chưa nhập tên Quỹ: giấy tờ in các mục «……» để trống. Nhập bằng: {command}", command=NAMING_ADVICE))
    return 0
