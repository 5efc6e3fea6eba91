"""A warm build (every result cached, ``math: none``) loads only what it uses: no runner, fork
server or kernel (nothing runs), no KaTeX stage, no frozen results, no cross-reference
scanners for pages with nothing to number, no ``mkdocs serve`` bookkeeping. Import costs are
most of what the plugin adds to such a build (docs/reference/benchmarks.md), so this guards
the lazy imports against a stray top-level import; it measures no time."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.sites import Site, run_build

PAGE = """
# Entropy

The entropy \\(H(X)\\) of a fair coin:

```python exec="on" result="text"
print(entropy(np.array([0.5, 0.5])))
```

Inline: `{python} 1 + 1`.
"""

#: Modules a warm, math-free build must not import (each was imported before, for nothing).
NOT_NEEDED = (
    "mkdocs_infotheory.core.runner",
    "mkdocs_infotheory.core.forkserver",
    "mkdocs_infotheory.core.kernel",
    "mkdocs_infotheory.core.freeze",
    "mkdocs_infotheory.core.writes",
    "mkdocs_infotheory.hosts.mkdocs.math",
    "mkdocs_infotheory.math.renderer",
    "mkdocs_infotheory.math.transform",
    "mkdocs_infotheory.refs.page",
    "mkdocs_infotheory.hosts.markdown",
    "mkdocs_infotheory.hosts.pytest",
    "concurrent.futures",
    "difflib",
    "pkgutil",
    "secrets",
)

BUILD_AND_LIST_MODULES = """
import json, sys
sys.argv = ["mkdocs", "build", "--strict"]
from mkdocs.__main__ import cli
try:
    cli()
except SystemExit as done:
    if done.code:
        raise
print("MODULES=" + json.dumps(sorted(sys.modules)))
"""


def test_warm_math_free_build_imports_only_what_it_uses(tmp_path: Path) -> None:
    site = Site(tmp_path, {"math": "none"})
    site.write("index.md", PAGE)
    cold = site.build(strict=True)
    assert cold.returncode == 0, cold.log
    warm = run_build([sys.executable, "-c", BUILD_AND_LIST_MODULES], tmp_path)
    assert warm.returncode == 0, warm.log
    assert "0 fences run" in warm.log, warm.log  # every result came from the cache
    line = next(line for line in warm.log.splitlines() if line.startswith("MODULES="))
    modules = set(json.loads(line.removeprefix("MODULES=")))
    assert "mkdocs_infotheory.hosts.mkdocs.plugin" in modules  # the plugin did load
    loaded = sorted(
        name for name in modules if any(name == n or name.startswith(n + ".") for n in NOT_NEEDED)
    )
    assert loaded == [], loaded
