"""Cross-page references for hosts that render one page at a time (Zensical).

MkDocs lets the plugin see every page before any is written, so ``@eq-kl`` can link to an
equation numbered on another page. Zensical calls the Markdown extension once per page, in no
particular order, and not at all for pages it serves from its own cache. So the extension
builds the site's label index itself, once per build: every page of the docs folder goes
through the same Markdown extensions with executable fences stubbed out (a labelled or
captioned fence counts as one figure or table; nothing runs) and is numbered with
:func:`mkdocs_infotheory.refs.number_page`, exactly as its real render will be.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ...core.model import CellResult
from ...core.parse import parse_page
from ...core.render import render_page
from ...pages import page_name, read_page, split_front_matter
from ...refs import (
    LabelIndex,
    NumberedPage,
    both_passes,
    duplicate_problem,
    number_page,
    page_label_problems,
    resolve_page,
)
from ...refs.titles import page_title

_STUB_OUTPUT = "output"


class _StubPreprocessor(Preprocessor):
    """Fences become what they render to when they print something; nothing is executed."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        parsed = parse_page(text)
        if not parsed.cells and not parsed.problems:
            return lines
        results = [CellResult(output=_STUB_OUTPUT, value="0") for _ in parsed.cells]
        stash = self.md.htmlStash.store
        markdown = render_page(text, parsed, results, lambda html, block: stash(html), "")
        return markdown.split("\n")


class _StubExtension(Extension):
    def __init__(self, add_defaults: Callable[[Markdown], None]) -> None:
        super().__init__()
        self._add_defaults = add_defaults
        self._pending = True

    def extendMarkdown(self, md: Markdown) -> None:
        self.md = md
        md.registerExtension(self)
        md.preprocessors.register(_StubPreprocessor(md), "infotheory", 28)

    def reset(self) -> None:
        if self._pending:
            self._pending = False
            self._add_defaults(self.md)


def page_url(path: str, directory_urls: bool) -> str:
    """The site URL of the page at docs-relative ``path`` (``sub/page.md`` -> ``sub/page/``)."""
    stem = path[: -len(".md")] if path.endswith(".md") else path
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


class SiteLabels:
    """Every page's numbered targets, and the URL of every page, for one build."""

    def __init__(
        self,
        docs_dir: Path,
        extensions: list[Any],
        configs: dict[str, Any],
        directory_urls: bool,
        add_defaults: Callable[[Markdown], None],
        is_ours: Callable[[Any], bool],
        root: Path | None = None,
    ) -> None:
        self.index = LabelIndex()
        #: How a page is named in messages (``docs/PAGE.md``, relative to the project root).
        self._shown = (docs_dir.parent if root is None else root).resolve()
        self._docs_dir = docs_dir.resolve()
        self.urls: dict[str, str] = {}
        #: Page -> its title, to name it in references from other pages.
        self.titles: dict[str, str] = {}
        self.directory_urls = directory_urls
        kept = [item for item in extensions if isinstance(item, str) and not is_ours(item)]
        settings = {name: configs[name] for name in kept if name in configs}
        for file in sorted(docs_dir.rglob("*.md"), key=lambda path: _page_order(docs_dir, path)):
            page = file.relative_to(docs_dir).as_posix()
            self.urls[page] = page_url(page, directory_urls)
            try:
                source = read_page(file)
                _, text = split_front_matter(source)
                md = Markdown(
                    extensions=[*kept, _StubExtension(add_defaults)], extension_configs=settings
                )
                html = md.convert(text)
                self.titles[page] = page_title(source, html) or file.stem
            except Exception:  # a page that cannot be rendered here gets its own error later
                continue
            for target in number_page(html, page).targets:
                self.index.add(target)

    def process(self, html: str, page: str) -> NumberedPage:
        """Number ``page`` and resolve its references against the whole site."""
        numbered = number_page(html, page)
        problems = list(numbered.problems)
        local = LabelIndex()
        problems.extend(page_label_problems(html, numbered.targets, local))
        seen: dict[str, int] = {}
        for target in numbered.targets:
            occurrence = seen[target.name] = seen.get(target.name, -1) + 1
            # The index holds the first page (in file order) that defined each label, as the
            # plugin's does: a later page defining it again is the duplicate.
            earlier = self.index.get(target.name)
            if occurrence == 0 and earlier is not None and earlier.page != page:
                problems.append(duplicate_problem(target, occurrence, self._display(earlier.page)))

        def url_for(target_page: str, anchor: str) -> str:
            # Zensical rewrites links to Markdown files into page URLs, as MkDocs does.
            if target_page == page or target_page not in self.urls:
                return f"#{anchor}"
            link = posixpath.relpath(target_page, posixpath.dirname(page) or ".")
            return f"{link}#{anchor}"

        index = _Merged(local, self.index)
        titles = self.titles.get
        resolved = resolve_page(numbered.html, page, index, url_for, True, titles)  # type: ignore[arg-type]
        return both_passes(numbered, resolved, problems)

    def _display(self, page: str) -> str:
        return page_name(self._docs_dir / page, self._shown)


class _Merged:
    """This page's own targets first (as just numbered), then the rest of the site's."""

    def __init__(self, local: LabelIndex, site: LabelIndex) -> None:
        self.local = local
        self.site = site

    def get(self, name: str) -> Any:
        return self.local.get(name) or self.site.get(name)


def _page_order(docs_dir: Path, path: Path) -> tuple[tuple[str, ...], bool, str]:
    """MkDocs' page order (``mkdocs.structure.files.file_sort_key``): a folder's files before
    its subfolders, ``index`` first. The first page in this order keeps a label defined on two
    pages, and the other is reported, on Zensical as on MkDocs."""
    parts = path.relative_to(docs_dir).parts
    return (parts[:-1], path.stem != "index", parts[-1])
