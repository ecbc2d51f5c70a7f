"""The publish workflow that ``sitegen init`` writes runs ``sitegen notify`` safely, and the JSON Schema
knows the [[notify]] tables as the loader does."""

from __future__ import annotations

import json
import tomllib

import jsonschema
import yaml
from test_notify_config import ALL_TYPES

from sitegen.authoring.scaffold import SCHEMAS_DIR, TEMPLATE_DIR

PUBLISH = TEMPLATE_DIR / "dot-github" / "workflows" / "publish.yml"


def steps(job: dict) -> list[dict]:
    return job["steps"]


def test_notify_runs_between_build_and_upload_with_secrets_from_the_repository() -> None:
    jobs = yaml.safe_load(PUBLISH.read_text(encoding="utf-8"))["jobs"]
    build = steps(jobs["build"])
    names = [s.get("run", s.get("uses", "")).split()[0:2] for s in build]
    position = next(i for i, s in enumerate(build) if s.get("id") == "notify")
    assert names[position - 1] == ["sitegen", "build"] and build[position + 2]["uses"].startswith(
        "actions/upload-pages-artifact"
    )
    notify = build[position]
    assert notify["run"] == 'sitegen notify -o public --published "${{ steps.pages.outputs.base_url }}"'
    assert notify["continue-on-error"] is True  # the record must be deployed even when a channel failed
    assert all(value == f"${{{{ secrets.{name} }}}}" for name, value in notify["env"].items())
    assert build[position + 1]["run"] == "test -f public/api/notifications.json"  # never deploy without the record
    assert jobs["build"]["outputs"]["notify"] == "${{ steps.notify.outcome }}"
    last = steps(jobs["deploy"])[-1]
    assert last["if"] == "needs.build.outputs.notify == 'failure'" and last["run"].endswith("exit 1")


def test_the_schema_accepts_every_channel_type_and_refuses_what_the_loader_refuses() -> None:
    schema = json.loads((SCHEMAS_DIR / "sitegen.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    site = {"site": {"title": "T", "base_url": "https://example.com/"}}
    tables = tomllib.loads(ALL_TYPES)["notify"]
    assert validator.is_valid({**site, "notify": tables})
    for wrong in (
        {"type": "slack", "url_env": "https://hooks.slack.com/services/x"},  # a secret in place of its name
        {"type": "slack"},  # no url_env
        {"type": "mastodon", "token_env": "T"},  # no server
        {"type": "email", "smtp_host": "h", "from": "a@b.c", "to": []},
        {"type": "slak", "url_env": "A"},
        {"type": "slack", "url_env": "A", "url": "x"},
    ):
        assert not validator.is_valid({**site, "notify": [wrong]}), wrong


def test_the_init_template_names_notify_only_in_comments() -> None:
    text = (TEMPLATE_DIR / "sitegen.toml").read_text(encoding="utf-8")
    assert "# [[notify]]" in text and "\n[[notify]]" not in text
