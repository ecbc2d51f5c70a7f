"""A day's tip in headless Chromium: it stays while the pointer travels from the day's mark down into it.

WCAG 1.4.13 asks that content shown on hover can itself be hovered: the tip
hangs 6px under the marks, and a pointer crossing that gap used to lose it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, REPO
from test_a11y_support import CHROMIUM, Browser

from sitegen.build import build_site

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

DAY = "document.querySelectorAll('.component .bars > i')[85]"


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Any:
    chromium = Browser(tmp_path_factory.mktemp("chromium"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / "public"
    build_site(REPO, out, now=NOW)
    return out


def tip_shown(browser: Browser, x: float, y: float) -> bool:
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    return browser.evaluate(f"getComputedStyle({DAY}, '::after').content") != "none"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_pointer_keeps_the_tip_from_the_mark_into_the_tip(browser, public: Path, width: int) -> None:
    browser.open((public / "index.html").as_uri(), width=width)
    x, marks_bottom, tip_top = browser.evaluate(
        f"(() => {{ const day = {DAY}; day.scrollIntoView({{block: 'center'}});"
        " const row = day.parentElement.getBoundingClientRect(), box = day.getBoundingClientRect();"
        " return [box.x + box.width / 2, row.bottom, row.bottom + 6]; })()"
    )
    assert not tip_shown(browser, x, marks_bottom + 60)  # far below: no tip
    path = [marks_bottom - 4, marks_bottom + 1, marks_bottom + 3, marks_bottom + 5, tip_top + 4, tip_top + 20]
    assert [tip_shown(browser, x, y) for y in path] == [True] * len(path)
