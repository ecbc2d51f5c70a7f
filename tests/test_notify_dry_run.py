"""A dry run on the example site (this repository) prints readable messages and sends and writes nothing.

The record is started from the example as it was before a write-up, the end
of an incident and a maintenance were added; the dry run then shows exactly
those.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_notify_support import Recorder, recorder

from sitegen.build import build_site
from sitegen.commands.notify import notify

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-12-03T07:00:00Z"  # during the example's maintenance window
INCIDENT = "content/incidents/2026-11-19-completions-elevated-errors.md"
MAINTENANCE = "content/incidents/2026-12-03-fine-tuning-maintenance.md"
WRITEUP = "content/writeups/2023-03-24-api-routing-outage.md"
ROUTING = "content/incidents/2023-03-21-api-routing-outage.md"


@pytest.fixture
def server() -> Iterator[Recorder]:
    yield from recorder()


def example(root: Path) -> Path:
    site = root / "example"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "sitegen.toml").read_text(encoding="utf-8")
    (site / "sitegen.toml").write_text(config + '\n[[notify]]\ntype = "slack"\nurl_env = "SLACK_URL"\n')
    return site


def run(site: Path, out: Path, published: Path, *extra: str, env: dict[str, str]) -> str:
    result = CliRunner().invoke(
        notify, [str(site), "-o", str(out), "--published", str(published), "--now", NOW, *extra], env=env
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_dry_run_on_the_example_prints_an_update_a_resolution_a_write_up_and_a_maintenance(
    tmp_path: Path, server: Recorder
) -> None:
    site = example(tmp_path)
    now = datetime.fromisoformat(NOW)
    kept = {name: (site / name).read_text(encoding="utf-8") for name in (INCIDENT, MAINTENANCE, WRITEUP, ROUTING)}
    (site / INCIDENT).write_text(kept[INCIDENT].split("  - at: 2026-11-19T23:20:00Z")[0] + "---\n")
    (site / ROUTING).write_text(kept[ROUTING].replace("writeup: 2023-03-24-api-routing-outage\n", ""))
    (site / MAINTENANCE).unlink()
    (site / WRITEUP).unlink()
    published, nothing = tmp_path / "published", tmp_path / "nothing"
    nothing.mkdir()
    build_site(site, published, now=now)
    run(site, published, nothing, env={})  # the record starts, as the site was before

    for name, text in kept.items():
        (site / name).write_text(text, encoding="utf-8")
    out = tmp_path / "public"
    build_site(site, out, now=now)
    output = run(site, out, published, "--dry-run", env={"SLACK_URL": server.url()})

    assert server.requests == [] and not (out / "api" / "notifications.json").exists()
    assert "Dry run: nothing is sent and nothing is written." in output and "5 messages to send." in output
    messages = output.split("\n\nTo slack:\n")[1:]
    assert [m.splitlines()[0].strip() for m in messages] == [
        "Write-up: API outage of March 21, 2023",
        "Monitoring: Elevated error rates for completions",
        "Resolved: Elevated error rates for completions",
        "Maintenance scheduled: Fine-tuning infrastructure maintenance",
        "Maintenance started: Fine-tuning infrastructure maintenance",
    ]
    write_up, update, resolution, scheduled, started = messages
    assert "Read the write-up: https://example.github.io/status/writeups/2023-03-24-api-routing-outage/" in write_up
    assert "Monitoring · Thu, Nov 19, 2026, 03:20 PM PST" in update and "error rates have returned to normal" in update
    assert "Completions: Operational" in resolution
    assert (
        "View incident: https://example.github.io/status/incidents/2026-11-19-completions-elevated-errors/"
        in resolution
    )
    assert "Window: Wed, Dec 2, 2026, 10:00 PM PST to Thu, Dec 3, 2026, 12:00 AM PST" in scheduled
    assert "Inference for existing fine-tuned models is not affected." in scheduled  # **not**, as plain text
    assert "Fine-tuning jobs: Under maintenance" in started
    without_secret = run(site, out, published, "--dry-run", env={})
    assert "Not set here: $SLACK_URL; a real run would stop before sending." in without_secret
