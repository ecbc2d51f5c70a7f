"""A day's tip in headless Chromium: reached by keyboard, said to screen readers, hovered without a gap, dismissed.

WCAG 1.4.13 asks that content shown on hover or focus can be hovered and
dismissed, and 2.1.1 that what the pointer reaches the keyboard reaches too.
The theme's tips.js makes each row of day marks one slider: a Tab stop, arrow
keys from day to day, Escape to hide the tip. Without JavaScript the row is
the picture it was built as, and the component's page lists its days in a
table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import DEFAULT_CONFIG, NOW, incident, write_site
from test_a11y_support import CHROMIUM, Browser, serve

from sitegen.authoring.serve_http import allow_self_scripts
from sitegen.build import build_site

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")

DAY = "document.querySelectorAll('.component .bars > i')[85]"
KEYS = {"Tab": 9, "Escape": 27, "End": 35, "Home": 36, "ArrowLeft": 37, "ArrowUp": 38, "ArrowRight": 39}
STATE = r"""(strip => {
  const cssString = c => c.slice(1, -1).replace(/\\([0-9a-f]{1,6}) ?|\\(.)/gi,
                                                (_, hex, char) => char || String.fromCodePoint(parseInt(hex, 16)));
  const days = [...strip.children], shown = strip.querySelector('.tips__shown');
  const tip = shown && getComputedStyle(shown, '::after');
  return {focused: document.activeElement === strip, role: strip.getAttribute('role'),
          label: strip.getAttribute('aria-label'), value: strip.getAttribute('aria-valuetext'),
          day: days.indexOf(shown), days: days.length,
          drawn: days.filter(d => d.getClientRects().length).map(d => days.indexOf(d)),
          tips: days.filter(d => getComputedStyle(d, '::after').display !== 'none'
                                 && getComputedStyle(d, '::after').content !== 'none').map(d => days.indexOf(d)),
          text: tip && tip.display !== 'none' ? cssString(tip.content) : null,
          data: days.map(d => d.dataset.tip)};
})(%s)"""


def press(browser: Browser, key: str, shift: bool = False) -> None:
    for kind in ("rawKeyDown", "keyUp"):
        browser.send(
            "Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=KEYS[key], modifiers=8 * shift
        )


def strip_state(browser: Browser, strip: str = "document.querySelector('.bars')") -> dict[str, Any]:
    return browser.evaluate(STATE % strip)


def spoken(lines: str) -> str:
    """A tip's lines as the slider's value says them: an English list, as Intl.ListFormat makes it."""
    return ", ".join(lines.split("\n"))


@pytest.fixture(scope="module")
def site_url(example_site: Path) -> Any:
    with serve(example_site, "/status/") as url:
        yield url


def test_the_keyboard_reaches_each_row_in_one_stop_and_moves_by_day(browser, site_url) -> None:
    browser.open(site_url, width=1280)
    browser.evaluate("document.querySelector('.component__name').focus()")
    press(browser, "Tab")
    state = strip_state(browser)
    assert state["focused"] and state["role"] == "slider" and state["label"] == "API: Day by day, last 90 days"
    last = state["days"] - 1
    assert state["day"] == last and state["tips"] == [last]  # today first, its tip shown
    assert state["text"] == state["data"][last] and state["value"] == spoken(state["data"][last])
    press(browser, "Home")
    press(browser, "ArrowRight")
    state = strip_state(browser)
    assert state["focused"] and state["day"] == 1 and state["tips"] == [1]
    assert state["text"] == state["data"][1] and state["value"] == spoken(state["data"][1])
    press(browser, "ArrowUp")  # what a screen reader's "increase" sends, as for any slider
    assert strip_state(browser)["day"] == 2
    press(browser, "ArrowLeft")
    press(browser, "ArrowLeft")
    press(browser, "ArrowLeft")  # past the first day: it stays there
    assert strip_state(browser)["day"] == 0
    press(browser, "End")
    assert strip_state(browser)["day"] == last
    press(browser, "Escape")
    state = strip_state(browser)
    assert state["focused"] and state["tips"] == [] and state["text"] is None  # hidden, focus kept
    press(browser, "ArrowLeft")
    assert strip_state(browser)["tips"] == [last - 1]  # moving on shows the next one
    press(browser, "Tab")
    assert browser.evaluate("document.activeElement.textContent") == "Completions"  # the next row's name
    assert strip_state(browser)["tips"] == []  # the row left behind shows nothing
    press(browser, "Tab", shift=True)
    assert strip_state(browser)["focused"] and strip_state(browser)["day"] == last - 1  # the row keeps its day


def test_a_screen_reader_is_given_a_slider_whose_value_is_the_days_text(browser, site_url) -> None:
    browser.open(site_url, width=1280)
    browser.evaluate("document.querySelector('.bars').focus()")
    press(browser, "ArrowLeft")
    node = browser.send("DOM.querySelector", nodeId=browser.send("DOM.getDocument")["root"]["nodeId"], selector=".bars")
    (slider,) = [
        n
        for n in browser.send("Accessibility.getPartialAXTree", nodeId=node["nodeId"], fetchRelatives=False)["nodes"]
        if not n["ignored"]
    ]
    assert slider["role"]["value"] == "slider" and slider["name"]["value"] == "API: Day by day, last 90 days"
    assert slider["value"]["value"] == 89  # the day before today, of 90
    # What a screen reader says of the value: its aria-valuetext (which DevTools' tree leaves out), the tip's lines.
    state = strip_state(browser)
    assert state["value"] == spoken(state["data"][-2]) and "\n" in state["data"][-2]


def test_a_phone_moves_among_the_days_it_draws(browser, site_url) -> None:
    browser.open(site_url, width=390)
    browser.evaluate("document.querySelector('.bars').focus()")
    press(browser, "Home")
    state = strip_state(browser)
    assert state["drawn"] == list(range(60, 90)) and state["day"] == 60 and state["tips"] == [60]
    press(browser, "ArrowLeft")
    assert strip_state(browser)["day"] == 60


def test_right_to_left_arrows_follow_the_row_as_drawn(browser, tmp_path) -> None:
    """In Hebrew the row runs from right to left, today at its left end: Left goes on to the next day."""
    config = DEFAULT_CONFIG.replace("[site]\n", '[site]\nlanguage = "he"\n', 1)
    root = write_site(tmp_path / "site", {"content/incidents/2026-11-20-a.md": incident()}, config=config)
    build_site(root, root / "public", now=NOW)
    browser.open((root / "public" / "index.html").as_uri(), width=1280)
    browser.evaluate("document.querySelector('.bars').focus()")
    press(browser, "Home")
    press(browser, "ArrowLeft")
    assert strip_state(browser)["day"] == 1
    press(browser, "ArrowRight")
    assert strip_state(browser)["day"] == 0
    assert browser.evaluate(
        "(b => b.children[0].getBoundingClientRect().left > b.children[1].getBoundingClientRect().left)"
        "(document.querySelector('.bars'))"
    )  # the first day is drawn at the right: Left moved towards today


def test_loading_changes_no_day_until_its_row_is_used(browser, site_url) -> None:
    """A big front page has thousands of days: the script names each row on load and touches its days only once
    the row is pointed at or focused, so loading restyles nothing."""
    browser.open(site_url, width=1280)
    days = "[...document.querySelectorAll('.bars > i')]"
    assert browser.evaluate(f"{days}.every(d => d.tabIndex === -1 && !d.className.includes('tips__'))")
    browser.evaluate("document.querySelector('.bars').focus()")
    awake = browser.evaluate(f"{days}.filter(d => !d.hasAttribute('tabindex')).length")
    assert awake == strip_state(browser)["days"]  # the focused row's, and no other


def test_tab_stops_grow_by_one_per_row(browser, site_url) -> None:
    browser.open(site_url, width=1280)
    with_script = browser.tab_stops()
    rows = browser.evaluate("document.querySelectorAll('.bars').length")
    browser.send("Emulation.setScriptExecutionDisabled", value=True)
    try:
        browser.open(site_url, width=1280)
        without = browser.tab_stops()
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", value=False)
    assert rows > 1 and len(with_script) == len(without) + rows


def test_without_javascript_the_row_is_a_picture_and_the_table_has_the_days(browser, site_url) -> None:
    browser.send("Emulation.setScriptExecutionDisabled", value=True)
    try:
        browser.open(site_url + "components/fine-tuned-models/", width=390)
        found = browser.evaluate(
            "(s => [s.getAttribute('aria-hidden'), s.getAttribute('role'), s.tabIndex,"
            " document.querySelectorAll('.days tbody tr').length])(document.querySelector('.bars'))"
        )
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", value=False)
    assert found[:3] == ["true", None, -1] and found[3] > 0


def test_the_pointer_keeps_the_tip_from_the_mark_into_the_tip_and_escape_hides_it(browser, site_url) -> None:
    """WCAG 1.4.13: the tip hangs 6px under the marks, and a pointer crossing that gap used to lose it."""
    for width in (390, 1280):
        browser.open(site_url, width=width)
        x, marks_bottom, tip_top = browser.evaluate(
            f"(() => {{ const day = {DAY}; day.scrollIntoView({{block: 'center'}});"
            " const row = day.parentElement.getBoundingClientRect(), box = day.getBoundingClientRect();"
            " return [box.x + box.width / 2, row.bottom, row.bottom + 6]; })()"
        )
        assert not tip_shown(browser, x, marks_bottom + 60)  # far below: no tip
        path = [marks_bottom - 4, marks_bottom + 1, marks_bottom + 3, marks_bottom + 5, tip_top + 4, tip_top + 20]
        assert [tip_shown(browser, x, y) for y in path] == [True] * len(path)
        move(browser, x, marks_bottom - 12)
        press(browser, "Escape")
        # Dismissed while the pointer stays on the day, over its mark and the space under it.
        still = (marks_bottom - 12, marks_bottom - 4, marks_bottom + 3)
        assert [tip_shown(browser, x, y) for y in still] == [False] * len(still)
        day = browser.evaluate(f"[...{DAY}.parentElement.children].indexOf({DAY})")
        move(browser, x - 20, marks_bottom - 4)  # another day shows its tip
        assert strip_state(browser, f"{DAY}.parentElement")["tips"] not in ([], [day])


def move(browser: Browser, x: float, y: float) -> None:
    browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)


def tip_shown(browser: Browser, x: float, y: float) -> bool:
    move(browser, x, y)
    return browser.evaluate(f"(t => t.content !== 'none' && t.display !== 'none')(getComputedStyle({DAY}, '::after'))")


def test_content_reaches_the_row_as_text_only(browser, tmp_path) -> None:
    """A component named like markup is named so, word for word: tips.js sets attributes, it never parses HTML."""
    name = '<img src=x onerror="document.title=1">'
    config = DEFAULT_CONFIG.replace('name = "API"', f"name = '{name}'")
    root = write_site(tmp_path / "site", {"content/incidents/2026-11-20-a.md": incident()}, config=config)
    build_site(root, root / "public", now=NOW)
    browser.open((root / "public" / "index.html").as_uri(), width=1280)
    browser.evaluate("document.querySelector('.bars').focus()")
    assert strip_state(browser)["label"] == f"{name}: Day by day, last 90 days"
    assert browser.evaluate("[document.querySelectorAll('img').length, document.title]") == [0, "Test Status"]


def test_the_policy_allows_the_sites_own_scripts_and_nothing_inline(example_site: Path) -> None:
    import re

    pages = sorted(example_site.rglob("*.html"))
    policies = set()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policies |= set(re.findall(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html))
        assert re.findall(r"<script(?![^>]* src=)", html) == [], page  # every script is a file of the site
    page_policy = next(p for p in policies if "img-src" in p)
    for policy in policies:
        directives = {d.split()[0]: d.split()[1:] for d in policy.replace("&#x27;", "'").split(";") if d.strip()}
        assert directives.get("script-src", directives["default-src"]) in (["'self'"], ["'none'"]), policy
        assert "connect-src" not in directives  # no [site] stale_after: nothing to fetch
    assert allow_self_scripts(page_policy.replace("&#x27;", "'")).endswith("; script-src 'self'; connect-src 'self'")
