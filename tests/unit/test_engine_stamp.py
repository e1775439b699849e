"""The checkpoints' engine stamp covers every module of the engine (issue 17): a change to any file a loan's state
is made by must void every stored checkpoint, so the stamp hashes them all — including the parts ``state.py`` was
split into."""

from __future__ import annotations

import ast
from pathlib import Path

from fundapp.services import checkpoints

DOMAIN = Path(checkpoints.__file__).resolve().parent.parent / "domain"
# imported by the engine for its refusals' wording only: no figure of a loan's state comes from them
WORDING = {"errors", "messages"}


def _imports(module: str) -> set[str]:
    """The domain modules ``module`` imports (relative imports: the domain imports nothing else of ours)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse((DOMAIN / f"{module}.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names |= {node.module.split(".")[0]} if node.module else {a.name for a in node.names}
    return names


def test_the_engine_stamp_hashes_every_module_the_replay_is_made_of():
    seen: set[str] = set()
    todo = ["replay"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += _imports(module)
    assert {"state", "state_parts", "state_snapshot", "flows", "schedule"} <= seen  # the walk found the engine
    assert seen - WORDING <= checkpoints._ENGINE, sorted(seen - WORDING - checkpoints._ENGINE)
