"""Author errors: file:line, shown in place, --strict fails, the build goes on."""

from __future__ import annotations

import re

import pytest

from tests.sites import Build, Site

ERRORS_PAGE = """
# Errors

Intro line.

```python exec="on"
x = 1
y = 0
print("before the error")
z = x / y
```

```python exec="on"
print("still running after the error")
```

Inline error: `{python} undefined_name + 1`.

```python exec="on"
def helper():
    raise ValueError("raised <inside> a helper")

helper()
```

```python exec="on"
print("unclosed
```

```python exec="on"
import sys
sys.exit(3)
```

```python exec="on"
print("after sys.exit")
```

```python exec="on" sorce="none"
print("typo in an option")
```
"""


@pytest.fixture(scope="module")
def errors(tmp_path_factory: pytest.TempPathFactory) -> Build:
    site = Site(tmp_path_factory.mktemp("errors"))
    site.write("index.md", ERRORS_PAGE)
    build = site.build()
    return build


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    lines = text.lstrip("\n").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_plain_build_carries_on(errors: Build) -> None:
    assert errors.returncode == 0, errors.log
    assert (errors.site / "index.html").exists()


@pytest.mark.parametrize(
    ("needle", "kind"),
    [
        ("z = x / y", "ZeroDivisionError: division by zero"),
        ("Inline error:", "NameError: name 'undefined_name' is not defined"),
        ('raise ValueError("raised <inside> a helper")', "ValueError: raised <inside> a helper"),
        ('print("unclosed', "SyntaxError"),
        ("sys.exit(3)", "SystemExit: sys.exit(3) was called"),
        ('sorce="none"', "unknown fence option 'sorce'"),
    ],
)
def test_warning_names_file_line_and_error(errors: Build, needle: str, kind: str) -> None:
    expected = f"docs/index.md:{line_of(ERRORS_PAGE, needle)}: "
    matching = [w for w in errors.warnings() if expected in w]
    assert matching, f"no warning at {expected} in {errors.warnings()}"
    assert any(kind in w for w in matching), matching


def test_page_shows_errors_in_place_escaped(errors: Build) -> None:
    article = errors.article()
    boxes = article.select("div.admonition.failure")
    titles = [box.select_one(".admonition-title").get_text() for box in boxes]
    zero = line_of(ERRORS_PAGE, "z = x / y")
    assert f"ZeroDivisionError at docs/index.md:{zero}" in titles
    helper_box = next(box for box in boxes if "ValueError" in box.get_text())
    assert "raised <inside> a helper" in helper_box.get_text()
    assert helper_box.find("inside") is None, "the message is text, not markup"
    inline = article.select_one("span.infotheory-error")
    assert inline is not None and "NameError" in inline.get_text()


def test_output_before_an_error_and_later_fences_still_show(errors: Build) -> None:
    outputs = [pre.get_text() for pre in errors.article().select("div.language-text pre")]
    assert "before the error\n" in outputs
    assert "still running after the error\n" in outputs
    assert "after sys.exit\n" in outputs


def test_traceback_points_at_markdown_lines_not_internals(errors: Build) -> None:
    box = next(
        b for b in errors.article().select("div.admonition.failure") if "ValueError" in b.get_text()
    )
    frames = re.findall(r'File "([^"]+)", line (\d+)', box.get_text())
    assert frames, box.get_text()
    assert all(name == "docs/index.md" for name, _ in frames), frames
    call = ERRORS_PAGE.lstrip("\n").splitlines().index("helper()") + 1
    assert [int(n) for _, n in frames] == [call, line_of(ERRORS_PAGE, "raise ValueError")]
    assert "mkdocs_infotheory" not in box.get_text()


def test_strict_fails_on_author_errors(make_site) -> None:
    site: Site = make_site()
    site.write("index.md", '# X\n\n```python exec="on"\n1/0\n```\n')
    build = site.build(strict=True)
    assert build.returncode != 0
    assert "docs/index.md:4: ZeroDivisionError" in build.log


def test_fail_on_error_fails_without_strict(make_site) -> None:
    site: Site = make_site(plugin={"fail_on_error": True})
    site.write("index.md", "# X\n\nValue `{python} 1/0`\n")
    build = site.build()
    assert build.returncode != 0
    assert "fail_on_error" in build.log
