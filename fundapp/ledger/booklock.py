"""Who has a SQLite book open: one small JSON file per process in a folder beside the book.

``<book>.lock/<host>-<pid>-<n>.json`` holds {host, pid, user, since}. A holder on this computer whose
process is gone (a crash, kill -9) is stale and taken over (its file removed); a holder on another
computer cannot be checked, so it counts as live until an officer says otherwise (``take_over``).
SQLite itself keeps two processes of one computer consistent (WAL), so a live holder on this
computer does not stop another from opening the book; the lock tells who it is, and a restore is
refused while anyone else holds the book.
"""

from __future__ import annotations

import atexit
import getpass
import itertools
import json
import logging
import os
import socket
import sys
from datetime import datetime
from pathlib import Path

log = logging.getLogger("fundapp.ledger")
_counter = itertools.count(1)


def lock_folder(book: Path) -> Path:
    """``so.sqlite`` → ``so.sqlite.lock`` (a folder holding one JSON file per process that has the book open)."""
    return book.with_name(book.name + ".lock")


def _host() -> str:
    return socket.gethostname()


def _user() -> str:
    try:
        return os.environ.get("FUNDAPP_USER") or getpass.getuser()
    except Exception:
        return "?"


def pid_alive(pid: int) -> bool:
    """True when a process with this id runs on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate it on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BookLock:
    """This process's hold on one SQLite book; ``others()`` lists the live holders besides it."""

    def __init__(self, book: Path) -> None:
        self.book = book
        self.folder = lock_folder(book)
        self.file: Path | None = None

    def _holders(self) -> list[tuple[Path, dict]]:
        out = []
        if not self.folder.is_dir():
            return out
        for f in sorted(self.folder.glob("*.json")):
            try:
                info = json.loads(f.read_text(encoding="utf-8"))
                out.append((f, {"host": str(info["host"]), "pid": int(info["pid"]), "user": str(info.get("user", "")),
                                "since": str(info.get("since", ""))}))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # half-written by a process killed meanwhile: not a holder
        return out

    def others(self, take_over: bool = False) -> list[dict]:
        """Live holders other than this lock; stale ones of this computer are removed (taken over).

        With ``take_over`` the holders on other computers are removed too (the officer said they are gone).
        """
        live = []
        here = _host()
        for f, info in self._holders():
            if f == self.file:
                continue
            gone = info["host"] == here and not pid_alive(info["pid"])
            if gone or (take_over and info["host"] != here):
                log.warning("book lock taken over from %s (pid %s, %s, since %s)", info["host"], info["pid"],
                            info["user"], info["since"])
                f.unlink(missing_ok=True)
                continue
            live.append(info)
        return live

    def acquire(self) -> None:
        """Write this process's holder file (best effort: a read-only folder is refused before this)."""
        try:
            self.folder.mkdir(exist_ok=True)
            target = self.folder / f"{_host()}-{os.getpid()}-{next(_counter)}.json"
            tmp = target.with_suffix(".tmp")
            tmp.write_text(json.dumps({"host": _host(), "pid": os.getpid(), "user": _user(),
                                       "since": datetime.now().isoformat(timespec="seconds")}), encoding="utf-8")
            os.replace(tmp, target)
            self.file = target
            atexit.register(self.release)  # a command that never disposes its book still lets go of it
        except OSError:
            log.warning("cannot write the lock of %s", self.book, exc_info=True)

    def release(self) -> None:
        """Delete this process's holder file (and the holders' folder when it is left empty); safe to call twice."""
        if self.file is not None:
            self.file.unlink(missing_ok=True)
            self.file = None
            try:
                self.folder.rmdir()  # only when empty
            except OSError:
                pass


def holder_text(info: dict) -> str:
    """«canbo1 trên máy KETOAN-02 (tiến trình 4312) từ 2026-11-30 08:15:02» for messages, in the officer's
    language (``fundapp.i18n``)."""
    from fundapp.domain.messages import msg

    return str(msg("{user} trên máy {host} (tiến trình {pid}) từ {since}", user=info["user"] or "?", host=info["host"],
                   pid=info["pid"], since=info["since"].replace("T", " ")))
