"""A page can fail, never silence the build; what is printed is one safe line: the same on
every host (issue 17, principles 3 and 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hosts._hosts import HOSTS, HostSite

pytestmark = pytest.mark.slow

#: Writes a frame that says "done" on the page's channel, then a fence that fails.
FORGED_DONE = """\
# Forged

```python exec="on"
import os, stat, struct
payload = b'{"done": true}'
for fd in map(int, os.listdir("/dev/fd")):
    try:
        if stat.S_ISSOCK(os.fstat(fd).st_mode):
            os.write(fd, struct.pack("!Q", len(payload)) + payload)
    except OSError:
        pass
```

```python exec="on"
raise ValueError("the later fence fails")
```
"""

TAMPERED = """\
# Tampered

```python exec="on"
import json
json.dumps = lambda *a, **k: "garbage"
```

```python exec="on"
print("later", 6 * 7)
```
"""

ESCAPES = """\
# Escapes

```python exec="on"
raise ValueError("a\\x1b]0;owned\\x07b\\n::error file=x::forged")
```
"""


@pytest.mark.parametrize("host", HOSTS)
def test_a_forged_done_fails_strict_at_the_fence(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.write("index.md", FORGED_DONE)
    build = site.build(strict=True)
    assert build.returncode == 1, build.log
    assert "docs/index.md:4:" in build.log and "said it was done" in build.log, build.log
    assert "Traceback (most recent call last)" not in build.log


@pytest.mark.parametrize("host", HOSTS)
def test_replacing_json_dumps_silences_nothing(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.write("index.md", TAMPERED)
    build = site.build(strict=True)
    assert build.returncode == 0, build.log
    html = (build.site / "index.html").read_text(encoding="utf-8")
    assert "later 42" in html and "not run" not in html


@pytest.mark.parametrize("host", HOSTS)
def test_an_exception_message_is_one_escaped_line(tmp_path: Path, host: str) -> None:
    site = HostSite(tmp_path, host)
    site.write("index.md", ESCAPES)
    build = site.build(strict=True)
    assert build.returncode == 1, build.log
    assert "\x1b" not in build.log and "\x07" not in build.log
    lines = build.log.splitlines()
    assert not [line for line in lines if line.startswith("::error")], build.log
    assert any("docs/index.md:4:" in line and "\\x1b]0;owned" in line for line in lines)
