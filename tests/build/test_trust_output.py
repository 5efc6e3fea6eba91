"""Executed output is data, fences are code unless they say exactly ``exec`` true (issue 17).

Probe-style, as :mod:`tests.build.test_probes`: each case is a real ``mkdocs build --strict``
of one page between two sentinel paragraphs, and the same promises hold: the exit code says
whether anything was wrong, each problem is a warning at ``docs/index.md:LINE``, no traceback,
the text around the case is on the page, nothing unsafe in the article, and no file outside
``site/`` (and the plugin's own cache and frozen results) changed. The snippet cases put a
real ``.env`` with a secret beside the docs: it must appear nowhere in the built site.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import Tag

from tests.build.test_probes import AFTER, BEFORE, assert_safe, line_of
from tests.sites import Build, Site

pytestmark = pytest.mark.slow

SECRET = "hunter2-s3cret-of-the-env-file"
#: What the plugin itself may write inside the project (besides site/).
OWN = (".cache", "_freeze", "site")
SNIPPETS = [{"pymdownx.snippets": {"base_path": [".", "docs"]}}]


@dataclass(frozen=True)
class Case:
    id: str
    body: str
    #: (text in the warning, text of the page line it must name).
    warns: tuple[tuple[str, str], ...] = ()
    extensions: list[Any] | None = None
    plugin: dict[str, Any] | None = None
    #: Runs before the case's build (e.g. a first build whose frozen file is then edited).
    prepare: Callable[[Site], None] | None = None
    check: Callable[[Build], None] | None = None
    #: Fails --strict for reasons of its own (e.g. a failing inline value), besides ``warns``.
    strict_fails: bool | None = None

    @property
    def page(self) -> str:
        body = textwrap.dedent(self.body).strip()
        return f"# Probe\n\n{BEFORE}\n\n{body}\n\n{AFTER}\n"


def fence(code: str, options: str = "", language: str = "python") -> str:
    return f'```{language} exec="on"{(" " + options) if options else ""}\n{code}\n```'


def files_outside_site(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] not in OWN
    }


def secret_nowhere(build: Build) -> None:
    leaked = [
        path.relative_to(build.site).as_posix()
        for path in build.site.rglob("*")
        if path.is_file() and SECRET.encode() in path.read_bytes()
    ]
    assert leaked == [], f"the secret of .env was published in {leaked}"
    index = json.loads((build.site / "search" / "search_index.json").read_text())
    assert SECRET not in json.dumps(index)


def shows(*texts: str) -> Callable[[Build], None]:
    def check(build: Build) -> None:
        text = build.article().get_text()
        for wanted in texts:
            assert wanted in text, (wanted, text[:2000])

    return check


def both(*checks: Callable[[Build], None]) -> Callable[[Build], None]:
    def check(build: Build) -> None:
        for one in checks:
            one(build)

    return check


# -- frozen output, edited by hand (frozen files arrive in pull requests) --------------------
def frozen_output_replaced(new: str) -> Callable[[Site], None]:
    """A first build freezes the page (its output ``FROZEN-MARKER``); the frozen file is then
    edited so the output reads ``new``; the case's build uses it under ``freeze: true``."""

    def prepare(site: Site) -> None:
        first = site.build(strict=True, env={"MKDOCS_INFOTHEORY_FREEZE": "auto"})
        assert first.returncode == 0, first.log
        path = site.root / "_freeze" / "index.md.json"
        text = path.read_text(encoding="utf-8")
        assert "FROZEN-MARKER" in text, text
        path.write_text(text.replace("FROZEN-MARKER", json.dumps(new)[1:-1]), encoding="utf-8")

    return prepare


# -- checks on code blocks and sections -----------------------------------------------------
def code_block_then_section(code: str, heading: str = "Next section") -> Callable[[Build], None]:
    """``code`` is in a highlighted code block (not an inline ``<code>`` paragraph), and the
    section after the fence is its own heading with its paragraph."""

    def check(build: Build) -> None:
        article = build.article()
        blocks = [b for b in article.select("div.highlight") if code in b.get_text()]
        assert blocks, f"no highlighted code block with {code!r}: {article}"
        assert blocks[0].select_one("pre code") is not None
        assert not [p for p in article.select("p > code") if code in p.get_text()]
        headings = [h.get_text(strip=True).rstrip("¶") for h in article.select("h2")]
        assert heading in headings, headings
        section = next(h for h in article.select("h2") if heading in h.get_text())
        follower = section.find_next_sibling()
        assert isinstance(follower, Tag) and "Text of the next section." in follower.get_text()

    return check


def not_run(build: Build) -> None:
    assert "RAN-THE-FENCE" not in [pre.get_text().strip() for pre in build.article().select("pre")]
    assert "fences run" not in build.log or "0 fences run" in build.log, build.log


def after_section(fence_text: str) -> str:
    return f"{fence_text}\n\n## Next section\n\nText of the next section."


# -- checks on footnotes --------------------------------------------------------------------
def in_footnote(label: str, *texts: str, code: str = "") -> Callable[[Build], None]:
    def check(build: Build) -> None:
        item = build.article().select_one(f"li#fn\\:{label}")
        assert item is not None, "the footnote is gone"
        outputs = [pre.get_text() for pre in item.select(".infotheory-output pre")]
        for text in texts:
            assert any(text in output for output in outputs), (text, str(item)[:2000])
        if code:
            assert any(code in pre.get_text() for pre in item.select("pre")), str(item)[:2000]
        shown_raw = [p for p in build.article().select("pre") if "```" in p.get_text()]
        assert not shown_raw, "the fence is shown as raw source"

    return check


# -- checks on inline failures --------------------------------------------------------------
def attribute_is(selector: str, name: str, value: str) -> Callable[[Build], None]:
    def check(build: Build) -> None:
        article = build.article()
        element = article.select_one(selector)
        assert element is not None, f"no {selector}: {article}"
        assert element.get(name) == value, (name, element.get(name), str(element))
        assert "<span" not in str(element.get(name)), "an element inside an attribute"
        assert not [s for s in article.select("span.infotheory-error") if s.find_parent("img")]

    return check


def formula_reads(*wanted: str) -> Callable[[Build], None]:
    """The formulas are typeset (KaTeX) and their TeX is ``wanted``; no message set as TeX."""

    def check(build: Build) -> None:
        article = build.article()
        tex = [a.get_text() for a in article.select('annotation[encoding="application/x-tex"]')]
        for text in wanted:
            assert any(text in t for t in tex), (text, tex)
        assert not any("Error" in t for t in tex), tex

    return check


def no_error_text(build: Build) -> None:
    assert "ZeroDivisionError" not in build.article().get_text()


def a_png(site: Site) -> None:
    (site.root / "docs" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")


ZERO = "ZeroDivisionError"

CASES = [
    # -- executed output never includes a file (pymdownx.snippets) --------------------------
    Case(
        "markdown-output-inline-snippet",
        fence("print('--8<-- \".env\"')", 'result="markdown"'),
        extensions=SNIPPETS,
        check=both(secret_nowhere, shows('--8<-- ".env"')),
    ),
    Case(
        "markdown-output-block-snippet",
        fence("print('--8<--')\nprint('.env')\nprint('--8<--')", 'result="markdown"'),
        extensions=SNIPPETS,
        check=secret_nowhere,
    ),
    Case(
        "markdown-output-short-markers-and-escapes",
        fence(
            "print('-8<- \".env\"')\nprint(';--8<-- \".env\"')\nprint('  ---8<--- \"../.env\"')",
            'result="markdown"',
        ),
        extensions=SNIPPETS,
        check=secret_nowhere,
    ),
    Case(
        "markdown-output-opens-a-block-that-never-closes",
        # The page after the fence names the file: inside a block, each line is a path.
        fence("print('--8<--')", 'result="markdown"') + "\n\n.env",
        extensions=SNIPPETS,
        check=secret_nowhere,
    ),
    Case(
        "markdown-output-line-range-and-section",
        fence(
            # Built at run time: the page's own section marker would be the page's snippet.
            "print('--8<-- \".env:1:1\"')\nprint('--8<-- ' + '[start:x]')\nprint('kept line')",
            'result="markdown"',
        ),
        extensions=SNIPPETS,
        check=both(secret_nowhere, shows("--8<-- [start:x]", "kept line")),
    ),
    Case(
        "text-output-snippet",
        fence("print('--8<-- \".env\"')"),
        extensions=SNIPPETS,
        check=both(secret_nowhere, shows('--8<-- ".env"')),
    ),
    Case(
        "bash-output-snippet",
        fence("echo '--8<-- \".env\"'", language="bash"),
        extensions=SNIPPETS,
        check=secret_nowhere,
    ),
    Case(
        "html-output-snippet",
        fence("print('--8<-- \".env\"')", 'result="html"'),
        extensions=SNIPPETS,
        check=both(secret_nowhere, shows('--8<-- ".env"')),
    ),
    Case(
        "inline-value-snippet",
        "`{python} '--8<-- \".env\"'`",
        extensions=SNIPPETS,
        check=secret_nowhere,
    ),
    Case(
        "frozen-markdown-output-snippet",
        fence("print('FROZEN-MARKER')", 'result="markdown"'),
        extensions=SNIPPETS,
        plugin={"freeze": "true"},
        prepare=frozen_output_replaced('--8<-- ".env"'),
        check=both(secret_nowhere, shows('--8<-- ".env"')),
    ),
    Case(
        "frozen-markdown-output-block-snippet",
        fence("print('FROZEN-MARKER')", 'result="markdown"'),
        extensions=SNIPPETS,
        plugin={"freeze": "true"},
        prepare=frozen_output_replaced("--8<--\n.env\n--8<--"),
        check=secret_nowhere,
    ),
    Case(
        "escaped-snippet-in-the-page-stays-text",
        fence("print('ran')") + '\n\n;--8<-- ".env"',
        extensions=SNIPPETS,
        check=both(secret_nowhere, shows('--8<-- ".env"')),
    ),
    Case(
        "auto-appended-snippet-appears-once",
        fence("print('ran')"),
        extensions=[{"pymdownx.snippets": {"auto_append": ["appendix.md"]}}],
        prepare=lambda site: (site.root / "appendix.md").write_text("APPENDED-ONCE\n") and None,
        check=lambda build: (
            build.article().get_text().count("APPENDED-ONCE") == 1
            or pytest.fail("auto_append included its file twice")
        ),
    ),
    # -- fences are code blocks unless exec is true ------------------------------------------
    *[
        Case(
            f"exec-{name}",
            after_section(f'```python exec="{value}"\nprint("RAN-THE-FENCE")\n```'),
            check=both(code_block_then_section('print("RAN-THE-FENCE")'), not_run),
        )
        for name, value in [("off", "off"), ("zero", "0"), ("false", "false"), ("no", "no")]
    ],
    Case(
        "exec-OFF-upper-case",
        after_section('```python exec="OFF"\nprint("RAN-THE-FENCE")\n```'),
        check=code_block_then_section('print("RAN-THE-FENCE")'),
    ),
    *[
        Case(
            f"exec-unknown-{name}",
            after_section(f'```python {option}\nprint("RAN-THE-FENCE")\n```'),
            warns=((f"exec={shown} is neither true", "```python"), ('write exec="on"', "```")),
            check=both(code_block_then_section('print("RAN-THE-FENCE")'), not_run),
        )
        for name, option, shown in [
            ("maybe", 'exec="maybe"', "'maybe'"),
            ("onn", 'exec="onn" title="x.py"', "'onn'"),
            ("empty", 'exec=""', "''"),
        ]
    ],
    Case(
        "exec-off-keeps-the-highlighter-options",
        after_section('```python exec="off" title="shown.py" result="markdown"\nx = 1\n```'),
        check=both(code_block_then_section("x = 1"), shows("shown.py")),
    ),
    Case(
        "exec-off-braced-keeps-classes",
        after_section('``` {.python exec="off" .kept-class}\nx = 2\n```'),
        check=both(
            code_block_then_section("x = 2"),
            lambda build: build.article().select_one(".kept-class") is not None or pytest.fail(),
        ),
    ),
    Case(
        "exec-off-in-admonition",
        '!!! note "Boxed"\n\n    ```python exec="off"\n    x = 3\n    ```\n\n'
        "## Next section\n\nText of the next section.",
        check=both(
            code_block_then_section("x = 3"),
            lambda build: (
                "x = 3" in build.article().select_one(".admonition").get_text()
                or pytest.fail("the code left the admonition")
            ),
        ),
    ),
    Case(
        "exec-unknown-on-a-bash-fence",
        after_section('```bash exec="sure"\necho RAN-THE-FENCE\n```'),
        warns=(("exec='sure' is neither true", "```bash"),),
        check=code_block_then_section("echo RAN-THE-FENCE"),
    ),
    # -- exec fences inside footnotes ----------------------------------------------------------
    Case(
        "fence-in-footnote",
        "Claim.[^1]\n\n[^1]: A footnote.\n\n"
        '    ```python exec="on"\n    print("in the footnote", 6 * 7)\n    ```\n\n'
        "    Footnote text after the fence.",
        check=both(
            in_footnote("1", "in the footnote 42", code='print("in the footnote", 6 * 7)'),
            lambda build: (
                "Footnote text after the fence."
                in build.article().select_one("li#fn\\:1").get_text()
                or pytest.fail("the footnote's last paragraph left it")
            ),
        ),
    ),
    Case(
        "fence-right-after-footnote-label",
        'Claim.[^note]\n\n[^note]:\n    ```python exec="on"\n    print("first thing", 7)\n    ```',
        check=in_footnote("note", "first thing 7"),
    ),
    Case(
        "two-fences-and-a-value-in-footnote",
        "Claim.[^1]\n\n[^1]: Value `{python} 2 + 3`.\n\n"
        '    ```python exec="on"\n    print("one")\n    ```\n\n'
        '    ```pycon exec="on"\n    >>> print("two")\n    two\n    ```',
        check=both(in_footnote("1", "one"), shows("Value 5.")),
    ),
    Case(
        "failing-fence-in-footnote",
        'Claim.[^1]\n\n[^1]: A footnote.\n\n    ```python exec="on"\n    1 / 0\n    ```',
        warns=((ZERO, "    1 / 0"),),
        check=lambda build: (
            build.article().select_one("li#fn\\:1 .infotheory-failure")
            or pytest.fail("the error box left the footnote")
        ),
    ),
    # -- a failing inline value inside an attribute or a formula -------------------------------
    Case(
        "inline-failure-in-alt-text",
        "![`{python} 1/0`](a.png)",
        warns=((ZERO, "![`"),),
        prepare=a_png,
        check=both(attribute_is("img", "alt", "??"), no_error_text),
    ),
    Case(
        "inline-failure-in-link-title",
        '[a link](https://example.org "`{python} 1/0`")',
        warns=((ZERO, "[a link]"),),
        check=both(attribute_is("a[href='https://example.org']", "title", "??"), shows("a link")),
    ),
    Case(
        "inline-failure-in-reference-title",
        '[a link][ref]\n\n[ref]: https://example.org "`{python} 1/0`"',
        warns=((ZERO, "[ref]:"),),
        check=attribute_is("a[href='https://example.org']", "title", "??"),
    ),
    Case(
        "inline-failure-in-html-attribute",
        '<abbr title="`{python} 1/0`">H</abbr> stands for entropy.',
        warns=((ZERO, "<abbr"),),
        check=attribute_is("abbr", "title", "??"),
    ),
    Case(
        "inline-failure-in-attr-list",
        '![shown](a.png){ title="`{python} 1/0`" }',
        warns=((ZERO, "![shown]"),),
        prepare=a_png,
        check=attribute_is("img", "title", "??"),
    ),
    Case(
        "inline-failure-in-round-math",
        r"Formula \( x = `{python} 1/0` \) and \( y = `{python} 1 + 1` \) here.",
        warns=((ZERO, "Formula"),),
        check=both(formula_reads(r"\text{??}", "y = 2"), no_error_text, shows("here.")),
    ),
    Case(
        "inline-failure-in-dollar-math",
        "Formula $x = `{python} 1/0`$ here.",
        warns=((ZERO, "Formula"),),
        check=both(formula_reads(r"\text{??}"), no_error_text),
    ),
    Case(
        "inline-failure-in-display-math",
        "$$\nH = `{python} undefined_name`\n$$",
        warns=(("NameError", "H = "),),
        check=both(formula_reads(r"\text{??}"), lambda b: "NameError" not in b.article().text),
    ),
    Case(
        "inline-success-in-alt-text-and-math",
        r"![alt `{python} 40 + 2`](a.png) and \( p = `{python} 0.25` \)",
        prepare=a_png,
        check=both(attribute_is("img", "alt", "alt 42"), formula_reads("p = 0.25")),
    ),
    Case(
        "inline-failure-in-prose-keeps-its-message",
        "Prose `{python} 1/0` and ![`{python} 1/0`](a.png).",
        warns=((ZERO, "Prose"),),
        prepare=a_png,
        check=lambda build: (
            build.article().select_one("p span.infotheory-error")
            or pytest.fail("the failure in prose lost its message")
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_trust_output(make_site: Callable[..., Site], case: Case) -> None:
    config: dict[str, Any] = {}
    if case.extensions is not None:
        config["markdown_extensions"] = case.extensions
    site = make_site(plugin=case.plugin, **config)
    (site.root / ".env").write_text(f"SECRET={SECRET}\n", encoding="utf-8")
    (site.root / "docs" / ".env").write_text(f"DOCS_SECRET={SECRET}\n", encoding="utf-8")
    (site.root / "docs" / "index.md").write_text(case.page, encoding="utf-8")
    if case.prepare is not None:
        case.prepare(site)
    site.save_config()
    before = files_outside_site(site.root)
    build = site.build(strict=True)

    assert "Traceback (most recent call last)" not in build.log, build.log
    fails = bool(case.warns) if case.strict_fails is None else case.strict_fails
    assert build.returncode == (1 if fails else 0), build.log
    warnings = build.warnings()
    for text, needle in case.warns:
        where = f"docs/index.md:{line_of(case.page, needle)}:"
        assert any(where in w and text in w for w in warnings), (where, text, warnings)
    if not case.warns:
        assert warnings == [], warnings
    article = build.article()
    text = article.get_text()
    assert BEFORE in text and AFTER in text, "text around the case was lost"
    assert_safe(article)
    assert files_outside_site(site.root) == before, "the build changed a file outside site/"
    if case.check is not None:
        case.check(build)
