"""Lighthouse's scores for pages of a built site, served uncompressed from 127.0.0.1 as a plain static host would.

    python benchmarks/lighthouse.py public                       # the front page
    python benchmarks/lighthouse.py public "" components/api/    # the front page and a component page
    python benchmarks/lighthouse.py public "" --form-factor desktop --runs 3

Needs Node's npx (Lighthouse 12 is fetched from the npm registry on first use)
and Chromium; set CHROME_PATH if Lighthouse does not find it (the script
points it at ``chromium`` on the PATH when unset). The output folder is
served by Python's http.server, with no compression, since that is the
harder case: many static hosts gzip, some do not. Each page path is relative
to the folder; the site's links are relative, so it works at the root.

For each page and run it prints every category's score out of 100 and the
figures the performance score is made of, then the median of each score
over the runs, and the audits that lost points, so a low score says why.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LIGHTHOUSE = "lighthouse@12"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {  # the performance score's figures, as Lighthouse names them, and how to show them
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


def lighthouse(url: str, form_factor: str) -> dict[str, Any]:
    """One Lighthouse run over ``url``: its JSON report (lhr)."""
    command = [
        "npx", "--yes", LIGHTHOUSE, url, f"--only-categories={','.join(CATEGORIES)}", f"--form-factor={form_factor}",
        "--chrome-flags=--headless=new --no-sandbox", "--output=json", "--output-path=stdout", "--quiet",
    ]  # fmt: skip
    if form_factor == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=600)
    return json.loads(done.stdout)


def scores(report: dict[str, Any]) -> dict[str, float]:
    """Every category's score out of 100, then the performance figures (ms, CLS unitless)."""
    found = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    for audit, short in METRICS.items():
        found[short] = round(report["audits"][audit]["numericValue"], 3 if short == "CLS" else 0)
    return found


def lost_points(report: dict[str, Any]) -> list[str]:
    """The audits that count towards a category's score and did not pass, with their titles."""
    lost = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 0.9:
                lost.append(f"{name}: {ref['id']} ({audit['score']}): {audit.get('displayValue', audit['title'])}")
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path, help="a built site's output folder")
    parser.add_argument("pages", nargs="*", default=[""], help="page paths inside it ('' is the front page)")
    parser.add_argument("--form-factor", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="runs of each page; the medians are printed")
    args = parser.parse_args()
    if not (args.output / "index.html").is_file():
        parser.error(f"{args.output} holds no index.html: give a built site's output folder")
    if "CHROME_PATH" not in os.environ and (chromium := shutil.which("chromium") or shutil.which("chromium-browser")):
        os.environ["CHROME_PATH"] = chromium
    handler = functools.partial(QuietHandler, directory=str(args.output))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for page in args.pages:
            url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
            runs = []
            for _ in range(args.runs):
                report = lighthouse(url, args.form_factor)
                runs.append(scores(report))
                print(f"{page or '(front page)'}: {runs[-1]}", flush=True)
            medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            print(f"{page or '(front page)'} median of {len(runs)}: {medians}")
            for line in lost_points(report):
                print(f"  {line}")
    finally:
        server.shutdown()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
