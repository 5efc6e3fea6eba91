"""Serve a built site on 127.0.0.1 from a thread, the way a static host would.

A real HTTP server rather than ``file://`` URLs: Material's search worker, font loading and
same-origin rules all behave differently on ``file://``, and readers never see that.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.browser._browser_env import LOCAL_HOST


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging every request into the test output."""

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1; yields the base URL (ending in ``/``)."""
    handler = partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
