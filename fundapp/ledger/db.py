"""Opening a book: a SQLite file by default (WAL, busy timeout, foreign keys on) or a PostgreSQL URL.

``Database`` is one open book: its engine, its session factory and the unit of work (``unit()``: one
transaction, all or nothing; ``read()``: one snapshot, never written). Each other job has its module:
the address and password (``urls``), the engine and its SQLite transactions (``engine``), the schema
version and upgrade (``upgrade``), the book file's checks and atomic creation (``book_file``), the
Vietnamese wording of database errors (``error_map``), the holder file (``booklock``). Their public
names are re-exported here, the import path callers have always used.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from fundapp.domain.messages import N_, by_front, msg

from .book_file import (
    QUICK_CHECK_AT_OPEN,
    SQLITE_MAGIC,
    check_writable,
    create_atomically,
    inspect_file,
    os_reason,
    quick_check,
)
from .booklock import BookLock, holder_text
from .engine import COMMIT_SENT, READ_ONLY, make_engine
from .error_map import connection_lost, refusals, translate_error
from .errors import BookInUse, BookUnavailable, UserFacingError
from .upgrade import HEAD, MIGRATIONS, current_revision, known_revisions, upgrade
from .urls import (
    credential_key,
    default_book_path,
    describe,
    resolve_url,
    scrub,
    split_password,
    with_driver,
    with_password,
)

__all__ = ["HEAD", "MIGRATIONS", "QUICK_CHECK_AT_OPEN", "SQLITE_MAGIC", "Database", "ReadOnlyUnit", "credential_key", "current_revision", "default_book_path", "describe", "inspect_file", "known_revisions", "make_engine", "resolve_url", "scrub", "split_password", "translate_error", "upgrade", "with_password"]
log = logging.getLogger("fundapp.ledger")


class ReadOnlyUnit(RuntimeError):
    """A programming error: something was written inside ``Database.read()`` (nothing of it is kept)."""



@contextmanager
def in_doubt_commit(where: str) -> Iterator[None]:
    """Run a unit of work; a connection lost once its COMMIT was sent to the server (``engine.COMMIT_SENT``) leaves
    as a ``BookUnavailable`` saying it is not known whether the unit was written and to look before doing it again
    — not «chưa ghi gì», which would have an officer post again a repayment the server had kept."""
    token = COMMIT_SENT.set(False)
    try:
        yield
    except SQLAlchemyError as err:
        if not (COMMIT_SENT.get() and connection_lost(err)):
            raise
        log.warning("commit in doubt on %s: %s", where, scrub(str(err)).splitlines()[0])
        raise BookUnavailable(
            msg("Mất kết nối tới máy chủ sổ «{where}» đúng lúc đang ghi: không biết việc vừa làm đã được ghi vào sổ "
                "hay chưa. Khi kết nối lại, hãy xem lại sổ (lịch sử khoản vay, sổ đăng ký giấy tờ, danh sách chờ "
                "duyệt) trước khi làm lại, để không ghi hai lần.", where=where)) from err
    finally:
        COMMIT_SENT.reset(token)


class Database:
    """One book: its engine and a session factory. ``unit()`` is one transaction: all or nothing.

    ``migrate`` creates or upgrades the book (False: open as is, e.g. to test a connection); ``lock`` keeps
    a holder file beside a SQLite book; ``take_over`` removes holders of other computers the officer says
    are gone. Raises BookUnavailable (BookInUse when held on another computer) before anything is written.
    """

    def __init__(self, url: str, *, migrate: bool = True, lock: bool | None = None, take_over: bool = False) -> None:
        u = book_url(url)
        self.url = url = with_driver(url)  # the address as opened: «postgresql://» with its driver named
        self.where = describe(url)
        self.lock: BookLock | None = None
        self.created: Path | None = None  # the SQLite file this opening created (it did not exist before)
        path = Path(u.database) if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:") \
            else None
        if path is not None:
            self._open_file(path, migrate, migrate if lock is None else lock, take_over)
        self.engine = make_engine(url)
        try:
            if migrate:
                try:
                    upgrade(self.engine)
                except UserFacingError:
                    raise
                except (SQLAlchemyError, OSError) as err:
                    mapped = translate_error(err, self.where)
                    if mapped is None:
                        raise
                    log.warning("cannot open %s: %s", self.where, scrub(str(err)))
                    raise mapped from None
        except BaseException:
            self.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _open_file(self, path: Path, migrate: bool, lock: bool, take_over: bool) -> None:
        fresh = not path.exists() or (path.is_file() and path.stat().st_size == 0)
        if not fresh:
            inspect_file(path)
        if not migrate:
            return
        _folder_of(path)
        check_writable(path)
        if lock:
            self.lock = BookLock(path)
            elsewhere = [h for h in self.lock.others(take_over) if h["host"] != _this_host()]
            if elsewhere:
                who = "; ".join(holder_text(h) for h in elsewhere)
                hosts = ", ".join(sorted({str(h["host"]) for h in elsewhere}))
                raise BookInUse(by_front(
                    msg("Sổ «{name}» đang được mở trên máy khác: {who}. Hãy đóng sổ ở máy đó rồi mở lại; nếu máy "
                        "đó đã tắt hoặc bị treo, có thể tiếp quản sổ.",
                        name=path.name, who=who),
                    # the window asks whether to take the book over; the command line has no such question
                    msg("Sổ «{name}» đang được mở trên máy khác: {who}. Hãy đóng sổ ở máy đó rồi chạy lại lệnh; nếu "
                        "máy đó đã tắt hoặc bị treo, xóa các tệp bắt đầu bằng tên máy {hosts} trong thư mục "
                        "«{folder}» (nơi ghi máy nào đang mở sổ) rồi chạy lại lệnh.",
                        name=path.name, who=who, hosts=hosts, folder=self.lock.folder)),
                    holders=elsewhere)
            self.lock.acquire()
        if fresh:
            created = not path.exists()
            try:
                create_atomically(path)
            except UserFacingError:
                self._release()
                raise
            except (SQLAlchemyError, OSError) as err:
                self._release()
                mapped = translate_error(err, str(path))
                log.warning("cannot create %s: %s", path, err)
                if mapped is None:
                    mapped = BookUnavailable(
                        msg("Không tạo được sổ «{path}» ({reason}): chọn thư mục khác", path=path,
                            reason=os_reason(err) if isinstance(err, OSError) else msg(N_("lỗi cơ sở dữ liệu"))))
                raise mapped from None
            if created:
                self.created = path

    def discard_if_created(self) -> bool:
        """Close the book and remove its file (and its -wal, -shm, -journal) when this opening created it and no
        other process has it open: for a command that wrote nothing into a book that did not exist before (an
        import refused or only checked), which must leave nothing behind. True when the file was removed; a book
        that existed before, or a server's, is left as it is."""
        path = self.created
        if path is None or self.other_holders():
            return False
        self.dispose()
        for side in (path.with_name(path.name + "-journal"), path.with_name(path.name + "-wal"),
                     path.with_name(path.name + "-shm"), path):
            side.unlink(missing_ok=True)
        self.created = None
        return True

    @property
    def dialect(self) -> str:
        """The book's SQL dialect name: "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def other_holders(self) -> list[dict]:
        """Live processes besides this one that have this SQLite book open (host, pid, user, since)."""
        return self.lock.others() if self.lock is not None else []

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises.

        A database conflict, a busy book, a full disk or a lost connection leaves as a UserFacingError
        (Vietnamese), the detail in the log; nothing of the unit is written.
        """
        with refusals(self.where, "unit of work"), self._sessions() as session, in_doubt_commit(self.where), \
                session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work: one consistent snapshot of the book (SQLite's deferred ``BEGIN`` under WAL;
        PostgreSQL's REPEATABLE READ), never the SQLite write lock (the GUI's reads do not queue behind an import or
        a posting), always rolled back.
        Raises ``ReadOnlyUnit`` if the block added or changed ORM objects (a Core write is simply rolled back);
        database errors leave as ``unit``'s do."""
        token = READ_ONLY.set(True)
        try:
            with refusals(self.where, "read"), self._sessions() as session:
                session.begin()
                if self.engine.dialect.name == "postgresql":
                    # PostgreSQL's default, READ COMMITTED, takes a new snapshot at each statement: a posting
                    # committed between two reads of one report mixed figures from before it and after it
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
                try:
                    yield session
                    if session.new or session.dirty or session.deleted:
                        raise ReadOnlyUnit(f"a read-only unit of work on {self.where} tried to write")
                finally:
                    session.rollback()
        finally:
            READ_ONLY.reset(token)

    def quick_check(self) -> str | None:
        """``PRAGMA quick_check`` of a SQLite book, read-only on its own connection (a PostgreSQL book: None).
        Returns None when sound, else the corruption message in Vietnamese (what to do included). Slow on a large
        book (every page read): run it off the GUI thread."""
        u = make_url(self.url)
        if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
            return None
        return quick_check(Path(u.database))

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.release()

    def dispose(self) -> None:
        """Close the engine's connections and release this process's holder file (safe to call twice)."""
        if getattr(self, "engine", None) is not None:
            self.engine.dispose()
        self._release()


# the kinds of book fundapp opens: a SQLite file (Python's own driver) or a PostgreSQL server through psycopg 3
BOOK_DRIVERS = frozenset({("sqlite", "pysqlite"), ("postgresql", "psycopg")})


def _folder_of(path: Path) -> None:
    """Make sure the folder of the book file ``path`` is there: the per-user book's folder (``default_book_path``, the
    program's own) is created when missing; any other folder is the officer's, and one that does not exist is a
    mistyped path (``--db``, FUNDAPP_DB), refused naming it rather than created — a new book is a new file in a folder
    that exists (INTERCHANGE.md). Raises BookUnavailable."""
    folder = path.parent
    if folder.is_dir():
        return
    if folder.resolve() == default_book_path().parent.resolve():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise BookUnavailable(
                msg("Không tạo được thư mục «{folder}» ({reason}): chọn thư mục khác",
                    folder=folder, reason=os_reason(err))) from None
        return
    raise BookUnavailable(by_front(
        msg("Không có thư mục «{folder}» để đặt tệp sổ «{name}»: chọn một thư mục đã có.",
            folder=folder, name=path.name),
        msg("Không có thư mục «{folder}» để đặt tệp sổ «{name}»: kiểm tra đường dẫn tệp sổ sau --db (hoặc trong "
            "FUNDAPP_DB); fundapp chỉ tạo tệp sổ mới trong một thư mục đã có, không tạo thư mục; chưa ghi gì.",
            folder=folder, name=path.name)))


def book_url(url: str):
    """``url`` parsed (SQLAlchemy's ``URL``) when it is a book fundapp opens (``BOOK_DRIVERS``); else
    ``BookUnavailable`` naming the address without its password and the two forms a book takes («sqlte:///…», a
    typo, or «mysql://…» ended in «lỗi không mong muốn» with SQLAlchemy's «Can't load plugin» in the log).
    «postgresql://…» and «postgres://…», which name no driver, are read as «postgresql+psycopg://…» (``with_driver``)."""
    try:
        u = make_url(with_driver(url))
        kind = (u.get_backend_name(), u.get_driver_name())
    except Exception:  # SQLAlchemy's ArgumentError or ValueError for text that is no address: said below
        kind = None
    if kind not in BOOK_DRIVERS:
        raise BookUnavailable(msg("Không hiểu địa chỉ sổ «{url}»: sổ là một tệp SQLite (đường dẫn tệp, hoặc "
                                  "sqlite:///đường-dẫn) hoặc một sổ trên máy chủ PostgreSQL "
                                  "(postgresql+psycopg://người-dùng@máy-chủ/tên-sổ)", url=scrub(url)))
    return u


def _this_host() -> str:
    import socket

    return socket.gethostname()
