"""The documents of a loan's life events (issue 15): the restructuring decision and the amendment to the credit
contract with the new schedule, the relief decision, the write-off decision. Each is read back with pypdf and its
figures compared with the domain engine's own replay of the golden CSV files plus the event; a preview takes no
number, an issued document takes the next of its kind and a reprint keeps it. The statement and the
reconciliation minutes of a loan with events show them and the off-balance figures."""

from __future__ import annotations

from datetime import date

import pytest

from fundapp.domain.engine import InterestRelief, Restructuring, WriteOff, replay_entries
from fundapp.domain.words import amount_in_words
from fundapp.formatting import group_thousands, short_date, vnd
from fundapp.services import documents, events
from fundapp.services.errors import NotFound
from fundapp.services.settings import load_settings
from tests.docs.test_documents import squash, text
from tests.golden import sample_loans

D = date(2024, 12, 31)
WRITTEN_OFF = date(2024, 12, 20)
RESTRUCTURED, WRITE_OFF = "HD2024-019", "HD2022-002"


def golden(loan_no: str):
    return next(x for x in sample_loans() if x.loan_no == loan_no)


def has(t: str, *needles: str) -> None:
    for needle in needles:
        assert squash(needle) in t, f"missing {needle!r}"


@pytest.fixture
def book(sample_ctx):
    ids = {}
    from fundapp.services.events import loan_id_of

    for no in (RESTRUCTURED, WRITE_OFF):
        ids[no] = loan_id_of(sample_ctx, no)
    events.restructure(sample_ctx, ids[RESTRUCTURED], D, 6, 1, "QĐ-CC-0019", "Thiệt hại do bão lũ tháng 10/2024")
    events.relieve_interest(sample_ctx, ids[RESTRUCTURED], D, "late_interest", 34_048, "QĐ-MG-0007", "Thiên tai")
    events.write_off(sample_ctx, ids[WRITE_OFF], WRITTEN_OFF, "QĐ-XL-0003", "Hợp tác xã giải thể")
    return sample_ctx


def test_restructuring_decision_and_amendment_print_the_engines_figures(book):
    loan = golden(RESTRUCTURED)
    before = replay_entries(loan.terms, loan.transactions, until=D)
    after = replay_entries(loan.terms, [*loan.transactions, Restructuring(D, 6, 1)], until=D)
    result = after.restructures[-1]
    assert (result.deferred_interest, result.number) == (4_970_959, 1)
    b = after.balances(D)
    preview = text(documents.preview_document(book, "restructuring", RESTRUCTURED, reference="QĐ-CC-0019"))
    has(preview, "Số: ……", "QUYẾT ĐỊNH", f"khoản vay số {RESTRUCTURED}", "QĐ-CC-0019",
        "Thiệt hại do bão lũ tháng 10/2024", vnd(b.principal_outstanding), "6 tháng", "1 kỳ",
        vnd(result.deferred_interest), f"{short_date(before.schedule()[-1].due_on)} thành "
        f"{short_date(after.schedule()[-1].due_on)}", "lần thứ 1", f"nhóm {b.debt_group}",
        amount_in_words(b.principal_outstanding), "GIÁM ĐỐC")
    assert b.debt_group == 2  # the restructuring's group, before that day's relief
    assert documents.document_register(book) == []  # a preview takes no number

    issued = documents.issue_document(book, "restructuring", RESTRUCTURED, reference="QĐ-CC-0019")
    abbreviation = load_settings(book).abbreviation
    assert issued.register.label == f"01/QĐ-{abbreviation}" and issued.register.on == D
    has(text(issued.pdf), f"Số: 01/QĐ-{abbreviation}")
    again = documents.issue_document(book, "restructuring", RESTRUCTURED, reference="QĐ-CC-0019")
    assert again.register.reprint and again.register.label == issued.register.label

    amendment = documents.issue_document(book, "amendment", RESTRUCTURED, reference="QĐ-CC-0019")
    assert amendment.register.label == f"01/PL-{abbreviation}"
    t = text(amendment.pdf)
    has(t, "PHỤ LỤC HỢP ĐỒNG TÍN DỤNG", "Điều chỉnh kỳ hạn trả nợ, gia hạn nợ", "ĐẠI DIỆN BÊN B", "ĐẠI DIỆN BÊN A")
    new = [k for k in after.schedule() if k.due_on > D]
    assert len(new) == 47 and new[0].principal == 0  # the grace period: the first installment after D has none
    # Kỳ 8 (05/01/2025) carries the deferred interest in its own figure: 5.136.658 projected + 4.970.959 deferred
    assert (new[0].no, new[0].interest, new[1].interest) == (8, 10_107_617, 5_136_658)
    has(t, f"Tiền lãi kỳ {new[0].no} (đến hạn ngày {short_date(new[0].due_on)}) đã bao gồm lãi đến hạn chưa trả "
           f"được chuyển sang: {vnd(4_970_959)}")
    for k in new:  # every installment of the new schedule, as the engine has it
        has(t, f"{k.no}{short_date(k.due_on)}{group_thousands(k.principal)}{group_thousands(k.interest)}")


def test_relief_decision(book):
    loan = golden(RESTRUCTURED)
    state = replay_entries(loan.terms, [*loan.transactions, Restructuring(D, 6, 1),
                                        InterestRelief(D, "late_interest", 34_048)], until=D)
    assert state.reliefs[-1].amount == 34_048 and state.balances(D).debt_group == 3
    t = text(documents.preview_document(book, "relief", RESTRUCTURED, reference="QĐ-MG-0007"))
    has(t, "Về việc miễn, giảm lãi", "lãi chậm trả", vnd(34_048), amount_in_words(34_048), "nhóm 3", "Thiên tai")


def test_write_off_decision(book):
    loan = golden(WRITE_OFF)
    without = replay_entries(loan.terms, loan.transactions, until=WRITTEN_OFF)
    group = without.balances(WRITTEN_OFF).debt_group
    state = replay_entries(loan.terms, [*loan.transactions, WriteOff(WRITTEN_OFF)], until=WRITTEN_OFF)
    w = state.write_offs[-1]
    assert (w.principal, w.interest, group) == (320_000_000, 68_706_095, 5)
    provision = w.principal * int(load_settings(book).provision_map()[group]) // 100
    issued = documents.issue_document(book, "write_off", WRITE_OFF, reference="QĐ-XL-0003")
    assert issued.register.on == WRITTEN_OFF
    has(text(issued.pdf), "Về việc xử lý rủi ro", vnd(w.principal), vnd(w.interest), vnd(w.principal + w.interest),
        amount_in_words(w.principal + w.interest), f"dư nợ gốc nhóm {group}", vnd(provision),
        amount_in_words(provision), "ngoại bảng", "Hợp tác xã giải thể")


def test_a_document_of_an_event_the_loan_has_not_is_refused(book):
    with pytest.raises(NotFound) as err:
        documents.preview_document(book, "write_off", RESTRUCTURED, reference="QĐ-XL-0003")
    assert "không có lần xử lý rủi ro «QĐ-XL-0003»" in err.value.message


def test_statement_and_minutes_show_the_events_and_what_is_off_balance(book):
    loan = golden(RESTRUCTURED)
    state = replay_entries(loan.terms, [*loan.transactions, Restructuring(D, 6, 1),
                                        InterestRelief(D, "late_interest", 34_048)], until=D)
    t = text(documents.issue_document(book, "statement", RESTRUCTURED, D).pdf)
    has(t, "Cơ cấu lại, miễn giảm lãi, xử lý rủi ro", "QĐ-CC-0019", "gia hạn 6 tháng, ân hạn gốc 1 kỳ",
        vnd(state.restructures[-1].deferred_interest), "QĐ-MG-0007", "Miễn, giảm lãi chậm trả", vnd(34_048))
    assert squash("restructure") not in t and squash("interest_relief") not in t  # no key left untranslated
    w = replay_entries(golden(WRITE_OFF).terms, [*golden(WRITE_OFF).transactions, WriteOff(WRITTEN_OFF)], until=D)
    p, i = w.off_balance
    assert (p, i) == (320_000_000, 68_706_095)
    t = text(documents.issue_document(book, "reconciliation", WRITE_OFF, D).pdf)
    has(t, "Xử lý rủi ro (xóa nợ bằng dự phòng), chuyển ngoại bảng", "QĐ-XL-0003", vnd(p + i),
        f"còn theo dõi ngoại bảng đến hết ngày {short_date(D)}: gốc {vnd(p)}, lãi {vnd(i)}")
    # the minutes as of a day before the write-off know nothing of it
    earlier = text(documents.preview_document(book, "reconciliation", WRITE_OFF, date(2024, 12, 1)))
    assert squash("QĐ-XL-0003") not in earlier and squash("ngoại bảng") not in earlier
    # a loan without events prints as before
    assert squash("Cơ cấu lại, miễn giảm lãi") not in text(documents.preview_document(book, "statement",
                                                                                      "HD2024-005", D))


def test_the_command_line_issues_an_events_document(book, book_url, tmp_path, monkeypatch, capsys):
    from fundapp.cli import main

    if "postgresql" in book_url:
        pytest.skip("the command line reads the same services on both backends")
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    pdf = tmp_path / "pl.pdf"
    assert main(["--db", book_url, "event-document", "QĐ-CC-0019", "--amendment", "--pdf", str(pdf)]) == 0
    has(text(pdf.read_bytes()), "Số: 01/PL-", "PHỤ LỤC HỢP ĐỒNG TÍN DỤNG", vnd(4_970_959))
    assert main(["--db", book_url, "event-document", "QĐ-XL-0003", "--pdf", str(tmp_path / "xl.pdf")]) == 0
    has(text((tmp_path / "xl.pdf").read_bytes()), "Số: 01/QĐ-", vnd(68_706_095))
    capsys.readouterr()
    assert main(["--db", book_url, "event-document", "QĐ-MG-0007", "--amendment", "--pdf", str(pdf)]) != 0
    assert "không phải lần cơ cấu lại" in capsys.readouterr().err


def test_the_papers_event_lines_are_the_domains_life_events(book):
    """The statement's and the minutes' event lines are the domain's ``LifeEvent``s, made by the domain's one
    ``life_event`` from the engine's results (the quarterly's list takes the same): a write-off's amount is what
    the domain took off-balance (principal + interest), a later repayment is a recovery with the engine's split."""
    from fundapp.domain.engine import Kind, Transaction
    from fundapp.domain.reporting import RECOVERY, LifeEvent
    from fundapp.services.event_documents import event_lines
    from fundapp.services.loans import loan_view
    from fundapp.services.posting import post_transaction

    loan = golden(WRITE_OFF)
    post_transaction(book, events.loan_id_of(book, WRITE_OFF), Kind.REPAYMENT, D, 50_000_000, "PT-TH-01")
    state = replay_entries(loan.terms, [*loan.transactions, WriteOff(WRITTEN_OFF),
                                        Transaction(D, Kind.REPAYMENT, 50_000_000, "PT-TH-01")], until=D)
    w, r = state.write_offs[-1], state.recoveries[-1]
    assert (w.principal, w.interest, r.principal, r.interest) == (320_000_000, 68_706_095, 50_000_000, 0)
    assert event_lines(book, loan_view(book, WRITE_OFF, D)) == (
        LifeEvent(WRITE_OFF, "", Kind.WRITE_OFF, WRITTEN_OFF, "QĐ-XL-0003", 388_706_095, 320_000_000, 68_706_095,
                  reason="Hợp tác xã giải thể"),
        LifeEvent(WRITE_OFF, "", RECOVERY, D, "PT-TH-01", 50_000_000, 50_000_000, 0))
    restructured = event_lines(book, loan_view(book, RESTRUCTURED, D))
    assert [(e.kind, e.extend_months, e.grace_periods, e.relief_of, e.amount) for e in restructured] == [
        ("restructure", 6, 1, "", 4_970_959), ("interest_relief", 0, 0, "late_interest", 34_048)]
    t = text(documents.preview_document(book, "statement", WRITE_OFF, D))
    has(t, "Thu hồi nợ đã xử lý rủi ro: gốc 50.000.000 đ, lãi 0 đ", vnd(388_706_095))


# -- the events book (sample-fund-events): the papers an officer reads after its restructurings, reliefs, write-offs --
EVENTS_TODAY = date(2025, 6, 30)


@pytest.fixture
def events_book(book_url):
    """The golden events book, read on 30/06/2025."""
    from fundapp.app import open_book
    from fundapp.services.imports import check_and_import
    from tests.golden import GOLDEN

    ctx = open_book(book_url, user="tester", today=EVENTS_TODAY)
    check_and_import(ctx, GOLDEN / "sample-fund-events")
    yield ctx
    ctx.db.dispose()


def _events_csv() -> list[dict]:
    import csv

    from tests.golden import GOLDEN

    with open(GOLDEN / "sample-fund-events" / "events.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


_DECISION = {"restructure": "restructuring", "interest_relief": "relief", "write_off": "write_off"}


def test_a_decisions_grounds_end_with_a_full_stop_after_the_reason(events_book):
    """«Xét đề nghị … ; lý do: Thiệt hại do thiên tai, xử lý bằng dự phòng rủi ro,» ended the grounds on a comma, as
    if the reason went on (QĐ-XL-0014, an officer's trial): the last ground ends with a full stop before «QUYẾT ĐỊNH:»
    (Decree 30), whatever punctuation the officer typed at the end of the reason."""
    for e in _events_csv():
        t = text(documents.preview_document(events_book, _DECISION[e["kind"]], e["loan_no"],
                                            reference=e["reference"]))
        has(t, f"lý do: {e['reason']}. QUYẾT ĐỊNH:")
    from dataclasses import replace

    from fundapp.documents.restructuring import event_pdf
    from fundapp.services.event_documents import event_document

    doc = event_document(events_book, "relief", "HD2023-034", reference="QĐ-MG-0016")
    for typed in ("Thiên tai, lũ,", "Thiên tai, lũ; ", "Thiên tai, lũ."):
        has(text(event_pdf("relief", replace(doc, reason=typed))), "lý do: Thiên tai, lũ. QUYẾT ĐỊNH:")


def _words_follow_their_amounts(t: str, required: bool = True) -> None:
    """Every «Bằng chữ: …» of the squashed text ``t`` comes right after the amount it spells («… 756.521.742 đ.
    Bằng chữ: Bảy trăm năm mươi sáu triệu …»), never after another line or figure."""
    import re
    from itertools import pairwise

    spelled = t.split(squash("Bằng chữ:"))
    assert len(spelled) > 1 or not required, "no «Bằng chữ» at all"
    for before, after in pairwise(spelled):
        m = re.search(r"([\d.]+)đ\.?\)?$", before)
        assert m, f"«Bằng chữ» not right after an amount: …{before[-60:]!r}"
        assert after.startswith(squash(amount_in_words(int(m.group(1).replace(".", ""))))), (
            f"«Bằng chữ» after {m.group(1)} đ spells another amount: {after[:60]!r}")


def test_the_amount_in_words_stands_right_after_the_amount_it_spells(events_book):
    """The restructuring decision spelled the principal restructured below «Nhóm nợ sau khi cơ cấu lại: nhóm 4», six
    lines from its figure; the write-off decision spelled the provision used after «phần chưa được dự phòng bù đắp:
    0 đ» (QĐ-CC-0013, QĐ-XL-0014: an officer's trial). Every decision of the events book, and the statement and the
    minutes of its loans, put the words right after the figure they spell."""
    for e in _events_csv():
        _words_follow_their_amounts(text(documents.preview_document(
            events_book, _DECISION[e["kind"]], e["loan_no"], reference=e["reference"])))
    for loan_no in ("HD2024-035", "HD2022-024"):
        for kind in ("statement", "reconciliation"):
            _words_follow_their_amounts(text(documents.preview_document(events_book, kind, loan_no, EVENTS_TODAY)),
                                        required=loan_no == "HD2024-035")  # HD2022-024 is settled: nothing due


def test_a_restructuring_that_keeps_the_last_due_date_says_so(events_book):
    """QĐ-CC-0003 (HD2024-004) and QĐ-CC-0010 (HD2023-021) grant a period of grace without extending the loan: their
    papers said «Hạn trả nợ cuối cùng: 10/04/2025 thành 10/04/2025», «Thời gian gia hạn nợ: 0 tháng» and called it
    «gia hạn nợ». An unchanged last due date is said unchanged, no extension is «không gia hạn», no grace «không ân hạn
    gốc», and only an extension is called «gia hạn nợ»; the statement's event line says the same."""
    for reference, loan_no in (("QĐ-CC-0003", "HD2024-004"), ("QĐ-CC-0010", "HD2023-021")):
        doc = documents.preview_document(events_book, "restructuring", loan_no, reference=reference)
        amendment = documents.preview_document(events_book, "amendment", loan_no, reference=reference)
        for t in (text(doc), text(amendment)):
            assert squash("thành") not in t.split(squash("Hạn trả nợ cuối cùng:"))[1][:30]
            has(t, "Hạn trả nợ cuối cùng:", "(không thay đổi)", "Thời gian gia hạn nợ: không gia hạn",
                "Số kỳ ân hạn gốc: 1 kỳ")
            assert squash("kỳ hạn trả nợ, gia hạn nợ") not in t.lower(), t[t.lower().find(squash("kỳ hạn trả nợ, gia hạn nợ")) - 80:][:160]
            assert squash("gia hạn nợ: 0 tháng") not in t
        has(text(doc), "(điều chỉnh kỳ hạn trả nợ) đối với khoản vay")
        has(text(amendment), "PHỤ LỤC HỢP ĐỒNG TÍN DỤNG Điều chỉnh kỳ hạn trả nợ Kèm theo")
        statement = text(documents.preview_document(events_book, "statement", loan_no, EVENTS_TODAY))
        has(statement, f"{reference}Cơ cấu lại thời hạn trả nợ: không gia hạn, ân hạn gốc 1 kỳ")
        assert squash("gia hạn 0 tháng") not in statement
    # a restructuring that extends the loan still says what became of the date, and a zero grace is «không»
    t = text(documents.preview_document(events_book, "restructuring", "HD2022-024", reference="QĐ-CC-0013"))
    has(t, "(điều chỉnh kỳ hạn trả nợ, gia hạn nợ)", "Thời gian gia hạn nợ: 6 tháng", "Số kỳ ân hạn gốc: không",
        "Hạn trả nợ cuối cùng: 07/11/2024 thành 07/05/2025")
    assert squash("0 kỳ") not in t


def test_a_restructurings_history_row_moves_no_money(events_book):
    """A restructuring moves no money (``event_words.figure``: none): the statement's and the minutes' history
    printed «0» in its «Số tiền» (HD2024-035's QĐ-CC-0017 and QĐ-CC-0018: an officer's trial); it reads «-», as
    the events section below it does, and a write-off keeps the total it took off-balance."""
    for kind in ("statement", "reconciliation"):
        t = text(documents.preview_document(events_book, kind, "HD2024-035", EVENTS_TODAY))
        for day, reference in (("13/05/2024", "QĐ-CC-0017"), ("25/11/2024", "QĐ-CC-0018")):
            row = f"{day}{reference}{squash('Cơ cấu lại thời hạn trả nợ')}"
            assert f"{row}-" in t and f"{row}0" not in t, t[t.find(row):t.find(row) + 60]
    t = text(documents.preview_document(events_book, "statement", "HD2022-025", EVENTS_TODAY))
    has(t, f"31/12/2022QĐ-XL-0014{squash('Xử lý rủi ro')}788.587.046")


def test_an_installment_settled_by_payment_and_relief_is_not_left_to_pay(events_book):
    """HD2023-011's installment 3 (30/08/2023): 3.446.167 đ of interest, 2.412.317 đ paid and 1.033.850 đ relieved
    (QĐ-MG-0006) — nothing owed (``Installment.unpaid``: 0, the balances' «Lãi đến hạn chưa trả» is installment 25's
    alone). The statement's «Lịch trả nợ còn lại» still listed it first, as if its interest were owed (an officer's
    trial); it starts at installment 25."""
    from fundapp.services.loans import loan_view

    view = loan_view(events_book, "HD2023-011", EVENTS_TODAY)
    third = next(k for k in view.schedule if k.no == 3)
    assert (third.interest, third.interest_paid, third.interest_relieved, third.unpaid) == (3_446_167, 2_412_317,
                                                                                          1_033_850, 0)
    left = [k for k in view.schedule if k.unpaid > 0]
    assert left[0].no == 25 and view.balances.interest_due_unpaid == left[0].interest - left[0].interest_paid
    t = text(documents.preview_document(events_book, "statement", "HD2023-011", EVENTS_TODAY))
    remaining = t[t.index(squash("IV. LỊCH TRẢ NỢ CÒN LẠI")):t.index(squash("V. SỐ TIỀN PHẢI TRẢ"))]
    assert f"3{short_date(third.due_on)}" not in remaining
    for k in left:
        has(remaining, f"{k.no}{short_date(k.due_on)}{group_thousands(k.principal)}")


def test_the_schedule_shows_the_interest_a_relief_forgave(events_book):
    """The repayment schedule of HD2023-011 showed its 3rd installment's 3.446.167 đ of interest beside 2.412.317 đ
    paid and nothing else, as if 1.033.850 đ were owed: QĐ-MG-0006 relieved it (``Installment.interest_relieved``;
    an officer's trial). A schedule of a loan with relieved interest has a column for it; one without has none."""
    from fundapp.services.loans import loan_view

    third = next(k for k in loan_view(events_book, "HD2023-011", EVENTS_TODAY).schedule if k.no == 3)
    t = text(documents.preview_document(events_book, "schedule", "HD2023-011", EVENTS_TODAY))
    has(t, "Lãi được miễn, giảm", f"3{short_date(third.due_on)}{group_thousands(third.principal)}"
        f"{group_thousands(third.interest)}{group_thousands(third.principal + third.interest)}"
        f"{group_thousands(third.principal_paid)}{group_thousands(third.interest_paid)}"
        f"{group_thousands(third.interest_relieved)}")
    assert squash("miễn, giảm") not in text(documents.preview_document(events_book, "schedule", "HD2024-035",
                                                                       EVENTS_TODAY))


def test_an_amount_in_a_sentence_keeps_its_unit_on_its_line(events_book):
    """QĐ-MG-0002 read «… (chứng từ QĐ-MG-0002), số tiền: 24.667» and «đ.» alone on the next line (an officer's
    trial): in running text an amount and its «đ» stay on one line, in every decision and amendment of the events
    book and the statement and minutes of its loans."""
    import re

    from tests.docs.test_documents import pages

    papers = []
    for e in _events_csv():
        papers.append((e["reference"], documents.preview_document(events_book, _DECISION[e["kind"]], e["loan_no"],
                                                                  reference=e["reference"])))
        if e["kind"] == "restructure":
            papers.append((e["reference"], documents.preview_document(events_book, "amendment", e["loan_no"],
                                                                      reference=e["reference"])))
    for loan_no in sorted({e["loan_no"] for e in _events_csv()}):
        for kind in ("statement", "reconciliation"):
            papers.append((loan_no, documents.preview_document(events_book, kind, loan_no, EVENTS_TODAY)))
    alone = re.compile(r"^\s*đ(?![^\W\d_])", re.MULTILINE)
    for name, pdf in papers:
        for page in pages(pdf):
            assert not alone.search(page), f"{name}: «đ» alone at a line's start: {page[alone.search(page).start() - 80:][:120]!r}"
