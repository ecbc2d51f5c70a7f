"""Text and numbers for SVG drawn at build time: escaping, width estimates and coordinates.

Charts, badges and status drawings share these, so every SVG sitegen writes
escapes text the same way and is the same on every machine.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

__all__ = ["fit_text", "svg_number", "svg_text", "text_width"]

# Advance widths of Verdana at 11px, the font of shields.io badges (and wider
# than most system fonts, so an estimate from it leaves room rather than overflows).
_VERDANA_11 = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
        (
            3.87, 4.33, 5.05, 9.0, 7.0, 11.84, 7.99, 2.95, 4.99, 4.99, 7.0, 9.0, 4.0, 4.99, 4.0, 4.99,
            7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 4.99, 4.99, 9.0, 9.0, 9.0, 6.0, 11.0,
            7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.61, 5.0, 7.62, 6.12, 9.27, 8.23, 8.66, 6.63,
            8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54, 4.99, 4.99, 4.99, 9.0, 7.0, 7.0,
            6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.7, 6.96, 6.68, 6.85,
            6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 8.98, 6.51, 6.51, 5.78, 6.98, 4.99, 6.98, 9.0,
        ),
    )
)  # fmt: skip
_OTHER_WIDTH = 7.5
_WIDE_WIDTH = 11.0

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def svg_text(text: str) -> Markup:
    """Text escaped for SVG or HTML, without the control characters XML 1.0 cannot contain."""
    return escape(_NOT_XML.sub("", text))


def text_width(text: str, size: float = 11) -> float:
    """An estimate of the width of ``text`` at ``size`` px, from Verdana's advance widths."""
    total = 0.0
    for char in text:
        if char in _VERDANA_11:
            total += _VERDANA_11[char]
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
            continue
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            total += _WIDE_WIDTH
        else:
            total += _OTHER_WIDTH
    return total * size / 11


def svg_number(value: float) -> str:
    """A coordinate for SVG: one decimal at most, no trailing zeros."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fit_text(text: str, width: float, size: float) -> str:
    """``text``, cut with an ellipsis if it would be wider than ``width``."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
