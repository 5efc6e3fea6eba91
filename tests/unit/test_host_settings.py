"""Settings every host shares: the execute switch fails closed (time limits and the other
options: tests/hosts/test_host_options.py)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from mkdocs_infotheory.extension import InfotheoryExtension
from mkdocs_infotheory.hosts.defaults import (
    SettingError,
    execute_from_environment,
)

VAR = "MKDOCS_INFOTHEORY_EXECUTE"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("true", True),
        ("ON", True),
        (" yes ", True),
        ("1", True),
        ("false", False),
        ("Off", False),
        ("no", False),
        ("0", False),
    ],
)
def test_execute_switch_words(value: str | None, expected: bool | None) -> None:
    environ = {} if value is None else {VAR: value}
    assert execute_from_environment(environ) is expected


@pytest.mark.parametrize("value", ["disabled", "nope", "2", "enable", "f", "y"])
def test_execute_switch_refuses_other_words(value: str) -> None:
    with pytest.raises(SettingError, match=f"{VAR}={value!r} is not understood"):
        execute_from_environment({VAR: value})


def test_markdown_extension_never_runs_code_under_an_unknown_switch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "ran"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(VAR, "disabled")
    text = f'```python exec="on"\nopen({str(marker)!r}, "w")\n```\n'
    extension = InfotheoryExtension(filename="post.md")
    with pytest.raises(SettingError, match="disabled"):
        markdown.markdown(text, extensions=["pymdownx.superfences", extension])
    assert not marker.exists()
