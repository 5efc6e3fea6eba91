"""Plain-text (Unicode) reading of TeX, for places that cannot show typeset math.

A heading like ``## The \\(D_{\\mathrm{KL}}\\) divergence`` also appears in the table of
contents, the navigation, the browser tab's title and the search index, which hold text, not
HTML. There it reads "The D_KL divergence" instead of raw TeX. This is deliberately small:
Greek letters, common operators and relations, fonts, fractions, roots, sub- and superscripts
(Unicode ones where every character has one). Anything unknown loses its backslash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape, unescape

_SYMBOLS = {
    # Greek
    **{
        name: chr(code)
        for name, code in {
            "alpha": 0x3B1,
            "beta": 0x3B2,
            "gamma": 0x3B3,
            "delta": 0x3B4,
            "epsilon": 0x3F5,
            "varepsilon": 0x3B5,
            "zeta": 0x3B6,
            "eta": 0x3B7,
            "theta": 0x3B8,
            "vartheta": 0x3D1,
            "iota": 0x3B9,
            "kappa": 0x3BA,
            "lambda": 0x3BB,
            "mu": 0x3BC,
            "nu": 0x3BD,
            "xi": 0x3BE,
            "pi": 0x3C0,
            "rho": 0x3C1,
            "sigma": 0x3C3,
            "tau": 0x3C4,
            "upsilon": 0x3C5,
            "phi": 0x3D5,
            "varphi": 0x3C6,
            "chi": 0x3C7,
            "psi": 0x3C8,
            "omega": 0x3C9,
            "Gamma": 0x393,
            "Delta": 0x394,
            "Theta": 0x398,
            "Lambda": 0x39B,
            "Xi": 0x39E,
            "Pi": 0x3A0,
            "Sigma": 0x3A3,
            "Upsilon": 0x3A5,
            "Phi": 0x3A6,
            "Psi": 0x3A8,
            "Omega": 0x3A9,
        }.items()
    },
    # operators and relations
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "partial": "∂",
    "nabla": "∇",
    "infty": "∞",
    "cdot": "·",
    "times": "×",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "equiv": "≡",
    "propto": "∝",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "mapsto": "↦",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "mid": "∣",
    "|": "‖",
    "Vert": "‖",
    "parallel": "∥",
    "vert": "|",
    "ldots": "…",
    "dots": "…",
    "cdots": "⋯",
    "emptyset": "∅",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "land": "∧",
    "lor": "∨",
    "ell": "ℓ",
    "langle": "⟨",
    "rangle": "⟩",
    "{": "{",
    "}": "}",
    "%": "%",
    "$": "$",
    "&": "&",
    "#": "#",
    "_": "_",
    # spacing
    ",": " ",
    ";": " ",
    ":": " ",
    "!": "",
    "quad": " ",
    "qquad": " ",
    " ": " ",
    # sizing and delimiters that only scale what follows
    "left": "",
    "right": "",
    "big": "",
    "Big": "",
    "bigg": "",
    "Bigg": "",
    "displaystyle": "",
    "textstyle": "",
    "limits": "",
    "nolimits": "",
}
#: Commands whose one argument is shown as it is (fonts, text, operators).
_KEEP_ARGUMENT = {
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "mathtt",
    "mathcal",
    "mathbb",
    "mathscr",
    "mathfrak",
    "boldsymbol",
    "bm",
    "text",
    "textrm",
    "textbf",
    "textit",
    "operatorname",
    "mbox",
    "hat",
    "bar",
    "tilde",
    "vec",
    "dot",
    "ddot",
    "overline",
    "underline",
    "widehat",
}
_SUBSCRIPTS = dict(
    zip("0123456789+-=()aeijoruvxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₒᵣᵤᵥₓₕₖₗₘₙₚₛₜ", strict=True)
)
_SUPERSCRIPTS = dict(zip("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ", strict=True))
_COMMAND = re.compile(r"\\([A-Za-z]+|.?)", re.DOTALL)  # ".?": a lone backslash at the end


_INLINE_TEX = re.compile(r"\\\((.+?)\\\)|\$(?!\s)(.+?)(?<!\s)\$", re.DOTALL)


def text_of_math(title: str, *, escaped: bool, macros: Mapping[str, str] | None = None) -> str:
    """``title`` with each inline formula (``\\(...\\)`` or ``$...$``) replaced by its
    plain-text reading; ``escaped``: ``title`` is HTML (the TeX in it is escaped, and so is
    the reading put back)."""

    def replace(match: re.Match[str]) -> str:
        tex = match.group(1) if match.group(1) is not None else match.group(2)
        text = tex_to_text(unescape(tex) if escaped else tex, macros)
        return escape(text, quote=False) if escaped else text

    return _INLINE_TEX.sub(replace, title)


def has_inline_math(title: str) -> bool:
    return _INLINE_TEX.search(title) is not None


def tex_to_text(tex: str, macros: Mapping[str, str] | None = None) -> str:
    """A readable one-line rendering of ``tex`` (e.g. ``D_{KL}(p \\| q)`` -> ``D_KL(p ‖ q)``).

    ``macros`` (``\\name`` -> definition) are expanded first, those without arguments only.
    """
    for name, definition in (macros or {}).items():
        if "#" not in definition:
            pattern = re.escape(name) + (r"(?![A-Za-z])" if name[-1:].isalpha() else "")
            tex = re.sub(pattern, lambda _, body=definition: f"{{{body}}}", tex)
    try:
        text, _ = _group(tex, 0, None, 0)
    except _TooDeep:
        text = tex  # deeper than any readable formula: the TeX itself, never an exception
    return re.sub(r"\s+", " ", text).strip()


#: How deep groups may nest before the reading gives up and shows the raw TeX. The reader
#: recurses once per level (two frames), so this keeps it far from Python's recursion limit
#: whatever the caller's own depth, while KaTeX renders formulas nested a thousand deep.
MAX_DEPTH = 100


class _TooDeep(Exception):
    pass


def _group(tex: str, position: int, stop: str | None, depth: int) -> tuple[str, int]:
    if depth > MAX_DEPTH:
        raise _TooDeep
    out: list[str] = []
    while position < len(tex):
        char = tex[position]
        if stop is not None and char == stop:
            return "".join(out), position + 1
        if char == "{":
            inner, position = _group(tex, position + 1, "}", depth + 1)
            out.append(inner)
        elif char in "_^":
            argument, position = _argument(tex, position + 1, depth)
            out.append(_script(argument, char == "_"))
        elif char == "\\":
            match = _COMMAND.match(tex, position)
            assert match is not None
            name = match.group(1)
            position = match.end()
            if name == "frac" or name in ("dfrac", "tfrac"):
                top, position = _argument(tex, position, depth)
                bottom, position = _argument(tex, position, depth)
                out.append(f"{_wrap(top)}/{_wrap(bottom)}")
            elif name == "sqrt":
                root, position = _argument(tex, position, depth)
                out.append(f"√{_wrap(root)}")
            elif name in _KEEP_ARGUMENT:
                argument, position = _argument(tex, position, depth)
                out.append(argument)
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
            else:
                out.append(name)  # \log, \max, or an unknown command: its name
                following = tex[position : position + 1]
                if name.isalpha() and following and following not in " _^({[\\":
                    out.append(" ")
        elif char in "&~":
            out.append(" ")
            position += 1
        else:
            out.append(char)
            position += 1
    return "".join(out), position


def _argument(tex: str, position: int, depth: int) -> tuple[str, int]:
    while position < len(tex) and tex[position] == " ":
        position += 1
    if position >= len(tex):
        return "", position
    if tex[position] == "{":
        return _group(tex, position + 1, "}", depth + 1)
    if tex[position] == "\\":
        match = _COMMAND.match(tex, position)
        assert match is not None
        text, _ = _group(match.group(0), 0, None, depth + 1)
        return text.strip(), match.end()
    return tex[position], position + 1


def _script(text: str, subscript: bool) -> str:
    table = _SUBSCRIPTS if subscript else _SUPERSCRIPTS
    text = text.strip()
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    marker = "_" if subscript else "^"
    return f"{marker}{text}" if len(text) <= 1 or text.isalnum() else f"{marker}({text})"


def _wrap(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 1 or text.isalnum() else f"({text})"
