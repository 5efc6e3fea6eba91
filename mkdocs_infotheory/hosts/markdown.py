"""A Python-Markdown extension over the same core: executable fences without MkDocs.

    markdown.markdown(text, extensions=["pymdownx.superfences", "mkdocs_infotheory.extension"],
                      extension_configs={"mkdocs_infotheory.extension": {"filename": "post.md"}})

It is the second adapter the core was built for: raw HTML fragments go through Python-Markdown's
own ``htmlStash`` instead of the plugin's tokens. Messages for the author are collected in
``extension.diagnostics`` (nothing is logged; the caller decides). Build-time math is the
plugin's job; here, call :func:`mkdocs_infotheory.math.render_math_in_html` on the output.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..core import Diagnostic, Engine, EngineSettings
from .defaults import DEFAULT_PREAMBLE


class _ExecutePreprocessor(Preprocessor):
    def __init__(self, md: Markdown, extension: InfotheoryExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        extension = self.extension
        outcome = extension.engine().process_text(
            extension.getConfig("filename"),
            "\n".join(lines),
            lambda html, block: self.md.htmlStash.store(html),
        )
        extension.diagnostics.extend(outcome.diagnostics)
        return outcome.markdown.split("\n")


class InfotheoryExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "filename": ["<markdown>", "how messages name the document"],
            "preamble": [DEFAULT_PREAMBLE, "code run at the start of every namespace"],
            "timeout": [30.0, "seconds a fence may run"],
            "cwd": [".", "working directory of the code"],
        }
        super().__init__(**kwargs)
        self.diagnostics: list[Diagnostic] = []
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine(
                EngineSettings(
                    preamble=self.getConfig("preamble"),
                    timeout=float(self.getConfig("timeout")),
                    cwd=self.getConfig("cwd"),
                )
            )
        return self._engine

    def extendMarkdown(self, md: Markdown) -> None:
        # After whitespace normalisation (30), before fenced code is stashed (25).
        md.preprocessors.register(_ExecutePreprocessor(md, self), "infotheory", 28)


def makeExtension(**kwargs: Any) -> InfotheoryExtension:
    return InfotheoryExtension(**kwargs)
