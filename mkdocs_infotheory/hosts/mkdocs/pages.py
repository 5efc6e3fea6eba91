"""The plugin's pages: read once in ``on_files``, named and prepared (their runs start there).

Reading goes through the one page reader (:mod:`mkdocs_infotheory.pages`), which gives what
MkDocs' ``File.content_string`` gives; MkDocs is then handed that reading (public API: the
``content_string`` setter), so it does not read each file a second time. Where a page's text
differs by the time it reaches ``on_page_markdown`` (another plugin edited it, front matter
that is not a mapping, ``mkdocs serve`` rebuilt without ``on_files``), it is prepared again.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from ...core import Engine, PreparedPage
from ...pages import first_line, page_name, read_page, split_front_matter
from .logs import plugin_logger
from .notebooks import NotebookPages
from .snippets import Expander, prepare_page

log = plugin_logger()



def read_file(file: File) -> str:
    """``file.content_string``, from the one page reader for a file on disk (fewer system calls
    than MkDocs' own reading; on a warm build reading pages is most of ``on_files``)."""
    if file.abs_src_path is None:
        return file.content_string
    return read_page(file.abs_src_path)


def keep_reading(file: File, source: str) -> None:
    """Give MkDocs this reading of the page, so it does not read the file a second time to
    build the page (on a warm build, a second reading would be a good part of what the plugin
    adds to a page).

    Public API: the ``content_string`` setter (MkDocs 1.6) keeps the text and unsets
    ``abs_src_path``, which is put back (messages, edit links and other plugins use it). Not
    under ``--dirty``: a file whose content is set counts as modified, and that build must
    skip unmodified pages. A file already in memory (generated, a notebook) is left alone.
    """
    path = file.abs_src_path
    if path is None:
        return
    file.content_string = source
    file.abs_src_path = path


def markdown_of(source: str) -> str:
    """The page's Markdown as MkDocs will hand it to ``on_page_markdown``, without parsing the
    YAML: MkDocs does that again when it reads the page. Where the guess is wrong (front
    matter that is not a mapping), :meth:`PluginPages.prepare` sees the text differ and
    prepares it again."""
    block, rest = split_front_matter(source)
    if block is None:
        return get_data(source)[0]  # no YAML: MultiMarkdown-style meta, cheap
    return rest.lstrip("\n")


class PluginPages:
    """One build's pages: their names and prepared records."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.notebooks = NotebookPages()
        self.expand: Expander | None = None
        self.project_dir = Path.cwd()
        self._paths: dict[str, str] = {}
        self._real_folders: dict[str, str] = {}  # page_name's memo of resolved folders
        self._prepared: dict[str, PreparedPage] = {}

    def start(self, engine: Engine, project_dir: Path, expand: Expander | None) -> None:
        """A new build (``on_config``): nothing named or prepared yet."""
        self.engine, self.project_dir, self.expand = engine, project_dir, expand
        self._paths = {}
        self._real_folders = {}
        self._prepared = {}

    def path(self, file: File) -> str:
        """How messages name the page, e.g. ``docs/index.md`` (computed once per page)."""
        if file.src_uri not in self._paths:
            self._paths[file.src_uri] = page_name(
                file.abs_src_path, self.project_dir, file.src_uri, self._real_folders
            )
        return self._paths[file.src_uri]

    def remember(self, file: File, page: PreparedPage) -> None:
        """Keep ``on_files``' record of a page for ``on_page_markdown``."""
        self._prepared[file.src_uri] = page

    def prepare(self, page: Page, markdown: str) -> PreparedPage:
        """The page's record from ``on_files``, or a new one when its text changed since
        (another plugin edited it, or ``mkdocs serve`` rebuilt without ``on_files``)."""
        assert self.engine is not None
        prepared = self._prepared.pop(page.file.src_uri, None)
        if prepared is not None and prepared.source == markdown:
            return prepared
        if prepared is not None:
            self.engine.discard(prepared)
            log.debug("%s changed after on_files; running it again", prepared.filename)
        line = first_line(page.file.content_string, markdown)
        return self.prepare_text(self.path(page.file), markdown, line)

    def prepare_file(self, file: File, source: str, markdown: str) -> PreparedPage:
        """The record of a page read from disk (``on_files`` and the early start alike)."""
        return self.prepare_text(self.path(file), markdown, first_line(source, markdown))

    def prepare_text(self, page_path: str, markdown: str, start_line: int) -> PreparedPage:
        assert self.engine is not None
        expand = self.notebooks.expander(page_path, start_line, self.expand)
        return prepare_page(self.engine, expand, page_path, markdown, start_line, self.expand)
