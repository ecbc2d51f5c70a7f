"""What a screen reader is given, read from headless Chromium's accessibility tree.

Statuses show a symbol beside their words (✓, ⚙, ◐, !, ✕) so that they never
rest on colour alone; the symbols are for the eye, and a screen reader must
say "Operational", not "check mark Operational".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_a11y_support import CHROMIUM, Browser

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

GLYPHS = set("✓⚙◐!✕")


def spoken_texts(browser: Browser, url: str) -> list[str]:
    """Every piece of text in the page's accessibility tree."""
    browser.open(url, width=1280)
    nodes = browser.send("Accessibility.getFullAXTree")["nodes"]
    return [n["name"]["value"] for n in nodes if n.get("role", {}).get("value") == "StaticText" and "name" in n]


@pytest.mark.parametrize(
    ("page", "statuses"),
    [
        ("index.html", {"Partial outage", "Operational"}),
        ("incidents/2022-07-23-curie-fine-tuned-errors/index.html", {"Major outage", "Degraded performance"}),
    ],
)
def test_status_symbols_are_not_spoken(browser, example_site: Path, page: str, statuses: set[str]) -> None:
    texts = spoken_texts(browser, (example_site / page).as_uri())
    assert statuses <= set(texts)  # the statuses are there, in words
    assert [t for t in texts if t.strip() and set(t.strip()) <= GLYPHS | {" "}] == []
