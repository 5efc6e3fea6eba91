"""KaTeX through the embedded V8: output structure, KaTeX features, errors, threads."""

from __future__ import annotations

import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from bs4 import BeautifulSoup, Tag

from mkdocs_infotheory.math import KatexRenderer, MathError


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def mathml(html: str) -> Tag:
    math = parse(html).find("math")
    assert isinstance(math, Tag), "KaTeX output has no <math> element"
    return math


def test_inline_output_has_html_and_mathml_with_tex_annotation(renderer: KatexRenderer) -> None:
    tex = r"H(X) = -\sum_x p(x) \log_2 p(x)"
    soup = parse(renderer.render(tex, display=False))
    assert soup.select_one(".katex") is not None
    assert soup.select_one(".katex-display") is None
    assert soup.select_one(".katex-html")["aria-hidden"] == "true"
    annotation = soup.select_one('annotation[encoding="application/x-tex"]')
    assert annotation is not None and annotation.get_text() == tex
    assert mathml(str(soup)).get("display") != "block"


def test_display_mode_uses_katex_display_and_block_mathml(renderer: KatexRenderer) -> None:
    soup = parse(renderer.render(r"x^2", display=True))
    display = soup.select_one(".katex-display")
    assert display is not None and display.select_one(".katex") is not None
    assert mathml(str(soup))["display"] == "block"


def test_sum_takes_limits_in_display_and_scripts_inline(renderer: KatexRenderer) -> None:
    tex = r"\sum_{i=1}^{n} x_i"
    shown = renderer.render(tex, display=True)
    inline = renderer.render(tex, display=False)
    assert mathml(shown).find("munderover") is not None
    assert mathml(inline).find("msubsup") is not None
    assert parse(shown).select_one(".op-limits .large-op") is not None
    assert parse(inline).select_one(".small-op") is not None


@pytest.mark.parametrize(
    ("tex", "mathml_tag", "attrs", "text"),
    [
        (r"\frac{1}{p(x)}", "mfrac", {}, None),
        (
            r"\begin{aligned} H(X,Y) &= H(X) + H(Y|X) \\ &\le H(X) + H(Y) \end{aligned}",
            "mtable",
            {},
            None,
        ),
        (r"\operatorname{argmax}_\theta L(\theta)", "mi", {"mathvariant": "normal"}, "argmax"),
        (r"x \in \mathbb{R}^n", "mi", {"mathvariant": "double-struck"}, "R"),
        (r"\left[ \frac{a}{b} \right]", "mo", {"fence": "true"}, "["),
    ],
)
def test_latex_features_render(
    renderer: KatexRenderer, tex: str, mathml_tag: str, attrs: dict[str, str], text: str | None
) -> None:
    html = renderer.render(tex, display=True)
    found = mathml(html).find_all(mathml_tag, attrs=attrs)
    assert found, f"no <{mathml_tag} {attrs}> in the MathML of {tex}"
    if text is not None:
        assert text in [el.get_text() for el in found]


def test_left_right_delimiters_grow_with_content(renderer: KatexRenderer) -> None:
    tall = parse(renderer.render(r"\left[ \frac{a}{b} \right]", display=True))
    flat = parse(renderer.render(r"\left[ a \right]", display=True))
    assert tall.select_one(".mopen .delimsizing") is not None
    assert flat.select_one(".delimsizing") is None


def test_escapes_tex_special_html_characters(renderer: KatexRenderer) -> None:
    soup = parse(renderer.render(r"a < b \& c > d", display=False))
    assert soup.select_one("annotation").get_text() == r"a < b \& c > d"
    assert "<" in [mo.get_text() for mo in soup.find_all("mo")]


def test_bad_tex_raises_math_error_with_katex_message(renderer: KatexRenderer) -> None:
    with pytest.raises(MathError) as caught:
        renderer.render(r"\frac{a}{", display=True)
    error = caught.value
    assert error.tex == r"\frac{a}{"
    assert error.display is True
    assert error.message.startswith("KaTeX parse error")
    assert "expected '}'" in error.message
    assert str(error) == error.message


def test_undefined_command_reports_its_name_and_position(renderer: KatexRenderer) -> None:
    with pytest.raises(MathError) as caught:
        renderer.render(r"x + \nosuchmacro{y}", display=False)
    assert r"\nosuchmacro" in caught.value.message
    assert caught.value.position == len("x + ")


def test_error_message_is_plain_text_with_context(renderer: KatexRenderer) -> None:
    with pytest.raises(MathError) as caught:
        renderer.render(r"a + \nosuchmacro", display=False)
    message = caught.value.message
    assert "\u0332" not in message  # KaTeX's combining underline, unreadable in a terminal
    assert message.endswith(r"at position 5: a + \nosuchmacro")


def test_href_makes_ordinary_links_only(renderer: KatexRenderer) -> None:
    linked = parse(renderer.render(r"\href{https://example.org/kl}{D_{KL}}", display=False))
    assert [a["href"] for a in linked.select(".katex-html a")] == ["https://example.org/kl"]
    relative = parse(renderer.render(r"\href{../guide/}{x}", display=False))
    assert [a["href"] for a in relative.select("a")] == ["../guide/"]
    mail = parse(renderer.render(r"\url{mailto:a@example.org}", display=False))
    assert [a["href"] for a in mail.select(".katex-html a")] == ["mailto:a@example.org"]


@pytest.mark.parametrize(
    ("tex", "message"),
    [
        (r"\href{javascript:alert(1)}{x}", r"\href{javascript:alert(1)} is not allowed"),
        (r"\href{data:text/html,x}{x}", r"\href{data:text/html,x} is not allowed"),
        (r"\url{javascript:alert(1)}", r"\url{javascript:alert(1)} is not allowed"),
        (r"a + \htmlClass{evil}{x}", r"\htmlClass is not allowed"),
        (r"\htmlStyle{position:fixed}{x}", r"\htmlStyle is not allowed"),
        (r"\htmlId{login}{x}", r"\htmlId is not allowed"),
        (r"\htmlData{foo=bar}{x}", r"\htmlData is not allowed"),
        (r"\includegraphics{https://example.org/x.png}", r"\includegraphics is not allowed"),
        (r"\frac{1}{\href{javascript:x}{2}}", r"\href{javascript:x} is not allowed"),
    ],
)
def test_untrusted_commands_are_errors_not_silent_red_text(
    renderer: KatexRenderer, tex: str, message: str
) -> None:
    # KaTeX itself does not throw here: it renders the refused command as red text, which
    # used to reach the page with no warning.
    with pytest.raises(MathError) as caught:
        renderer.render(tex, display=False)
    assert message in caught.value.message
    assert caught.value.tex == tex
    # The engine forgets refusals between formulas: the next harmless one renders.
    assert parse(renderer.render("x", display=False)).select_one(".katex") is not None


def test_math_error_survives_pickling() -> None:
    error = MathError(r"\frac", True, "KaTeX parse error: x", 3)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.tex, copy.display, copy.position) == (r"\frac", True, 3)
    assert copy.message == error.message


def test_renderer_is_usable_after_an_error(renderer: KatexRenderer) -> None:
    with pytest.raises(MathError):
        renderer.render(r"\left(", display=False)
    assert parse(renderer.render("y", display=False)).select_one(".katex") is not None


_LOADED_ONLY_AFTER_RENDER = """
from mkdocs_infotheory.math import KatexRenderer
fresh = KatexRenderer()
print(fresh.version, fresh.loaded)
fresh.render("x", False)
print(fresh.loaded, KatexRenderer().loaded)
"""


def test_version_is_known_before_katex_loads() -> None:
    # In a fresh process: this test session has long started KaTeX.
    done = subprocess.run(
        [sys.executable, "-c", _LOADED_ONLY_AFTER_RENDER],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.split("\n")[:2]
    version, loaded_before = first.split()
    assert version.count(".") == 2
    assert all(part.isdigit() for part in version.split("."))
    assert loaded_before == "False", "constructing a renderer must not start V8"
    assert second == "True True", "after a render the engine is loaded for every renderer"


_RENDER_IN_FORKED_CHILD = """
import os, sys
from mkdocs_infotheory.math import KatexRenderer, MathEngineError
renderer = KatexRenderer()
renderer.render("x", False)
pid = os.fork()
if pid == 0:
    # The child must not see (or use) the parent's engine: V8 does not survive fork. It starts
    # its own where V8 allows that, and says so clearly where V8 would crash the process (on
    # some kernels and CPUs a new engine in a child forked after V8 started dies of SIGSEGV).
    # It exits the normal way (atexit, finalisers), which must not hang on the inherited engine.
    loaded = renderer.loaded
    try:
        ok = 'class="katex"' in renderer.render("y^2", False)
    except MathEngineError as error:
        ok = "forked from a process" in str(error)
    sys.exit(0 if (not loaded and ok) else 3)
_, status = os.waitpid(pid, 0)
again = renderer.render("z", True)
print(os.waitstatus_to_exitcode(status), renderer.loaded, 'class="katex"' in again)
"""


def test_forked_child_starts_its_own_engine() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _RENDER_IN_FORKED_CHILD],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True", "True"], done.stdout + done.stderr


_RENDER_UNDER_LIMIT = """
import resource, sys
from mkdocs_infotheory.math import KatexRenderer, MathEngineError
limit = int(sys.argv[1]) * 2**30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    KatexRenderer().render("x", False)
except MathEngineError as error:
    print("refused:", error)
else:
    print("rendered")
"""


@pytest.mark.parametrize("gib", [2, 8, 64])
def test_memory_limit_gives_a_clear_error_not_a_native_crash(gib: int) -> None:
    # V8 reserves far more address space than it uses and aborts the whole process (FATAL,
    # exit status 133) when RLIMIT_AS forbids it, as CI runners with `ulimit -v` do.
    done = subprocess.run(
        [sys.executable, "-c", _RENDER_UNDER_LIMIT, str(gib)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    if done.stdout.startswith("refused:"):
        assert f"{gib}.0 GiB" in done.stdout
        assert "math: mathjax" in done.stdout and "ulimit -v" in done.stdout
    else:
        assert done.stdout.strip() == "rendered"


def test_concurrent_renders_match_sequential_ones(renderer: KatexRenderer) -> None:
    formulas = [(rf"\sum_{{k={i}}}^{{n}} \frac{{{i}}}{{k^2}}", i % 2 == 0) for i in range(40)]
    expected = [renderer.render(tex, display) for tex, display in formulas]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda item: renderer.render(*item), formulas))
    assert got == expected


_RENDER_AND_EXIT = """
from mkdocs_infotheory.math import KatexRenderer
print(KatexRenderer().render("x", False)[:20], flush=True)
"""


def test_process_exits_promptly_after_rendering() -> None:
    # Regression: mini-racer's V8 left to interpreter shutdown hung about 1 exit in 5 when
    # stdout was a pipe (as under CI). Eight runs catch that with high probability.
    for _ in range(8):
        done = subprocess.run(
            [sys.executable, "-c", _RENDER_AND_EXIT],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith('<span class="katex">')


def test_renders_from_a_thread_running_an_asyncio_loop() -> None:
    """Jupyter, Playwright's sync API or an async app may call MkDocs with a loop running,
    after the engine was already started outside any loop (which used to hang)."""
    import asyncio
    import threading

    from mkdocs_infotheory.math import KatexRenderer

    renderer = KatexRenderer()
    assert "katex" in renderer.render("x", False)  # engine started outside a loop

    async def inside_loop() -> str:
        return renderer.render(r"\frac{a}{b}", False)

    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(asyncio.run(inside_loop())))
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), "render hung inside an asyncio loop"
    assert "katex" in outcome[0] and "<math" in outcome[0]
    assert "<math" in asyncio.run(inside_loop())
