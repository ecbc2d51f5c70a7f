"""Status badges: well-formed SVG, the right words and colour for each status, escaped names, readable contrast."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import NOW, incident

from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus
from sitegen.views.badges import COMPONENT_BADGES, LABEL_COLOUR, SITE_BADGES, TEXT_COLOUR, badge_svg, render_badges

SVG = "{http://www.w3.org/2000/svg}"


def read(data: bytes) -> tuple[str, str, str, list[str]]:
    """A badge's title, message colour, aria-label and visible texts, parsed as XML."""
    svg = ET.fromstring(data)
    rects = svg.findall(f"{SVG}g/{SVG}rect")
    texts = [t.text for t in svg.iter(f"{SVG}text") if t.get("aria-hidden") != "true"]
    return svg.find(f"{SVG}title").text, rects[1].get("fill"), svg.get("aria-label"), texts


def badges_of(make_site, files: dict[str, str], *, config: str | None = None) -> dict[str, bytes]:
    site_dir = make_site(files) if config is None else make_site(files, config=config)
    return render_badges(load_site(site_dir, now=NOW))


OUTAGE = incident(
    "Database down",
    extra="components:\n  db: major_outage\n  api: degraded_performance\n",
    updates="  - at: 2026-11-28T10:00:00Z\n    status: investigating\n    body: Looking.\n",
)


def test_paths_are_the_site_badge_and_one_per_component(make_site) -> None:
    assert list(badges_of(make_site, {})) == [
        "badge.svg", "components/api/badge.svg", "components/db/badge.svg", "components/web/badge.svg",
    ]  # fmt: skip


def test_all_operational(make_site) -> None:
    files = badges_of(make_site, {})
    assert read(files["badge.svg"]) == (
        "status: operational",
        "#1b7f4b",
        "status: operational",
        ["status", "operational"],
    )
    assert read(files["components/db/badge.svg"])[0] == "Database: operational"


def test_words_and_colours_follow_the_status(make_site) -> None:
    files = badges_of(make_site, {"content/incidents/down.md": OUTAGE})
    assert read(files["badge.svg"])[:2] == ("status: major outage", "#b42318")
    assert read(files["components/db/badge.svg"])[3] == ["Database", "major outage"]
    assert read(files["components/db/badge.svg"])[1] == "#b42318"
    assert read(files["components/api/badge.svg"])[:2] == ("API: degraded performance", "#8a6100")
    assert read(files["components/web/badge.svg"])[:2] == ("Website: operational", "#1b7f4b")


def test_component_name_is_escaped(make_site) -> None:
    config = '[site]\ntitle = "T"\nbase_url = "https://x.example/"\n[[components]]\nid = "api"\nname = """A <&> "B" \'c\'"""\n'
    data = badges_of(make_site, {}, config=config)["components/api/badge.svg"]
    assert b"<&>" not in data and b"&lt;&amp;&gt;" in data
    title, _, label, texts = read(data)
    assert title == label == "A <&> \"B\" 'c': operational"
    assert texts[0] == "A <&> \"B\" 'c'"


def test_width_follows_the_text() -> None:
    short = ET.fromstring(badge_svg("API", "operational", "#1b7f4b"))
    long = ET.fromstring(badge_svg("Image generation", "operational", "#1b7f4b"))
    assert int(long.get("width")) > int(short.get("width")) + 50
    label, message = short.findall(f"{SVG}g/{SVG}rect")[:2]
    assert int(label.get("width")) + int(message.get("width")) == int(short.get("width"))
    assert message.get("x") == label.get("width")


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


ALL_COLOURS = sorted({colour for _, colour in [*COMPONENT_BADGES.values(), *SITE_BADGES.values()]} | {LABEL_COLOUR})


@pytest.mark.parametrize("colour", ALL_COLOURS)
def test_white_text_has_aa_contrast(colour: str) -> None:
    assert contrast(TEXT_COLOUR, colour) >= 4.5
    assert contrast(TEXT_COLOUR, "#44cc11") < 4.5  # shields' bright green would fail: the check can fail


def test_every_status_has_its_own_words() -> None:
    assert len({message for message, _ in COMPONENT_BADGES.values()}) == len(ComponentStatus)
    assert set(COMPONENT_BADGES) == set(ComponentStatus)
