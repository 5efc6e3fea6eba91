"""Time to rendered math in a real browser: build-time KaTeX vs client-side MathJax.

The same showcase page is built twice from one copy of the repository's ``mkdocs.yml`` +
``docs/``: once with the plugin's default ``math: katex`` (HTML + MathML written at build time)
and once with ``math: mathjax`` (Material's documented MathJax 3 setup, typesetting in the
browser), with MathJax served locally from the npm package ``mathjax`` so nothing leaves the
machine. Both sites are served by one local HTTP server and loaded in headless Chromium with the
browser suite's flags, in interleaved order, each load in a fresh browser context (cold cache).

Measured from navigation start (``performance.now()`` is relative to it):

* ``typeset``: the first animation frame in which every formula of the article is typeset
  (a ``.katex`` or ``mjx-container`` in each ``.arithmatex``), KaTeX's stylesheet is applied,
  the article has been parsed to its end, and no raw TeX is visible outside code;
* ``visible`` (the headline number): the later of ``typeset`` and first contentful paint, as
  nothing is on screen before the first paint however early the markup is ready;
* ``glyphs``: ``visible`` or the end of the last web-font download, whichever is later
  (before that, some formulas show fallback glyphs);
* ``fcp``: first contentful paint, for context.

Profiles: ``local`` (loopback, no throttling) and ``slow-4g`` (Lighthouse's mobile preset:
150 ms RTT, 1.6 Mbit/s down, 4x CPU slowdown, via the DevTools protocol).

Run (needs Chromium and ``npm ci --prefix tests/browser``, which installs mathjax too)::

    .venv/bin/python benchmarks/time_to_math.py            # 7 rounds per profile
    .venv/bin/python benchmarks/time_to_math.py --rounds 5 --profiles local
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser._browser_env import (  # noqa: E402  (helpers shared with the browser suite)
    CHROMIUM_ARGS,
    MATHJAX_ES5,
    chromium_executable,
)
from tests.browser._page_guard import is_local  # noqa: E402
from tests.browser._showcase import build_site, copy_project  # noqa: E402
from tests.browser._static_server import serve_directory  # noqa: E402

VARIANTS = ("katex", "mathjax")
MATHJAX_SITE_PATH = "assets/mathjax"  # where the MathJax copy goes inside docs/

#: Lighthouse's mobile throttling ("Slow 4G" + 4x CPU), applied through the DevTools protocol.
PROFILES: dict[str, dict[str, Any] | None] = {
    "local": None,
    "slow-4g": {
        "latency": 150,
        "download": 1.6 * 1024 * 1024 / 8,
        "upload": 750 * 1024 / 8,
        "cpu": 4,
    },
}

#: Runs in every document before its own scripts; records when math is done.
PROBE = r"""
(() => {
  const state = { typeset: null, done: false, frames: 0 };
  window.__timeToMath = state;
  const RAW_TEX = /\\(?:[()\[\]]|[A-Za-z]+)/;
  const articleParsed = () =>
    document.readyState !== "loading" || document.querySelector("footer") !== null;
  const rawTexVisible = (article) => {
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest("pre, code, script, style, annotation, mjx-assistive-mml"))
        continue;
      if (RAW_TEX.test(node.data) && parent.checkVisibility()) return true;
    }
    return false;
  };
  const mathDone = () => {
    const article = document.querySelector("article");
    if (!article || !articleParsed()) return false;
    const formulas = article.querySelectorAll(".arithmatex");
    if (formulas.length === 0) return false;
    for (const formula of formulas) {
      if (!formula.querySelector(".katex, mjx-container")) return false;
    }
    const katex = article.querySelector(".katex");
    if (katex && !getComputedStyle(katex).fontFamily.includes("KaTeX")) return false;
    return !rawTexVisible(article);
  };
  const tick = () => {
    state.frames += 1;
    if (mathDone()) {
      state.typeset = performance.now();
      state.done = true;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
"""

COLLECT = """
() => {
  const fonts = performance.getEntriesByType("resource")
    .filter((entry) => /\\.(woff2?|ttf|otf)(\\?|$)/.test(entry.name));
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const scripts = performance.getEntriesByType("resource")
    .filter((entry) => entry.initiatorType === "script" || /\\.js(\\?|$)/.test(entry.name));
  return {
    typeset: window.__timeToMath.typeset,
    lastFont: fonts.length ? Math.max(...fonts.map((entry) => entry.responseEnd)) : 0,
    fontCount: fonts.length,
    fcp: paint ? paint.startTime : null,
    scriptBytes: scripts.reduce((sum, entry) => sum + (entry.encodedBodySize || 0), 0),
    formulas: document.querySelectorAll("article .arithmatex").length,
  };
}
"""


@dataclass
class Samples:
    typeset: list[float] = field(default_factory=list)
    visible: list[float] = field(default_factory=list)
    glyphs: list[float] = field(default_factory=list)
    fcp: list[float] = field(default_factory=list)
    script_kib: list[float] = field(default_factory=list)
    formulas: set[int] = field(default_factory=set)


def plugin_entries(config_file: Path, math: str, mathjax_url: str | None) -> list[Any]:
    """The site's ``plugins`` list with the infotheory entry set to ``math``."""
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    entries: list[Any] = []
    found = False
    for entry in config.get("plugins", []):
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "infotheory":
            options = {} if isinstance(entry, str) else dict(entry[name] or {})
            options["math"] = math
            if mathjax_url:
                options["mathjax_url"] = mathjax_url
            entries.append({"infotheory": options})
            found = True
        else:
            entries.append(entry)
    if not found:
        raise SystemExit(f"{config_file} does not use the infotheory plugin")
    return entries


def build_variant(workdir: Path, variant: str, source: Path) -> Path:
    """Copy the project, configure ``math: variant`` through a child config, build strictly."""
    project = copy_project(workdir / f"project-{variant}", source)
    mathjax_url = None
    if variant == "mathjax":
        shutil.copytree(MATHJAX_ES5, project / "docs" / MATHJAX_SITE_PATH)
        mathjax_url = f"{MATHJAX_SITE_PATH}/tex-mml-chtml.js"
    child = project / f"mkdocs.{variant}.yml"
    child.write_text(
        yaml.safe_dump(
            {
                "INHERIT": "mkdocs.yml",
                "plugins": plugin_entries(project / "mkdocs.yml", variant, mathjax_url),
            },
            sort_keys=False,
        ),
        encoding="utf-8",
    )
    site_dir = workdir / "www" / variant
    built = build_site(child, site_dir)
    print(f"built {variant} site in {built.seconds:.1f} s", file=sys.stderr)
    return site_dir


def measure_once(browser: Any, url: str, profile: dict[str, Any] | None) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(PROBE)
        # Same guard as the tests: anything not on the local server is refused.
        context.route(
            "**/*",
            lambda route: route.continue_() if is_local(route.request.url) else route.abort(),
        )
        page = context.new_page()
        if profile:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": profile["latency"],
                    "downloadThroughput": profile["download"],
                    "uploadThroughput": profile["upload"],
                },
            )
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.__timeToMath && window.__timeToMath.done", timeout=120_000)
        page.wait_for_load_state("networkidle", timeout=120_000)
        return dict(page.evaluate(COLLECT))
    finally:
        context.close()


def run(rounds: int, profiles: Iterable[str], source: Path) -> dict[tuple[str, str], Samples]:
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    if executable is None:
        raise SystemExit("Chromium not found (apt-get install chromium, or INFOTHEORY_CHROMIUM)")
    if not (MATHJAX_ES5 / "tex-mml-chtml.js").is_file():
        raise SystemExit(f"{MATHJAX_ES5} missing: run `npm ci --prefix tests/browser`")
    results: dict[tuple[str, str], Samples] = {}
    with tempfile.TemporaryDirectory(prefix="time-to-math-") as scratch:
        workdir = Path(scratch)
        for variant in VARIANTS:
            build_variant(workdir, variant, source)
        with serve_directory(workdir / "www") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(executable), args=list(CHROMIUM_ARGS)
            )
            try:
                for profile_name in profiles:
                    for round_number in range(rounds):
                        # Alternate which variant goes first, so drift hits both alike.
                        order = VARIANTS if round_number % 2 == 0 else VARIANTS[::-1]
                        for variant in order:
                            sample = measure_once(
                                browser, f"{base}{variant}/", PROFILES[profile_name]
                            )
                            store = results.setdefault((profile_name, variant), Samples())
                            fcp = sample["fcp"] or 0.0
                            visible = max(sample["typeset"], fcp)
                            store.typeset.append(sample["typeset"])
                            store.visible.append(visible)
                            store.glyphs.append(max(visible, sample["lastFont"]))
                            store.fcp.append(fcp)
                            store.script_kib.append(sample["scriptBytes"] / 1024)
                            store.formulas.add(sample["formulas"])
                            print(
                                f"{profile_name:8s} round {round_number + 1}/{rounds} "
                                f"{variant:8s} typeset {sample['typeset']:7.0f} ms  "
                                f"visible {visible:7.0f} ms  fcp {fcp:7.0f} ms",
                                file=sys.stderr,
                            )
            finally:
                browser.close()
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def table(results: dict[tuple[str, str], Samples], rounds: int) -> str:
    lines = [
        "| profile | math | math visible, median (min-max) ms | typeset frame, median ms | "
        "glyphs final, median ms | FCP, median ms | JS downloaded KiB | formulas |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (profile, variant), s in results.items():
        lines.append(
            f"| {profile} | {variant} | **{statistics.median(s.visible):.0f}** "
            f"({min(s.visible):.0f}-{max(s.visible):.0f}) | {statistics.median(s.typeset):.0f} | "
            f"{statistics.median(s.glyphs):.0f} | {statistics.median(s.fcp):.0f} | "
            f"{statistics.median(s.script_kib):.0f} | {', '.join(map(str, sorted(s.formulas)))} |"
        )
    ratios = []
    for profile in dict.fromkeys(p for p, _ in results):
        katex, mathjax = results.get((profile, "katex")), results.get((profile, "mathjax"))
        if katex and mathjax:
            ratio = statistics.median(mathjax.visible) / statistics.median(katex.visible)
            ratios.append(f"{profile}: math takes {ratio:.1f}x as long to appear with MathJax")
    return "\n".join(lines) + f"\n\n{rounds} loads per cell. " + "; ".join(ratios) + "."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="loads per variant and profile")
    parser.add_argument("--profiles", nargs="+", choices=sorted(PROFILES), default=list(PROFILES))
    parser.add_argument("--source", type=Path, default=REPO, help="project with mkdocs.yml")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    started = time.perf_counter()
    results = run(args.rounds, args.profiles, args.source)
    print(f"\nMachine: {machine()}; Chromium headless ({chromium_executable()})")
    print(table(results, args.rounds))
    print(f"\n(total {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
