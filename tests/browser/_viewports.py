"""The screens and colour schemes every check runs in (one place, so tests and tools agree)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

#: The brief's desktop, and a phone (the CSS size of an iPhone 12-15).
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
VIEWPORTS: dict[str, ViewportSize] = {"desktop": DESKTOP, "phone": PHONE}

#: Material's palette follows ``prefers-color-scheme``: "light" shows ``default``, "dark"
#: shows ``slate`` (the showcase's mkdocs.yml lists both, keyed on the media query).
SCHEMES: dict[str, str] = {"light": "default", "dark": "slate"}
