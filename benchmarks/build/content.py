"""What every generated page says, independent of how its numbers get onto the page.

A page is a list of blocks: prose (shared verbatim by every variant, math, footnote and
admonition included), executable fences (printing text or a Markdown table) and sentences with
an inline computed value. Two shapes: ``few`` (the common page: two fences, two formulas) and
``many`` (a long post: ten fences, five inline values, dozens of formulas). The variants in
:mod:`.corpus` differ only in how they write the executable blocks and in who renders the
math, so any difference in build time is execution (and build-time math, where measured).

Numbers vary per page (seeded by the page number) so that every page has its own cache entry
and its own formulas, as in a real site, while the corpus stays reproducible.
"""

from __future__ import annotations

import contextlib
import io
import random
from dataclasses import dataclass
from typing import Literal

from mkdocs_infotheory.hosts.mkdocs.config import DEFAULT_PREAMBLE

#: CPU seconds each fence of the execution-heavy corpus burns before printing.
HEAVY_CPU_SECONDS = 0.05

_BURN = f"""\
import time

started = time.process_time()
while time.process_time() - started < {HEAVY_CPU_SECONDS}:  # CPU-bound, like a simulation
    bernoulli_entropy(0.3)
"""


@dataclass(frozen=True)
class Prose:
    """Markdown every variant writes verbatim."""

    text: str


@dataclass(frozen=True)
class Fence:
    """Python code whose printed output is shown as text (source above) or as Markdown."""

    code: str
    result: Literal["text", "markdown"]


@dataclass(frozen=True)
class InlineValue:
    """A paragraph ``before + str(expr) + after``; ``expr`` is a Python expression."""

    before: str
    expr: str
    after: str


Block = Prose | Fence | InlineValue


@dataclass(frozen=True)
class PageSpec:
    number: int
    title: str
    blocks: tuple[Block, ...]

    @property
    def slug(self) -> str:
        return f"note-{self.number:04d}"


Shape = Literal["few", "many"]
SHAPES: tuple[Shape, ...] = ("few", "many")
#: Sections of a ``many`` page, each with an inline value, two fences and five formulas.
MANY_SECTIONS = 5


def page_spec(number: int, heavy: bool = False, shape: Shape = "few") -> PageSpec:
    """The content of page ``number`` (1-based). ``heavy`` pages burn CPU in each fence.

    ``few`` is the common case the headline ratios are measured on: one fence printing text,
    one printing a Markdown table, two formulas (one inline, one display), a footnote and an
    admonition. ``many`` is a long post: :data:`MANY_SECTIONS` sections, each with an inline
    computed value, both kinds of fence and formulas in the prose and in generated tables.
    """
    if shape == "few":
        return _few(number, heavy)
    blocks: list[Block] = []
    for section in range(MANY_SECTIONS):
        blocks += _section(number, section, heavy)
    title = f"Entropy note {number}"
    head = Prose(f"# {title}\n\nA long note: {MANY_SECTIONS} computed sections.[^unit]\n")
    return PageSpec(number, title, (head, *blocks, _closing(number, with_math=True)))


def _few(number: int, heavy: bool) -> PageSpec:
    rng = random.Random(number)
    weights = [rng.randint(1, 9) for _ in range(6)]
    points = sorted({round(rng.uniform(0.01, 0.99), 2) for _ in range(4)})
    burn = _BURN if heavy else ""
    title = f"Entropy note {number}"
    intro = Prose(
        f"# {title}\n\n"
        r"The entropy of a discrete random variable \(X\) is the average surprise of an "
        "outcome, measured in bits when the logarithm has base 2.[^unit] A die loaded with "
        f"weights {', '.join(map(str, weights))} has the entropy\n\n"
        r"\["
        "\n"
        f"    H(p) = -\\sum_{{k=1}}^{{6}} p_k \\log_2 p_k, \\qquad p = w / {sum(weights)}"
        "\n"
        r"\]"
        "\n"
    )
    die = Fence(burn + _die_code(weights), "text")
    table_intro = Prose("The binary entropy function at a few points:\n")
    table = Fence(burn + _table_code(points, header="| q | binary entropy (bits) |"), "markdown")
    blocks = (intro, die, table_intro, table, _closing(number, with_math=False))
    return PageSpec(number, title, blocks)


def _die_code(weights: list[int]) -> str:
    return (
        f"weights = np.array({weights}, dtype=float)\n"
        "p = weights / weights.sum()\n"
        'print(f"H(p)    = {entropy(p):.6f} bits")\n'
        'print(f"log2(6) = {np.log2(p.size):.6f} bits")\n'
    )


def _table_code(points: list[float], header: str) -> str:
    return (
        f"print(r{header!r})\n"
        'print("|---:|---:|")\n'
        f"for q in {tuple(points)}:\n"
        '    print(f"| {q:.2f} | {bernoulli_entropy(q):.4f} |")\n'
    )


def _section(number: int, section: int, heavy: bool) -> list[Block]:
    rng = random.Random(number * 100 + section)
    weights = [rng.randint(1, 9) for _ in range(6)]
    coin = round(rng.uniform(0.05, 0.95), 2)
    points = sorted({round(rng.uniform(0.01, 0.99), 2) for _ in range(4)})
    burn = _BURN if heavy else ""
    total = sum(weights)
    intro = Prose(
        f"## Section {section + 1}\n\n"
        r"The entropy of a discrete random variable \(X\) with distribution \(p\) is the "
        "average surprise of an outcome.\n"
    )
    coin_value = InlineValue(
        before=rf"For a biased coin with \(P(X=1) = {coin}\), \(H = ",
        expr=f'f"{{bernoulli_entropy({coin}):.4f}}"',
        after=r"\) bits.",
    )
    display = Prose(
        "A die loaded with weights "
        f"\\(w = ({', '.join(map(str, weights))})\\) has the distribution\n\n"
        f"\\[\n    p = \\frac{{w}}{{{total}}}, \\qquad "
        r"H(p) = -\sum_{k=1}^{6} p_k \log_2 p_k \le \log_2 6"
        "\n\\]\n"
    )
    die = Fence(burn + _die_code(weights), "text")
    table_intro = Prose(r"The binary entropy function \(H_b(q)\) at a few points:" "\n")
    header = r"| \(q\) | \(H_b(q)\) in bits |"
    table = Fence(burn + _table_code(points, header=header), "markdown")
    return [intro, coin_value, display, die, table_intro, table]


def _closing(number: int, with_math: bool) -> Prose:
    if with_math:
        bound = r"\(\log_2 6 \approx 2.585\) bits"
        nat = r"\(1\ \text{nat} = 1/\ln 2\) bits"
    else:
        bound, nat = "log2(6), about 2.585 bits", "one nat is 1/ln(2) bits"
    return Prose(
        '!!! note "Uniform is maximal"\n\n'
        f"    No distribution on six outcomes has more than {bound}; "
        f"the die of note {number} falls short of it.\n\n"
        f"[^unit]: With natural logarithms the unit is the nat: {nat}.\n"
    )


def index_page(pages: int) -> str:
    """The site's home page: the same in every variant, and free of code and math."""
    return (
        "# Benchmark corpus\n\n"
        f"{pages} generated notes on entropy, each with computed numbers, math, a table, a "
        "footnote and an admonition. The notes are built but left out of the navigation, "
        "so that every page's sidebar has the same size whatever the number of pages.\n"
    )


class Evaluator:
    """Runs a page's code in-process, the way the plugin would, to type the outputs by hand.

    One namespace per page, started with the plugin's default preamble, fences and inline
    expressions in document order: the same semantics as the plugin's default session.
    """

    def __init__(self) -> None:
        self._namespace: dict[str, object] = {"__name__": "__main__"}
        exec(DEFAULT_PREAMBLE, self._namespace)

    def output(self, code: str) -> str:
        stream = io.StringIO()
        with contextlib.redirect_stdout(stream):
            exec(code, self._namespace)
        return stream.getvalue()

    def value(self, expr: str) -> str:
        return str(eval(expr, self._namespace))
