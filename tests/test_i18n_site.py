"""The example site built in each shipped language: no English left on its pages, local dates, valid feeds.

Each page type is read as a reader meets it: the text of every element and
the attributes that are read out or shown (``aria-label``, ``title``, a
day's tip), the SVG titles and descriptions included. The site's content is
taken out first (titles, bodies, names, the [site] texts), since it stays
as written. What is left must not hold any English message of the
template that the language translates otherwise.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from babel import Locale
from bs4 import BeautifulSoup
from conftest import NOW, REPO

from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.content.site import Site
from sitegen.views.calendar import plain_text
from sitegen.views.i18n import CATALOGUE_DIR, catalogue_names, read_catalogue, shipped_catalogues

LANGUAGES = ["fr", "de", "es", "pt-BR", "ja", "zh-Hans", "ar", "he"]
CURIE = "2022-07-23-curie-fine-tuned-errors"
PAGES = [
    "index.html",
    "history/index.html",
    "history/page/2/index.html",
    f"incidents/{CURIE}/index.html",
    "incidents/2026-12-03-fine-tuning-maintenance/index.html",
    "incidents/2026-11-28-image-generation-errors/index.html",
    "components/fine-tuned-models/index.html",
    "components/api/page/2/index.html",
    "writeups/2022-07-26-curie-pubsub-outage/index.html",
    "metrics/index.html",
    "subscribe/index.html",
    "404.html",
]
"""Every page type, with the states that have words of their own: ongoing, upcoming maintenance, resolved."""
READ_ATTRIBUTES = ("aria-label", "title", "alt", "data-tip", "content")


def built(tmp_path_factory: pytest.TempPathFactory, tag: str) -> Path:
    """The example site of this repository, built with ``language = tag`` and small history pages."""
    site = tmp_path_factory.mktemp(f"site-{tag}")
    shutil.copytree(REPO / "content", site / "content")
    for month in range(1, 11):  # enough incidents of the API for its further pages of incidents
        (site / "content" / "incidents" / f"2021-{month:02}-05-api-errors.md").write_text(
            f"---\ntitle: API errors {month}\ncomponents:\n  api: partial_outage\nupdates:\n"
            f"  - at: 2021-{month:02}-05T10:00:00Z\n    status: investigating\n    body: Errors.\n"
            f"  - at: 2021-{month:02}-05T10:40:00Z\n    status: resolved\n    body: Fixed.\n---\n",
            encoding="utf-8",
        )
    config = (REPO / "sitegen.toml").read_text(encoding="utf-8")
    config = config.replace("[site]\n", f'[site]\nlanguage = "{tag}"\nhistory_page_size = 10\n', 1)
    (site / "sitegen.toml").write_text(config, encoding="utf-8")
    out = site / "public"
    build_site(site, out, now=NOW)
    return out


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return request.param, built(tmp_path_factory, request.param)


def content_texts(site: Site) -> list[str]:
    """Every text the site's authors wrote, as pages show it, longest first (so that a part never hides a whole)."""
    config = site.config
    texts = [config.title, config.description, plain_text(config.footer)]
    for component in site.components:
        texts += [component.name, component.group or "", component.description]
    for incident in site.incidents:
        texts += [incident.title, plain_text(incident.summary)] + [plain_text(u.body) for u in incident.updates]
    for writeup in site.writeups:
        texts += [writeup.title, plain_text(writeup.body)]
    pieces = {spaced(piece) for text in texts for piece in re.split(r"\n\n+", text) if piece.strip()}
    return sorted(pieces, key=len, reverse=True)


def spaced(text: str) -> str:
    """``text`` with each run of white space made one space, as line breaks in HTML read."""
    return " ".join(text.split())


def read_texts(html: str) -> list[str]:
    """The texts a reader sees or hears on a page: every text node, and the attributes that are read."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["style", "script"]):
        hidden.decompose()
    for address in soup.select("[translate=no]"):  # what a page marks as not to translate: addresses, commands
        address.decompose()
    texts = [str(node) for node in soup.find_all(string=True) if str(node).strip()]
    for element in soup.find_all(True):
        if element.name == "meta" and element.get("name") != "description":
            continue
        texts += [str(element[name]) for name in READ_ATTRIBUTES if element.has_attr(name)]
    return texts


def english_fragments(tag: str) -> list[tuple[str, re.Pattern[str]]]:
    """Each English message that the language's catalogue translates otherwise, as patterns of its fixed words."""
    [name] = catalogue_names(Locale.parse(tag, sep="-"), shipped_catalogues())
    catalogue = read_catalogue(CATALOGUE_DIR / name / "LC_MESSAGES" / "sitegen.po", name)
    found = []
    for message in catalogue:
        english = message.id if isinstance(message.id, str) else message.id[0] if message.id else ""
        translations = [message.string] if isinstance(message.string, str) else list(message.string)
        if not english or translations == [english]:
            continue
        for fragment in re.split(r"%\(\w+\)[sd]|%%", english):
            fragment = fragment.strip(" .,:;()·–-")
            # A word the language writes as English does ("incident", "Page") is no sign of English left.
            if any(fragment in translation for translation in translations):
                continue
            if len(fragment) >= 4 and re.search("[A-Za-z]{3}", fragment):
                found.append((english, re.compile(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])")))
    return found


def test_no_english_ui_string_is_left_on_any_page(language: tuple[str, Path]) -> None:
    tag, out = language
    site = load_site(out.parent, now=NOW)
    content = content_texts(site)
    fragments = english_fragments(tag)
    left: dict[str, set[str]] = {}
    for path in PAGES:
        for text in read_texts((out / path).read_text(encoding="utf-8")):
            text = spaced(text)
            if any(text in written for written in content):  # a part of a text split by its inline markup
                continue
            for written in content:
                text = text.replace(written, " ")
            for english, pattern in fragments:
                if pattern.search(text):
                    left.setdefault(path, set()).add(f"{english!r} in {text.strip()!r}")
    assert not left, f"{tag}: English left: {left}"


def test_pages_say_their_language_and_its_dates(language: tuple[str, Path]) -> None:
    tag, out = language
    page = BeautifulSoup((out / f"incidents/{CURIE}/index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.html["lang"] == tag and page.html["dir"] == ("rtl" if tag in ("ar", "he") else "ltr")
    shown = page.select(".timeline__entry time")[-1].get_text()  # the first update, at 23:42 PDT on July 22
    expected = {
        "fr": "ven. 22 juil. 2022, 23:42 PDT",
        "de": "Fr., 22. Juli 2022, 23:42 PDT",
        "es": "vie, 22 jul 2022, 23:42 PDT",
        "pt-BR": "sex., 22 de jul. de 2022 23:42 PDT",
        "ja": "2022年7月22日(金) 23:42 PDT",
        "zh-Hans": "2022年7月22日周五 23:42 PDT",
        "ar": "الجمعة، 22 يوليو 2022، 11:42 م PDT",
        "he": "יום ו׳, 22 ביולי 2022, 23:42 PDT",
    }[tag]
    assert expected in shown, shown


def test_feeds_are_valid_and_in_the_language(language: tuple[str, Path]) -> None:
    tag, out = language
    for path in ("history.atom", "history.rss", "components/fine-tuned-models/history.atom"):
        parsed = feedparser.parse((out / path).read_bytes())
        assert parsed.bozo == 0, (tag, path, parsed.get("bozo_exception"))
        assert parsed.feed.language == tag
        assert parsed.entries


@pytest.mark.parametrize("tag", ["ar", "he"])
def test_a_right_to_left_language_reads_right_to_left(tmp_path_factory, tag: str) -> None:
    out = built(tmp_path_factory, tag)
    for path in ("index.html", f"incidents/{CURIE}/index.html", "404.html"):
        html = BeautifulSoup((out / path).read_text(encoding="utf-8"), "html.parser").html
        assert (html["lang"], html["dir"]) == (tag, "rtl")
    css = (out / "assets" / "style.css").read_text(encoding="utf-8")
    sides = r"(?:margin|padding|border)-(?:left|right)\b|(?<![\w-])(?:left|right)\s*:|(?:text-align|float):\s*(?:left|right)\b"
    four_values = r"(?:margin|padding):\s*[^\s;}]+(?:\s+[^\s;}]+){3}\s*[;}]"  # top, right, bottom, left
    physical = re.findall(f"{sides}|{four_values}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    assert not physical, f"the stylesheet has physical sides that do not mirror: {physical}"
