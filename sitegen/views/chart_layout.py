"""The sizes a chart is drawn for: one for wide screens and one for phones.

An SVG scales as a whole, text included, so one drawing cannot suit a phone
and a desktop. ``sitegen.views.charts`` draws each chart in both layouts and
the theme's stylesheet shows the one that fits the screen.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """The width a chart is drawn for, and what fits in it.

    An SVG scales as a whole, text included, so one drawing cannot suit a
    phone and a desktop: drawn 720 wide, its 12-unit text is 5 px on a
    phone. A page places both layouts and its stylesheet shows the one that
    fits, so the text stays near its drawn size everywhere.
    """

    width: float
    font_size: float
    label_max: float
    """Longest category label, in SVG units; longer ones are cut with an ellipsis (the full text is its tooltip)."""
    label_step: int
    """A column chart labels every n-th column (and the start of each year)."""
    values: bool
    """Whether a column chart writes each count on its column."""
    id_suffix: str
    """Keeps the ids of a page's two drawings of one chart apart."""


WIDE = Layout(width=720, font_size=12, label_max=220, label_step=1, values=True, id_suffix="")
NARROW = Layout(width=340, font_size=14, label_max=120, label_step=3, values=False, id_suffix="-narrow")
