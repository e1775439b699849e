"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from fundapp.cli import main
from tests import golden


@pytest.fixture
def book(tmp_path, monkeypatch):
    """The sample book imported by the command line (a SQLite file's path), the book's today 31/12/2024.
    A test module that defines its own ``book`` fixture uses that one instead."""
    monkeypatch.setenv("FUNDAPP_TODAY", "2024-12-31")
    path = tmp_path / "b.sqlite"
    assert main(["--db", str(path), "import", str(golden.SAMPLE)]) == 0
    return path
