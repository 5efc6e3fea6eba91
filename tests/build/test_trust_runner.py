"""A page can fail, never silence the build; anything printed is one safe line; no formula
crashes the reading of TeX (issue 17, principles 3, 4 and 5).

Each case is a real ``mkdocs build --strict`` in the probe suite's style: the exit code says
what happened, each problem is a warning at ``docs/index.md:LINE``, the log holds no
traceback, the text around the case is on the page, and no file outside ``site/`` (and the
build's own cache) changed.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.build.test_pytest_plugin import outcome_counts, run_pytest
from tests.sites import Build, Site

BEFORE = "Sentinel paragraph before the case."
AFTER = "Sentinel paragraph after the case."
#: Printed by the fence after the tampering one: it must run and show, or fail at its line.
LATER = "later fence ran"


def fence(code: str, options: str = "") -> str:
    return f'```python exec="on"{(" " + options) if options else ""}\n{code}\n```'


def page_of(body: str) -> str:
    return f"# Case\n\n{BEFORE}\n\n{textwrap.dedent(body).strip()}\n\n{AFTER}\n"


def line_of(page: str, needle: str) -> int:
    return next(i for i, line in enumerate(page.splitlines(), 1) if needle in line)


def snapshot(root: Path) -> dict[str, str]:
    """Every file outside ``site/`` and the build's cache, by content."""
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and relative.parts[0] not in ("site", ".cache"):
            files[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def build_page(make_site: Callable[..., Site], body: str, **plugin: object) -> tuple[Build, str]:
    site = make_site(plugin={"timeout": 20, **plugin})
    page = page_of(body)
    site.write("index.md", page)
    site.save_config()
    before = snapshot(site.root)
    build = site.build(strict=True)
    assert snapshot(site.root) == before, "a file outside site/ changed"
    assert "Traceback (most recent call last)" not in build.log, build.log
    text = build.article().get_text()
    assert BEFORE in text and AFTER in text, "text around the case was lost"
    return build, page


def assert_fails_at(build: Build, page: str, needle: str, text: str = "") -> None:
    """``--strict`` failed, with a warning at the line of ``needle`` (containing ``text``)."""
    assert build.returncode == 1, build.log
    where = f"docs/index.md:{line_of(page, needle)}:"
    assert any(where in w and text in w for w in build.warnings()), (where, text, build.log)


def assert_later_fence_ran_or_failed(build: Build, page: str) -> None:
    """Not silenced: the later fence's output is on the page, or the build failed at it."""
    if LATER in build.article().get_text():
        return
    assert_fails_at(build, page, f"print({LATER!r})")


# -- principle 3: tampering with what the page reports through ------------------------------
@dataclass(frozen=True)
class Tamper:
    id: str
    code: str


TAMPERING = [
    Tamper("json-dumps", 'import json\njson.dumps = lambda *a, **k: "garbage"'),
    Tamper("json-dumps-says-done", "import json\njson.dumps = lambda *a, **k: '{\"done\": true}'"),
    Tamper("json-encoder", "import json\njson.JSONEncoder.encode = lambda self, o: 'garbage'"),
    Tamper("os-getpid", "import os\nos.getpid = lambda: 1"),
    Tamper("socket-sendall", "import socket\nsocket.socket.sendall = lambda self, data: None"),
    Tamper("builtins-len", "import builtins\nbuiltins.len = lambda obj: 0"),
    Tamper("builtins-vars", "import builtins\nbuiltins.vars = lambda obj: {}"),
    Tamper("sys-stdout", "import sys\nsys.stdout = None\nsys.stderr = None"),
    Tamper("print", "import builtins\nbuiltins.print = lambda *a, **k: None"),
    Tamper("sys-modules-json", "import sys\nsys.modules['json'] = None"),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", TAMPERING, ids=[t.id for t in TAMPERING])
def test_tampering_never_silences_the_later_fences(
    make_site: Callable[..., Site], case: Tamper
) -> None:
    body = f"{fence(case.code)}\n\nBetween.\n\n{fence(f'print({LATER!r})')}"
    build, page = build_page(make_site, body)
    assert "not run" not in build.article().get_text() or build.returncode == 1, build.log
    if case.id != "print":  # a fence may silence its own prints, not the build
        assert_later_fence_ran_or_failed(build, page)
    if build.returncode == 0:
        assert build.warnings() == [], build.log


#: Finds the page's data socket (the only socket among its descriptors) and writes to it.
FORGE = """\
import os, socket, stat, struct
for fd in map(int, os.listdir("/dev/fd")):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode):
            payload = {payload!r}
            os.write(fd, struct.pack("!Q", len(payload)) + payload)
    except OSError:
        pass
"""

FORGED = [
    ("not-json", b"\x00\xffgarbage", "cannot read"),
    ("done-early", b'{"done": true}', "said it was done"),
    ("wrong-shape", b"[1, 2, 3]", "cannot read"),
    ("result-out-of-turn", b'{"result": 7, "data": {}}', "out of turn"),
    ("result-wrong-types", b'{"result": 0, "data": {"error": {"type": 1}}}', "could not be read"),
    ("pid-again", b'{"pid": 1}', "out of turn"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("payload", "text"), [f[1:] for f in FORGED], ids=[f[0] for f in FORGED])
def test_a_frame_the_build_cannot_read_fails_the_fence(
    make_site: Callable[..., Site], payload: bytes, text: str
) -> None:
    body = f"{fence(FORGE.format(payload=payload))}\n\n{fence(f'print({LATER!r})')}"
    build, page = build_page(make_site, body)
    assert_fails_at(build, page, "import os, socket, stat, struct", text)
    assert "0 failures" not in build.log


@pytest.mark.slow
def test_pytest_infotheory_fails_a_page_that_forged_done(make_site: Callable[..., Site]) -> None:
    site = make_site(plugin={"timeout": 20})
    forged = fence(FORGE.format(payload=b'{"done": true}'))
    body = f"{forged}\n\n{fence('assert False')}"
    site.write("index.md", page_of(body))
    site.save_config()
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider")
    assert result.returncode == 1, result.stdout + result.stderr
    assert outcome_counts(result.stdout).get("failed") == 1, result.stdout


# -- principle 4: one safe line ------------------------------------------------------------
@pytest.mark.slow
def test_control_characters_and_forged_annotations_stay_in_one_line(
    make_site: Callable[..., Site],
) -> None:
    code = (
        "raise ValueError('title \\x1b]0;owned\\x07 clear \\x1b[2J \\x9b1m del \\x7f"
        "\\n::error file=x::forged\\r\\n::warning::too')"
    )
    build, page = build_page(make_site, fence(code))
    assert_fails_at(build, page, "raise ValueError", "ValueError")
    assert "\x1b" not in build.log and "\x07" not in build.log and "\x9b" not in build.log
    assert "\x7f" not in build.log and "\r" not in build.log
    lines = build.log.splitlines()
    assert not [line for line in lines if line.startswith(("::error", "::warning"))], build.log
    (warning,) = [w for w in build.warnings() if "ValueError" in w]
    assert "\\x1b]0;owned" in warning and "::error file=x::forged" in warning
    # The page's error box shows the escape visibly too, never the raw character.
    box = build.article().get_text()
    assert "\x1b" not in box and "\\x1b" in box


@pytest.mark.slow
def test_a_huge_message_is_a_capped_log_line(make_site: Callable[..., Site]) -> None:
    build, page = build_page(make_site, fence("raise ValueError('m' * 20_000_000)"))
    assert_fails_at(build, page, "raise ValueError", "ValueError")
    assert max(len(line) for line in build.log.splitlines()) < 5000
    assert "more characters" in build.log
    assert len(build.log) < 100_000


@pytest.mark.slow
def test_pytest_infotheory_reports_escape_control_characters(
    make_site: Callable[..., Site],
) -> None:
    site = make_site(plugin={"timeout": 20})
    site.write("index.md", page_of(fence("raise ValueError('a\\x1b[2Jb\\n::error file=x::c')")))
    site.save_config()
    result = run_pytest(site.root, "--infotheory", "-p", "no:cacheprovider")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "\x1b" not in output
    assert not [line for line in output.splitlines() if line.startswith("::error")], output


# -- principle 5: any depth of braces --------------------------------------------------------
DEEP = "{" * 1000 + "x" + "}" * 1000


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [f"$$\n{DEEP}\n$$", f"Inline \\({DEEP}\\) formula.", f"## Heading \\({DEEP}\\)"],
    ids=["display", "inline", "heading"],
)
def test_a_deeply_nested_formula_never_crashes(make_site: Callable[..., Site], body: str) -> None:
    build, _page = build_page(make_site, body, math="katex")
    assert "RecursionError" not in build.log
    if build.returncode != 0:  # KaTeX may refuse it: then a LaTeX error at the line
        assert_fails_at(build, _page, DEEP[:10])


@pytest.mark.slow
def test_a_formula_too_deep_for_katex_is_a_warning_at_its_line(
    make_site: Callable[..., Site],
) -> None:
    deeper = "{" * 20000 + "x" + "}" * 20000
    build, page = build_page(make_site, f"Text.\n\n$$\n{deeper}\n$$")
    assert "RecursionError" not in build.log
    assert build.returncode in (0, 1)
    if build.returncode == 1:
        assert_fails_at(build, page, deeper[:10])


# -- principle 3: a fence that kills the fork server ---------------------------------------
INNOCENT = '```python exec="on"\nimport time\ntime.sleep(0.3)\nprint("page {n} ok", 6 * 7)\n```\n'
KILLS = "os.kill(os.getppid(), signal.SIGKILL)"


@pytest.mark.slow
@pytest.mark.parametrize(
    "kill",
    [KILLS, "os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)"],
    ids=["kill-parent", "killpg-parent-group"],
)
def test_the_page_that_kills_the_server_is_blamed_and_the_others_rerun(
    make_site: Callable[..., Site], kill: str
) -> None:
    site = make_site(plugin={"timeout": 20})
    culprit = page_of(
        fence('print("before the kill")')
        + "\n\n"
        + fence(f"import os, signal, time\ntime.sleep(0.2)\n{kill}\ntime.sleep(5)")
        + "\n\n"
        + fence('print("after the kill")')
    )
    site.write("index.md", culprit)
    for n in range(5):
        site.write(f"p{n}.md", f"# Page {n}\n\n{INNOCENT.format(n=n)}")
    site.save_config()
    before = snapshot(site.root)
    build = site.build(strict=True)
    assert snapshot(site.root) == before
    assert "Traceback (most recent call last)" not in build.log, build.log
    assert build.returncode == 1, build.log
    warnings = build.warnings()
    where = f"docs/index.md:{line_of(culprit, 'import os, signal, time')}:"
    assert any(where in w and "ended the fork server" in w for w in warnings), build.log
    assert all("docs/index.md:" in w for w in warnings), warnings
    assert "ended without reporting why" not in build.log
    for n in range(5):
        assert f"page {n} ok 42" in build.article(f"p{n}").get_text(), build.log
    text = build.article().get_text()
    assert "before the kill" in text and BEFORE in text and AFTER in text
