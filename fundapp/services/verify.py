"""``fundapp verify`` (issue 14): walk the book's hash chain and re-run the stored reports of its closed periods."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context

from fundapp.domain.messages import msg
from fundapp.ledger import journal

from .context import Context

log = logging.getLogger("fundapp.verify")
ASIDE_FROM = 50_000  # chain rows from which the window's start-up check runs in a process of its own (~25 µs of
# Python a row: the 100,000-loan book's 893,862 rows took 24 s of CPU)
_lock = threading.Lock()
_running: dict = {}  # the checks running aside → whether ``stop_checks_aside`` stopped them; under _lock
_epoch = 0  # how many times ``stop_checks_aside`` ran: a check begun before a stop starts no process; under _lock
_here = 0  # the checks running in this process (``_checked_here``); under _lock, ``_idle`` told when one ends
_idle = threading.Condition(_lock)
HERE_WAIT = 60.0  # seconds a stop waits for the checks running here (a short chain: ~1 s; a large one whose
# process could not start: ~25 s)


class CheckStopped(Exception):
    """A start-up check was stopped by ``stop_checks_aside`` (a restore replaces the book it reads): it has no
    answer, and none is made in this process instead."""


@dataclass(frozen=True)
class BookCheck:
    """The chain's rows checked (``count``), the first record that does not match (Vietnamese, or "" when the
    chain holds), and a line per stored report of a closed period whose figures differ when re-run."""

    count: int
    broken: str
    reports: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the chain holds, every anchor matches and no stored report differs."""
        return not self.broken and not self.reports


def verify_book(ctx: Context, anchors: tuple[str, ...] = ()) -> BookCheck:
    """Walk the chain (``ledger.journal.verify``), check the stored reports (``closing.check_stored_reports``) and
    each of ``anchors`` ("seq:hash prefix" as printed on a closed period's report: a chain recomputed after the fact
    no longer has it). Reads only; works on SQLite and PostgreSQL. Raises ``ValidationError`` for a malformed
    anchor."""
    from .closing import check_stored_reports
    from .errors import ValidationError

    corrupt = ctx.db.quick_check()  # a large book is not quick_checked at open (issue 17): here, in the background
    with ctx.db.read() as s:  # a snapshot: postings go on meanwhile (no SQLite write lock)
        check = journal.verify(s.connection())
        problems = []
        for anchor in anchors:
            try:
                holds = journal.anchor_holds(s.connection(), anchor)
            except ValueError:
                raise ValidationError(
                    msg("Mã kiểm tra «{anchor}» không hợp lệ: dạng SỐ_DÒNG:MÃ (ít nhất 8 ký tự)",
                        anchor=anchor),
                    field="anchor") from None
            if not holds:
                problems.append(str(msg("Mã kiểm tra {anchor} (in trên báo cáo đã khóa sổ) không còn khớp dòng {seq} "
                                        "của chuỗi: chuỗi của sổ đã bị tính lại sau khi khóa", anchor=anchor,
                                        seq=anchor.partition(":")[0])))
    broken = corrupt or ""
    if not broken and check.broken is not None:
        b = check.broken
        broken = str(msg("{problem} (dòng {seq} của chuỗi)", problem=b.msg, seq=b.seq)) if b.seq is not None else str(b)
    return BookCheck(check.count, broken, (*problems, *check_stored_reports(ctx)))


def verify_book_aside(ctx: Context) -> BookCheck:
    """``verify_book`` for the window's start-up check (issue 14), run in a process of its own (``spawn``: Windows'
    only start method; the frozen program calls ``multiprocessing.freeze_support()``) when the chain holds
    ``ASIDE_FROM`` rows or more, so that its CPU takes the machine's other core rather than Python's lock from the
    officer's own work (issue 17: on the 100,000-loan book it walked 893,862 rows for 24 s of CPU in a thread of
    the window, and the Báo cáo page's first figures took 28 s meanwhile against 17 s after it, ``bench_gui_check``).
    The same ``BookCheck``, in the language of this process. A process that cannot start or ends without an
    answer: checked here instead. Raises what ``verify_book`` raises (here, or as ``RuntimeError`` with its type
    and text from the process), or ``CheckStopped`` when ``stop_checks_aside`` stopped it."""
    with _lock:
        epoch = _epoch
    with ctx.db.read() as s:
        rows = journal.length(s.connection())
    if rows < ASIDE_FROM:
        return _checked_here(ctx, epoch)
    try:
        answer = _checked_aside(ctx, epoch)
    except (OSError, EOFError, ValueError, ImportError, NotImplementedError, RuntimeError) as err:  # none, or died
        log.info("start-up check: no process of its own (%s: %s); checked here", type(err).__name__, err)
        return _checked_here(ctx, epoch)
    if isinstance(answer, BookCheck):
        return answer
    raise RuntimeError(answer)


def _checked_here(ctx: Context, epoch: int) -> BookCheck:
    """``verify_book`` in this process, known to ``stop_checks_aside`` (which waits for it to end: a restore must
    not replace the file it reads). Raises ``CheckStopped`` when a stop ran since ``epoch``: before it began (it
    then reads nothing) or meanwhile (its answer is about the book replaced)."""
    global _here
    with _lock:
        if _epoch != epoch:
            raise CheckStopped
        _here += 1
    try:
        check = verify_book(ctx)
    finally:
        with _lock:
            _here -= 1
            _idle.notify_all()
    with _lock:
        if _epoch != epoch:
            raise CheckStopped
    return check


def _checked_aside(ctx: Context, epoch: int) -> BookCheck | str:
    """The worker's answer: its ``BookCheck``, or the type and text of what it raised. Raises ``CheckStopped`` when
    ``stop_checks_aside`` ran since ``epoch`` (``_epoch`` when the check began) or stops the worker."""
    from fundapp.i18n import language

    context = get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    try:
        process = context.Process(target=_check, name="fundapp-chain-check", daemon=True,
                                  args=(ctx.db.url, ctx.user, ctx.roles, ctx.today().toordinal(), language(), send))
        with _lock:  # started and known together: a stop either comes first (then no start) or finds it
            if _epoch != epoch:
                raise CheckStopped
            process.start()
            _running[process] = False
    except BaseException:
        receive.close()
        send.close()
        raise
    send.close()  # the worker's end, held by it alone from now on: its death ends ``recv`` with EOFError
    try:
        return receive.recv()
    except EOFError:
        with _lock:
            if _running.get(process):
                raise CheckStopped from None
        raise
    finally:
        with _lock:
            _running.pop(process, None)
        receive.close()
        process.join(5)


def stop_checks_aside(timeout: float = 5.0) -> int:
    """Stop every start-up check of this process that runs in a process of its own, or is about to start one, and
    wait up to ``timeout`` seconds for each to end; wait up to ``HERE_WAIT`` seconds for those running in this
    process (a short chain, or no process could start) to end. Their callers get ``CheckStopped``. For a restore, which
    replaces the book file they read: on Windows a file another process holds open cannot be replaced, and
    elsewhere a check would read a book changing under it (a false «sổ bị sửa»). Returns how many processes were
    stopped."""
    global _epoch
    with _lock:
        _epoch += 1
        processes = list(_running)
        for process in processes:
            _running[process] = True
    for process in processes:
        process.terminate()
        process.join(timeout)
    with _lock:  # the checks in this process cannot be stopped: they are waited for (their answers are dropped)
        if not _idle.wait_for(lambda: _here == 0, HERE_WAIT):
            log.warning("a restore goes on while the start-up check still reads the book")
    return len(processes)


def _check(url: str, user: str, roles: frozenset[str] | None, today: int, lang: str, send) -> None:
    """In the worker: open the book as it is (no upgrade, no holder file), check it as the window would, send the
    ``BookCheck`` (or what was raised, as text) back, and end."""
    from fundapp.i18n import set_language
    from fundapp.ledger.db import Database, scrub

    try:
        set_language(lang)
        db = Database(url, migrate=False)
        try:
            day = date.fromordinal(today)
            answer: BookCheck | str = verify_book(Context(db, user, lambda: day, roles))
        finally:
            db.dispose()
    except BaseException as err:  # Ctrl-C included: the window's thread is told, nothing is printed here
        answer = scrub(f"{type(err).__name__}: {err}")
    try:
        send.send(answer)
    except OSError:  # the window's process is gone (ended hard): nobody to tell, nothing printed
        pass
    finally:
        send.close()
