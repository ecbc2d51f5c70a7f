"""Pages on paper, printed to PDF by headless Chromium and read back as text with pdftotext.

Paper cannot unfold nor follow a link: an incident of 40 updates, whose
page folds the earlier ones, prints every one of them; the site's footnote
prints; a link prints its address after its text.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import NOW, REPO, incident, write_site

from sitegen.build import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (Debian's poppler-utils has it)"),
]

UPDATES = 40
FOOTNOTE = "Availability is measured across all tiers: see [the method](https://example.com/method)."
CONFIG = f"""\
[site]
title = "Print Status"
base_url = "https://example.github.io/status/"
timezone = "UTC"
footer = "{FOOTNOTE}"

[[components]]
id = "api"
name = "API"
"""


def printed(page: Path, tmp_path: Path) -> str:
    """The text of ``page`` as Chromium prints it."""
    assert CHROMIUM is not None and PDFTOTEXT is not None
    pdf = tmp_path / "page.pdf"
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
        f"--user-data-dir={tmp_path / 'profile'}", f"--print-to-pdf={pdf}",
    ]  # fmt: skip
    subprocess.run([CHROMIUM, *flags, page.as_uri()], check=True, capture_output=True, timeout=120)
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60).stdout
    return " ".join(text.decode("utf-8").split())


def long_incident() -> str:
    updates = "".join(
        f"  - at: 2026-11-20T{10 + n // 6:02d}:{n % 6 * 10:02d}:00Z\n"
        f"    status: {'resolved' if n == UPDATES else 'investigating'}\n"
        f"    body: Word U{n:02d}X of the outage.\n"
        for n in range(1, UPDATES + 1)
    )
    return incident("A long outage", updates=updates, extra="components:\n  api: major_outage\n")


def test_every_update_of_a_long_incident_prints(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/incidents/2026-11-20-long.md": long_incident()}, config=CONFIG)
    build_site(root, root / "public", now=NOW)
    page = root / "public" / "incidents" / "2026-11-20-long" / "index.html"
    assert "<details" in page.read_text(encoding="utf-8")  # the screen folds the earlier updates
    text = printed(page, tmp_path)
    missing = [n for n in range(1, UPDATES + 1) if f"U{n:02d}X" not in text]
    assert missing == [], f"updates missing on paper: {missing}"
    assert "Availability is measured across all tiers: see the method (https://example.com/method)." in text


def test_a_writeup_link_prints_its_public_address(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build_site(REPO, out, now=NOW)
    text = printed(out / "incidents" / "2022-07-23-curie-fine-tuned-errors" / "index.html", tmp_path)
    address = "https://example.github.io/status/writeups/2022-07-26-curie-pubsub-outage/"
    assert f"Read it here ({address})" in text
