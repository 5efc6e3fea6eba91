"""The one page reader, front-matter split, page namer and "may it run" rule every host uses
(:mod:`mkdocs_infotheory.pages`): checked against MkDocs' own reading where MkDocs has one."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.structure.files import File
from mkdocs.utils.meta import YAML_RE, get_data

from mkdocs_infotheory.hosts.mkdocs.pages import keep_reading, read_file
from mkdocs_infotheory.pages import (
    CODE_MARKERS,
    FRONT_MATTER,
    INCLUDE_MARKERS,
    body_start,
    first_line,
    front_matter,
    may_run,
    page_name,
    page_text,
    read_page,
    runs_code,
    split_front_matter,
)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\nb\rc\n", "a\nb\nc\n"),
        (b"\xef\xbb\xbf# T\n", "# T\n"),
        (b"\xef\xbb\xbf# T\r\nx\r", "# T\nx\n"),
        (b"\r\r\n", "\n\n"),
        (b"", ""),
    ],
)
def test_one_newline_rule_and_no_byte_order_mark(data: bytes, text: str) -> None:
    assert page_text(data) == text


@pytest.mark.parametrize(
    "data",
    [b"# CRLF\r\n\r\nline\r\n", b"# CR\rline\r", b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nx\r"],
)
def test_read_page_gives_what_mkdocs_reads_from_disk(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "page.md").write_bytes(data)
    file = File("page.md", str(tmp_path), str(tmp_path / "site"), use_directory_urls=True)
    assert read_page(tmp_path / "page.md") == file.content_string
    assert "\r" not in read_page(tmp_path / "page.md")


def test_undecodable_page_raises_value_error(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_bytes(b"\xff\xfe bad")
    with pytest.raises(ValueError):
        read_page(tmp_path / "page.md")


def test_front_matter_is_delimited_as_mkdocs_delimits_it() -> None:
    assert (FRONT_MATTER.pattern, FRONT_MATTER.flags) == (YAML_RE.pattern, YAML_RE.flags)


def test_front_matter_with_crlf_is_found_once_the_page_is_read(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_bytes(b"---\r\ntitle: T\r\n---\r\n\r\n# Body\r\n")
    source = read_page(tmp_path / "page.md")
    block, rest = split_front_matter(source)
    assert block == "title: T\n"
    assert rest == "\n# Body\n"
    assert body_start(source) == 4
    assert front_matter(source) == {"title": "T"}
    assert first_line(source, get_data(source)[0]) == 5


@pytest.mark.parametrize(
    ("source", "block", "rest", "start"),
    [
        ("# No front matter\n", None, "# No front matter\n", 1),
        ("---\ntitle: T\n---\nbody\n", "title: T\n", "body\n", 4),
        ("---\ntitle: T\n...\n\nbody\n", "title: T\n", "\nbody\n", 4),
        ("---  \na: 1\nb: 2\n---\t\nbody", "a: 1\nb: 2\n", "body", 5),
        ("---\ntitle: unclosed\nbody\n", None, "---\ntitle: unclosed\nbody\n", 1),
        ("text\n---\na: 1\n---\n", None, "text\n---\na: 1\n---\n", 1),
    ],
)
def test_front_matter_split(source: str, block: str | None, rest: str, start: int) -> None:
    assert split_front_matter(source) == (block, rest)
    assert body_start(source) == start
    if block is not None:
        assert "\n".join(source.split("\n")[start - 1 :]) == rest


@pytest.mark.parametrize(
    ("source", "meta"),
    [
        (
            "---\ntitle: T\nbibliography: refs.bib\n---\nx\n",
            {"title": "T", "bibliography": "refs.bib"},
        ),
        ("---\n- a list\n---\nx\n", {}),
        ("---\ntitle: [unclosed\n---\nx\n", {}),
        ("title: MultiMarkdown\n\nx\n", {}),
    ],
)
def test_front_matter_is_a_mapping_or_nothing(source: str, meta: dict[str, str]) -> None:
    assert front_matter(source) == meta


@pytest.mark.parametrize(
    ("text", "may", "runs"),
    [
        ('```python exec="on"\nprint(1)\n```\n', True, True),
        ("Inline `{python} 1 + 1`.\n", True, True),
        ('--8<-- "part.md"\n', True, False),
        ("/// notebook | analysis.ipynb\n///\n", True, False),
        ("# Just prose\n\n```python\nprint(1)\n```\n", False, False),
    ],
)
def test_may_run(text: str, may: bool, runs: bool) -> None:
    assert may_run(text) is may
    assert runs_code(text) is runs


def test_page_names(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    (root / "docs").mkdir()
    (root / "docs" / "a.md").write_text("a")
    assert page_name(root / "docs" / "a.md", root) == "docs/a.md"
    assert page_name(str(root / "docs" / "a.md"), root, "x", {}) == "docs/a.md"
    assert page_name(None, root, "fallback.md") == "fallback.md"
    assert page_name("/elsewhere/b.md", root) == "/elsewhere/b.md"


def test_mkdocs_is_handed_the_plugins_reading_through_public_api(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_bytes(b"# Disk\r\n")
    file = File("page.md", str(tmp_path), str(tmp_path / "site"), use_directory_urls=True)
    source = read_file(file)
    keep_reading(file, source + "kept\n")
    (tmp_path / "page.md").write_bytes(b"# Changed on disk\n")
    assert file.content_string == "# Disk\nkept\n"  # not read a second time
    assert file.abs_src_path == str(tmp_path / "page.md")  # still named by its file
    generated = File("gen.md", None, str(tmp_path / "site"), use_directory_urls=True)
    generated.content_string = "# Generated\n"  # a page made in memory (a notebook's)
    keep_reading(generated, "other")
    assert generated.content_string == "# Generated\n"
    assert generated.abs_src_path is None


def test_the_markers_are_the_ones_the_rules_look_for() -> None:
    for marker in CODE_MARKERS:
        assert runs_code(f"a {marker} b") and may_run(f"a {marker} b")
    for marker in INCLUDE_MARKERS:
        assert may_run(f"a {marker} b") and not runs_code(f"a {marker} b")
