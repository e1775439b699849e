"""Issue 10.10: the README's test command runs the PostgreSQL tests too, starting a throwaway server itself
where PostgreSQL is installed, and says how to get it where it is not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import conftest


def test_pg_ctl_is_found_off_path_in_debians_folder(monkeypatch):
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    monkeypatch.setattr(conftest.glob, "glob", lambda pattern: ["/usr/lib/postgresql/9/bin/pg_ctl",
                                                                "/usr/lib/postgresql/15/bin/pg_ctl",
                                                                "/usr/lib/postgresql/13/bin/pg_ctl"])
    assert conftest.find_pg_ctl() == "/usr/lib/postgresql/15/bin/pg_ctl"
    monkeypatch.setattr(conftest.glob, "glob", lambda pattern: [])
    assert conftest.find_pg_ctl() is None


def test_the_skip_says_how_to_get_postgresql():
    assert "apt-get install postgresql" in conftest.PG_HOWTO
    assert "postgresql.org" in conftest.PG_HOWTO and "FUNDAPP_TEST_PG_URL" in conftest.PG_HOWTO


@pytest.mark.postgres
def test_this_machine_runs_the_postgres_tests(pg_url):
    """Here (Debian, PostgreSQL 15 installed) the postgres tests run, with or without FUNDAPP_TEST_PG_URL."""
    from sqlalchemy import create_engine, text

    if not os.environ.get("FUNDAPP_TEST_PG_URL"):
        assert Path(conftest.find_pg_ctl() or "").name == "pg_ctl"
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_setting('server_version_num')::int")).scalar() >= 130000
    finally:
        engine.dispose()
