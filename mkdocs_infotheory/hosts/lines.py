"""Where a page's text sits in the author's file, for the hosts that read files themselves.

Messages name ``docs/PAGE.md:LINE``; the Zensical adapter (extension, prefetch, site labels)
reads pages from disk, so it needs the project-relative name of a file, the line after its
front matter, and a map back to the file for text a host expanded (snippets included).
"""

from __future__ import annotations

import re
from pathlib import Path

_FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def body_start(source: str) -> int:
    """The file line after the YAML front matter (1 without front matter)."""
    lines = source.split("\n")
    if lines and lines[0].strip() == "---":
        for number, line in enumerate(lines[1:], start=2):
            if _FRONT_MATTER_END.match(line):
                return number + 1
    return 1


def shown_path(file: Path, root: Path) -> str:
    """How messages and bookkeeping name a file: relative to the project root
    (``docs/PAGE.md``), else its absolute path."""
    try:
        return file.resolve().relative_to(root).as_posix()
    except ValueError:
        return file.resolve().as_posix()


def line_map(original: list[str], expanded: list[str]) -> list[int]:
    """For each line of ``expanded``, the 1-based line of ``original`` it stands for.

    Lines the two share keep their own number; lines that were inserted (a snippet's content)
    get the number of the line they replaced (the ``--8<--`` line that included them).
    """
    import difflib  # only pages that include snippets get here

    lines = [1] * len(expanded)
    matcher = difflib.SequenceMatcher(None, original, expanded, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset, j in enumerate(range(j1, j2)):
            lines[j] = (i1 + offset if tag == "equal" else min(i1, max(i2 - 1, 0))) + 1
    return lines
