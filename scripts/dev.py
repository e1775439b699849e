#!/usr/bin/env python3
"""The two commands of README.md, the same on Windows and Linux.

    python3 scripts/dev.py start [--demo]   # install into .venv, then open fundapp (on the demo book)
    python3 scripts/dev.py test    # install into .venv with the test tools, then lint and test

Extra arguments after ``start`` go to the application (e.g. ``--db book.sqlite``), after
``test`` to pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path, **kw) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kw)


def install(extras: str) -> None:
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f".[{extras}]")


def start(args: list[str]) -> int:
    install("postgres")
    if "--demo" in args:
        args = [a for a in args if a != "--demo"]
        # the demo book lives beside the officer's own book; made once
        demo = subprocess.run([str(PY), "-c", "from fundapp.ledger.db import default_book_path as p; "
                               "print(p().with_name('demo.sqlite'))"], capture_output=True, text=True, check=True,
                              cwd=ROOT).stdout.strip()
        if not Path(demo).exists():
            run(PY, "-m", "fundapp", "demo", demo)
        args = ["--db", demo, *args]
    return subprocess.call([str(PY), str(ROOT / "main.py"), *args], cwd=ROOT)


def test(args: list[str]) -> int:
    install("test,postgres")
    run(PY, "-m", "ruff", "check", "fundapp", "tests", "benchmarks", "main.py", "scripts")
    run(BIN / ("lint-imports.exe" if os.name == "nt" else "lint-imports"))
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    return subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("start", "test"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    return start(rest) if command == "start" else test(rest)


if __name__ == "__main__":
    sys.exit(main())
