"""``docs/NAME.ipynb`` is a page on MkDocs and ProperDocs, at ``NAME/`` as ``NAME.md`` would be.

MkDocs decides what a page is by the file's extension (``File.is_documentation_page``), so a
notebook would be copied to the site as a file. In ``on_files`` each notebook is replaced by a
:class:`NotebookFile`: the same ``src_uri`` (so links to ``NAME.ipynb``, the nav entry and the
edit link keep working), a page by its own answer, its content the converted Markdown (public
API: the ``content_string`` setter of MkDocs 1.6). Everything after that is an ordinary page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ...core.model import Diagnostic
from ...notebooks import SUFFIX, Notebook, NotebookError, OutputsMode, ReaderMissing, convert
from ...notebooks.embed import LockedPlaceholder
from ..notebook_blocks import Expander, block_expander
from .fragments import Fragments
from .logs import plugin_logger

log = plugin_logger()


class NotebookFile(File):
    """A notebook that is a documentation page (its content: the converted Markdown)."""

    def is_documentation_page(self) -> bool:
        return True


class NotebookPages:
    """The notebooks of one build: their line maps, and their stored outputs' HTML."""

    def __init__(self) -> None:
        self._notebooks: dict[str, Notebook] = {}
        self._fragments: dict[str, Fragments] = {}
        # Notebook blocks (``/// notebook | NAME.ipynb``) in Markdown pages, by page name.
        self._docs_dir = Path("docs")
        self._project_dir = Path()
        self._outputs: OutputsMode = "rerun"
        self._blocks: dict[str, tuple[Fragments, LockedPlaceholder]] = {}
        self._reported: set[str] = set()
        self._lock = threading.Lock()

    def configure(self, docs_dir: Path, project_dir: Path, outputs: OutputsMode) -> None:
        """Start a build (``on_config``): where notebooks are, which outputs to show."""
        self._docs_dir, self._project_dir, self._outputs = docs_dir, project_dir, outputs
        self._blocks = {}
        self._reported = set()

    def expander(self, page_name: str, start_line: int, then: Expander | None) -> Expander:
        """The page's expander: its notebook blocks, then ``then`` (snippets)."""
        with self._lock:
            if page_name not in self._blocks:
                fragments = Fragments()
                self._blocks[page_name] = (fragments, LockedPlaceholder(fragments.placeholder))
            placeholder = self._blocks[page_name][1]
        return block_expander(
            page_name,
            start_line,
            self._docs_dir,
            self._project_dir,
            self._outputs,
            placeholder,
            self._report,
            then,
        )

    def _report(self, diagnostic: Diagnostic) -> None:
        """Warn once about a block (a page may be prepared more than once)."""
        with self._lock:
            if str(diagnostic) in self._reported:
                return
            self._reported.add(str(diagnostic))
        log.warning(str(diagnostic))

    def add(
        self,
        files: Files,
        config: MkDocsConfig,
        outputs: OutputsMode,
        page_path: Callable[[File], str],
    ) -> Files:
        """``files`` with every notebook in the docs folder made a page (``page_path``: how
        messages name a file). A notebook that cannot be read is reported and left a file."""
        self._notebooks = {}
        self._fragments = {}
        if not any(file.src_uri.endswith(SUFFIX) for file in files):
            return files
        pages: list[File] = []
        for file in files:
            if file.src_uri.endswith(SUFFIX) and not file.inclusion.is_excluded():
                file = self._page(file, config, outputs, page_path(file))
            pages.append(file)
        return Files(pages)

    def _page(self, file: File, config: MkDocsConfig, outputs: OutputsMode, name: str) -> File:
        fragments = Fragments()
        try:
            notebook = convert(file.content_string, name, outputs, fragments.placeholder)
        except ReaderMissing as error:
            raise PluginError(str(error)) from None
        except NotebookError as error:
            log.warning(str(error))
            return file
        except (OSError, UnicodeDecodeError) as error:
            log.warning("%s: cannot read the notebook: %s", name, error)
            return file
        page = NotebookFile(
            file.src_uri,
            file.src_dir,
            file.dest_dir,
            file.use_directory_urls,
            inclusion=file.inclusion,
        )
        page.content_string = notebook.markdown
        self._notebooks[file.src_uri] = notebook
        if fragments:
            self._fragments[file.src_uri] = fragments
        return page

    def locate(self, src_uri: str, diagnostics: Sequence[Diagnostic]) -> Sequence[Diagnostic]:
        """``diagnostics`` of a page, at the notebook's cells and lines if it is one."""
        notebook = self._notebooks.get(src_uri)
        if notebook is None:
            return diagnostics
        return [notebook.locate(diagnostic) for diagnostic in diagnostics]

    def finish(self, src_uri: str, page_name: str, html: str) -> str:
        """A page's HTML with its stored outputs in place and the locations in its error
        boxes given as cell and line (a notebook's); other pages are returned as they are,
        with the HTML of their notebook blocks in place."""
        blocks = self._blocks.get(page_name)
        if blocks is not None and blocks[0]:
            html = blocks[0].insert(html)
        notebook = self._notebooks.get(src_uri)
        if notebook is None:
            return html
        fragments = self._fragments.pop(src_uri, None)
        if fragments:
            html = fragments.insert(html)
        return notebook.relocate(html, escaped=True)
