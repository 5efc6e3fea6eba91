"""The plugin's options, as a typed MkDocs ``Config`` (documented in "Using the plugin")."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from ...core.fence_options import COMPAT_CHOICES, MAX_TIMEOUT_SECONDS
from ..defaults import DEFAULT_PREAMBLE

if TYPE_CHECKING:
    from ...core.freeze import FreezeMode

#: Upper bounds that catch typos and ``.inf`` while leaving room for any real site.
MAX_OUTPUT_LIMIT = 100_000_000
MAX_WORKERS = 256


class Bounded(c.Type):  # type: ignore[type-arg]
    """A finite number between ``minimum`` and ``maximum`` (booleans are not numbers here).

    MkDocs reports a failed check as "Config value 'plugins': Plugin 'infotheory' option
    'NAME': MESSAGE" and stops before building, which is what a wrong setting deserves.
    """

    def __init__(
        self,
        type_: type | tuple[type, ...],
        *,
        minimum: float,
        maximum: float,
        unit: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(type_, **kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit

    def run_validation(self, value: object) -> Any:
        expected = "a whole number" if self._type is int else "a number"
        if isinstance(value, bool) or not isinstance(value, self._type):
            raise ValidationError(f"expected {expected}{self.unit}, got {value!r}")
        number = float(value)  # type: ignore[arg-type]
        if not math.isfinite(number) or not self.minimum <= number <= self.maximum:
            raise ValidationError(
                f"{value!r} is out of range: expected {expected}{self.unit} from "
                f"{_plain(self.minimum)} to {_plain(self.maximum)}"
            )
        return value


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


class FreezeOption(c.BaseConfigOption["FreezeMode"]):
    """``freeze: false | auto | true`` (YAML booleans or the word ``auto``), held as text."""

    def __init__(self) -> None:
        super().__init__()
        self.default = "false"

    def run_validation(self, value: object) -> FreezeMode:
        if value == "false":  # the default: a site without frozen results never imports them
            return "false"
        from ...core.freeze import freeze_mode

        mode = freeze_mode(value) if isinstance(value, (bool, str)) else None
        if mode is None:
            raise ValidationError(f"expected false, auto or true, got {value!r}")
        return mode


#: What a setting that reads as nothing means, for the options that have no "nothing".
NO_VALUE = (
    "no value (an empty setting, or !ENV naming a variable that is not set: give a default, "
    "e.g. !ENV [NAME, false])"
)


class InfotheoryConfig(Config):
    def validate(self) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        """MkDocs' checks, after one of its own: a setting given as null (``execute:`` with no
        value, or ``!ENV X`` with ``X`` unset and no default) is an error, not the default:
        ``execute: !ENV [RUN_CODE]`` must not run code because ``RUN_CODE`` is missing. Options
        whose default is "nothing" (``workers``) take null as their default."""
        unread = [
            (name, ValidationError(NO_VALUE))
            for name, value in self.items()
            if value is None
            and getattr(type(self), name, None) is not None
            and getattr(getattr(type(self), name), "default", None) is not None
        ]
        failed, warnings = super().validate()
        refused = {name for name, _error in unread}
        return [*unread, *(item for item in failed if item[0] not in refused)], warnings

    #: Run code at all. ``MKDOCS_INFOTHEORY_EXECUTE=false`` in the environment wins over it
    #: (a value other than true/false/1/0/yes/no/on/off is a configuration error).
    execute = c.Type(bool, default=True)
    #: Code run at the start of every namespace.
    preamble = c.Type(str, default=DEFAULT_PREAMBLE)
    #: Seconds one fence may run; a fence's ``timeout="..."`` overrides it.
    timeout = Bounded(
        (int, float), minimum=0.001, maximum=MAX_TIMEOUT_SECONDS, unit=" of seconds", default=30
    )
    #: Characters of output kept per fence (and per inline value); the rest is cut with a note
    #: and a warning.
    max_output = Bounded(int, minimum=1, maximum=MAX_OUTPUT_LIMIT, default=100_000)
    #: Pages executed in parallel (default: the number of CPUs).
    workers = c.Optional(Bounded(int, minimum=1, maximum=MAX_WORKERS))
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
    #: TeX macros known in every formula of the site: ``{KL: "D_{\\mathrm{KL}}"}`` defines
    #: ``\\KL`` (``#1``, ``#2``... in a definition are its arguments).
    macros = c.Type(dict, default={})
    #: Where ``math: mathjax`` loads MathJax from (point it at a self-hosted copy).
    mathjax_url = c.Type(str, default="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js")
    #: Keep Material's default Google Fonts (a request to Google on every page view).
    google_fonts = c.Type(bool, default=False)
    #: Reuse results committed in ``freeze_dir`` (``auto`` also writes them; ``true`` never
    #: executes). ``MKDOCS_INFOTHEORY_FREEZE`` in the environment wins over it.
    freeze = FreezeOption()
    #: Where frozen results live, relative to mkdocs.yml (commit this folder).
    freeze_dir = c.Type(str, default="_freeze")
    #: A notebook page's code cells: ``rerun`` at build time, or show the ``stored`` outputs
    #: saved in the notebook (sanitised) without running anything.
    notebook_outputs = c.Choice(("rerun", "stored"), default="rerun")
    #: BibTeX (``.bib``) or CSL-JSON (``.json``) files pages cite from, relative to mkdocs.yml
    #: (one name or a list; a page's front matter ``bibliography:`` adds its own).
    bibliography = c.Type((str, list), default=[])
    #: A CSL style file for citations and references (default: an author-date style).
    csl = c.Optional(c.Type(str))
    #: ``markdown-exec``: the site's fences take markdown-exec's defaults and readings (source
    #: hidden, output rendered as Markdown, ``pycon`` run as a script, any ``exec`` value but
    #: a false one runs), so a markdown-exec site builds unchanged. Empty: our defaults.
    compat = c.Choice(COMPAT_CHOICES, default="")


#: One line of help per option, for every host: the Markdown extension's option table
#: (Python-Markdown shows these) is made from it, so the plugin and the extension describe each
#: option once. The comments above say more; docs/guide.md says it for authors.
OPTION_HELP: dict[str, str] = {
    "execute": "run code at all (MKDOCS_INFOTHEORY_EXECUTE=false wins)",
    "preamble": "code run at the start of every namespace",
    "timeout": "seconds a fence may run",
    "max_output": "characters of output kept per fence and inline value",
    "workers": "pages run in parallel (default: the number of CPUs)",
    "cache": "reuse results from cache_dir",
    "cache_dir": "cache folder, relative to the project folder",
    "dependencies": "files, folders or modules the results depend on (cache keys)",
    "fail_on_error": "fail the build when a fence fails, even without --strict",
    "figure_format": "svg or png",
    "markdown_extensions": "add the Markdown extensions a math post needs",
    "math": "katex (build-time math), mathjax (in the browser) or none",
    "macros": "TeX macros known in every formula, e.g. {'KL': 'D_{\\mathrm{KL}}'}",
    "mathjax_url": "where math: mathjax loads MathJax from",
    "google_fonts": "keep Material's default Google Fonts",
    "freeze": "false, auto or true: reuse results committed in freeze_dir",
    "freeze_dir": "folder of frozen results, relative to the project folder",
    "bibliography": "BibTeX or CSL-JSON files pages cite from, relative to mkdocs.yml",
    "csl": "a CSL style file for citations (default: an author-date style)",
    "notebook_outputs": "rerun a notebook page's code cells, or show their stored outputs",
    "compat": "markdown-exec: take markdown-exec's fence defaults (source hidden, Markdown output)",
}
