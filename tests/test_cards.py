"""Link previews: the Open Graph and X card tags of every page, and the PNG cards they point at."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, incident
from PIL import Image, ImageChops
from test_uptime import outage

from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.views.badges import CRITICAL, OK
from sitegen.views.cards import (
    HEIGHT,
    NEUTRAL,
    RECENT_CARDS,
    WIDTH,
    PreviewCards,
    Text,
    _font,
    card_outputs,
    draw_card,
)
from sitegen.views.i18n import site_words
from sitegen.views.keyed import OutputKeys

BASE_URL = "https://example.github.io/status/"
INCIDENTS = {
    "content/incidents/open.md": outage("2026-11-28T09:00:00Z", None, "api: major_outage", "Checkout is down"),
    "content/incidents/over.md": outage("2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z", "db: major_outage", "Slow"),
    "content/incidents/ja.md": incident("東京リージョンで API の応答が遅延しています"),
}
SCRIPTS = {
    "Japanese": "東京リージョンで障害が発生しています",
    "Chinese": "支付服务暂时无法使用",
    "Traditional Chinese": "支付服務暫時無法使用",
    "Korean": "결제 서비스 장애",
    "Arabic": "عطل في واجهة الدفع",
    "Hebrew": "תקלה בשרת הראשי",
    "Latin": "Zahlungsausfall · Ödeme hatası · Paiement échoué",
    "Cyrillic": "Сбой платёжного сервиса",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from conftest import write_site

    root = tmp_path_factory.mktemp("cards")
    out = root / "public"
    build_site(write_site(root / "site", INCIDENTS), out, now=NOW)
    return out


def pages(out: Path) -> list[Path]:
    """Every page one may share: not the 404 page, nor embed/, the status for other sites' iframes (noindex)."""
    return sorted(p for p in out.rglob("*.html") if p.name != "404.html" and p.parent.name != "embed")


def meta(soup: BeautifulSoup, key: str) -> str:
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    assert tag is not None, key
    return str(tag["content"])


def test_every_page_has_preview_tags_with_absolute_urls_and_the_size_of_its_image(built: Path) -> None:
    for page in pages(built):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        canonical = soup.find("link", rel="canonical")["href"]
        assert meta(soup, "og:url") == canonical
        image_url = meta(soup, "og:image")
        assert urlsplit(image_url).scheme == "https" and urlsplit(image_url).netloc == "example.github.io"
        assert meta(soup, "twitter:image") == image_url and meta(soup, "twitter:card") == "summary_large_image"
        assert meta(soup, "og:title") == soup.title.get_text() == meta(soup, "twitter:title")
        assert meta(soup, "og:site_name") == "Test Status"
        assert meta(soup, "og:description") and len(meta(soup, "og:description")) <= 200
        assert meta(soup, "og:image:type") == "image/png"
        with Image.open(built / image_url.removeprefix(BASE_URL)) as image:
            size = (int(meta(soup, "og:image:width")), int(meta(soup, "og:image:height")))
            assert image.format == "PNG" and image.size == size == (WIDTH, HEIGHT), page


def test_an_incident_page_previews_its_own_card_and_its_latest_update_other_pages_the_neutral_card(built: Path) -> None:
    soup = BeautifulSoup((built / "incidents/over/index.html").read_text(encoding="utf-8"), "html.parser")
    assert meta(soup, "og:image") == BASE_URL + "incidents/over/card.png"
    assert meta(soup, "og:description") == "Resolved: Fixed."
    history = BeautifulSoup((built / "history/index.html").read_text(encoding="utf-8"), "html.parser")
    assert meta(history, "og:image") == BASE_URL + "site-card.png"
    front = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert meta(front, "og:image") == BASE_URL + "card.png"
    assert meta(front, "og:description") == "Checkout is down: Looking."  # what is going on, in its latest words


def test_a_card_is_on_its_status_colour_green_once_resolved(built: Path) -> None:
    def band(path: str) -> str:
        with Image.open(built / path) as image:
            return "#%02x%02x%02x" % image.convert("RGB").getpixel((WIDTH // 2, 4))

    assert band("incidents/over/card.png") == OK
    assert band("incidents/open/card.png") == CRITICAL
    assert band("card.png") == CRITICAL  # a major outage going on: the site's indicator is critical
    assert band("site-card.png") == NEUTRAL


def test_the_neutral_card_shows_no_status(built: Path, tmp_path: Path) -> None:
    """Drawn for a site with an outage going on and for one with none, it is the same card: a preview never
    shows an old incident, or a history page, beside today's outage."""
    from conftest import write_site

    calm = {path: text for path, text in INCIDENTS.items() if path != "content/incidents/open.md"}
    out = tmp_path / "calm"
    build_site(write_site(tmp_path / "site", calm), out, now=NOW)
    assert (out / "site-card.png").read_bytes() == (built / "site-card.png").read_bytes()
    assert (out / "card.png").read_bytes() != (built / "card.png").read_bytes()


def test_two_builds_make_the_same_cards(built: Path, tmp_path: Path) -> None:
    from conftest import write_site

    out = tmp_path / "again"
    build_site(write_site(tmp_path / "site", INCIDENTS), out, now=NOW)
    cards = sorted(p.relative_to(built) for p in built.rglob("*card.png"))
    assert len(cards) == 2 + len(INCIDENTS)  # the front page's, the neutral one, and each incident's
    for card in cards:
        assert (out / card).read_bytes() == (built / card).read_bytes(), card


def test_a_card_is_keyed_by_what_it_shows(make_site) -> None:
    def keys(files: dict[str, str | bytes]) -> dict[str, str | None]:
        site = load_site(make_site(files), now=NOW)
        outputs = card_outputs(site, site_words(site), OutputKeys("look"), NOW, PreviewCards(site))
        return {o.path: o.key for o in outputs}

    first = keys(INCIDENTS)
    assert first == keys(INCIDENTS)
    renamed = keys(
        {**INCIDENTS, "content/incidents/over.md": INCIDENTS["content/incidents/over.md"].replace("Slow", "Slower")}
    )
    assert renamed["incidents/over/card.png"] != first["incidents/over/card.png"]
    assert renamed["incidents/open/card.png"] == first["incidents/open/card.png"]


@pytest.mark.parametrize("script", SCRIPTS)
def test_titles_in_every_shipped_script_are_drawn_with_real_glyphs(script: str) -> None:
    """No character is drawn as the font's box for a missing glyph, and the title changes the card."""
    title = SCRIPTS[script]
    for bold in (False, True):
        font = _font(title, bold, 40)
        missing = font.getmask("\U0010fffd")
        for char in set(title) - {" ", "·"}:
            mask = font.getmask(char)
            assert mask.size != missing.size or bytes(mask) != bytes(missing), f"{script}: no glyph for {char!r}"
    blank = Image.open(io.BytesIO(draw_card(OK, ())))
    drawn = Image.open(io.BytesIO(draw_card(OK, (Text(title, 60, bold=True),))))
    assert ImageChops.difference(blank, drawn).getbbox() is not None


def test_right_to_left_titles_are_aligned_right() -> None:
    drawn = Image.open(io.BytesIO(draw_card(OK, (Text(SCRIPTS["Hebrew"], 60),)))).convert("L")
    left, _, right, _ = ImageChops.invert(drawn).crop((0, 40, WIDTH, HEIGHT)).getbbox()
    assert right > WIDTH - 100 and left > 200


def many_incidents(count: int) -> dict[str, str | bytes]:
    """``count`` resolved incidents an hour apart, but the sixth oldest begun with the seventh (a tie on the
    edge of the ``RECENT_CARDS`` newest when ``count`` is RECENT_CARDS + 6), and one older still going on."""

    def resolved(hour: int) -> str:
        start = datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=hour)
        return outage(
            f"{start:%Y-%m-%dT%H:%M:%SZ}", f"{start + timedelta(minutes=30):%Y-%m-%dT%H:%M:%SZ}", "api: major_outage"
        )

    files: dict[str, str | bytes] = {f"content/incidents/i{n:03}.md": resolved(n + (n == 5)) for n in range(count)}
    files["content/incidents/old.md"] = outage("2026-09-01T09:00:00Z", None, "db: degraded_performance", "Slow")
    return files


def chosen(site_dir: Path) -> set[str]:
    """The slugs that should have a card, worked out here from the rule: not over, or among the newest by
    (start, slug)."""
    site = load_site(site_dir, now=NOW)
    newest = sorted(site.incidents, key=lambda i: (i.started, i.slug), reverse=True)[:RECENT_CARDS]
    return {i.slug for i in newest} | {i.slug for i in site.incidents if i.resolved_at is None}


def image_paths(out: Path) -> set[Path]:
    """The file each og:image and twitter:image of each HTML file names (the 404 page included)."""
    found = set()
    for page in out.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        tags = soup.find_all("meta", attrs={"property": "og:image"}) + soup.find_all(
            "meta", attrs={"name": "twitter:image"}
        )
        found |= {out / str(tag["content"]).removeprefix(BASE_URL) for tag in tags}
    return found


def test_on_a_big_site_only_recent_and_ongoing_incidents_have_cards_and_every_page_points_at_one(tmp_path) -> None:
    from conftest import write_site

    site_dir = write_site(tmp_path / "site", many_incidents(RECENT_CARDS + 6))
    out = tmp_path / "public"
    build_site(site_dir, out, now=NOW)
    expected = chosen(site_dir)
    assert "old" in expected and "i006" in expected and "i005" not in expected  # the tie: the later slug is newer
    assert len(expected) == RECENT_CARDS + 1
    carded = {p.parent.name for p in (out / "incidents").rglob("card.png")}
    assert carded == expected
    images = image_paths(out)
    assert all(image.is_file() for image in images), sorted(map(str, images))
    assert images == {out / "card.png", out / "site-card.png"} | {out / f"incidents/{s}/card.png" for s in carded}
    soup = BeautifulSoup((out / "incidents/i005/index.html").read_text(encoding="utf-8"), "html.parser")
    assert meta(soup, "og:image") == meta(soup, "twitter:image") == BASE_URL + "site-card.png"


def test_an_incident_pushed_out_of_the_newest_loses_its_card_on_a_rebuild(tmp_path) -> None:
    """A rebuild gives the bytes of a clean build: the page of an incident a newer one pushed out of the newest
    is remade though the incident did not change, and its card is gone."""
    from conftest import write_site

    files = many_incidents(RECENT_CARDS + 6)
    out = tmp_path / "public"
    build_site(write_site(tmp_path / "site", files), out, now=NOW)
    assert (out / "incidents/i006/card.png").is_file()
    files["content/incidents/new.md"] = outage("2026-11-27T09:00:00Z", "2026-11-27T10:00:00Z", "api: major_outage")
    site_dir = write_site(tmp_path / "site", files)
    build_site(site_dir, out, now=NOW)
    clean = tmp_path / "clean"
    build_site(write_site(tmp_path / "again", files), clean, now=NOW)
    assert not (out / "incidents/i006/card.png").exists() and (out / "incidents/new/card.png").is_file()
    assert {p.parent.name for p in (out / "incidents").rglob("card.png")} == chosen(site_dir)
    assert all(image.is_file() for image in image_paths(out))
    rebuilt = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert rebuilt == {p.relative_to(clean): p.read_bytes() for p in clean.rglob("*") if p.is_file()}
