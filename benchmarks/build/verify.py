"""Check that a benchmark site built what it claims, before any of its builds is timed.

A benchmark of a build that silently failed to execute (or executed with the wrong tool, or
rendered other pages) would be fast and meaningless. So every site is built once, untimed; its
first note is inspected for the computed numbers and the math its variant promises, and its
pages are compared with those of the hand-typed site (:func:`compare_sites`).

Math differs on purpose between variants (KaTeX's HTML at build time, or arithmatex's
``\\(...\\)`` left for a script in the browser), so pages are compared with every formula
replaced by its TeX source (:func:`normalized_article`): what remains must be the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from .content import Evaluator, Fence, InlineValue, page_spec
from .corpus import EXEC_CACHE, MANIFEST, NOTES_DIR, SiteSpec

_NUMBER = re.compile(r"\d+\.\d+")
_FAILURE_CLASSES = ("infotheory-error", "infotheory-failure", "infotheory-note")
_MATH_ERROR = "infotheory-math-error"
#: Elements whose number must match between variants, besides the text.
STRUCTURE = (".arithmatex", "table", ".admonition", ".footnote li", "pre")


class SiteCheckFailed(AssertionError):
    pass


def built_article(root: Path, slug: str) -> Tag:
    path = root / "site" / NOTES_DIR / slug / "index.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    if not isinstance(article, Tag):
        raise SiteCheckFailed(f"{path}: no <article>")
    return article


def formula_tex(element: Tag) -> str:
    """The TeX of an arithmatex element, whether KaTeX rendered it or the browser will."""
    annotation = element.find("annotation", attrs={"encoding": "application/x-tex"})
    if isinstance(annotation, Tag):
        return annotation.get_text().strip()
    text = element.get_text().strip()
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")):
        if text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : -len(closing)].strip()
    return text


def normalized_article(article: Tag) -> tuple[list[str], dict[str, int]]:
    """The article's words with every formula as ``$TeX$``, and the count of each structure.

    Works on a copy, so the caller's tree is left alone.
    """
    copy = BeautifulSoup(str(article), "html.parser")
    for element in copy.select(".arithmatex"):
        tex = " ".join(formula_tex(element).split())
        element.clear()
        element.append(f" ${tex}$ ")
    counts = {selector: len(copy.select(selector)) for selector in STRUCTURE}
    return copy.get_text(" ").split(), counts


def _pages_to_compare(pages: int) -> list[int]:
    """All pages of a small site; about a hundred, spread evenly, of a large one."""
    step = max(1, pages // 100)
    numbers = list(range(1, pages + 1, step))
    if numbers[-1] != pages:
        numbers.append(pages)
    return numbers


def compare_sites(reference: Path, root: Path, pages: int) -> None:
    """Raise :class:`SiteCheckFailed` unless ``root`` built the pages ``reference`` built."""
    for number in _pages_to_compare(pages):
        slug = f"note-{number:04d}"
        expected = normalized_article(built_article(reference, slug))
        got = normalized_article(built_article(root, slug))
        if got[1] != expected[1]:
            raise SiteCheckFailed(f"{root}: {slug} has {got[1]}, the hand-typed {expected[1]}")
        if got[0] != expected[0]:
            difference = next(
                (i for i, (a, b) in enumerate(zip(got[0], expected[0], strict=False)) if a != b),
                min(len(got[0]), len(expected[0])),
            )
            raise SiteCheckFailed(
                f"{root}: {slug} differs from the hand-typed page at word {difference}: "
                f"{' '.join(got[0][difference : difference + 8])!r} instead of "
                f"{' '.join(expected[0][difference : difference + 8])!r}"
            )


def check_site(root: Path, spec: SiteSpec) -> None:
    """Raise :class:`SiteCheckFailed` unless note 1 shows its computed numbers and math."""
    page = page_spec(1, spec.heavy, spec.shape)
    article = built_article(root, page.slug)
    problems: list[str] = []
    for name in (*_FAILURE_CLASSES, _MATH_ERROR):
        if article.select(f".{name}"):
            problems.append(f"an element of class {name!r} (an execution problem) is shown")
    formulas = article.select(".arithmatex")
    if not formulas:
        problems.append("no formula at all")
    rendered = [f for f in formulas if f.select(".katex")]
    if spec.build_time_math and len(rendered) != len(formulas):
        problems.append("not every formula was rendered at build time")
    if not spec.build_time_math and rendered:
        problems.append("math was rendered at build time where the browser should do it")
    text = " ".join(article.get_text(" ").split())
    evaluator = Evaluator()
    for block in page.blocks:
        if isinstance(block, InlineValue):
            expected = evaluator.value(block.expr)
            if expected not in text:
                problems.append(f"the inline value {expected!r} is missing")
        elif isinstance(block, Fence):
            for number in _NUMBER.findall(evaluator.output(block.code)):
                if number not in text:
                    problems.append(f"the computed number {number} is missing")
    if spec.variant != "plugin":
        ran_here = root / EXEC_CACHE
        if ran_here.is_dir() and any(ran_here.iterdir()):
            problems.append("the infotheory plugin executed code in a site where it must not")
        config = json.loads((root / "mkdocs.yml").read_text(encoding="utf-8"))
        listed = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
        if "infotheory" in listed:
            problems.append("the infotheory plugin is listed in a baseline site")
    if not (root / MANIFEST).is_file():
        problems.append(f"no {MANIFEST}")
    if problems:
        raise SiteCheckFailed(f"{root}: " + "; ".join(problems))
