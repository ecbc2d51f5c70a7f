"""The built site as a browser shows it: headless Chromium opening the pages from disk."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import NOW, REPO
from PIL import Image

from sitegen.build import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")


def screenshot(url: str, out: Path, tmp_path: Path, *, width: int = 1200, dark: bool = False) -> Image.Image:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},900", f"--screenshot={out}",
    ]  # fmt: skip
    if dark:
        flags.append("--force-dark-mode")
    subprocess.run([CHROMIUM, *flags, url], check=True, capture_output=True, timeout=120)
    return Image.open(out).convert("RGB")


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "public"
    build_site(REPO, out, now=NOW)
    return out


def banner_colour(image: Image.Image) -> tuple[int, int, int]:
    """The colour of the status banner: the first non-background row under the header, at mid-width."""
    width, height = image.size
    background = image.getpixel((5, height - 5))
    for y in range(60, 400):
        pixel = image.getpixel((width // 2, y))
        if sum(abs(a - b) for a, b in zip(pixel, background)) > 120:
            return pixel
    raise AssertionError("no banner found")


def test_front_page_renders_with_its_stylesheet_from_disk(public: Path, tmp_path: Path) -> None:
    """The stylesheet must load from file:// under the page's Content-Security-Policy."""
    image = screenshot((public / "index.html").as_uri(), tmp_path / "light.png", tmp_path)
    red, green, blue = banner_colour(image)
    assert red > 150 and green < 110 and blue < 60  # the orange of a partial outage, so the CSS applied


def test_dark_mode_uses_a_dark_background(public: Path, tmp_path: Path) -> None:
    image = screenshot((public / "index.html").as_uri(), tmp_path / "dark.png", tmp_path, dark=True)
    assert sum(image.getpixel((5, 890))) < 120
