"""Check that a benchmark site built what it claims, before any of its builds is timed.

A benchmark of a build that silently failed to execute (or executed with the wrong tool) would
be fast and meaningless, so every site is built once and its first note is inspected.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from .content import Evaluator, Fence, InlineValue, page_spec
from .corpus import EXEC_CACHE, NOTES_DIR, SiteSpec

_NUMBER = re.compile(r"\d+\.\d+")
_FAILURE_CLASSES = ("infotheory-error", "infotheory-failure", "infotheory-note")


class SiteCheckFailed(AssertionError):
    pass


def built_article(root: Path, slug: str) -> Tag:
    path = root / "site" / NOTES_DIR / slug / "index.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    article = soup.find("article")
    if not isinstance(article, Tag):
        raise SiteCheckFailed(f"{path}: no <article>")
    return article


def check_site(root: Path, spec: SiteSpec) -> None:
    """Raise :class:`SiteCheckFailed` unless note 1 shows its computed numbers and math."""
    page = page_spec(1, spec.heavy)
    article = built_article(root, page.slug)
    problems: list[str] = []
    for name in _FAILURE_CLASSES:
        if article.select(f".{name}"):
            problems.append(f"an element of class {name!r} (an execution problem) is shown")
    if not article.select(".katex"):
        problems.append("no KaTeX output: math was not rendered at build time")
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
    ran_here = root / EXEC_CACHE
    if spec.variant != "plugin" and ran_here.is_dir() and any(ran_here.iterdir()):
        problems.append("the infotheory plugin executed code in a site where it must not")
    if problems:
        raise SiteCheckFailed(f"{root}: " + "; ".join(problems))
