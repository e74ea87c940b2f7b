"""The package layout is the data's path: each room imports only rooms below it, and every module imports first."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import assistant

ROOT = Path(assistant.__file__).parent
# Bottom to top. A room may import any room on a lower line, never one on its own line or above.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("text", "models", "feedback"),
    ("config",),
    ("corpus",),
    ("clauses",),
    ("faq",),
    ("index",),
    ("retrieve",),
    ("understand",),
    ("rules",),
    ("answer",),
    ("core",),
    ("eval",),
    ("lifecycle",),
    ("ui",),
    ("api",),
    ("cli",),
)
RANK = {room: n for n, line in enumerate(LAYERS) for room in line}


def _room(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return parts[0]


def _imports(path: Path) -> set[str]:
    """Rooms a module imports, at module level or inside functions (a late import is still a dependency)."""
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        rooms |= {n.split(".")[1] for n in names if n.startswith("assistant.")}
    return rooms


def test_every_room_is_placed_in_a_layer() -> None:
    rooms = {_room(p) for p in ROOT.rglob("*.py") if p.name != "__init__.py" or p.parent != ROOT}
    assert rooms == set(RANK), rooms ^ set(RANK)


def test_rooms_import_only_downwards() -> None:
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.parent == ROOT and path.name == "__init__.py":
            continue  # the package's front door re-exports Assistant
        room = _room(path)
        for other in _imports(path) - {room}:
            if RANK[other] >= RANK[room]:
                upward.append(f"{path.relative_to(ROOT.parent)}: {room} → {other}")
    assert not upward, "\n".join(upward)


# the rooms whose modules import each other most (a first-import cycle inside a room shows only in a fresh process)
FIRST_IMPORT = ("understand", "rules", "faq", "answer", "retrieve", "index", "clauses", "lifecycle")


def _modules() -> list[str]:
    out = []
    for room in FIRST_IMPORT:
        out.append(f"assistant.{room}")
        out += [f"assistant.{room}.{m.name}" for m in pkgutil.iter_modules([str(ROOT / room)]) if m.name != "__main__"]
    return out


def test_each_module_imports_first_without_a_cycle() -> None:
    def load(name: str) -> tuple[str, int, str]:
        r = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=120)
        return name, r.returncode, (r.stderr.strip().splitlines() or [""])[-1]

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [(n, err) for n, code, err in pool.map(load, _modules()) if code != 0]
    assert not failed, failed
