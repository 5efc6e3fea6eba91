"""The MkDocs plugin reads each page itself in ``on_files`` (fewer system calls than MkDocs'
``File.content_string``) and names pages without resolving every path component: both must
give what MkDocs' own reading and ``Path.resolve()`` give."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from mkdocs_infotheory.hosts.mkdocs.pages import markdown_of as _without_front_matter
from mkdocs_infotheory.hosts.mkdocs.pages import read_file as _read_page
from mkdocs_infotheory.pages import page_name as display_path

PAGES = [
    b"# Plain\n\ntext\n",
    b"\xef\xbb\xbf# With a byte-order mark\n",
    b"# CRLF\r\n\r\nline\r\n",
    b"# Old Mac\rline\r",
    b"# Mixed\r\none\rtwo\n",
    "# Non-ASCII: entropie \u00e9, \u2211 p log p\n".encode(),
    b"",
    b"---\ntitle: T\n---\n\n# Front matter\n",
    b"---\n- a list\n---\nbody\n",
    b"---\ntitle: [unclosed\n---\nbody\n",
    b"title: MultiMarkdown meta\n\nbody\n",
]


@pytest.mark.parametrize("content", PAGES)
def test_page_read_matches_mkdocs(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "page.md").write_bytes(content)
    file = File("page.md", str(tmp_path), str(tmp_path / "site"), use_directory_urls=True)
    assert _read_page(file) == file.content_string
    source = file.content_string
    markdown, meta = get_data(source)
    if meta or not source.startswith("---"):
        # Where MkDocs strips front matter (a mapping) or finds none, the guess is exact;
        # otherwise the plugin prepares the page again (tests/build/test_probes.py).
        assert _without_front_matter(source) == markdown


def test_undecodable_page_fails_like_mkdocs(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_bytes(b"\xff\xfe bad")
    file = File("page.md", str(tmp_path), str(tmp_path / "site"), use_directory_urls=True)
    with pytest.raises(ValueError):
        _ = file.content_string
    with pytest.raises(ValueError):
        _read_page(file)


def test_page_names_match_resolve(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "docs" / "sub").mkdir(parents=True)
    (project / "docs" / "sub" / "a.md").write_text("a")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.md").write_text("b")
    (project / "docs" / "linked.md").symlink_to(elsewhere / "b.md")
    (project / "docs" / "inner.md").symlink_to(project / "docs" / "sub" / "a.md")
    (tmp_path / "docs-link").symlink_to(project / "docs")
    folders: dict[str, str] = {}
    root = project.resolve()
    for path in [
        project / "docs" / "sub" / "a.md",
        project / "docs" / "linked.md",
        project / "docs" / "inner.md",
        tmp_path / "docs-link" / "sub" / "a.md",
        elsewhere / "b.md",
    ]:
        try:
            expected = path.resolve().relative_to(root).as_posix()
        except ValueError:
            expected = path.as_posix()
        assert display_path(str(path), root, "x", folders) == expected, path
        assert display_path(str(path), root, "x") == expected, path
    assert display_path(None, root, "fallback.md", folders) == "fallback.md"
