"""The plugin's options, as a typed MkDocs ``Config`` (documented in "Using the plugin")."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from ..defaults import DEFAULT_PREAMBLE


class InfotheoryConfig(Config):
    #: Run code at all. ``MKDOCS_INFOTHEORY_EXECUTE=false`` in the environment wins over it.
    execute = c.Type(bool, default=True)
    #: Code run at the start of every namespace.
    preamble = c.Type(str, default=DEFAULT_PREAMBLE)
    #: Seconds one fence may run; a fence's ``timeout="..."`` overrides it.
    timeout = c.Type((int, float), default=30)
    #: Characters of output kept per fence; the rest is cut with a note and a warning.
    max_output = c.Type(int, default=100_000)
    #: Pages executed in parallel (default: the number of CPUs).
    workers = c.Optional(c.Type(int))
    #: Reuse results from ``cache_dir`` while nothing that can change them changed.
    cache = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".cache/infotheory")
    #: Files, folders or module names whose content the results depend on.
    dependencies = c.ListOfItems(c.Type(str), default=[])
    #: Fail the build on any execution error, even without ``--strict``.
    fail_on_error = c.Type(bool, default=False)
    #: How matplotlib figures are embedded.
    figure_format = c.Choice(("svg", "png"), default="svg")
    #: Add the Markdown extensions math posts need (author settings always win).
    markdown_extensions = c.Type(bool, default=True)
    #: ``katex``: math rendered to HTML + MathML at build time; ``mathjax``: in the browser.
    math = c.Choice(("katex", "mathjax", "none"), default="katex")
    #: Where ``math: mathjax`` loads MathJax from (point it at a self-hosted copy).
    mathjax_url = c.Type(str, default="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js")
    #: Keep Material's default Google Fonts (a request to Google on every page view).
    google_fonts = c.Type(bool, default=False)
