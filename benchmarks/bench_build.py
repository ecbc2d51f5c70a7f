"""Time full builds of synthetic sites of N incidents, to show that a build stays linear.

    python benchmarks/bench_build.py                 # 1,000 and 10,000 incidents, 3 runs each
    python benchmarks/bench_build.py 500 5000 --runs 5

Each size is generated once (deterministically, from a fixed seed) and built
``--runs`` times, each run in a fresh process so that peak memory is that
build's own. The report gives the median wall time, the time per incident,
peak memory, and the ratio of each size's median to the smallest size's:
a linear build has a ratio close to the ratio of the sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

COMPONENTS = [("api", "API", "Core"), ("db", "Database", "Core"), ("auth", "Authentication", "Core"),
              ("web", "Website", "Web"), ("cdn", "CDN", "Web"), ("search", "Search", "Web"),
              ("jobs", "Background jobs", "Platform"), ("billing", "Billing", "Platform")]  # fmt: skip
STATUSES = ["degraded_performance", "partial_outage", "major_outage"]
NOW = "2026-11-28T12:00:00Z"

RUN_ONE = """
import json, resource, sys, time
from datetime import datetime, timezone
from pathlib import Path
from sitegen.build import build_site
started = time.perf_counter()
build_site(Path(sys.argv[1]), Path(sys.argv[2]), now=datetime(2026, 11, 28, 12, tzinfo=timezone.utc))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
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


def build_once(site: Path, out: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", RUN_ONE, str(site), str(out)], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            site = Path(tmp) / f"site-{size}"
            generate(site, size)
            runs = [build_once(site, Path(tmp) / f"out-{size}") for _ in range(args.runs)]
            median = statistics.median(r["seconds"] for r in runs)
            peak = max(r["peak_mib"] for r in runs)
            rows.append((size, median, peak))
    base_size, base_time, _ = rows[0]
    print(
        f"{'incidents':>10} {'median s':>9} {'ms/incident':>12} {'peak MiB':>9} {'time ratio':>11} {'size ratio':>11}"
    )
    for size, median, peak in rows:
        print(f"{size:>10,} {median:>9.2f} {1000 * median / size:>12.2f} {peak:>9.0f} "
              f"{median / base_time:>11.2f} {size / base_size:>11.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
