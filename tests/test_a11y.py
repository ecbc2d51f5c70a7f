"""Every page type as readers meet it in headless Chromium: phones to desktops, light, dark and forced colours.

For each page type at 320, 390 and 1280 CSS px in each colour scheme: no
violation of WCAG 2.2 A or AA that axe-core finds, and nothing wider than
the screen. The front page is reachable with few presses of Tab; print has
rules of its own and a readable banner. Skipped without Chromium or npm.
"""

from __future__ import annotations

import shutil
import urllib.request
from typing import Any

import pytest
from conftest import NOW, REPO
from test_a11y_support import CHROMIUM, NPM, axe_violations, install_axe, serve

from sitegen.build import build_site

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(NPM is None, reason="npm is not installed, so axe-core cannot be (.ci/run installs it)"),
]

PAGES = {
    "front": "",
    "history": "history/",
    "incident": "incidents/2022-07-23-curie-fine-tuned-errors/",
    "component": "components/fine-tuned-models/",
    "writeup": "writeups/2022-07-26-curie-pubsub-outage/",
    "metrics": "metrics/",
    "subscribe": "subscribe/",
    "reports": "reports/",
    "report": "reports/2026-11/",
    "404": "404.html",
}
WIDTHS = (320, 390, 1280)
SCHEMES = ("light", "dark", "forced")
BASE_PATH = "/status/"  # the example site's base URL's path, where its 404 page's links are rooted


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> Any:
    out = tmp_path_factory.mktemp("a11y") / "public"
    build_site(REPO, out, now=NOW)
    with serve(out, BASE_PATH) as url:
        yield url


@pytest.fixture(scope="module")
def axe(tmp_path_factory) -> str:
    return install_axe(tmp_path_factory.mktemp("axe"))


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_page_passes_axe_and_fits_the_screen(browser, site_url, axe, page: str, width: int, scheme: str) -> None:
    browser.open(site_url + PAGES[page], width=width, scheme=scheme)
    assert browser.evaluate("document.querySelector('link[rel=stylesheet]').sheet !== null"), "no stylesheet"
    violations = axe_violations(browser, axe)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['targets']}\n  {v['summary']}" for v in violations)
    overflow = browser.evaluate(
        "[document.documentElement.scrollWidth - innerWidth, [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.scroll, .vh, .skip'))"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)]"
    )
    assert overflow[0] <= 0, f"the page scrolls sideways by {overflow[0]} px: {overflow[1]}"


RIGHT_TO_LEFT = ("ar", "he")


@pytest.fixture(scope="module", params=RIGHT_TO_LEFT)
def rtl_site_url(request, tmp_path_factory) -> Any:
    """The example site in Arabic or Hebrew: its own catalogue, its pages mirrored."""
    site = tmp_path_factory.mktemp(f"a11y-{request.param}")
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "sitegen.toml").read_text(encoding="utf-8")
    (site / "sitegen.toml").write_text(
        config.replace("[site]\n", f'[site]\nlanguage = "{request.param}"\n', 1), encoding="utf-8"
    )
    build_site(site, site / "public", now=NOW)
    with serve(site / "public", BASE_PATH) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page", PAGES)
def test_right_to_left_pages_pass_axe_and_fit_a_phone(browser, rtl_site_url, axe, page: str, scheme: str) -> None:
    browser.open(rtl_site_url + PAGES[page], width=390, scheme=scheme)
    assert browser.evaluate("document.documentElement.dir") == "rtl"
    violations = axe_violations(browser, axe)
    assert violations == [], "\n".join(f"{v['id']}: {v['help']} {v['targets']}\n  {v['summary']}" for v in violations)
    assert browser.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    # A time inside a sentence is isolated, so that its Latin zone and digits keep their place in the sentence.
    isolated = browser.evaluate("[...document.querySelectorAll('p time')].map(t => getComputedStyle(t).unicodeBidi)")
    assert set(isolated) <= {"isolate"}


@pytest.mark.parametrize("width", WIDTHS)
def test_front_page_tab_stops_are_few(browser, site_url, width: int) -> None:
    """Two stops per component (its name and its row of days) and one per listed incident, plus the page's own
    links: never one per day."""
    browser.open(site_url, width=width)
    components, incidents = browser.evaluate(
        "[document.querySelectorAll('.component').length, document.querySelectorAll('.incident-item').length]"
    )
    stops = browser.tab_stops()
    assert components > 0 and len(stops) <= 2 * components + incidents + 20, stops
    assert any("Incident history" in stop for stop in stops)


@pytest.mark.parametrize("script", [True, False])
def test_a_days_tip_shows_on_a_tap_without_leaving_the_page(browser, site_url, script: bool) -> None:
    """Tapping a day focuses it (it is out of the tab order), or with tips.js its row, and shows its tip inside
    the screen."""
    browser.send("Emulation.setScriptExecutionDisabled", value=not script)
    try:
        browser.open(site_url, width=320)
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", value=False)
    box = browser.evaluate(
        "(() => { const day = document.querySelector('.bars > i:last-child'); day.scrollIntoView({block: 'center'});"
        " const r = day.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    browser.send("Emulation.setTouchEmulationEnabled", enabled=True)
    try:
        point = {"x": box[0], "y": box[1]}
        browser.send("Input.dispatchTouchEvent", type="touchStart", touchPoints=[point])
        browser.send("Input.dispatchTouchEvent", type="touchEnd", touchPoints=[])
    finally:
        browser.send("Emulation.setTouchEmulationEnabled", enabled=False)
    tip = browser.evaluate(
        "(() => { const day = document.querySelector('.bars > i:last-child'); const tip = getComputedStyle(day, '::after');"
        " const row = day.parentElement.getBoundingClientRect();"
        " return {focused: document.activeElement.classList[0], text: tip.content, position: tip.position, display: tip.display,"
        " url: location.href, edges: [tip.left, tip.right], row: [row.left, row.right]}; })()"
    )
    assert tip["focused"] == ("bars" if script else "fill--operational") and tip["url"] == site_url  # still here
    assert tip["text"].startswith('"Nov 28') and tip["position"] == "absolute" and tip["display"] == "block"
    # On a phone the tip spans the row of bars, which is inside the screen: so is the tip.
    assert tip["edges"] == ["0px", "0px"] and 0 <= tip["row"][0] and tip["row"][1] <= 320


@pytest.mark.parametrize("page", PAGES)
def test_print_has_its_own_rules_and_a_readable_banner(browser, site_url, page: str) -> None:
    """Printed from dark mode too: light colours, no navigation, and dark text on white."""
    browser.open(site_url + PAGES[page], width=1280, scheme="dark")
    rules = browser.evaluate(
        "[...document.styleSheets].flatMap(s => [...s.cssRules]).filter(r => r.media && r.media.mediaText === 'print')"
        ".map(r => r.cssRules.length)"
    )
    assert rules and rules[0] > 3
    browser.media("print", scheme="dark")
    printed = browser.evaluate(
        "(() => { const s = e => e && getComputedStyle(e); const body = s(document.body);"
        " const banner = document.querySelector('.banner__text');"
        " return {text: body.color, background: body.backgroundColor, nav: s(document.querySelector('nav')).display,"
        " banner: banner && s(banner).color, bannerBackground: banner && s(banner.parentElement).backgroundImage"
        " + s(banner.parentElement).backgroundColor}; })()"
    )
    assert printed["nav"] == "none"
    assert contrast(printed["text"], "rgb(255, 255, 255)") >= 7, printed
    if page == "front":
        assert printed["bannerBackground"] in ("nonergba(0, 0, 0, 0)", "nonergb(255, 255, 255)"), printed
        assert contrast(printed["banner"], "rgb(255, 255, 255)") >= 4.5, printed


def test_the_favicon_is_the_current_status_and_the_policy_allows_it(browser, site_url) -> None:
    browser.open(site_url, width=1280)
    href = browser.evaluate("document.querySelector('link[rel=icon]').href")
    assert href.endswith("/favicon.svg")  # one path whatever the status: no page's key holds the status
    with urllib.request.urlopen(href) as answer:  # served by the test's own server on 127.0.0.1
        shown = answer.read()
    assert shown == (REPO / "themes/default/static/favicon-major.svg").read_bytes()  # the site has a partial outage
    loaded = browser.evaluate(
        "new Promise(done => { const image = new Image(); image.onload = () => done(true);"
        " image.onerror = () => done(false); image.src = document.querySelector('link[rel=icon]').href; })"
    )
    assert loaded, "the Content-Security-Policy refused the favicon"


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [int(float(c)) / 255 for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
