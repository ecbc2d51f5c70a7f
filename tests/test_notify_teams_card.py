"""Teams cards read by Microsoft's own Adaptive Cards parser (the ``adaptivecards`` npm package), at the version
they declare: a property of a later version, or an unknown element, is an event of the parser. Skipped without
npm or node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import NOW, write_site
from test_notify_limits import hostile_update, incident, site_config

from sitegen.content.loader import load_site
from sitegen.notify.events import site_events
from sitegen.notify.message import message_for
from sitegen.notify.teams import payload

NPM, NODE = shutil.which("npm"), shutil.which("node")
ADAPTIVECARDS_VERSION = "3.0.6"

pytestmark = pytest.mark.skipif(NPM is None or NODE is None, reason="npm and node are needed for Microsoft's parser")

RESOLVE = """\
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
// The package's modules import each other without file extensions, as a bundler allows and Node does not.
export async function resolve(specifier, context, next) {
  if (specifier.startsWith(".") && context.parentURL) {
    const path = fileURLToPath(new URL(specifier, context.parentURL));
    if (existsSync(path) && statSync(path).isDirectory()) return next(specifier + "/index.js", context);
    if (!existsSync(path) && existsSync(path + ".js")) return next(specifier + ".js", context);
  }
  return next(specifier, context);
}
"""
REGISTER = 'import { register } from "node:module";\nregister("./resolve.mjs", import.meta.url);\n'
CHECK = """\
import * as AC from "adaptivecards";
import { readFileSync } from "node:fs";
const found = [];
for (const card of JSON.parse(readFileSync(0, "utf8"))) {
  const context = new AC.SerializationContext(AC.Version.parse(card.version, new AC.SerializationContext()));
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) events.push(event.message);
  found.push(events);
}
console.log(JSON.stringify(found));
"""


@pytest.fixture(scope="module")
def parser(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("adaptivecards")
    assert NPM is not None
    command = [NPM, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent"]
    subprocess.run([*command, f"adaptivecards@{ADAPTIVECARDS_VERSION}"], check=True, capture_output=True, timeout=300)
    (folder / "resolve.mjs").write_text(RESOLVE)
    (folder / "register.mjs").write_text(REGISTER)
    (folder / "check.mjs").write_text(CHECK)
    return folder


def parser_events(parser: Path, cards: list[dict[str, Any]]) -> list[list[str]]:
    assert NODE is not None
    done = subprocess.run(
        [NODE, "--import", "./register.mjs", "check.mjs"],
        cwd=parser,
        input=json.dumps(cards),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found: list[list[str]] = json.loads(done.stdout)
    return found


def test_every_card_is_valid_at_the_version_it_declares(tmp_path: Path, parser: Path) -> None:
    files = {"content/incidents/2026-11-20-api-errors.md": incident(hostile_update(), "  - at: 2026-11-20T11:00:00Z\n"
             "    status: resolved\n    body: Fixed.\n")}  # fmt: skip
    site = load_site(write_site(tmp_path, files, config=site_config()), now=NOW)
    cards = [payload(message_for(event, site))["attachments"][0]["content"] for event in site_events(site)]
    assert len(cards) == 3
    assert parser_events(parser, cards) == [[], [], []]
    older = [{**card, "version": "1.4"} for card in cards]  # the check can fail: 1.4 has no heading style
    assert all(any('"style" is supported in version 1.5' in event for event in events) for events in
               parser_events(parser, older))  # fmt: skip
