"""openapi.json describes every JSON document the site publishes, and llms.txt points at it and at the feeds."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, REPO
from jsonschema import Draft202012Validator

from sitegen.build import build_site

openapi_spec_validator = pytest.importorskip("openapi_spec_validator")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("discovery") / "public"
    build_site(REPO, out, now=NOW)
    return out


@pytest.fixture(scope="module")
def description(built: Path) -> dict[str, Any]:
    return json.loads((built / "openapi.json").read_text(encoding="utf-8"))


def response_schema(description: dict[str, Any], path: str) -> Draft202012Validator:
    """The validator of a path's response, its references resolved within the description."""
    schema = description["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": description["components"]})


def files_of(built: Path, path: str, paths: list[str]) -> list[Path]:
    """The published files a path of the description stands for: a '{parameter}' is any name no other path has."""
    pattern = re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path.lstrip("/"))) + "$")
    named = {p.lstrip("/") for p in paths if "{" not in p}
    return [
        f
        for f in built.rglob("*")
        if f.is_file()
        and pattern.match(name := f.relative_to(built).as_posix())
        and (name not in named or "{" not in path)
    ]


def test_the_description_is_valid_openapi_for_the_sites_url(description: dict[str, Any]) -> None:
    openapi_spec_validator.validate(description)
    assert description["openapi"].startswith("3.1")
    assert description["servers"] == [{"url": "https://example.github.io/status", "description": "Example AI Status"}]
    assert description["info"]["title"] == "Example AI Status"


def test_every_published_document_is_described_and_has_its_described_shape(built, description) -> None:
    described: set[Path] = set()
    for path in description["paths"]:
        files = files_of(built, path, list(description["paths"]))
        assert files, f"{path}: no such file in the site"
        validator = response_schema(description, path)
        for file in files:
            errors = [e.message for e in validator.iter_errors(json.loads(file.read_text(encoding="utf-8")))]
            assert errors == [], f"{file.relative_to(built)}: {errors[:3]}"
        described.update(files)
    published = {f for f in built.rglob("*.json") if f.name != "openapi.json"} | {built / "api/v1/summary"}
    assert published - described == set()


def test_the_description_can_reject_a_document(built, description) -> None:
    summary = json.loads((built / "api/v2/summary.json").read_text(encoding="utf-8"))
    del summary["status"]
    summary["components"][0]["status"] = "on fire"
    assert len(list(response_schema(description, "/api/v2/summary.json").iter_errors(summary))) == 2


def test_llms_txt_links_to_the_description_the_api_and_the_feeds(built) -> None:
    text = (built / "llms.txt").read_text(encoding="utf-8")
    assert text.startswith("# Example AI Status\n\n> ")
    links = re.findall(r"^- \[[^\]]+\]\((\S+)\): ", text, flags=re.MULTILINE)
    base = "https://example.github.io/status/"
    assert all(link.startswith(base) for link in links)
    paths = [link.removeprefix(base) for link in links]
    assert {"openapi.json", "api/v2/summary.json", "history.atom", "history.rss", "maintenance.ics"} <= set(paths)
    for path in paths:
        assert (built / path).is_file() or (built / path / "index.html").is_file(), path


def test_llms_txt_shows_the_settings_text_as_written(make_site, tmp_path: Path) -> None:
    from conftest import DEFAULT_CONFIG

    config = DEFAULT_CONFIG.replace('title = "Test Status"', 'title = "[Click](javascript:alert(1)) <b>*x*</b>"')
    out = tmp_path / "public"
    build_site(make_site({}, config=config), out, now=NOW)
    first = (out / "llms.txt").read_text(encoding="utf-8").splitlines()[0]
    assert first == r"# \[Click\]\(javascript:alert\(1\)\) &lt;b&gt;\*x\*&lt;/b&gt;"
