"""A day's tip in headless Chromium: it stays while the pointer travels from the day's mark down into it.

WCAG 1.4.13 asks that content shown on hover can itself be hovered: the tip
hangs 6px under the marks, and a pointer crossing that gap used to lose it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_a11y_support import CHROMIUM, Browser

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

DAY = "document.querySelectorAll('.component .bars > i')[85]"


def tip_shown(browser: Browser, x: float, y: float) -> bool:
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    return browser.evaluate(f"getComputedStyle({DAY}, '::after').content") != "none"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_pointer_keeps_the_tip_from_the_mark_into_the_tip(browser, example_site: Path, width: int) -> None:
    browser.open((example_site / "index.html").as_uri(), width=width)
    x, marks_bottom, tip_top = browser.evaluate(
        f"(() => {{ const day = {DAY}; day.scrollIntoView({{block: 'center'}});"
        " const row = day.parentElement.getBoundingClientRect(), box = day.getBoundingClientRect();"
        " return [box.x + box.width / 2, row.bottom, row.bottom + 6]; })()"
    )
    assert not tip_shown(browser, x, marks_bottom + 60)  # far below: no tip
    path = [marks_bottom - 4, marks_bottom + 1, marks_bottom + 3, marks_bottom + 5, tip_top + 4, tip_top + 20]
    assert [tip_shown(browser, x, y) for y in path] == [True] * len(path)
