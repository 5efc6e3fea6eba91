"""Where the browser suite finds its tools, and how Chromium is started.

Kept apart from the fixtures so ``benchmarks/time_to_math.py`` starts Chromium with exactly
the same flags as the tests: a measurement taken with other flags would not describe the
pages the tests check.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

#: Debian's Chromium; never a browser downloaded by ``playwright install``.
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_VARIABLE = "INFOTHEORY_CHROMIUM"

#: axe-core from the npm registry, installed by ``npm ci --prefix tests/browser``.
NODE_MODULES = HERE / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
#: MathJax 3 (a devDependency: only the time-to-math benchmark needs it).
MATHJAX_ES5 = NODE_MODULES / "mathjax" / "es5"

LOCAL_HOST = "127.0.0.1"

#: Without the background-networking flags Chromium phones Google (component updates,
#: variations, sync) on start. The host-resolver rule is a second lock on the same door:
#: every name but the local server's address fails to resolve, so even a request the page
#: guard cannot see (one Chromium makes for itself) cannot leave the machine.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOCAL_HOST}",
)


def in_ci() -> bool:
    """CI sets ``CI=true``; there a missing browser tool is a failure, never a skip."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


#: ``skip``: no browser tests are expected on this machine, even in CI (the test workflow's
#: macOS runners, which have no Debian Chromium): a missing tool skips with the loud notice.
EXPECTED_VARIABLE = "INFOTHEORY_BROWSER_TESTS"


def browser_tests_required() -> bool:
    """Whether a missing browser tool fails the run: in CI, unless this machine says the
    browser tests are not expected here (:data:`EXPECTED_VARIABLE`)."""
    return in_ci() and os.environ.get(EXPECTED_VARIABLE, "").strip().lower() != "skip"


def chromium_executable() -> Path | None:
    """The Chromium to drive: ``$INFOTHEORY_CHROMIUM``, Debian's, or one on ``PATH``."""
    configured = os.environ.get(CHROMIUM_VARIABLE)
    if configured:
        path = Path(configured)
        return path if path.is_file() else None
    if DEFAULT_CHROMIUM.is_file():
        return DEFAULT_CHROMIUM
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return None
