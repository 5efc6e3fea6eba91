"""Golden pages: an executed page must render exactly like the same page with its outputs
typed by hand. The expected pages are written by people from the code's meaning, never copied
from the plugin's output; both go through the same Markdown pipeline and are compared as
parsed, whitespace-normalised HTML trees.

A case is ``cases/NAME.md`` and ``cases/NAME.expected.md``, one per fence option value (the
guide's options table) and per place an inline value can stand. The expected side is Markdown;
it holds HTML only where Markdown has no form for what the guide promises (the numbered
``<figure>`` a ``caption`` or ``label`` makes, the raw block of ``result="html"``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from mkdocs_infotheory.core import Engine, EngineSettings
from mkdocs_infotheory.hosts.defaults import DEFAULT_EXTENSIONS, DEFAULT_PREAMBLE, PRELOAD
from mkdocs_infotheory.hosts.mkdocs.fragments import Fragments

CASES = Path(__file__).parent / "cases"
NAMES = sorted(p.stem for p in CASES.glob("*.md") if not p.stem.endswith(".expected"))


def to_html(text: str) -> str:
    configs = {name: cfg for name, cfg in DEFAULT_EXTENSIONS.items() if cfg}
    return markdown.markdown(text, extensions=list(DEFAULT_EXTENSIONS), extension_configs=configs)


def normalised(html: str) -> list[object]:
    def walk(node: Tag) -> list[object]:
        out: list[object] = []
        for child in node.children:
            if isinstance(child, NavigableString):
                text = " ".join(str(child).split())
                if text:
                    out.append(text)
            elif isinstance(child, Tag):
                attrs = sorted(
                    (k, " ".join(v) if isinstance(v, list) else v) for k, v in child.attrs.items()
                )
                out.append((child.name, attrs, walk(child)))
        return out

    return walk(BeautifulSoup(html, "html.parser"))


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = Engine(EngineSettings(workers=1, preamble=DEFAULT_PREAMBLE, preload=PRELOAD))
    yield engine
    engine.close()


@pytest.mark.parametrize("name", NAMES)
def test_executed_page_matches_hand_typed_page(engine: Engine, name: str) -> None:
    source = (CASES / f"{name}.md").read_text()
    expected = (CASES / f"{name}.expected.md").read_text()
    fragments = Fragments()
    outcome = engine.process_text(f"cases/{name}.md", source, fragments.placeholder)
    assert outcome.diagnostics == []
    actual_html = fragments.insert(to_html(outcome.markdown))
    assert normalised(actual_html) == normalised(to_html(expected))
