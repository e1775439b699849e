"""services.book_loader.collector_paused: the garbage collector's pause is counted across threads (the GUI runs reads
as jobs in threads), so an overlapping read never finds the collector running again under it, and it is left as
it was found once the last pause ends."""

from __future__ import annotations

import gc
import threading

from fundapp.services.book_loader import collector_paused


def _in_thread(entered: threading.Event, leave: threading.Event) -> threading.Thread:
    def read() -> None:
        with collector_paused():
            entered.set()
            leave.wait(10)

    t = threading.Thread(target=read)
    t.start()
    return t


def test_two_overlapping_pauses_keep_the_collector_off_until_the_last_ends():
    assert gc.isenabled()
    a_in, a_out, b_in, b_out = (threading.Event() for _ in range(4))
    a = _in_thread(a_in, a_out)
    a_in.wait(10)
    b = _in_thread(b_in, b_out)
    b_in.wait(10)
    seen = [gc.isenabled()]
    a_out.set()  # the first read ends while the second still reads
    a.join(10)
    seen.append(gc.isenabled())
    b_out.set()
    b.join(10)
    seen.append(gc.isenabled())
    assert seen == [False, False, True]


def test_a_pause_leaves_a_collector_that_was_off_off():
    a_in, a_out, b_in, b_out = (threading.Event() for _ in range(4))
    gc.disable()
    try:
        a = _in_thread(a_in, a_out)
        a_in.wait(10)
        b = _in_thread(b_in, b_out)
        b_in.wait(10)
        b_out.set()  # the second (which found it off) ends first
        b.join(10)
        a_out.set()
        a.join(10)
        assert not gc.isenabled()
        with collector_paused(), collector_paused():  # nested in one thread
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
