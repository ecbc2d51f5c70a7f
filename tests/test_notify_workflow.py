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


def test_messages_go_out_after_the_deploy_and_the_record_of_them_is_published_after() -> None:
    steps = yaml.safe_load(PUBLISH.read_text(encoding="utf-8"))["jobs"]["publish"]["steps"]
    what = [s.get("run", s.get("uses", "")).split("@")[0] for s in steps]
    build = what.index('sitegen build --base-url "$PAGES_BASE_URL"')
    defer = what.index('sitegen notify -o public --published "$PAGES_BASE_URL" --defer')
    upload, deploy = what.index("actions/upload-pages-artifact"), what.index("actions/deploy-pages")
    notify = next(i for i, s in enumerate(steps) if s.get("id") == "notify")
    assert build < defer < upload < deploy < notify  # owed before the deploy, sent once the pages are live
    assert steps[notify]["run"] == "sitegen notify -o public --published public"  # the record just deployed
    assert steps[notify]["continue-on-error"] is True  # the record of what was sent is published all the same
    assert all(value == f"${{{{ secrets.{name} }}}}" for name, value in steps[notify]["env"].items())
    assert "secrets." not in str(steps[defer])  # the deferring run sends nothing and needs no secret
    record_upload, record_deploy = steps[-3], steps[-2]
    assert record_upload["with"]["name"] == record_deploy["with"]["artifact_name"] == "github-pages-record"
    assert record_upload["if"] == record_deploy["if"] == "steps.record.outputs.changed == 'true'"
    assert steps[-1]["if"] == "steps.notify.outcome == 'failure'" and steps[-1]["run"].endswith("exit 1")


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
