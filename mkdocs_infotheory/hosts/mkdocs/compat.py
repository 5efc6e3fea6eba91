"""Everything the plugin reads of MkDocs (and ProperDocs) beyond its documented API, in one place.

One thing: the order of the plugin collection's ``on_page_markdown`` handlers and whether any
plugin replaces how pages are read (``PluginCollection.events``, a dict MkDocs keeps per event;
documented nowhere, but the only place that order exists once priorities are applied). The
plugin renders pages whose results are known ahead of MkDocs only when its own handler is the
first to see each page (see :func:`pages_reach_us_unchanged`); where this module cannot tell,
pages are rendered one by one in ``on_page_markdown``, as on any other build.

:data:`TESTED` holds the MkDocs and ProperDocs release series this was checked against;
``tests/hosts/test_compat.py`` fails when another one is installed, as a reminder to check
this module again.
"""

from __future__ import annotations

from typing import Any

#: MkDocs release series (major.minor) this module was checked against.
TESTED: tuple[str, ...] = ("1.6",)
#: ProperDocs release series this module was checked against.
TESTED_PROPERDOCS: tuple[str, ...] = ("1.6",)


def pages_reach_us_unchanged(plugins: Any, plugin: object) -> bool:
    """Whether ``on_page_markdown`` of ``plugin`` will see each page's text as the plugin read
    it in ``on_files``: no plugin replaces how pages are read (``on_page_read_source``), and
    none edits a page's Markdown before ``plugin`` does. (Where one does, a page rendered early
    could be rendered again, and counted twice.)"""
    events = getattr(plugins, "events", None)  # MkDocs and ProperDocs 1.6 have it
    if not isinstance(events, dict) or events.get("page_read_source"):
        return False
    handlers = events.get("page_markdown", [])
    return bool(handlers) and getattr(handlers[0], "__self__", None) is plugin
