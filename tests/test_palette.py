"""The default theme's colours, read from its stylesheet: statuses readable and in order, light and dark.

Each status is drawn as a mark (the uptime bars, the strips, the years)
and said as a label. A mark is a graphic, so it needs 3:1 against the page
(WCAG 1.4.11); a label is text, 4.5:1. Worse statuses read as worse at a
glance: in the dark palette each is lighter and redder than the one before,
and its label is in the colour of its mark.
"""

from __future__ import annotations

import colorsys
import re

import pytest
from conftest import REPO

STYLESHEET = (REPO / "themes" / "default" / "static" / "style.css").read_text(encoding="utf-8")
SEVERITY = ("minor", "major", "critical")
"""Degraded performance, partial outage, major outage: the order of the marks' heights."""


def palette(block: str) -> dict[str, str]:
    """The custom properties set in ``block``, var() references resolved within it."""
    found = dict(re.findall(r"--([\w-]+):\s*([^;]+);", block))
    return {
        name: found.get(value[6:-1], value) if value.startswith("var(--") else value for name, value in found.items()
    }


LIGHT = palette(STYLESHEET[STYLESHEET.index(":root {") : STYLESHEET.index("}", STYLESHEET.index(":root {"))])
_dark_start = STYLESHEET.index(":root {", STYLESHEET.index("prefers-color-scheme: dark"))
DARK = {**LIGHT, **palette(STYLESHEET[_dark_start : STYLESHEET.index("}", _dark_start)])}


def rgb(colour: str) -> tuple[float, float, float]:
    assert re.fullmatch(r"#[0-9a-f]{6}", colour), colour
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def luminance(colour: str) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hue(colour: str) -> float:
    """Degrees from red (0) through orange (30) to yellow (60)."""
    return colorsys.rgb_to_hls(*rgb(colour))[0] * 360


@pytest.mark.parametrize(("name", "colours"), [("light", LIGHT), ("dark", DARK)])
def test_every_mark_stands_out_from_the_page(name: str, colours: dict[str, str]) -> None:
    for mark in ("ok", "maintenance", *SEVERITY):
        assert contrast(colours[f"mark-{mark}"], colours["bg"]) >= 3, (name, mark)


def test_a_day_without_downtime_is_3_to_1_on_white() -> None:
    assert LIGHT["bg"] == "#ffffff" and contrast(LIGHT["mark-ok"], "#ffffff") >= 3


@pytest.mark.parametrize(("name", "colours"), [("light", LIGHT), ("dark", DARK)])
def test_status_words_are_readable_on_the_page(name: str, colours: dict[str, str]) -> None:
    for status in ("ok", "maintenance", *SEVERITY):
        assert contrast(colours[status], colours["bg"]) >= 4.5, (name, status)


def test_light_marks_darken_as_statuses_worsen() -> None:
    steps = [luminance(LIGHT[f"mark-{mark}"]) for mark in ("ok", *SEVERITY)]
    assert steps == sorted(steps, reverse=True) and len(set(steps)) == len(steps)


def test_dark_marks_lighten_and_redden_as_statuses_worsen() -> None:
    """A major outage is the lightest and reddest mark: never a pastel milder-looking than a partial outage."""
    marks = [DARK[f"mark-{mark}"] for mark in ("ok", *SEVERITY)]
    steps = [luminance(mark) for mark in marks]
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    hues = [hue(DARK[f"mark-{mark}"]) for mark in SEVERITY]
    assert hues == sorted(hues, reverse=True) and hues[0] > 35 and hues[-1] < 15, hues
    _, lightness, saturation = colorsys.rgb_to_hls(*rgb(DARK["mark-critical"]))
    assert saturation > 0.9 and lightness < 0.7  # a full red, not a pastel pink (#ffb4ab is 0.84 light)


def test_dark_labels_are_in_the_colour_of_their_marks() -> None:
    assert [DARK[status] for status in SEVERITY] == [DARK[f"mark-{status}"] for status in SEVERITY]
