"""The audit journal reads in the fund's words, whatever its stored records say (they are chained: never rewritten):
actions and documents by their Vietnamese labels, a recovery as one, entries by their reference with what they moved,
dates dd/mm/yyyy and amounts grouped (a new officer's trial: «write_off: 03/QĐ-QHT», «HD2025-018 2026-12-03 50000000
PT-2026-00001» logged «Ghi thu nợ» for a recovery)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from fundapp.domain.events import Kind
from fundapp.formatting import group_thousands
from fundapp.i18n import render
from fundapp.services.audit import audit_log
from fundapp.services.audit_text import ACTION_LABELS, entries_book, plain, shown
from tests.unit.test_life_events_described import _g, _undo_all, _written_off, book  # noqa: F401  (the fixture)


def test_the_audit_journal_reads_in_the_funds_words(book, tmp_path):  # noqa: F811  (the fixture)
    w = _written_off(book)
    _undo_all(book, tmp_path)
    rows = audit_log(book, start=date(2000, 1, 1), end=date(2100, 1, 1))
    total = w.principal + w.interest
    by_label: dict[str, list[str]] = {}
    for r in rows:
        by_label.setdefault(r.label, []).append(r.detail)
    assert by_label["Thu hồi nợ đã xử lý rủi ro"] == ["HD2024-028 ngày 15/07/2025, số PT-0900: 10.000.000 đ "
                                                       "(thu hồi gốc 10.000.000 đ, lãi 0 đ)"]
    assert by_label["Xử lý rủi ro"] == [f"HD2024-028 ngày 30/06/2025, số QĐ-XL-0200: {_g(total)} đ (ngoại bảng: gốc "
                                        f"850.000.000 đ, lãi {_g(w.interest)} đ) — Giải thể"]
    assert by_label["Cấp số tài liệu"][0].startswith("Quyết định xử lý rủi ro: 01/QĐ-")
    assert any(d.startswith("HD2024-028: hủy bút toán QĐ-XL-0200 ngày 30/06/2025 — Xử lý rủi ro: " + _g(total))
               for d in by_label["Hủy bút toán"])
    for r in rows:  # no ISO date, no ungrouped amount, no raw kind anywhere
        assert not re.search(r"\d{4}-\d\d-\d\d|\b\d{5,}\b|write_off|statement:", r.detail), r.detail
    # found as shown: the recovery by its label, and its reversal, which names it so
    assert [r.label for r in audit_log(book, text="thu hồi nợ")] == ["Hủy bút toán", "Thu hồi nợ đã xử lý rủi ro"]
    assert len(audit_log(book, text="15/07/2025")) == 2  # the recovery and its reversal, found as shown



def test_records_of_every_format_read_with_dates_and_amounts_as_the_officer_writes_them():
    assert plain("HD2025-018 2026-12-03 50000000 PT-2026-00001") == "HD2025-018 03/12/2026 50.000.000 PT-2026-00001"
    assert plain("#12 500000000") == "#12 500.000.000"
    assert plain("TS-1: Nhà xưởng 1500 đ") == "TS-1: Nhà xưởng 1.500 đ"
    # references, loan numbers, years and small counts stay as written
    assert plain("QĐ-CC-0019/HD2024-019 năm 2024: 3 khoản vay, PT-2026-00001") == \
        "QĐ-CC-0019/HD2024-019 năm 2024: 3 khoản vay, PT-2026-00001"


# -- every action recorded has its label ----------------------------------------------------------------------------
PACKAGE = Path(__file__).resolve().parents[2] / "fundapp"
# the only code that writes an audit record, and how each is given its action (any other writer fails the test)
AUDIT_WRITERS = {("ledger/office_store.py", "audit"), ("ledger/posting_store.py", "write_posting"),
                 ("ledger/posting_store.py", "_write_statement")}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(PACKAGE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    yield from (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))


def _own_calls(function: ast.AST) -> Iterator[ast.Call]:
    """The calls in ``function``'s body, not in the functions defined inside it (each is walked on its own)."""
    for child in ast.iter_child_nodes(function):
        if isinstance(child, ast.Call):
            yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _own_calls(child)


def _called(call: ast.Call) -> str:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", "")


def _argument(call: ast.Call, index: int, name: str) -> ast.expr | None:
    found = [k.value for k in call.keywords if k.arg == name]
    return found[0] if found else (call.args[index] if len(call.args) > index else None)


def _placeholder_values(tree: ast.Module, function: ast.FunctionDef, name: str, where: str) -> set[str]:
    """The values an f-string's ``{name}`` takes: a parameter typed ``Kind`` takes every kind; another parameter, the
    constants every call of ``function`` in its module passes for it."""
    params = [*function.args.posonlyargs, *function.args.args]
    named = {a.arg: a for a in [*params, *function.args.kwonlyargs]}
    assert name in named, f"{where}: {{{name}}} of an audit action is no parameter: say here what it can be"
    if getattr(named[name].annotation, "id", None) == "Kind":
        return {str(k) for k in Kind}
    index = next((i for i, a in enumerate(params) if a.arg == name), -1)
    values = set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and _called(n) == function.name):
        arg = _argument(call, index if index >= 0 else 10**6, name)
        assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), \
            f"{where}: {function.name}() is called with a {{{name}}} that is no constant: say here what it can be"
        values.add(arg.value)
    assert values, f"{where}: {function.name}() is never called: {{{name}}} cannot be told"
    return values


def _actions(tree: ast.Module, function: ast.FunctionDef, node: ast.expr | None, where: str) -> set[str]:
    """Every action string ``node`` (an audit call's action argument) can be."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _actions(tree, function, node.body, where) | _actions(tree, function, node.orelse, where)
    if isinstance(node, ast.JoinedStr):
        out = {""}
        for part in node.values:
            if isinstance(part, ast.Constant):
                out = {o + part.value for o in out}
            else:
                assert isinstance(part.value, ast.Name), f"{where}: an audit action built from an expression"
                out = {o + v for o in out for v in _placeholder_values(tree, function, part.value.id, where)}
        return out
    raise AssertionError(f"{where}: cannot tell which action is recorded here ({ast.dump(node) if node else 'none'})")


def recorded_actions() -> dict[str, str]:
    """Every action the code can record in the audit journal → where (fundapp/FILE:LINE): the action argument of
    every ``office_store.audit`` call and of every ``posting_store.write_posting`` audit ``dict``."""
    found: dict[str, str] = {}
    for module, tree in _modules():
        for function in _functions(tree):
            for call in _own_calls(function):
                where = f"fundapp/{module}:{call.lineno}"
                if _called(call) == "audit" and (module, function.name) not in AUDIT_WRITERS:
                    node = _argument(call, 2, "action")
                elif _called(call) == "write_posting":
                    record = _argument(call, 2, "audit")
                    assert isinstance(record, ast.Call) and _called(record) == "dict", where
                    node = _argument(record, 10**6, "action")
                else:
                    continue
                for action in _actions(tree, function, node, where):
                    found.setdefault(action, where)
    return found


def test_the_code_writes_audit_records_only_through_the_known_writers():
    """A new way of writing an audit record must be taught to ``recorded_actions`` (its action then checked below)."""
    writers = set()
    for module, tree in _modules():
        for function in _functions(tree):
            calls = {_called(n) for n in ast.walk(function) if isinstance(n, ast.Call)}
            names = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
            if "AuditRecord" in calls or ("AuditRecord" in names and "insert" in calls):
                writers.add((module, function.name))
    assert writers == AUDIT_WRITERS


def test_every_action_the_code_records_has_its_label_in_the_funds_words():
    """A new officer's trial: Nhật ký showed «collateral add», «collateral revise», «template install» and «template
    restore» as stored. Every action any code records (found in the source, so a new one cannot slip through) has
    its Vietnamese label, which the journal shows instead of the key."""
    recorded = recorded_actions()
    assert {"login", "post repayment", "post write_off", "proposal confirmed", "proposal refused", "user enable",
            "collateral add", "template restore", "post restructure batch"} <= set(recorded)  # the scan finds them
    missing = {a: where for a, where in recorded.items() if a not in ACTION_LABELS}
    assert missing == {}
    for action in recorded:
        label, _detail = shown(action, "", entries_book([]))
        assert render(label) == render(ACTION_LABELS[action]) != action, action


def test_the_collateral_and_template_records_read_in_the_funds_words(sample_ctx):
    from fundapp.services import collateral
    from fundapp.services.templates import default_template, install_template, restore_default

    install_template(sample_ctx, "contract", default_template("contract"))
    restore_default(sample_ctx, "contract")
    asset = collateral.add(sample_ctx, dict(kind="land", description="Thửa đất số 12, tờ bản đồ 5", owner="HTX",
                                            value=1_500_000_000, valued_on=date(2024, 3, 1)), loan_no="HD2024-001")
    collateral.release(sample_ctx, asset.id, date(2024, 12, 31))
    rows = [(r.label, r.detail) for r in audit_log(sample_ctx, start=date(2000, 1, 1), end=date(2100, 1, 1))
            if r.action.startswith(("collateral", "template"))]
    size = group_thousands(len(default_template("contract")))
    assert rows == [
        ("Cập nhật tài sản bảo đảm", f"tài sản số {asset.id}, phiên bản 2"),
        ("Thêm tài sản bảo đảm", f"tài sản số {asset.id}: Thửa đất số 12, tờ bản đồ 5, giá trị 1.500.000.000 đ"),
        ("Dùng mẫu mặc định", "Hợp đồng tín dụng"),
        ("Dùng mẫu riêng của Quỹ", f"Hợp đồng tín dụng: tệp {size} byte"),
    ]
    # the records name the asset, and the journal's «Khoản vay» column and loan filter its loan (they were empty)
    assert {r.action: r.loan_no for r in audit_log(sample_ctx, loan_no="HD2024-001", start=date(2000, 1, 1),
                                                    end=date(2100, 1, 1)) if r.action.startswith("collateral")} == {
        "collateral add": "HD2024-001", "collateral revise": "HD2024-001"}
    # the description is the officer's words: a loan number or «HDMI» in it is not the record's loan
    other = collateral.add(sample_ctx, dict(kind="machinery", description="Máy chiếu HDMI, thay máy của HD2023-999",
                                            owner="HTX", value=20_000_000, valued_on=date(2024, 3, 1)),
                           loan_no="HD2024-001")
    assert [r.loan_no for r in audit_log(sample_ctx, loan_no="HD2024-001", start=date(2000, 1, 1),
                                         end=date(2100, 1, 1)) if f"tài sản số {other.id}:" in r.detail] == ["HD2024-001"]
    # a record of an older version (services.collateral.import_rows, removed in f25bb0f) reads so too
    assert [render(x) for x in shown("collateral import", "2 from collateral.csv", entries_book([]))] == \
        ["Nhập tài sản bảo đảm", "2 tài sản từ «collateral.csv»"]


def test_an_application_s_asset_is_named_by_its_loan_once_the_contract_is_signed(sample_ctx):
    """An asset pledged for an application has no loan yet (the column stays empty); once its contract is signed,
    the journal names the loan the application became."""
    from fundapp.services import applications, borrowers, collateral, loan_terms

    borrower_id = borrowers.list_borrowers(sample_ctx)[0].id
    app = applications.receive_application(sample_ctx, borrower_id, 100_000_000, "Mua máy",
                                           received_on=date(2024, 11, 2))
    collateral.add(sample_ctx, dict(kind="land", description="Thửa đất số 7", owner="HTX", value=300_000_000,
                                    valued_on=date(2024, 11, 1)), application_id=app.id)

    def loan_of_asset() -> str:
        return next(r.loan_no for r in audit_log(sample_ctx, start=date(2000, 1, 1), end=date(2100, 1, 1))
                    if r.action == "collateral add")

    assert loan_of_asset() == ""
    applications.appraise_application(sample_ctx, app.id, "Đạt")
    applications.approve_application(sample_ctx, app.id, loan_terms.make_terms(amount=100_000_000, rate="7.2",
                                                                               term_months=12, frequency_months=3),
                                      override_reason="Vốn điều lệ chưa khai báo")
    applications.sign_contract(sample_ctx, app.id, "HD2024-901", date(2024, 11, 20))
    assert loan_of_asset() == "HD2024-901"


def test_a_settings_record_says_what_changed_from_what_to_what(sample_ctx):
    """A new officer's trial: every save of the settings read «Cập nhật cài đặt — cập nhật cài đặt», naming nothing.
    It names each setting changed as the settings page labels it, with the value before and after."""
    import dataclasses

    from fundapp.services.settings import SETTING_LABELS, load_settings, save_settings
    from fundapp.ui.pages.settings import SIGNER_FIELDS, TEXT_FIELDS

    before = load_settings(sample_ctx)
    save_settings(sample_ctx, dataclasses.replace(before, watch_days=120, director="Lê Văn Tâm"))
    save_settings(sample_ctx, load_settings(sample_ctx))  # nothing changed
    # a value quoting the journal's own marks is one change, not a made-up second one; a flag reads in words
    spoof = "x»; director: «Nguyễn A» → «Trần B"
    save_settings(sample_ctx, dataclasses.replace(load_settings(sample_ctx), address=spoof,
                                                  deputy_signs=not before.deputy_signs))
    rows = [r.detail for r in audit_log(sample_ctx, start=date(2000, 1, 1), end=date(2100, 1, 1))
            if r.action == "settings"]
    words = {True: "có", False: "không"}
    assert rows == [f"Địa chỉ: «{before.address}» → «{spoof}»; Phó giám đốc ký thay (KT. GIÁM ĐỐC): "
                    f"«{words[before.deputy_signs]}» → «{words[not before.deputy_signs]}»",
                    "không có gì thay đổi",
                    f"Giám đốc: «{before.director}» → «Lê Văn Tâm»; "
                    f"Theo dõi sau cơ cấu lại, miễn giảm lãi (ngày): «{before.watch_days}» → «120»"]
    # the page's labels are the service's (the journal names a field as the page does)
    assert {name: SETTING_LABELS[name] for name, _ in (*TEXT_FIELDS, *SIGNER_FIELDS)} == dict((*TEXT_FIELDS,
                                                                                             *SIGNER_FIELDS))


def test_the_loan_filter_finds_a_loan_s_records_however_old(sample_ctx):
    """The loan filter looked among the newest ``limit`` records only (5,000 on the page): a loan whose records were
    older than that showed none, as if nothing had been written of it (a reviewer's finding)."""
    from fundapp.services import posting
    from fundapp.services.queries import list_loans

    first, other = [r for r in list_loans(sample_ctx) if r.principal_outstanding][:2]
    posting.post_transaction(sample_ctx, first.id, Kind.REPAYMENT, date(2024, 12, 30), 1_000_000)
    for day in (28, 29, 30, 31):
        posting.post_transaction(sample_ctx, other.id, Kind.REPAYMENT, date(2024, 12, day), 1_000_000)
    everything = audit_log(sample_ctx, start=date(2000, 1, 1), end=date(2100, 1, 1), limit=1_000_000)
    its = [r.id for r in everything if r.loan_no == first.loan_no]
    assert its and its[0] < everything[3].id  # older than the newest four records
    for typed in (first.loan_no, first.loan_no.lower()):
        assert [r.id for r in audit_log(sample_ctx, loan_no=typed, start=date(2000, 1, 1), end=date(2100, 1, 1),
                                        limit=3)] == its[:3]


def test_the_actor_filter_lists_whoever_wrote_however_long_ago(sample_ctx, monkeypatch):
    """The actor filter listed the names of the newest 100,000 records only: an officer who last wrote before them
    could not be chosen. As if the journal were longer than that, the records are read at most three at a time."""
    from fundapp.ledger import office_store, record_store
    from fundapp.services.audit import audit_actors

    with sample_ctx.db.unit() as s:
        office_store.audit(s, "cán bộ cũ", "settings", "{}")
    for _ in range(4):
        with sample_ctx.db.unit() as s:
            office_store.audit(s, "cán bộ mới", "settings", "{}")
    newest = record_store.audit_rows
    monkeypatch.setattr(record_store, "audit_rows", lambda *a, **k: newest(*a, **{**k, "limit": min(k.get("limit", 3), 3)}))
    assert {"cán bộ cũ", "cán bộ mới"} <= set(audit_actors(sample_ctx))


def test_a_loan_numbered_otherwise_than_hd_is_a_record_s_loan(tmp_path):
    """The journal named a record's loan only when its number began with «HD»: a fund numbering its loans
    «04.2024.TDQHT» or «TD2024-021» (both accepted by the import) saw an empty «Khoản vay» column and found nothing
    by the loan filter (a new officer's trial). A word of the detail that is a loan of the book is its loan."""
    import shutil

    from fundapp.app import open_book
    from fundapp.services import posting
    from fundapp.services.imports import check_and_import
    from fundapp.services.queries import list_loans
    from tests.golden import GOLDEN

    folder = tmp_path / "book"
    shutil.copytree(GOLDEN / "sample-fund", folder)
    for f in folder.glob("*.csv"):
        f.write_text(f.read_text(encoding="utf-8").replace("HD2024-004", "04.2024.TDQHT").replace("HD20", "TD20"),
                     encoding="utf-8")
    ctx = open_book(str(tmp_path / "s.sqlite"), user="cán bộ A", today=date(2024, 12, 31))
    try:
        check_and_import(ctx, folder)
        loans = {r.loan_no: r for r in list_loans(ctx)}
        for number in ("04.2024.TDQHT", "TD2024-021"):
            posting.post_transaction(ctx, loans[number].id, Kind.REPAYMENT, date(2024, 12, 31), 1_000_000)
        shown = audit_log(ctx, start=date(2000, 1, 1), end=date(2100, 1, 1))
        assert {r.loan_no for r in shown if r.action == "post repayment"} == {"04.2024.TDQHT", "TD2024-021"}
        for typed, found in (("td2024-021", {"TD2024-021"}), ("04.2024.tdqht", {"04.2024.TDQHT"}),
                             ("TDQHT", {"04.2024.TDQHT"})):
            assert {r.loan_no for r in audit_log(ctx, loan_no=typed)} == found, typed
    finally:
        ctx.db.dispose()


def test_every_record_naming_an_asset_is_read_by_the_loan_filter():
    """The loan filter reads the records of ``ASSET_ACTIONS`` whatever their words (their loan is the asset's): an
    action ``asset_of`` reads as an asset's and left out of them would drop those records from it (a reviewer's
    point)."""
    from fundapp.services.audit_text import ASSET_ACTIONS, asset_of

    naming = {action for action in ACTION_LABELS for detail in ("12: Thửa đất 1500000 đ", "12 r2")
              if asset_of(action, detail) is not None}
    assert naming == set(ASSET_ACTIONS)


def test_a_record_s_numbers_dates_and_counts_are_no_loan_of_it():
    """A book whose loans are numbered «5», «12», «31» (a reviewer's point): an application's «#5», a proposal's
    «#12» or a closing's «31/12/2024» were taken for the record's loan; a loan's number has a letter in it."""
    from fundapp.services.audit_text import loan_of

    known = {"5", "12", "31", "HD2024-001", "04.2024.TDQHT"}
    assert loan_of("contract", "#5 → HD2024-001", known) == "HD2024-001"
    assert loan_of("propose", "#12 restructure HD2024-001: gia hạn", known) == "HD2024-001"
    assert loan_of("close", "khóa sổ đến 31/12/2024", known) == ""
    assert loan_of("document issue", "statement: 12/SK-QTD", known) == ""
    assert loan_of("contract", "#3 → 04.2024.TDQHT.", known) == "04.2024.TDQHT"


def test_saving_a_loan_product_is_journalled_in_the_funds_words(sample_ctx):
    """Every change to the book is journalled but a loan product's: saving one wrote no audit record, so Nhật ký
    could not say who added the default terms applications are made from. It is recorded in the product's own
    transaction (a refused save records nothing), names no loan, and reads in the fund's words."""
    from decimal import Decimal

    import pytest

    from fundapp.domain.terms import LoanTerms
    from fundapp.services.errors import ValidationError
    from fundapp.services.products import list_products, save_product

    save_product(sample_ctx, "HD-SX12", "Cho vay sản xuất", LoanTerms(amount=1, rate=Decimal("7.2"), term_months=12),
                 max_amount=500_000_000)
    with pytest.raises(ValidationError):
        save_product(sample_ctx, "HD-SX12", "Trùng mã", LoanTerms(amount=1, rate=Decimal("7.2"), term_months=12))
    rows = [(r.actor, r.label, r.loan_no, r.detail) for r in audit_log(sample_ctx, start=date(2000, 1, 1),
                                                                       end=date(2100, 1, 1))
            if r.action == "product add"]
    assert rows == [("tester", "Thêm sản phẩm vay", "",
                     "HD-SX12: Cho vay sản xuất, 7,2 %/năm, 12 tháng, tối đa 500.000.000 đ")]
    assert [p.code for p in list_products(sample_ctx)] == ["HD-SX12"]
