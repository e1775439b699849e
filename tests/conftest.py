import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import glob
import shutil
import socket
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest

PG_URL = os.environ.get("FUNDAPP_TEST_PG_URL")  # CI (.ci/run) starts a server and sets it
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
PG_HOWTO = ("PostgreSQL is not installed on this machine, so the PostgreSQL half of the suite is skipped. Install it "
            "(Debian/Ubuntu: apt-get install postgresql; Windows: the installer from postgresql.org) and run the "
            "tests again: they start a throwaway server themselves. Or set FUNDAPP_TEST_PG_URL to an empty database, "
            "e.g. postgresql+psycopg://user:password@127.0.0.1:5432/fundapp_test")


def find_pg_ctl() -> str | None:
    """``pg_ctl`` on PATH, else the newest of Debian's /usr/lib/postgresql/<version>/bin (not on PATH)."""
    found = shutil.which("pg_ctl")
    if found:
        return found
    versions = [p for p in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl") if p.split("/")[4].isdigit()]
    return max(versions, key=lambda p: int(p.split("/")[4]), default=None)


def _reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _create_database(port: int, user: str) -> str:
    """An empty ``fundapp_test`` database on the throwaway server; its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=port, user=user, dbname="postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE fundapp_test ENCODING 'UTF8' TEMPLATE template0")
    return f"postgresql+psycopg://{user}@127.0.0.1:{port}/fundapp_test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_as_postgres_user(pg_ctl: str):
    """A throwaway server started as the ``postgres`` OS user, for a root test run.

    pytest-postgresql cannot do this: ``initdb`` and ``pg_ctl`` refuse to run as root, and its ``postgresql_proc``
    runs them as the current user (its ``user=`` is the database role, not the OS account) and would not chown
    the data folder. So the two commands run through ``runuser -u postgres`` in a folder owned by postgres.
    """
    import pwd

    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("The tests run as root and PostgreSQL refuses to start as root; there is no 'postgres' user to "
                    "run it as. Run the tests as an ordinary user, or set FUNDAPP_TEST_PG_URL.")
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("The tests run as root and 'runuser' (util-linux) is missing to start PostgreSQL as 'postgres'; "
                    "run the tests as an ordinary user, or set FUNDAPP_TEST_PG_URL.")
    base = Path(tempfile.mkdtemp(prefix="fundapp-pg-"))  # not under pytest's 0700 root-only temp folder
    os.chown(base, account.pw_uid, account.pw_gid)
    data, port = base / "data", _free_port()

    def as_postgres(*cmd: str) -> None:
        done = subprocess.run([runuser, "-u", "postgres", "--", *cmd], cwd=base, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr or done.stdout}")

    try:
        as_postgres(str(Path(pg_ctl).with_name("initdb")), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--no-sync")
        as_postgres(pg_ctl, "-D", str(data), "-w", "-l", str(base / "server.log"), "-o",
                    f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        yield _create_database(port, "postgres")
    finally:
        if (data / "postmaster.pid").exists():
            as_postgres(pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


try:  # a well-kept plugin starts the throwaway server for an ordinary user
    from pytest_postgresql import factories as _pg_factories
except ImportError:  # pragma: no cover - the test extra installs it
    _pg_factories = None
else:
    fundapp_pg_proc = _pg_factories.postgresql_proc(executable=find_pg_ctl() or "pg_ctl", port=None,
                                                    postgres_options="-c fsync=off")


@pytest.fixture(scope="session")
def pg_url(request):
    """The PostgreSQL database the postgres-marked tests use: FUNDAPP_TEST_PG_URL when set (CI), else a throwaway
    server started for this run where PostgreSQL is installed; skipped, saying how to get it, where it is not."""
    if PG_URL:
        yield PG_URL
        return
    pg_ctl = find_pg_ctl()
    if pg_ctl is None or (_pg_factories is None and os.name != "posix"):
        pytest.skip(PG_HOWTO)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        yield from _server_as_postgres_user(pg_ctl)
        return
    if _pg_factories is None:
        pytest.skip("pytest-postgresql is missing: pip install -e '.[test]' (python3 scripts/dev.py test does it)")
    proc = request.getfixturevalue("fundapp_pg_proc")
    yield _create_database(proc.port, proc.user)


@pytest.fixture(params=BACKENDS)
def book_url(request, tmp_path):
    """A new, empty book: a SQLite file, and the same on PostgreSQL (see ``pg_url``)."""
    if request.param == "sqlite":
        yield str(tmp_path / "book.sqlite")
        return
    url = request.getfixturevalue("pg_url")
    _reset_postgres(url)
    yield url


@pytest.fixture
def ctx(book_url):
    """An opened book whose 'today' is 2024-12-31 (after the sample book's last entry)."""
    from fundapp.app import open_book

    context = open_book(book_url, user="tester", today=date(2024, 12, 31))
    yield context
    context.db.dispose()


@pytest.fixture
def sample_ctx(ctx):
    """The golden sample book imported through the import service."""
    from fundapp.services.imports import check_and_import
    from tests.golden import SAMPLE

    check_and_import(ctx, SAMPLE)
    return ctx
