"""Terminal colours as HTML: ``result="ansi"`` (markdown-exec's name) keeps them.

Output is untrusted text: everything is escaped, and only SGR sequences (``ESC[...m``: colour,
bold, italic, underline) become markup, as ``<span>`` elements with classes the stylesheet
colours (``ansi-red``, ``ansi-bright-blue``, ``ansi-bg-green``) or, for the rest of the
256-colour palette and 24-bit colours, a style built from three numbers. Every other
escape sequence (cursor moves, titles, links) is dropped, so nothing reaches the page raw.
"""

from __future__ import annotations

import html
import re

_NAMES = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
#: CSI sequences (``ESC[`` ... final byte) and OSC sequences (``ESC]`` ... BEL or ``ESC\\``),
#: then any other lone escape.
_SEQUENCE = re.compile(r"\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_FLAGS = {1: "ansi-bold", 2: "ansi-faint", 3: "ansi-italic", 4: "ansi-underline"}
_FLAGS_OFF = {22: (1, 2), 23: (3,), 24: (4,)}


class _Style:
    """The current attributes: flags on, and the foreground and background (a class, or an
    inline ``color`` style for 24-bit colours)."""

    __slots__ = ("background", "flags", "foreground")

    def __init__(self) -> None:
        self.flags: set[int] = set()
        self.foreground = ""
        self.background = ""

    def apply(self, codes: list[int]) -> None:
        i = 0
        while i < len(codes):
            code = codes[i]
            i += 1
            if code == 0:
                self.__init__()  # type: ignore[misc]
            elif code in _FLAGS:
                self.flags.add(code)
            elif code in _FLAGS_OFF:
                self.flags.difference_update(_FLAGS_OFF[code])
            elif 30 <= code <= 37:
                self.foreground = f"class:ansi-{_NAMES[code - 30]}"
            elif 90 <= code <= 97:
                self.foreground = f"class:ansi-bright-{_NAMES[code - 90]}"
            elif 40 <= code <= 47:
                self.background = f"class:ansi-bg-{_NAMES[code - 40]}"
            elif 100 <= code <= 107:
                self.background = f"class:ansi-bg-bright-{_NAMES[code - 100]}"
            elif code == 39:
                self.foreground = ""
            elif code == 49:
                self.background = ""
            elif code in (38, 48):
                colour, i = _extended(codes, i)
                if code == 38:
                    self.foreground = colour.replace("{}", "")
                else:
                    self.background = colour.replace("{}", "bg-")

    def opening(self) -> str:
        classes = [_FLAGS[flag] for flag in sorted(self.flags)]
        styles: list[str] = []
        for colour, prop in ((self.foreground, "color"), (self.background, "background-color")):
            if colour.startswith("class:"):
                classes.append(colour[len("class:") :])
            elif colour.startswith("rgb:"):
                styles.append(f"{prop}: rgb({colour[len('rgb:') :]})")
        if not classes and not styles:
            return ""
        attributes = f' class="{" ".join(classes)}"' if classes else ""
        if styles:
            attributes += f' style="{"; ".join(styles)}"'
        return f"<span{attributes}>"


def _extended(codes: list[int], i: int) -> tuple[str, int]:
    """``38;5;N`` (256 colours) or ``38;2;R;G;B`` (24 bits), read from ``codes[i:]``, as a
    colour with ``{}`` where ``fg``/``bg`` goes; a malformed one is dropped (empty colour)."""
    if i < len(codes) and codes[i] == 5 and i + 1 < len(codes):
        return _palette(codes[i + 1]), i + 2
    if i < len(codes) and codes[i] == 2 and i + 3 < len(codes):
        red, green, blue = (min(max(value, 0), 255) for value in codes[i + 1 : i + 4])
        return f"rgb:{red}, {green}, {blue}", i + 4
    return "", len(codes)


#: The xterm 256-colour palette's cube levels.
_LEVELS = (0, 95, 135, 175, 215, 255)


def _palette(number: int) -> str:
    """Colour ``number`` of the 256-colour palette: the 16 named ones as classes (the theme
    can restyle them), the colour cube and the greys as their fixed RGB values."""
    if 0 <= number < 8:
        return f"class:ansi-{{}}{_NAMES[number]}"
    if 8 <= number < 16:
        return f"class:ansi-{{}}bright-{_NAMES[number - 8]}"
    if 16 <= number < 232:
        cube = number - 16
        red, green, blue = (_LEVELS[(cube // 36) % 6], _LEVELS[(cube // 6) % 6], _LEVELS[cube % 6])
        return f"rgb:{red}, {green}, {blue}"
    if 232 <= number <= 255:
        grey = 8 + 10 * (number - 232)
        return f"rgb:{grey}, {grey}, {grey}"
    return ""


def ansi_to_html(text: str) -> str:
    """``text`` escaped for HTML, its colours and emphasis as spans (closed at every change
    and at the end, so the markup is always balanced)."""
    out: list[str] = []
    style = _Style()
    opened = False
    position = 0
    for match in _SEQUENCE.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        position = match.end()
        if match.group(2) != "m":
            continue  # not a colour: dropped
        codes = [int(part) if part.isdigit() else 0 for part in re.split("[;:]", match[1])]
        style.apply(codes or [0])
        if opened:
            out.append("</span>")
        opening = style.opening()
        out.append(opening)
        opened = bool(opening)
    out.append(html.escape(text[position:], quote=False))
    if opened:
        out.append("</span>")
    return "".join(out)
