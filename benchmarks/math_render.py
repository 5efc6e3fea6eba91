"""How much build-time math costs: KaTeX start-up, per-formula rendering, cached pages.

Run from the repository root after installing the package (the KaTeX assets come with it):

    .venv/bin/python benchmarks/math_render.py            # default sizes
    .venv/bin/python benchmarks/math_render.py --formulas 2000 --cold-runs 5

"Cold" is measured in fresh interpreter processes, because a process loads KaTeX only once:
import of ``mkdocs_infotheory.math``, V8 start-up, evaluating ``katex.min.js`` and the first
render (which also warms V8's JIT). "Warm" renders distinct formulas, so no memo or cache helps.
"Page" runs ``render_math_in_html`` over a realistic page built by real Python-Markdown with
``pymdownx.arithmatex``, once with an empty cache and once with every formula cached.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import markdown

from mkdocs_infotheory.math import KatexRenderer, MathCache, render_math_in_html

_COLD_PROBE = """
import json, time
t0 = time.perf_counter()
from mkdocs_infotheory.math import KatexRenderer
t1 = time.perf_counter()
renderer = KatexRenderer()
renderer.render(r"H(X) = -\\sum_x p(x) \\log_2 p(x)", True)
t2 = time.perf_counter()
renderer.render(r"I(X;Y) = H(X) - H(X \\mid Y)", False)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "second": t3 - t2}))
"""

# Shapes a math-heavy information-theory post is made of; {i} keeps every formula distinct.
_TEMPLATES: tuple[tuple[str, bool], ...] = (
    (r"H(X_{{{i}}}) = -\sum_{{x \in \mathcal{{X}}}} p(x) \log_2 p(x)", True),
    (r"D_{{\mathrm{{KL}}}}(P_{{{i}}} \,\|\, Q) = \sum_x P(x) \log \frac{{P(x)}}{{Q(x)}}", True),
    (
        r"\begin{{aligned}} I(X;Y_{{{i}}}) &= H(X) - H(X \mid Y) \\ "
        r"&= \sum_{{x,y}} p(x,y) \log \frac{{p(x,y)}}{{p(x)\,p(y)}} \end{{aligned}}",
        True,
    ),
    (r"\operatorname{{argmax}}_{{\theta \in \mathbb{{R}}^{{{i}}}}} \log p_\theta(x)", False),
    (r"\left[ \frac{{1}}{{n}} \sum_{{k=1}}^{{{i}}} x_k \right]^2", False),
    (r"p_{{{i}}} = {i}/100", False),
)


def formulas(count: int) -> Iterator[tuple[str, bool]]:
    for i in range(count):
        template, display = _TEMPLATES[i % len(_TEMPLATES)]
        yield template.format(i=i), display


def measure_cold(runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _COLD_PROBE], capture_output=True, text=True, check=True
        )
        samples.append(json.loads(out.stdout))
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def measure_warm(renderer: KatexRenderer, count: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"inline": [], "display": []}
    for tex, display in formulas(count):
        start = time.perf_counter()
        renderer.render(tex, display)
        times["display" if display else "inline"].append(time.perf_counter() - start)
    return times


def page_markdown(count: int, offset: int) -> str:
    paragraphs = []
    for tex, display in formulas(count + offset):
        if offset > 0:
            offset -= 1
            continue
        paragraphs.append(f"$$\n{tex}\n$$" if display else f"Some prose around ${tex}$ here.")
    return "\n\n".join(paragraphs)


def measure_page(renderer: KatexRenderer, count: int, offset: int) -> dict[str, float]:
    html = markdown.markdown(
        page_markdown(count, offset),
        extensions=["pymdownx.arithmatex"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "math.json"
        cache = MathCache(path)
        start = time.perf_counter()
        first = render_math_in_html(html, renderer, cache)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        cache.save()
        save = time.perf_counter() - start
        start = time.perf_counter()
        reloaded = MathCache(path)
        load = time.perf_counter() - start
        start = time.perf_counter()
        second = render_math_in_html(html, renderer, reloaded)
        warm = time.perf_counter() - start
        size = path.stat().st_size
    assert first.rendered == count and second.cached == count, (first, second)
    return {
        "html_kib": len(html) / 1024,
        "cold_s": cold,
        "warm_s": warm,
        "save_s": save,
        "load_s": load,
        "cache_kib": size / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formulas", type=int, default=600, help="distinct formulas, warm test")
    parser.add_argument("--page", type=int, default=200, help="formulas in the page test")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes, cold test")
    args = parser.parse_args()

    renderer = KatexRenderer()
    cold = measure_cold(args.cold_runs)
    print(f"KaTeX {renderer.version}, Python {sys.version.split()[0]}")
    print(
        f"cold (median of {args.cold_runs} processes): import {cold['import'] * 1e3:.0f} ms, "
        f"V8 + KaTeX load + first render {cold['first'] * 1e3:.0f} ms, "
        f"second render {cold['second'] * 1e3:.1f} ms"
    )

    renderer.render("x", False)  # this process's start-up, excluded from the warm numbers
    warm = measure_warm(renderer, args.formulas)
    for kind, samples in warm.items():
        ms = sorted(s * 1e3 for s in samples)
        p95 = ms[int(0.95 * (len(ms) - 1))]
        print(
            f"warm {kind:7s} ({len(ms)} distinct): mean {statistics.fmean(ms):.2f} ms, "
            f"median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms per formula"
        )

    page = measure_page(renderer, args.page, offset=args.formulas)
    n = args.page
    print(
        f"page ({n} formulas, {page['html_kib']:.0f} KiB HTML): "
        f"empty cache {page['cold_s'] * 1e3:.0f} ms ({page['cold_s'] / n * 1e3:.2f} ms/formula), "
        f"all cached {page['warm_s'] * 1e3:.1f} ms ({page['warm_s'] / n * 1e6:.0f} µs/formula)"
    )
    print(
        f"cache file {page['cache_kib']:.0f} KiB: save {page['save_s'] * 1e3:.1f} ms, "
        f"load {page['load_s'] * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
