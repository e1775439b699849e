"""Opening a book: a SQLite file by default (WAL, busy timeout, foreign keys on) or a PostgreSQL URL.

A new book is created by the Alembic migrations, an older one is upgraded by them; the
application never calls ``create_all``. Creation and upgrade are atomic: a new SQLite book is
built in a temporary file and moved into place, and every SQLite transaction (DDL included) runs
between an explicit ``BEGIN IMMEDIATE`` and its commit; an upgrade copies the book beside itself
first. Before a file is touched it is checked: a SQLite file, fundapp's, of a known version, sound
(``PRAGMA quick_check``); anything else is refused with a Vietnamese message and never written.
Every database error of a unit of work is turned here, in one place, into a ``UserFacingError``.
"""

from __future__ import annotations

import contextvars
import errno
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .booklock import BookLock, holder_text, pid_alive
from .errors import (
    CONFLICT_EN,
    CONFLICT_VI,
    BookBusy,
    BookInUse,
    BookUnavailable,
    DiskFull,
    StaleEdit,
    UserFacingError,
)

HEAD = "0005"  # the newest migration; tests/unit/test_ledger.py checks it against the scripts
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_AT_OPEN = 64 * 1024 * 1024  # bytes: ~0.2 s of quick_check; above it the check runs in the background
FUNDAPP_TABLES = {"borrowers", "loans", "entries", "settings"}
log = logging.getLogger("fundapp.ledger")


class ReadOnlyUnit(RuntimeError):
    """A programming error: something was written inside ``Database.read()`` (nothing of it is kept)."""


def default_book_path() -> Path:
    """The per-user book: <user data folder>/fundapp/fundapp.sqlite (platformdirs)."""
    from platformdirs import user_data_path

    return user_data_path("fundapp", appauthor=False) / "fundapp.sqlite"


def resolve_url(db: str | os.PathLike | None) -> str:
    """``--db`` value → SQLAlchemy URL: a URL as is, a path as a SQLite file; None → FUNDAPP_DB → default book."""
    value = str(db) if db else os.environ.get("FUNDAPP_DB") or str(default_book_path())
    if "://" in value:
        return value
    path = Path(value).expanduser().resolve()
    return f"sqlite:///{path}"


def describe(url: str) -> str:
    """The book in words for a status bar: the file path, or the server without the password."""
    try:
        u = make_url(url)
    except Exception:
        return scrub(url)
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


# -- the password: never in a message, a log line or a setting --------------------------------
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.\-]*://[^:/@\s]*:)([^@\s]*)(@)", re.IGNORECASE)
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|\"[^\"]*\"|\S+)", re.IGNORECASE)


def scrub(message: str) -> str:
    """``message`` with every password of a URL (``scheme://user:***@host``) or ``password=…`` masked."""
    message = _URL_PASSWORD.sub(r"\1***\3", message)
    return _KEYWORD_PASSWORD.sub(r"\1***", message)


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the password or None). A SQLite path comes back as is."""
    if "://" not in url:
        return url, None
    try:
        u = make_url(url)
    except Exception:
        return scrub(url), None
    if u.password is None:
        return url, None
    bare = URL.create(u.drivername, username=u.username, host=u.host, port=u.port, database=u.database, query=u.query)
    return bare.render_as_string(hide_password=False), str(u.password)


def with_password(url: str, password: str) -> str:
    """``url`` (without a password) with ``password`` put in; the result must never be shown or stored."""
    u = make_url(url)
    return u.set(password=password).render_as_string(hide_password=False)


def credential_key(url: str) -> str:
    """The key the password is kept under in the credential store: ``user@host:port/database``."""
    u = make_url(url)
    return f"{u.username or ''}@{u.host or ''}:{u.port or ''}/{u.database or ''}"


# -- SQLite connections: explicit transactions, pragmas, the crash hook of the tests ------------
def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # pysqlite leaves DDL outside transactions: we BEGIN ourselves
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # the GUI and a command line on one file at once
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


_READ_ONLY: contextvars.ContextVar[bool] = contextvars.ContextVar("fundapp_read_only_unit", default=False)


def _sqlite_begin(conn) -> None:
    # IMMEDIATE: the write lock is taken at the start (waiting up to the busy timeout), so a unit that reads
    # then writes never meets a snapshot made stale by another writer. A read-only unit (Database.read) begins
    # deferred: under WAL it reads its snapshot without waiting for a writer (a long import) to commit.
    conn.exec_driver_sql("BEGIN" if _READ_ONLY.get() else "BEGIN IMMEDIATE")


_statements = 0


def _crash_hook(limit: int):
    """FUNDAPP_CRASH_AFTER=N (tests only): the process kills itself with SIGKILL before its Nth statement."""

    def before(*_args) -> None:
        global _statements
        _statements += 1
        if _statements >= limit:
            import signal

            os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))

    return before


def make_engine(url: str, timeout: float = 30) -> Engine:
    """An engine for the book at ``url``; the SQLite file's folder is created if needed."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": timeout})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    crash = os.environ.get("FUNDAPP_CRASH_AFTER")
    if crash:
        event.listen(engine, "before_cursor_execute", _crash_hook(int(crash)))
    return engine


def current_revision(engine: Engine) -> str | None:
    """The book's Alembic revision ("0003"), or None when it has no ``alembic_version`` table."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    """Every revision of the migration scripts this version carries."""
    return {m.group(1) for f in (MIGRATIONS / "versions").glob("*.py")
            if (m := re.match(r"^(\d{4})_", f.name))}


def _newer(name: str, revision: str) -> BookUnavailable:
    return BookUnavailable(
        f"Sổ «{name}» được tạo bởi phiên bản fundapp mới hơn (phiên bản dữ liệu {revision}, phần mềm này biết đến "
        f"{HEAD}): hãy cài phiên bản fundapp mới hơn để mở sổ này; sổ không bị thay đổi.",
        f"book {name} has schema revision {revision}, newer than this program's {HEAD}: install the newer fundapp")


def upgrade(engine: Engine) -> None:
    """Create or upgrade the book's tables with the Alembic migrations (only when behind), in one transaction.

    A SQLite book of an older revision is first copied beside itself as ``<name>.truoc-nang-cap-<rev>.sqlite``.
    Raises BookUnavailable for a book of a newer (unknown) revision.
    """
    revision = current_revision(engine)
    if revision == HEAD:
        return
    where = describe(engine.url.render_as_string(hide_password=False))
    if revision is not None and revision not in known_revisions():
        raise _newer(Path(where).name if engine.dialect.name == "sqlite" else where, revision)
    if revision is None and engine.dialect.name != "sqlite":  # a SQLite file was looked at by inspect_file
        with engine.connect() as conn:
            tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        if tables:
            raise BookUnavailable(
                f"Cơ sở dữ liệu «{where}» đã có bảng của một chương trình khác ({', '.join(sorted(tables)[:3])}…), "
                "không phải sổ fundapp; fundapp không ghi gì vào đó. Hãy dùng một cơ sở dữ liệu trống.",
                f"{where} holds another program's tables; not touched")
    from alembic import command
    from alembic.config import Config

    from .backup import copy_to, sqlite_path

    book = sqlite_path(engine)
    if revision is not None and book is not None:
        kept = book.with_name(f"{book.stem}.truoc-nang-cap-{revision}{book.suffix or '.sqlite'}")
        if not kept.exists():
            copy_to(engine, kept)
            log.info("book %s backed up before its upgrade from %s to %s: %s", book, revision, HEAD, kept)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


# -- what a file is, before anything is written into it ----------------------------------------
def inspect_file(path: Path) -> str | None:
    """Check an existing SQLite book file without writing to it; returns its revision (None: an empty SQLite file).

    Raises BookUnavailable (Vietnamese, with what to do) for a folder, an unreadable file, a file that is not
    SQLite, another program's SQLite file, a book left half-created, a corrupt one, or one of a newer version.
    """
    name = path.name
    if path.is_dir():
        raise BookUnavailable(f"«{path}» là một thư mục, không phải tệp sổ: chọn tệp sổ (.sqlite) bên trong nó",
                              f"{path} is a folder, not a book file")
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except OSError as err:
        raise BookUnavailable(f"Không đọc được tệp sổ «{name}» ({_os_reason(err)}): kiểm tra quyền truy cập tệp",
                              f"cannot read {path}: {err}") from None
    if not head.startswith(SQLITE_MAGIC):
        raise BookUnavailable(
            f"«{name}» không phải tệp sổ fundapp (không phải tệp SQLite): chọn đúng tệp sổ, hoặc khôi phục sổ từ "
            "một bản sao lưu (Tệp → Khôi phục)", f"{path} is not a SQLite file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            # quick_check reads every page (a 1 GB book: seconds): at open only for a book up to
            # QUICK_CHECK_AT_OPEN bytes; a larger one is checked after the window shows (Database.quick_check
            # in the background check of services.verify). The schema read above already needs a sound header.
            small = path.stat().st_size <= QUICK_CHECK_AT_OPEN
            check = conn.execute("PRAGMA quick_check").fetchone()[0] if small else "ok"
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        log.warning("book %s cannot be read: %s", path, err)
        raise _corrupt(path, str(err)) from None
    if check != "ok":
        log.warning("book %s fails quick_check: %s", path, check)
        raise _corrupt(path, check)
    tables.discard("sqlite_sequence")
    if revision is None and "alembic_version" not in tables and tables:
        raise BookUnavailable(
            f"«{name}» là tệp dữ liệu của một chương trình khác, không phải sổ fundapp; fundapp không ghi gì vào "
            "tệp này. Chọn tệp sổ khác, hoặc tạo sổ mới ở một tệp mới.",
            f"{path} is another program's SQLite file (tables: {', '.join(sorted(tables)[:5])}); not touched")
    if revision is None and tables - {"alembic_version"}:
        raise BookUnavailable(
            f"Sổ «{name}» được tạo dở dang (bị ngắt khi đang tạo) nên không dùng được: khôi phục từ bản sao lưu, "
            "hoặc xóa tệp này rồi mở lại để tạo sổ mới.", f"{path}: half-created book (no revision)")
    if revision is not None and revision != HEAD and revision not in known_revisions():
        raise _newer(name, revision)
    return revision


def _corrupt(path: Path, detail: str) -> BookUnavailable:
    return BookUnavailable(
        f"Tệp sổ «{path.name}» bị hỏng hoặc không đầy đủ nên không mở được: khôi phục sổ từ bản sao lưu gần nhất "
        "(Tệp → Khôi phục sổ); chi tiết đã ghi vào nhật ký.", f"{path} is damaged: {detail}")


def _os_reason(err: OSError) -> str:
    return {errno.ENOSPC: "ổ đĩa đã đầy", errno.EACCES: "không có quyền", errno.EPERM: "không có quyền",
            errno.EROFS: "ổ đĩa chỉ đọc", errno.ENOENT: "không tìm thấy"}.get(err.errno or 0, "lỗi hệ thống tệp")


def _check_writable(path: Path) -> None:
    folder = path.parent
    target = path if path.exists() else folder
    if not os.access(target, os.W_OK) or not os.access(folder, os.W_OK):
        raise BookUnavailable(
            f"Không ghi được vào «{path}»: tệp hoặc thư mục chỉ đọc (không có quyền ghi). Sao chép sổ vào một thư "
            "mục có quyền ghi (ví dụ Tài liệu) rồi mở bản sao đó.", f"{path}: read-only location")


def _create_atomically(path: Path) -> None:
    """Build a new book in a temporary file beside ``path`` and move it into place (never half a book)."""
    folder = path.parent
    for stale in folder.glob(f".{path.name}.tao-moi-*.tmp"):
        pid = stale.name.rsplit("-", 1)[-1].removesuffix(".tmp")
        if pid.isdigit() and not pid_alive(int(pid)):
            for side in (stale, stale.with_name(stale.name + "-wal"), stale.with_name(stale.name + "-shm")):
                side.unlink(missing_ok=True)
    tmp = folder / f".{path.name}.tao-moi-{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{tmp}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    try:
        if path.exists() and path.stat().st_size == 0:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # never over a book another process created meanwhile
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                if not path.exists():
                    os.replace(tmp, path)
    finally:
        for side in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            side.unlink(missing_ok=True)


# -- errors of a unit of work, in one place -----------------------------------------------------
def translate_error(err: BaseException, where: str = "") -> UserFacingError | None:
    """The Vietnamese refusal for a database or file error, or None when it is not one we can word.

    Conflicts between users (a stale version, a unique or foreign-key clash, a serialization failure or
    deadlock) → StaleEdit; a SQLite write lock held too long → BookBusy; a full disk → DiskFull; a read-only,
    corrupt or unreachable book → BookUnavailable. The detail is for the log (passwords scrubbed).
    """
    from sqlalchemy.exc import DBAPIError, IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    if isinstance(err, StaleDataError):
        return StaleEdit(CONFLICT_VI, CONFLICT_EN)
    orig = getattr(err, "orig", None) or err
    msg = str(orig).lower()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if (isinstance(err, OSError) and err.errno == errno.ENOSPC) or "disk is full" in msg or "no space left" in msg:
        return DiskFull("Ổ đĩa đã đầy: không ghi được vào sổ, sổ vẫn giữ nguyên như trước. Giải phóng dung lượng ổ "
                        "đĩa rồi thử lại.", "disk full: nothing written, the book is as it was")
    if isinstance(err, IntegrityError):
        if sqlstate in ("23505", "23503") or "unique constraint" in msg or "foreign key" in msg:
            return StaleEdit(CONFLICT_VI, CONFLICT_EN)
        return UserFacingError("Sổ từ chối ghi dữ liệu này vì không hợp lệ; chưa ghi gì. Chi tiết đã ghi vào nhật ký.",
                               "the book refused invalid data; nothing written")
    if sqlstate in ("40001", "40P01", "55P03"):
        return StaleEdit(CONFLICT_VI, CONFLICT_EN)
    if "database is locked" in msg or "database table is locked" in msg or "database is busy" in msg:
        return BookBusy("Sổ đang bận: người khác đang ghi vào sổ, vui lòng thử lại sau ít giây; chưa ghi gì.",
                        "the book is busy: someone else is writing, please try again; nothing written")
    if "readonly database" in msg or "read-only" in msg:
        return BookUnavailable(f"Sổ «{where}» chỉ đọc: không ghi được. Sao chép sổ vào thư mục có quyền ghi rồi mở "
                               "bản sao đó.", f"{where} is read-only")
    if "malformed" in msg or "not a database" in msg:
        return BookUnavailable(f"Tệp sổ «{where}» bị hỏng: khôi phục sổ từ bản sao lưu gần nhất (Tệp → Khôi phục sổ).",
                               f"{where} is damaged")
    if "unable to open database" in msg:
        return BookUnavailable(f"Không mở được tệp sổ «{where}»: kiểm tra thư mục và quyền truy cập.",
                               f"cannot open {where}")
    if sqlstate in ("28P01", "28000") or "password authentication failed" in msg or "no password supplied" in msg:
        return BookUnavailable(f"Máy chủ sổ «{where}» từ chối đăng nhập: sai tên người dùng hoặc mật khẩu. Kiểm tra "
                               "lại tên người dùng và nhập lại mật khẩu.", f"{where} refused the login")
    if isinstance(err, DBAPIError) and (err.connection_invalidated or sqlstate.startswith("08")
                                        or type(orig).__name__ == "OperationalError"):
        return BookUnavailable(f"Không kết nối được tới máy chủ sổ «{where}»: kiểm tra mạng, địa chỉ và máy chủ rồi "
                               "thử lại; chưa ghi gì.", f"cannot reach the server {where}; nothing written")
    return None


class Database:
    """One book: its engine and a session factory. ``unit()`` is one transaction: all or nothing.

    ``migrate`` creates or upgrades the book (False: open as is, e.g. to test a connection); ``lock`` keeps
    a holder file beside a SQLite book; ``take_over`` removes holders of other computers the officer says
    are gone. Raises BookUnavailable (BookInUse when held on another computer) before anything is written.
    """

    def __init__(self, url: str, *, migrate: bool = True, lock: bool | None = None, take_over: bool = False) -> None:
        self.url = url
        self.where = describe(url)
        self.lock: BookLock | None = None
        u = make_url(url)
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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise BookUnavailable(f"Không tạo được thư mục «{path.parent}» ({_os_reason(err)}): chọn thư mục khác",
                                  f"cannot create {path.parent}: {err}") from None
        _check_writable(path)
        if lock:
            self.lock = BookLock(path)
            elsewhere = [h for h in self.lock.others(take_over) if h["host"] != _this_host()]
            if elsewhere:
                who = "; ".join(holder_text(h) for h in elsewhere)
                raise BookInUse(
                    f"Sổ «{path.name}» đang được mở trên máy khác: {who}. Hãy đóng sổ ở máy đó rồi mở lại; nếu máy đó "
                    "đã tắt hoặc bị treo, có thể tiếp quản sổ.", f"{path} is open on another computer: {who}",
                    elsewhere)
            self.lock.acquire()
        if fresh:
            try:
                _create_atomically(path)
            except UserFacingError:
                self._release()
                raise
            except (SQLAlchemyError, OSError) as err:
                self._release()
                mapped = translate_error(err, str(path))
                log.warning("cannot create %s: %s", path, err)
                if mapped is None:
                    mapped = BookUnavailable(f"Không tạo được sổ «{path}» ({_os_reason(err) if isinstance(err, OSError) else 'lỗi cơ sở dữ liệu'}): "
                                             "chọn thư mục khác", f"cannot create {path}: {err}")
                raise mapped from None

    @property
    def dialect(self) -> str:
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
        try:
            with self._sessions() as session, session.begin():
                yield session
        except UserFacingError:
            raise
        except (SQLAlchemyError, OSError) as err:
            mapped = translate_error(err, self.where)
            if mapped is None:
                raise
            log.warning("unit of work refused on %s: %s", self.where, scrub(str(err)).splitlines()[0])
            raise mapped from err

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work: one consistent snapshot of the book, never the SQLite write lock (a plain
        deferred ``BEGIN``: the GUI's reads do not queue behind an import or a posting), always rolled back.
        Raises ``ReadOnlyUnit`` if the block added or changed ORM objects (a Core write is simply rolled back);
        database errors leave as ``unit``'s do."""
        token = _READ_ONLY.set(True)
        try:
            with self._sessions() as session:
                session.begin()
                try:
                    yield session
                    if session.new or session.dirty or session.deleted:
                        raise ReadOnlyUnit(f"a read-only unit of work on {self.where} tried to write")
                finally:
                    session.rollback()
        except (UserFacingError, ReadOnlyUnit):
            raise
        except (SQLAlchemyError, OSError) as err:
            mapped = translate_error(err, self.where)
            if mapped is None:
                raise
            log.warning("read refused on %s: %s", self.where, scrub(str(err)).splitlines()[0])
            raise mapped from err
        finally:
            _READ_ONLY.reset(token)

    def quick_check(self) -> str | None:
        """``PRAGMA quick_check`` of a SQLite book, read-only on its own connection (a PostgreSQL book: None).
        Returns None when sound, else the corruption message in Vietnamese (what to do included). Slow on a large
        book (every page read): run it off the GUI thread."""
        u = make_url(self.url)
        if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
            return None
        path = Path(u.database)
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            try:
                check = conn.execute("PRAGMA quick_check").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.DatabaseError as err:
            check = str(err)
        if check == "ok":
            return None
        log.warning("book %s fails quick_check: %s", path, check)
        return _corrupt(path, check).message

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.release()

    def dispose(self) -> None:
        if getattr(self, "engine", None) is not None:
            self.engine.dispose()
        self._release()


def _this_host() -> str:
    import socket

    return socket.gethostname()
