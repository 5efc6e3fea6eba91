"""What the plugin's records cost a warm build: the CPU spent creating its dataclasses.

    .venv/bin/python benchmarks/records.py SITE_DIR [--repeats 9]

Every record of the package is a dataclass (frozen and slotted; mutable where it is filled in
as it goes). Creating a dataclass costs more than a plain class or a named tuple, once per
process, when its module is imported. Earlier releases replaced some records by plain classes
for that reason; issue 18 asked for one style unless ``make bench`` shows the difference to be
at least 1% of a build. This script answers with the whole figure rather than a guess: it
builds ``SITE_DIR`` (a site whose cache is warm, e.g. a benchmark corpus site; build it once
first) with MkDocs in a fresh process, times every dataclass the plugin's modules create
during that build, and reports that time against the build's own CPU time. Each measurement
runs in a new process (imports happen once per process); medians of ``--repeats`` runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

#: Run in a fresh interpreter: wrap dataclass creation, build the site, print the figures.
_PROBE = r"""
import dataclasses, json, logging, sys, time

logging.disable(logging.WARNING)
create = dataclasses._process_class  # one call per @dataclass: creating the class
spent = {"ours": 0.0, "ours_count": 0, "all": 0.0}


def timed(cls, *args, **kwargs):
    started = time.process_time()
    try:
        return create(cls, *args, **kwargs)
    finally:
        elapsed = time.process_time() - started
        spent["all"] += elapsed
        if cls.__module__.startswith("mkdocs_infotheory"):
            spent["ours"] += elapsed
            spent["ours_count"] += 1


dataclasses._process_class = timed
started = time.process_time()
from mkdocs.commands.build import build
from mkdocs.config import load_config

build(load_config(sys.argv[1]))
spent["build"] = time.process_time() - started
print(json.dumps(spent))
"""


def measure(site: Path) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, str(site / "mkdocs.yml")],
        cwd=site,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"building {site} failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site folder with a warm cache")
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args(argv)
    runs = [measure(args.site.resolve()) for _ in range(args.repeats)]
    build = statistics.median(run["build"] for run in runs)
    ours = statistics.median(run["ours"] for run in runs)
    count = int(statistics.median(run["ours_count"] for run in runs))
    every = statistics.median(run["all"] for run in runs)
    print(f"build (CPU of the build process, median of {len(runs)}): {build * 1000:.0f} ms")
    print(
        f"the plugin's dataclasses: {count} created, {ours * 1000:.2f} ms "
        f"({100 * ours / build:.2f}% of the build)"
    )
    print(f"every dataclass created (MkDocs and others too): {every * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
