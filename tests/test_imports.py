"""Every module of the understanding, rules, FAQ and answer rooms imports first in a fresh interpreter: no cycles."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import assistant

ROOMS = ("understand", "rules", "faq", "answer", "retrieve", "index", "clauses")


def _modules() -> list[str]:
    root = Path(assistant.__file__).parent
    out = []
    for room in ROOMS:
        out.append(f"assistant.{room}")
        out += [f"assistant.{room}.{m.name}" for m in pkgutil.iter_modules([str(root / room)]) if m.name != "__main__"]
    return out


def test_each_module_imports_first_without_a_cycle() -> None:
    def load(name: str) -> tuple[str, int, str]:
        r = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=120)
        return name, r.returncode, (r.stderr.strip().splitlines() or [""])[-1]

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [(n, err) for n, code, err in pool.map(load, _modules()) if code != 0]
    assert not failed, failed
