"""The Subscribe page: every feed the site has, as an address to copy, and how to follow it where people are."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import DEFAULT_CONFIG, NOW, REPO, write_site

from sitegen.build import build_site
from sitegen.content.loader import load_site
from sitegen.errors import ContentError
from sitegen.output import urls

BASE_URL = "https://example.github.io/status/"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("subscribe") / "public"
    build_site(REPO, out, now=NOW)
    return out


def page(public: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((public / urls.output_file(path)).read_text(encoding="utf-8"), "html.parser")


def test_every_feed_of_the_site_is_listed_with_its_address_as_text(public: Path) -> None:
    soup = page(public, urls.subscribe())
    shown = {code.get_text() for code in soup.select("code.url")}
    published = {p.relative_to(public).as_posix() for p in public.rglob("*") if p.suffix in (".atom", ".rss", ".ics")}
    assert len(published) == 4 * (1 + len(load_site(REPO, now=NOW).components)) + 1
    assert {BASE_URL + path for path in published} <= shown
    assert "webcal://example.github.io/status/maintenance.ics" in shown
    assert f"/feed subscribe {BASE_URL}updates.rss" in shown
    for link in soup.select(".feed-urls a"):  # each address is also a link that works from the page
        href = link["href"]
        assert (public / "subscribe" / href).resolve().is_file(), href
    assert soup.find("script") is None


@pytest.mark.parametrize("path", [urls.home(), urls.incident("2022-07-23-curie-fine-tuned-errors"), urls.subscribe()])
def test_the_top_bar_and_the_footer_lead_to_it(public: Path, path: str) -> None:
    soup = page(public, path)
    depth = urls.output_file(path).count("/")
    target = "../" * depth + urls.output_file(urls.subscribe())
    [top] = [a for a in soup.select("nav a") if a.get_text() == "Subscribe"]
    assert top["href"] == target
    assert (top.get("aria-current") == "page") == (path == urls.subscribe())
    assert target in [a["href"] for a in soup.select("footer a")]


def test_pages_announce_the_feeds_of_updates(public: Path) -> None:
    alternates = {link["href"] for link in page(public, "components/api/").select("link[rel=alternate]")}
    assert {"../../updates.atom", "../../updates.rss", "../../components/api/updates.rss"} <= alternates


def test_public_channels_are_listed_for_anyone_to_follow(tmp_path: Path) -> None:
    follow = "https://mastodon.social/@acme?x=<b>"
    channels = (
        f'\n[[notify]]\ntype = "mastodon"\nserver = "https://mastodon.social"\ntoken_env = "T"\nfollow_url = "{follow}"\n'
        '\n[[notify]]\ntype = "slack"\nurl_env = "SLACK_URL"\n'
    )
    site = write_site(tmp_path / "site", {}, config=DEFAULT_CONFIG + channels)
    build_site(site, tmp_path / "public", now=NOW)
    soup = page(tmp_path / "public", urls.subscribe())
    [section] = soup.select("section[aria-labelledby=announced]")
    assert [(a.get_text(), a["href"]) for a in section.select("a")] == [("Mastodon", follow)]
    assert follow in [code.get_text() for code in section.select("code")]
    built = (tmp_path / "public" / urls.output_file(urls.subscribe())).read_text()
    assert "<b>" not in built


def test_a_follow_url_must_be_a_web_address(tmp_path: Path) -> None:
    channel = '\n[[notify]]\ntype = "slack"\nurl_env = "SLACK_URL"\nfollow_url = "javascript:alert(1)"\n'
    site = write_site(tmp_path, {}, config=DEFAULT_CONFIG + channel)
    with pytest.raises(ContentError, match="'follow_url' must be a web address such as https://discord.gg/acme"):
        load_site(site, now=NOW)


def test_a_site_without_public_channels_lists_none(public: Path) -> None:
    assert page(public, urls.subscribe()).select("section[aria-labelledby=announced]") == []
