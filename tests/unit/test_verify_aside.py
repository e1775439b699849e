"""The window's start-up check of the chain in a process of its own (issue 17): on a long chain it took ~24 s of
CPU in a thread of the window and slowed the officer's own work meanwhile (the Báo cáo page's first figures ~30 %)."""

from __future__ import annotations

import pytest

from fundapp import i18n


@pytest.fixture
def aside(monkeypatch):
    """Every chain is long enough for a process of its own, and the processes started are counted."""
    import fundapp.services.verify as verify

    started: list[str] = []
    real = verify._checked_aside
    monkeypatch.setattr(verify, "ASIDE_FROM", 0)
    monkeypatch.setattr(verify, "_checked_aside", lambda ctx, epoch: started.append(ctx.db.url) or real(ctx, epoch))
    return started


def _not_here(monkeypatch) -> None:
    """From here on a check in this process fails the test: the answers must come from the spawned one (which
    imports the module afresh), not from a fallback here."""
    import fundapp.services.verify as verify

    monkeypatch.setattr(verify, "verify_book", lambda *a, **k: pytest.fail("checked in this process"))


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_the_check_in_a_process_of_its_own_answers_as_the_one_here_in_the_windows_language(sample_ctx, aside,
                                                                                           monkeypatch):
    """A sound chain: the same count; a record altered directly in the book: the same first break, named in the
    window's language (the process speaks it too)."""
    from sqlalchemy import text

    from fundapp.services.verify import verify_book, verify_book_aside
    from tests.unit.test_book_of_record import _tamper

    sound = verify_book(sample_ctx)
    with sample_ctx.db.engine.connect() as c:
        target = c.execute(text("SELECT id FROM entries WHERE kind = 'repayment' ORDER BY id LIMIT 1")).scalar()
    with monkeypatch.context() as m:
        _not_here(m)
        assert verify_book_aside(sample_ctx) == sound and sound.ok and aside, "checked in a process of its own"
    _tamper(sample_ctx, f"UPDATE entries SET amount = amount + 1 WHERE id = {target}")
    here = verify_book(sample_ctx)
    i18n.set_language("en")
    try:
        english_here = verify_book(sample_ctx)
    finally:
        i18n.set_language("vi")
    _not_here(monkeypatch)
    assert not here.ok and verify_book_aside(sample_ctx) == here
    i18n.set_language("en")
    try:
        english = verify_book_aside(sample_ctx)
    finally:
        i18n.set_language("vi")
    assert english == english_here
    assert english.broken.startswith(f"an entry #{target} was altered directly in the database (date ")


def test_a_process_that_cannot_start_or_ends_without_an_answer_leaves_the_check_to_this_one(sample_ctx, aside,
                                                                                              monkeypatch):
    import fundapp.services.verify as verify

    want = verify.verify_book(sample_ctx)

    class NoProcesses:
        def Pipe(self, duplex):  # multiprocessing's name
            raise OSError("no semaphores here")

    monkeypatch.setattr(verify, "get_context", lambda method: NoProcesses())
    assert verify.verify_book_aside(sample_ctx) == want
    monkeypatch.undo()
    monkeypatch.setattr(verify, "ASIDE_FROM", 0)
    monkeypatch.setattr(verify, "_check", _dies)
    assert verify.verify_book_aside(sample_ctx) == want


def _dies(*args) -> None:
    """A worker that ends without an answer (killed, out of memory)."""
    import os

    os._exit(3)


def test_a_short_chain_is_checked_here(sample_ctx, monkeypatch):
    import fundapp.services.verify as verify

    monkeypatch.setattr(verify, "_checked_aside", lambda *a: pytest.fail("a process for a short chain"))
    assert verify.verify_book_aside(sample_ctx).ok


def test_a_check_whose_window_is_gone_ends_quietly(sample_ctx, capfd):
    """The window's process ended hard (a crash, ``os._exit``) while its check ran aside: the answer finds nobody
    (a broken pipe) and the check ends without a word on the terminal (it printed «Process fundapp-chain-check:
    Traceback … BrokenPipeError»; a fresh review)."""
    import fundapp.services.verify as verify

    class Gone:
        closed = False

        def send(self, answer) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def close(self) -> None:
            self.closed = True

    pipe = Gone()
    verify._check(sample_ctx.db.url, "officer", None, sample_ctx.today().toordinal(), "vi", pipe)
    assert pipe.closed
    err = capfd.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_a_restore_stops_the_check_running_aside_first(sample_ctx, aside, monkeypatch):
    """A backup restored while the window's start-up check reads the book from a process of its own: that process
    is stopped before the book file is replaced (it was left running: on Windows a file another process holds open
    cannot be replaced, and elsewhere it read a book changing under it), and the check ends with no answer, not
    one made of two books nor one made again in this process."""
    import multiprocessing
    import time

    from fundapp.services.backup import make_backup, restore_backup

    copy = make_backup(sample_ctx)

    def checking() -> list:
        return [p for p in multiprocessing.active_children() if p.name == "fundapp-chain-check"]

    _not_here(monkeypatch)
    thread, outcome = _checking_in_a_thread(sample_ctx)
    deadline = time.monotonic() + 60
    while not checking() and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.005)
    assert checking(), "the check runs in a process of its own"
    restore_backup(sample_ctx, copy)
    assert not checking(), "the check's process was still reading the book when it was replaced"
    thread.join(60)
    assert len(outcome) == 1 and type(outcome[0]).__name__ == "CheckStopped", outcome


def test_a_check_begun_before_a_stop_starts_no_process(sample_ctx, monkeypatch):
    """A restore's stop that comes between the check's start and its process's: no process is started after it."""
    import fundapp.services.verify as verify

    class NoStart:
        def Pipe(self, duplex):  # multiprocessing's name
            return _End(), _End()

        def Process(self, **kwargs):
            return _NoStart()

    monkeypatch.setattr(verify, "get_context", lambda method: NoStart())
    begun = verify._epoch
    assert verify.stop_checks_aside() == 0
    with pytest.raises(verify.CheckStopped):
        verify._checked_aside(sample_ctx, begun)


class _End:
    def close(self) -> None:
        pass


class _NoStart:
    def start(self) -> None:
        pytest.fail("a process started after the stop")


@pytest.mark.parametrize("book_url", ["sqlite"], indirect=True)
def test_a_restore_waits_for_the_check_running_in_this_process(sample_ctx, monkeypatch):
    """A short chain is checked in the window's process (a thread): a restore waits for it to end before it
    replaces the book, and its answer, about the book replaced, is dropped (the restore replaced the file under it;
    a fresh review)."""
    import threading
    import time

    import fundapp.services.verify as verify
    from fundapp.services.backup import make_backup, restore_backup

    copy = make_backup(sample_ctx)
    real = verify.verify_book
    entered = threading.Event()
    finished: list[float] = []

    def slow(ctx):
        entered.set()
        time.sleep(1.0)
        check = real(ctx)
        finished.append(time.monotonic())
        return check

    monkeypatch.setattr(verify, "verify_book", slow)
    thread, outcome = _checking_in_a_thread(sample_ctx)
    assert entered.wait(10)
    restore_backup(sample_ctx, copy)
    replaced = time.monotonic()
    thread.join(30)
    assert finished and finished[0] <= replaced, "the book was replaced while the check read it"
    assert len(outcome) == 1 and type(outcome[0]).__name__ == "CheckStopped", outcome


def _checking_in_a_thread(ctx):
    """``verify_book_aside(ctx)`` started on a thread, as the window starts its check: (the thread, the list its
    answer or the exception it raised goes to)."""
    import threading

    import fundapp.services.verify as verify

    outcome: list[object] = []

    def check() -> None:
        try:
            outcome.append(verify.verify_book_aside(ctx))
        except Exception as err:  # what the window's thread would log
            outcome.append(err)

    thread = threading.Thread(target=check, daemon=True)
    thread.start()
    return thread, outcome
