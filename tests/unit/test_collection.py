"""Guard: the README's test command collects every test file in tests/.

pytest's default ``norecursedirs`` skips folders named ``build``; for a long time that hid
``tests/build`` (every real-build test) from ``make test``. This runs the collector the same way
``make test`` does and fails if any ``tests/**/test_*.py`` is missing from what it collects.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_file_is_collected() -> None:
    files = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if "node_modules" not in path.parts
    }
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    collected = {line.split("::", 1)[0] for line in completed.stdout.splitlines() if "::" in line}
    missing = sorted(files - collected)
    assert files, "no test files found: the guard looked in the wrong folder"
    assert not missing, f"not collected by pytest: {missing}\n{completed.stdout[-2000:]}"
