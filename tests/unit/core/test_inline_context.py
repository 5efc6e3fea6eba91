"""Where an inline value sits decides how its failure is shown (render.inline_context)."""

from __future__ import annotations

import pytest

from mkdocs_infotheory.core.inline_context import inline_context

SPAN = "`{python} 1/0`"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f"Prose {SPAN} here.", "prose"),
        (f"[link text {SPAN}](https://x)", "prose"),
        (f"![{SPAN}](a.png)", "attribute"),
        (f"![alt [nested] {SPAN}](a.png)", "attribute"),
        (f'[a](https://x "{SPAN}")', "attribute"),
        (f"[a](https://x/{SPAN})", "attribute"),
        (f'[ref]: https://x "{SPAN}"', "attribute"),
        (f'> [ref]: https://x "{SPAN}"', "attribute"),
        (f'<abbr title="{SPAN}">H</abbr>', "attribute"),
        (f'![a](a.png){{ title="{SPAN}" }}', "attribute"),
        (f"![a](a.png) and then {SPAN}", "prose"),
        (f"\\( x = {SPAN} \\)", "math"),
        (f"\\( y \\) and {SPAN}", "prose"),
        (f"$x = {SPAN}$", "math"),
        (f"$x$ costs $ 5 and {SPAN}", "prose"),
        (f"$$\nH = {SPAN}\n$$", "math"),
        (f"\\[ H = {SPAN} \\]", "math"),
        (f"A price of \\$5 and {SPAN}", "prose"),
        (f"Code `\\(` then {SPAN}", "prose"),
        (f"![unclosed\n\n{SPAN}", "prose"),
        (f"\\( open\n\nNew paragraph {SPAN}", "prose"),
        (f"A set {{1, 2}} and {SPAN}", "prose"),
    ],
)
def test_inline_context(text: str, where: str) -> None:
    assert inline_context(text, text.index(SPAN)) == where
