"""The plugin's math stage: build-time KaTeX (default) or client-side MathJax.

Kept apart from ``plugin.py`` so the event handlers stay one line each; the rendering itself
lives in :mod:`mkdocs_infotheory.math`, which knows nothing of MkDocs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Literal

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ...core.escape import one_line
from ...math import (
    MATH_STYLESHEETS,
    KatexAssetsError,
    KatexRenderer,
    MathCache,
    MathEngineError,
    MathError,
    formulas_in_markdown,
    katex_asset_files,
    typeset_and_locate,
)
from ...math.renderer import normalise_macros
from ...math.transform import mark_heading_tex, readable_math, standalone_key
from .logs import plugin_logger
from .site_files import ASSETS, add_files, link_scripts, link_stylesheets

log = plugin_logger()

MATHJAX_CONFIG_SOURCE = ASSETS / "mathjax-config.js"
MATHJAX_CONFIG = "assets/infotheory/mathjax-config.js"

MathMode = Literal["katex", "mathjax", "none"]


def mathjax_macros(macros: Mapping[str, str]) -> dict[str, str | list[str | int]]:
    """MathJax's spelling of the same macros: no backslash, and the argument count if any."""
    converted: dict[str, str | list[str | int]] = {}
    for name, definition in macros.items():
        arguments = [int(digit) for digit in re.findall(r"#([1-9])", definition)]
        key = name.lstrip("\\")
        converted[key] = [definition, max(arguments)] if arguments else definition
    return converted


Key = tuple[bool, str]
Batch = Future[list[str | MathError]]


class MathStage:
    """Build-time math for one build.

    Why rendering starts early: KaTeX runs on a thread of its own, so formulas rendered while
    MkDocs converts pages cost the build little on a machine with a second core. When the math
    cache is empty (a fresh CI runner), V8 starts as soon as the build is configured
    (:meth:`start`); every page's formulas, guessed from its Markdown, are queued when the build
    reads its files and again when generated output joins a page (:meth:`prefetch`), one KaTeX
    call per page. When math is rendered (``on_env``), each formula is taken from those results
    where the guess was right; the rest are rendered then, in one call per page.
    """

    def __init__(
        self,
        mode: MathMode,
        cache_file: Path | None,
        mathjax_url: str,
        macros: Mapping[str, str] | None = None,
    ) -> None:
        self.mode = mode
        self.macros = normalise_macros(macros or {})
        self.mathjax_url = mathjax_url
        self.cache: MathCache | None = None
        self.renderer: KatexRenderer | None = None
        self.errors = 0
        self._ahead: dict[Key, tuple[Batch, int]] = {}
        if mode == "katex":
            self.renderer = KatexRenderer(macros=self.macros)
            self.cache = MathCache(cache_file)
            if self.cache.warning:
                log.warning(self.cache.warning)

    def start(self, docs_dir: Path) -> None:
        """Start KaTeX in the background if this build will need it: an empty math cache, and
        some page of ``docs_dir`` with a formula (looked for on the KaTeX thread too)."""
        if self.renderer is not None and self.cache is not None and len(self.cache) == 0:
            self.renderer.start(lambda: _any_formula(docs_dir))

    def prefetch(self, markdown: str) -> None:
        """Queue for KaTeX the formulas ``markdown`` seems to hold, unless cached or queued."""
        renderer, cache = self.renderer, self.cache
        if renderer is None or cache is None:
            return
        wanted = [
            (tex, display)
            for tex, display in formulas_in_markdown(markdown)
            if (display, tex) not in self._ahead
            and cache.get(renderer.version, display, standalone_key(renderer, tex)) is None
        ]
        if wanted:
            batch = renderer.submit(wanted, urgent=False)
            for index, (tex, display) in enumerate(wanted):
                self._ahead[(display, tex)] = (batch, index)

    def configure(self, config: MkDocsConfig) -> None:
        """Link the stylesheets or scripts the chosen mode needs from every page."""
        if self.mode == "katex":
            link_stylesheets(config, MATH_STYLESHEETS)
        elif self.mode == "mathjax":
            link_scripts(config, (MATHJAX_CONFIG, self.mathjax_url))

    def add_files(self, files: Files, config: MkDocsConfig) -> None:
        assets: list[tuple[Path, str]] = []
        if self.mode == "katex":
            assets = katex_asset_files()
        elif self.mode == "mathjax":
            # The site's macros go to MathJax too: one source for both renderers.
            content = f"var infotheoryMacros = {json.dumps(mathjax_macros(self.macros))};\n"
            content += MATHJAX_CONFIG_SOURCE.read_text(encoding="utf-8")
            if files.get_file_from_path(MATHJAX_CONFIG) is None:
                files.append(File.generated(config, MATHJAX_CONFIG, content=content))
        add_files(files, config, assets)

    def render(
        self,
        html: str,
        page_path: str,
        markdown_source: str | Callable[[], str],
        originals: Mapping[str, str] | None = None,
    ) -> tuple[str, str | None]:
        """Replace formulas with KaTeX output; warn, naming file and line, for bad TeX.

        Returns the page to show and, when KaTeX typeset it, the page search indexes should
        read instead (each formula's plain-text reading, see
        :func:`~mkdocs_infotheory.math.transform.readable_math`); ``None`` where they are
        the same page (MathJax and ``none`` leave the TeX in the page).

        ``markdown_source`` (or a function reading it, called only if some formula fails)
        is where the warning finds the formula's line.

        ``originals`` maps TeX rewritten by the cross-reference pass back to what the author
        wrote, which is what the Markdown source holds. Macros defined in one formula hold
        for the rest of the page (the page path is the macro scope).
        """
        if self.renderer is None:
            # MathJax typesets in the browser; search titles still get a heading's reading.
            return (mark_heading_tex(html, self.macros) if self.mode == "mathjax" else html), None
        try:
            typeset = typeset_and_locate(
                html,
                self.renderer,
                markdown_source,
                self.cache,
                page_path,
                originals,
                _Ahead(self._ahead),
            )
        except (MathEngineError, KatexAssetsError) as error:
            # No page edit fixes these: stop the build with the message, not a traceback.
            raise PluginError(f"{page_path}: {error}") from error
        result = typeset.result
        for error in typeset.errors:
            self.errors += 1
            line = error.line
            where = f"{page_path}:{line}" if line else f"{page_path} (in generated output)"
            # The formula is cut short so that KaTeX's message still fits in the line.
            log.warning(
                "%s: LaTeX error in %s: %s", where, one_line(repr(error.tex), 300), error.message
            )
        if not result.formulas:
            return result.html, None
        return result.html, readable_math(html, result.formulas, self.macros)

    def finish(self) -> None:
        self.cancel()
        if self.cache is not None:
            self.cache.save()

    def cancel(self) -> None:
        """Drop the guesses no page needed, so that KaTeX stops working for this build."""
        for batch, _ in self._ahead.values():
            batch.cancel()
        self._ahead = {}


def _any_formula(docs_dir: Path) -> bool:
    """Whether some Markdown file under ``docs_dir`` seems to hold a formula.

    So that a site without math never starts V8 (60 MiB and 0.2 s of CPU) for nothing.
    """
    for path in docs_dir.rglob("*.md"):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if formulas_in_markdown(text):
            return True
    return False


class _Ahead(Mapping[Key, "str | MathError"]):
    """What :meth:`MathStage.prefetch` queued, waited for when a page asks for a formula.

    A batch that failed as a whole (KaTeX could not start) offers nothing: the page then
    renders its formulas itself and meets, and reports, the same failure.
    """

    def __init__(self, ahead: dict[Key, tuple[Batch, int]]) -> None:
        self._ahead = ahead

    def __getitem__(self, key: Key) -> str | MathError:
        batch, index = self._ahead[key]
        try:
            return batch.result()[index]
        except Exception as error:
            raise KeyError(key) from error

    def __iter__(self) -> Iterator[Key]:
        return iter(self._ahead)

    def __len__(self) -> int:
        return len(self._ahead)
