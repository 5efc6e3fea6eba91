"""A map back to the author's file for text a host expanded (snippets included), so messages
name ``docs/PAGE.md:LINE`` on every host. (Reading, front matter and page names:
:mod:`mkdocs_infotheory.pages`.)"""

from __future__ import annotations


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
