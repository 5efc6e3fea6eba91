"""Probe suite: bad input of every kind, each in a real ``mkdocs build --strict``.

Every probe is a page (and sometimes plugin options, an environment or a damaged cache) that
a careless author or an attacker could produce. Whatever the probe, the same promises hold:

* no Python traceback in the build log (a warning or a configuration error instead);
* the exit code says what happened (``--strict`` fails exactly when something was wrong);
* each problem is a warning naming ``docs/index.md:LINE`` at the line it comes from;
* nothing is lost: the text before and after the bad input is on the page;
* the page stays safe: no ``<script>``, no ``on*=`` attribute, no ``javascript:`` link in the
  article, whatever the code printed or the formula asked for.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import Tag

from tests.sites import Build, Site

BEFORE = "Sentinel paragraph before the probe."
AFTER = "Sentinel paragraph after the probe."


@dataclass(frozen=True)
class Probe:
    id: str
    #: The probe's Markdown, put between the two sentinel paragraphs of docs/index.md.
    body: str
    #: (text in the warning, text of the page line it must name); None: a build-wide warning
    #: (about the cache, not a page).
    warns: tuple[tuple[str, str | None], ...] = ()
    plugin: dict[str, Any] | None = None
    env: dict[str, str] = field(default_factory=dict)
    #: Runs before the probe's build (e.g. a first build, then damage to its cache).
    prepare: Callable[[Site], None] | None = None
    #: The build must stop with a configuration error containing this text.
    config_error: str | None = None
    #: Extra checks on the finished build.
    check: Callable[[Build], None] | None = None
    #: Strict fails whenever a warning is expected, unless said otherwise.
    strict_fails: bool | None = None
    #: YAML front matter put before the page (line numbers must still be the file's).
    front_matter: str = ""
    #: How the page is written to disk (e.g. with CRLF line ends or a byte-order mark).
    encode: Callable[[str], bytes] = lambda text: text.encode("utf-8")

    @property
    def page(self) -> str:
        body = textwrap.dedent(self.body).strip()
        return f"{self.front_matter}# Probe\n\n{BEFORE}\n\n{body}\n\n{AFTER}\n"


def fence(code: str, options: str = "") -> str:
    return f'```python exec="on"{(" " + options) if options else ""}\n{code}\n```'


# -- helpers for cache probes ---------------------------------------------------------------
def exec_entries(site: Site) -> list[Path]:
    # Entries are named by their key; the folder's manifest is not an entry.
    return sorted((site.root / ".cache" / "infotheory" / "exec").glob("[0-9a-f]*.json"))


def build_then(damage: Callable[[Site], None]) -> Callable[[Site], None]:
    def prepare(site: Site) -> None:
        first = site.build(strict=True)
        assert first.returncode == 0, first.log
        damage(site)

    return prepare


def each_exec_entry(write: Callable[[Path], None]) -> Callable[[Site], None]:
    def damage(site: Site) -> None:
        entries = exec_entries(site)
        assert entries, "the first build stored nothing"
        for entry in entries:
            write(entry)

    return damage


def as_folder(path: Path) -> None:
    path.unlink()
    (path / "inside").mkdir(parents=True)


def as_symlink_loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path)


def math_file(write: Callable[[Path], None]) -> Callable[[Site], None]:
    def damage(site: Site) -> None:
        path = site.root / ".cache" / "infotheory" / "math.json"
        assert path.is_file(), "the first build wrote no math cache"
        write(path)

    return damage


def block_cache_folder(site: Site) -> None:
    (site.root / ".cache").mkdir()
    (site.root / ".cache" / "infotheory").write_text("a file where the cache folder should be")


def wrong_field(**fields: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        data = json.loads(path.read_text())
        data["results"][0].update(fields)
        path.write_text(json.dumps(data))

    return write


# -- checks ---------------------------------------------------------------------------------
def output_text(build: Build) -> str:
    return "".join(pre.get_text() for pre in build.article().select("div.language-text pre"))


def output_shows(text: str) -> Callable[[Build], None]:
    """The text is in an output block (not merely in the fence's displayed source)."""

    def check(build: Build) -> None:
        assert text in output_text(build), output_text(build)[:2000]

    return check


def shows(text: str) -> Callable[[Build], None]:
    def check(build: Build) -> None:
        assert text in build.article().get_text(), build.article().get_text()[:2000]

    return check


def page_smaller_than(limit: int) -> Callable[[Build], None]:
    def check(build: Build) -> None:
        size = (build.site / "index.html").stat().st_size
        assert size < limit, f"page is {size} bytes"

    return check


def reruns(build: Build) -> None:
    assert "1 fences run, 0 from cache" in build.log, build.log


def not_executed(build: Build) -> None:
    assert "ran" not in output_text(build), "MKDOCS_INFOTHEORY_EXECUTE=' FALSE ' must turn it off"
    assert "execution is off" in build.log


def one_cache_warning(build: Build) -> None:
    assert len(build.warnings()) == 1, build.warnings()


def no_cache_written(build: Build) -> None:
    assert (build.root / ".cache" / "infotheory").is_file()


HUGE = "z" * 50_000

PROBES = [
    # -- absurd numbers in fence options ----------------------------------------------------
    *[
        Probe(
            f"fence-timeout-{name}",
            fence("print('never runs')", f'timeout="{value}"'),
            warns=((f"timeout='{value}' must be a number of seconds", "exec="),),
        )
        for name, value in [
            ("inf", "inf"),
            ("1e12", "1e12"),
            ("zero", "0"),
            ("negative", "-5"),
            ("nan", "nan"),
            ("empty", ""),
            ("words", "ten"),
            ("minus-inf", "-inf"),
            ("huge-int", "9" * 400),
        ]
    ],
    Probe(
        "fence-timeout-24h-ok", fence("print('ran')", 'timeout="86400"'), check=output_shows("ran")
    ),
    # -- odd and unknown fence options ----------------------------------------------------------
    Probe(
        "unknown-option",
        fence("print(1)", 'sorce="none"'),
        warns=(("unknown fence option 'sorce'", "sorce="),),
    ),
    Probe(
        "bad-source-choice",
        fence("print(1)", 'source="left"'),
        warns=(("source='left' is not one of", "left"),),
    ),
    Probe(
        "unreadable-options",
        fence("print(1)", 'title="unclosed'),
        warns=(("cannot read the fence options", "unclosed"),),
    ),
    Probe(
        "unknown-language",
        '```ruby exec="on"\nputs 1\n```',
        warns=(("cannot execute a 'ruby' fence", "ruby"),),
    ),
    Probe(
        "unterminated-fence",
        '```python exec="on"\nprint("no end")',
        warns=(("never closed", "exec="),),
        # The unclosed fence swallows the rest of the page by Markdown's rules; its text is
        # still shown (as code), so nothing is lost.
        check=shows(AFTER),
    ),
    Probe("empty-fence", '```python exec="on"\n```'),
    Probe("blank-fence", '```python exec="on"\n\n   \n```'),
    Probe("comment-only-fence", fence("# nothing to do")),
    Probe(
        "exec-uppercase",
        fence("print('UPPER' + 'CASE')", "").replace('"on"', '"ON"'),
        check=output_shows("UPPERCASE"),
    ),
    Probe(
        "session-path-like",
        fence("x = 41", 'session="../../etc/passwd"')
        + "\n\n"
        + fence("print(x + 1)", 'session="../../etc/passwd"'),
        check=output_shows("42"),
    ),
    Probe(
        "caption-markup",
        fence("print(1)", 'caption="<script>alert(1)</script>"'),
        check=shows("<script>alert(1)</script>"),
    ),
    Probe(
        "four-backtick-fence-with-fence-inside",
        '````python exec="on"\nprint("```not a fence```")\n````',
        check=output_shows("```not a fence```"),
    ),
    # -- hostile output ---------------------------------------------------------------------
    Probe(
        "control-characters",
        fence(r"print('bell\x07 esc\x1b[31m nul\x00 del\x7f end')"),
        check=output_shows(r"bell\x07 esc\x1b[31m nul\x00 del\x7f end"),
    ),
    Probe(
        "html-in-output",
        fence("print('<script>alert(1)</script><img src=x onerror=alert(2)>')"),
        check=output_shows("<script>alert(1)</script>"),
    ),
    Probe(
        "huge-single-line",
        fence("print('x' * 2_000_000)"),
        warns=(("output truncated to max_output=100000", "print('x'"),),
        check=page_smaller_than(400_000),
    ),
    Probe(
        "invalid-utf8-bytes",
        fence("import sys\nsys.stdout.buffer.write(b'ok \\xff\\xfe bytes\\n')"),
        check=output_shows("ok"),
    ),
    Probe(
        "invalid-utf8-os-write",
        fence("import os, sys\nsys.stdout.flush()\nos.write(1, b'raw \\xc3\\x28 end\\n')"),
        check=output_shows("end"),
    ),
    Probe(
        "lone-surrogate",
        fence("print('half \\ud800 pair')"),
        check=output_shows("pair"),
        strict_fails=None,
    ),
    Probe(
        "fake-fragment-token",
        fence("print('infotheory000000000000fragment0x')"),
        check=output_shows("infotheory000000000000fragment0x"),
    ),
    Probe(
        "markdown-looking-output",
        fence("print('# not a heading\\n* not a list\\n[link](javascript:alert(1))')"),
        check=output_shows("[link](javascript:alert(1))"),
    ),
    # -- inline values ------------------------------------------------------------------------
    Probe(
        "inline-huge-value",
        "Value: `{python} 'y' * 20_000_000`",
        warns=(("inline value truncated to max_output=100000", "Value:"),),
        check=page_smaller_than(600_000),
    ),
    Probe(
        "inline-markup-value",
        "Value: `{python} '<b onclick=\"x()\">bold</b> *em* [a](javascript:b)'`",
        check=shows('<b onclick="x()">bold</b> *em* [a](javascript:b)'),
    ),
    Probe(
        "inline-error",
        "Value: `{python} undefined_name + 1`",
        warns=(("NameError: name 'undefined_name' is not defined", "Value:"),),
    ),
    Probe(
        "inline-syntax-error",
        "Value: `{python} 1 +`",
        warns=(("SyntaxError", "Value:"),),
    ),
    Probe("inline-none", "Value: `{python} None`", check=shows("Value: None")),
    Probe(
        "inline-control-chars",
        "Value: `{python} 'a\\x00b\\x1bc'`",
        check=shows(r"a\x00b\x1bc"),
    ),
    # -- crashes ---------------------------------------------------------------------------
    Probe(
        "sys-exit",
        fence("import sys\nsys.exit(3)") + "\n\n" + fence("print('next fence runs')"),
        warns=(("SystemExit", "sys.exit(3)"),),
        check=output_shows("next fence runs"),
    ),
    Probe(
        "exception-with-broken-str",
        fence(
            "class Odd(Exception):\n    def __str__(self):\n        raise RuntimeError('no')\n"
            "raise Odd()"
        )
        + "\n\n"
        + fence("print('still here')"),
        warns=(("Odd", "raise Odd()"),),
        check=output_shows("still here"),
    ),
    Probe(
        "timeout",
        fence("while True:\n    pass", 'timeout="1"') + "\n\n" + fence("print('after')"),
        warns=(("TimeoutError: the fence ran longer than 1 s", "while True"),),
        check=shows("not run: the process running this page ended at an earlier fence"),
    ),
    # -- math attacks -------------------------------------------------------------------------
    *[
        Probe(
            f"math-{name}",
            f"Formula: ${tex}$",
            warns=((message, "Formula:"),),
        )
        for name, tex, message in [
            ("href-javascript", r"\href{javascript:alert(1)}{x}", "is not allowed in a formula"),
            ("url-javascript", r"\url{javascript:alert(1)}", "is not allowed in a formula"),
            ("href-data", r"\href{data:text/html,<script>x</script>}{x}", "is not allowed"),
            ("htmlClass", r"\htmlClass{md-header}{x}", r"\htmlClass is not allowed"),
            ("htmlStyle", r"\htmlStyle{position:fixed;top:0}{x}", r"\htmlStyle is not allowed"),
            ("htmlId", r"\htmlId{__next}{x}", r"\htmlId is not allowed"),
            ("htmlData", r"\htmlData{foo=bar}{x}", r"\htmlData is not allowed"),
            ("includegraphics", r"\includegraphics{https://e.org/x.png}", "is not allowed"),
            ("macro-bomb", r"\def\a{\a\a}\a", "KaTeX"),
            ("unknown-command", r"\nosuchcommand{x}", "nosuchcommand"),
        ]
    ],
    Probe(
        "math-display-javascript",
        "Formula:\n\n$$\n\\href{javascript:alert(1)}{x}\n$$",
        warns=(("is not allowed in a formula", r"\href"),),
    ),
    Probe(
        "math-ordinary-link-ok",
        r"Formula: $\href{https://example.org}{x}$",
    ),
    # -- plugin options out of range ------------------------------------------------------
    *[
        Probe(
            f"config-{option}-{value}",
            fence("print(1)"),
            plugin={option: value},
            config_error=f"option '{option}'",
        )
        for option, value in [
            ("timeout", 0),
            ("timeout", -5),
            ("timeout", float("inf")),
            ("timeout", float("nan")),
            ("timeout", 10**12),
            ("timeout", "soon"),
            ("timeout", True),
            ("max_output", -1),
            ("max_output", 0),
            ("max_output", 10**12),
            ("max_output", 1.5),
            ("workers", 0),
            ("workers", -2),
            ("workers", 100_000),
        ]
    ],
    # -- the execute switch -------------------------------------------------------------------
    *[
        Probe(
            f"env-execute-{value or 'blank'}",
            fence("print('ran')"),
            env={"MKDOCS_INFOTHEORY_EXECUTE": value},
            config_error="MKDOCS_INFOTHEORY_EXECUTE",
        )
        for value in ["disabled", "nope", "2", "enable"]
    ],
    Probe(
        "env-execute-FALSE-spaces",
        fence("print('r' + 'an')"),
        env={"MKDOCS_INFOTHEORY_EXECUTE": " FALSE "},
        check=lambda build: not_executed(build),
    ),
    # -- damaged caches -----------------------------------------------------------------------
    *[
        Probe(
            f"exec-cache-{name}",
            fence("print('fresh result')"),
            prepare=build_then(each_exec_entry(write)),
            warns=(("cache entry", None),),  # discarded, or left alone if not a file
            check=lambda build: (output_shows("fresh result")(build), reruns(build)),
            strict_fails=True,
        )
        for name, write in [
            ("null", lambda p: p.write_text("null")),
            ("list", lambda p: p.write_text("[1, 2]")),
            ("number", lambda p: p.write_text("7")),
            ("not-json", lambda p: p.write_text("{ nope")),
            ("binary", lambda p: p.write_bytes(b"\xff\xfe\x00\x81")),
            ("empty", lambda p: p.write_text("")),
            ("results-null", lambda p: p.write_text(json.dumps({"key": p.stem, "results": None}))),
            ("output-int", wrong_field(output=5)),
            ("error-string", wrong_field(error="boom")),
            ("figures-junk", wrong_field(figures=[None])),
            ("folder", as_folder),
            ("symlink-loop", as_symlink_loop),
        ]
    ],
    *[
        Probe(
            f"math-cache-{name}",
            "Formula: $x^2 + y$",
            prepare=build_then(math_file(write)),
            warns=(("math cache", None),),
            check=lambda build: shows("x")(build),
        )
        for name, write in [
            ("null", lambda p: p.write_text("null")),
            ("list", lambda p: p.write_text("[1, 2]")),
            ("not-json", lambda p: p.write_text("{ nope")),
            ("entries-junk", lambda p: p.write_text('{"format": 3, "entries": [[1]]}')),
            ("folder", as_folder),
            ("symlink-loop", as_symlink_loop),
        ]
    ],
    Probe(
        "cache-folder-unwritable",
        fence("print('works without a cache')") + "\n\nFormula: $a+b$",
        prepare=block_cache_folder,
        warns=(("without caching", None),),
        check=lambda build: (
            output_shows("works without a cache")(build),
            no_cache_written(build),
            one_cache_warning(build),
        ),
    ),
    # -- where the page comes from: line ends, BOM, front matter, containers ---------------
    Probe(
        "crlf-line-ends",
        "Intro.\n\n" + fence("x = 1\nraise ValueError('crlf')"),
        warns=(("ValueError: crlf", "raise ValueError"),),
        encode=lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ),
    Probe(
        "byte-order-mark",
        fence("raise KeyError('bom')"),
        warns=(("KeyError", "raise KeyError"),),
        encode=lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    ),
    Probe(
        "front-matter",
        fence("1 / 0"),
        warns=(("ZeroDivisionError", "1 / 0"),),
        front_matter="---\ntitle: Front matter\ntags:\n  - a\n  - b\n---\n\n",
    ),
    # MkDocs keeps front matter that is not a mapping (or not YAML) as part of the Markdown.
    Probe(
        "front-matter-not-a-mapping",
        fence("1 / 0"),
        warns=(("ZeroDivisionError", "1 / 0"),),
        front_matter="---\n- a list\n- not a mapping\n---\n\n",
    ),
    Probe(
        "front-matter-not-yaml",
        fence("1 / 0"),
        warns=(("ZeroDivisionError", "1 / 0"),),
        front_matter="---\ntitle: [unclosed\n---\n\n",
    ),
    Probe(
        "fence-in-blockquote",
        "> Quoted:\n>\n> ```python exec=\"on\"\n> print('in quote')\n> undefined_in_quote\n> ```",
        warns=(("NameError", "undefined_in_quote"),),
        check=output_shows("in quote"),
    ),
    Probe(
        "fence-in-list-item",
        "1. Item:\n\n    ```python exec=\"on\"\n    print('in list')\n    [][3]\n    ```",
        warns=(("IndexError", "[][3]"),),
        check=output_shows("in list"),
    ),
    Probe(
        "inline-error-in-table",
        "| a | b |\n|---|---|\n| cell | `{python} {}['missing']` |",
        warns=(("KeyError", "| cell |"),),
    ),
    Probe(
        "tilde-fence",
        '~~~python exec="on"\nprint("tilde " + "ran")\n~~~',
        check=output_shows("tilde ran"),
    ),
    Probe(
        "duplicate-option",
        fence("print(1)", 'timeout="1" timeout="inf"'),
        warns=(("timeout='inf' must be", "exec="),),
    ),
    Probe(
        "nul-in-prose",
        "Prose with a NUL \x00 character.\n\n" + fence("print('after ' + 'nul')"),
        check=output_shows("after nul"),
    ),
    Probe(
        "many-fences",
        "\n\n".join(fence(f"print('f{i}')") for i in range(150)),
        check=output_shows("f149"),
    ),
    # -- output that looks like Markdown structure ----------------------------------------------
    Probe(
        "markdown-result-unclosed-fence",
        fence("print('```')\nprint('inside')", 'result="markdown"'),
    ),
    Probe(
        "markdown-result-html-comment",
        fence("print('<!-- never closed')", 'result="markdown"'),
    ),
    Probe(
        "text-output-with-backtick-runs",
        fence("print('````\\n```\\n~~~~')"),
        check=output_shows("````"),
    ),
    Probe(
        "inline-value-with-newlines",
        "Value: `{python} 'line1\\nline2\\n# not heading'`",
        check=shows("line1 line2 # not heading"),
    ),
    # -- math through macros ---------------------------------------------------------------------
    Probe(
        "math-href-through-macro",
        r"Formula: $\def\evil{\href{javascript:alert(1)}{y}}\evil$",
        warns=(("is not allowed in a formula", "Formula:"),),
    ),
    Probe(
        "math-htmlclass-in-text",
        r"Formula: $\text{\htmlClass{md-header}{x}}$",
        warns=((r"\htmlClass is not allowed", "Formula:"),),
    ),
]


def line_of(page: str, needle: str) -> int:
    return next(i for i, line in enumerate(page.splitlines(), 1) if needle in line)


def assert_safe(article: Tag) -> None:
    assert article.find_all("script") == [], "executed output or math made a <script>"
    for element in article.find_all(True):
        events = [name for name in element.attrs if name.lower().startswith("on")]
        assert not events, f"event handler attribute {events} on <{element.name}>"
        for name in ("href", "src", "xlink:href", "action"):
            value = str(element.get(name, "")).strip().lower()
            assert not value.startswith(("javascript:", "data:text/html")), (name, value)


@pytest.mark.slow
@pytest.mark.parametrize("probe", PROBES, ids=[p.id for p in PROBES])
def test_probe(make_site: Callable[..., Site], probe: Probe) -> None:
    site = make_site(plugin=probe.plugin)
    site.write("index.md", "")
    (site.root / "docs" / "index.md").write_bytes(probe.encode(probe.page))
    if probe.prepare is not None:
        probe.prepare(site)
    build = site.build(strict=True, env=probe.env)

    assert "Traceback (most recent call last)" not in build.log, build.log
    if probe.config_error is not None:
        assert build.returncode == 1, build.log
        errors = [line for line in build.log.splitlines() if line.startswith("ERROR")]
        assert any(probe.config_error in line for line in errors), build.log
        return

    fails = probe.strict_fails if probe.strict_fails is not None else bool(probe.warns)
    assert build.returncode == (1 if fails else 0), build.log
    warnings = build.warnings()
    for text, needle in probe.warns:
        where = "" if needle is None else f"docs/index.md:{line_of(probe.page, needle)}:"
        assert any(where in w and text in w for w in warnings), (where, text, warnings)
    if not probe.warns and probe.strict_fails is None:
        assert warnings == [], warnings

    article = build.article()
    text = article.get_text()
    assert BEFORE in text and AFTER in text, "text around the probe was lost"
    assert_safe(article)
    if probe.check is not None:
        probe.check(build)
