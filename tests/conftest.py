"""Shared test helpers: small sites written inline, so each test shows its own data."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sitegen.output.cache import cache_root, output_cache_folder

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

DEFAULT_CONFIG = """\
[site]
title = "Test Status"
base_url = "https://example.github.io/status/"
timezone = "UTC"

[[components]]
id = "api"
name = "API"
group = "Core"

[[components]]
id = "db"
name = "Database"
group = "Core"

[[components]]
id = "web"
name = "Website"
"""


@pytest.fixture(scope="session", autouse=True)
def session_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A user cache folder for builds made by fixtures shared across tests: never the machine's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-user-cache")))
        patch.delenv("SITEGEN_CACHE_DIR", raising=False)
        yield


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own user cache folder, where builds keep their caches: never the machine's, never shared."""
    folder = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("SITEGEN_CACHE_DIR", raising=False)
    return folder / "sitegen"


def cache_folder(out: Path) -> Path:
    """The cache folder of the builds into ``out`` (in the test's own user cache folder)."""
    return output_cache_folder(cache_root(), out)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its path there: two builds are the same site when these are equal."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_site(root: Path, files: dict[str, str | bytes], *, config: str | None = DEFAULT_CONFIG) -> Path:
    """Write a site: sitegen.toml (unless given in ``files`` or None) plus the given files, dedented."""
    root.mkdir(parents=True, exist_ok=True)
    if config is not None and "sitegen.toml" not in files:
        (root / "sitegen.toml").write_text(config, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path):
    """``make_site({"content/incidents/x.md": "..."})`` -> the site folder."""

    def make(files: dict[str, str | bytes], *, config: str | None = DEFAULT_CONFIG, name: str = "site") -> Path:
        return write_site(tmp_path / name, files, config=config)

    return make


def incident(title: str = "API errors", *, updates: str | None = None, extra: str = "", body: str = "") -> str:
    """An incident file's text; ``updates`` is the YAML list, ``extra`` more front matter lines."""
    updates = (
        updates
        or """\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: We are looking into it.
  - at: 2026-11-20T10:30:00Z
    status: resolved
    body: Fixed.
"""
    )
    return f"---\ntitle: {title}\n{extra}updates:\n{updates}---\n{body}"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium for the tests of one module (test_a11y_support.Browser)."""
    from test_a11y_support import Browser

    chromium = Browser(tmp_path_factory.mktemp("chromium"))
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site of this repository, built at the tests' NOW."""
    from sitegen.build import build_site

    out = tmp_path_factory.mktemp("example") / "public"
    build_site(REPO, out, now=NOW)
    return out
