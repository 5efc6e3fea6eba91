"""Raw HTML that must reach the page untouched by Markdown (html results, figures, errors).

The core asks for a placeholder per fragment; in MkDocs that is an inert token that Markdown
leaves alone, swapped for the fragment once the page is HTML. (A Python-Markdown extension
would use ``md.htmlStash`` instead; the core does not care which.)
"""

from __future__ import annotations

import os


class Fragments:
    def __init__(self) -> None:
        self._nonce = ""  # made with the first placeholder: most pages never ask for one
        self._items: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._items)

    def placeholder(self, html: str, block: bool) -> str:
        if not self._nonce:
            # What secrets.token_hex(6) returns, without importing secrets (and hmac) for it.
            self._nonce = os.urandom(6).hex()
        token = f"infotheory{self._nonce}fragment{len(self._items)}x"
        self._items[token] = html
        return token

    def insert(self, html: str) -> str:
        for token, fragment in self._items.items():
            # A block token stands alone in its paragraph; drop the paragraph with it.
            html = html.replace(f"<p>{token}</p>", fragment).replace(token, fragment)
        return html
