"""The plugin's logger, whose every line is one safe line.

Log lines carry text from pages, fences and exceptions (a LaTeX error quotes the formula, a
cell's error its message, a warning the name of a file a fence wrote). A filter on the
plugin's logger escapes and caps each record as it is made (:func:`...core.escape.one_line`),
so no call site, present or future, can let ``ESC`` drive the terminal, a newline forge a CI
annotation, or a 20 MB message become a 20 MB line.
"""

from __future__ import annotations

import logging

from mkdocs.plugins import PrefixedLogger, get_plugin_logger

from ...core.escape import MESSAGE_LIMIT, one_line

#: Room for the logger's ``infotheory: `` prefix on a message already capped at the limit.
_LINE_LIMIT = MESSAGE_LIMIT + 64


class _OneSafeLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = one_line(record.getMessage(), _LINE_LIMIT)
        record.args = None
        return True


def plugin_logger() -> PrefixedLogger:
    """``get_plugin_logger("infotheory")``, with the filter on (once)."""
    log = get_plugin_logger("infotheory")
    if not any(isinstance(f, _OneSafeLine) for f in log.logger.filters):
        log.logger.addFilter(_OneSafeLine())
    return log
