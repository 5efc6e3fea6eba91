"""Profile one ``mkdocs build`` of a site with cProfile, in this process.

Run as a script (``python benchmarks/build/profiling.py SITE_DIR OUT.prof``), not with ``-m``:
``-m`` would put the working directory first on ``sys.path`` and shadow the frozen copy of the
plugin that the benchmark puts on ``PYTHONPATH``. Standard library and MkDocs imports only.

cProfile sees the main thread only: time the plugin's worker threads spend waiting for child
processes is invisible here, and the children themselves are separate processes. What it
shows is exactly the build's critical path in the main thread, which is what a user waits for.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path


def profile_build(site: Path, output: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    os.chdir(site)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    config = load_config(config_file=str(site / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        profiler.disable()
    elapsed = time.perf_counter() - started
    profiler.dump_stats(str(output))
    return elapsed


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: profiling.py SITE_DIR OUT.prof", file=sys.stderr)
        return 2
    site, output = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    elapsed = profile_build(site, output)
    stats = pstats.Stats(str(output))
    print(f"{elapsed:.3f}s under cProfile; {stats.total_tt:.3f}s of profiled main-thread time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
