"""Fuzz target: any bytes as an incident file load as a Site or fail with a ContentError.

The contract under test ("a status page must not fail"): whatever a pull
request puts in ``content/incidents/<slug>.md``, ``load_site`` either returns
a ``Site`` or raises ``ContentError`` whose problems all point into that file
(``path`` is the file, ``1 <= line <= lines + 1``); and a site that loads
renders (the incident's page, the feeds and the API, in memory). Any other
exception, a hang or a runaway allocation is a crash.

CI runs the fallback loop for 30 s; by hand (from the repository root, after ``pip install atheris``):

    python fuzz/fuzz_loader.py                          # 60 s of libFuzzer, seeded from the example site
    python fuzz/fuzz_loader.py -max_total_time=600 -print_final_stats=1 my-corpus/   # longer, keeping a corpus
    python fuzz/fuzz_loader.py crash-<sha1>             # replay a crash file libFuzzer wrote
    python fuzz/fuzz_loader.py --fallback [-max_total_time=60]   # without atheris: random mutation loop
    python fuzz/fuzz_loader.py --loader-only            # only load_site, not rendering what loaded

Every libFuzzer flag works; the defaults added when absent are
``-max_total_time=60 -timeout=10 -rss_limit_mb=2048``, a dictionary of front
matter tokens and, when no corpus folder is given, a temporary one seeded with
the example site's content files and the invalid-site cases. Without atheris
installed (or with ``--fallback``) the same target runs under a plain
mutation loop over the same seeds, for the same time, and writes a crashing
input to ``crash-<sha1>`` in the working folder just as libFuzzer does.
"""

from __future__ import annotations

import atexit
import hashlib
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

try:
    import atheris
except ImportError:  # not installable on every Python: the fallback loop below still runs the target
    atheris = None


def _imports() -> None:
    global ContentError, load_site, Site, render_api, render_feeds, incident_page, PageRenderer, Theme, LINE_BREAK
    global PreviewCards
    from sitegen.content.frontmatter import LINE_BREAK
    from sitegen.content.loader import load_site
    from sitegen.content.site import Site
    from sitegen.errors import ContentError
    from sitegen.views.api import render_api
    from sitegen.views.cards import PreviewCards
    from sitegen.views.feeds import render_feeds
    from sitegen.views.pages import incident_page
    from sitegen.views.render import PageRenderer
    from sitegen.views.theme import Theme


if atheris is not None:
    with atheris.instrument_imports(include=["sitegen", "yaml", "markdown_it", "feedgen", "jinja2"]):
        _imports()
else:
    _imports()

RENDER = "--loader-only" not in sys.argv
"""Also render what loaded (the incident's page, feeds, API): a site that loads must build."""

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONFIG = """\
[site]
title = "Fuzz Status"
base_url = "https://example.github.io/status/"
timezone = "America/Los_Angeles"

[[components]]
id = "api"
name = "API"
group = "Core"

[[components]]
id = "db"
name = "Database"
"""
WRITEUP = "---\ntitle: A write-up\npublished: 2026-11-21T00:00:00Z\n---\nBody.\n"
TOKENS = [
    "---",
    "...",
    "title: ",
    "kind: maintenance",
    "impact: ",
    "components:",
    "started: ",
    "writeup: w",
    "updates:",
    "- at: ",
    "at: ",
    "status: ",
    "body: ",
    "body: |",
    "extra:",
    "scheduled_for: ",
    "scheduled_until: ",
    "api: major_outage",
    "db: degraded_performance",
    "investigating",
    "resolved",
    "in_progress",
    "completed",
    "2026-11-20T10:00:00Z",
    "2026-11-20T10:00:00",
    "2026-11-20",
    "+05:30",
    "&a ",
    "*a",
    "<<: ",
    "!!binary ",
    "!!python/object ",
    "!!timestamp ",
    "!!float ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    "\t",
    "\r\n",
    "\r",
    "\n  ",
    "\n    ",
    "'",
    '"',
    "#",
    "|-",
    ">+",
    "\x85",
    "\u2028",
    "\ufeff",
    "\x00",
    ".inf",
    "1e999",
    "0x1F",
    "~",
    "null",
    "true",
    "2026-02-30T00:00:00Z",
    "9999-12-31T23:59:59Z",
]


def _make_site() -> tuple[Path, Path]:
    root = Path(tempfile.mkdtemp(prefix="sitegen-fuzz-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    (root / "sitegen.toml").write_text(CONFIG, encoding="utf-8")
    (root / "content" / "incidents").mkdir(parents=True)
    (root / "content" / "writeups").mkdir(parents=True)
    (root / "content" / "writeups" / "w.md").write_text(WRITEUP, encoding="utf-8")
    return root, root / "content" / "incidents" / "fuzz.md"


SITE_DIR, INCIDENT = _make_site()
_THEME = Theme.for_site(SITE_DIR, "default")
_ENVIRONMENT, _LOOK = _THEME.environment(), _THEME.fingerprint()


class _SharedTheme:
    """The default theme with its templates compiled (and its files read) once for the whole run."""

    @staticmethod
    def environment(markdown=None):  # the renderer's own renders are not given: each page renders its texts
        return _ENVIRONMENT

    @staticmethod
    def fingerprint():
        return _LOOK


def line_bound(data: bytes) -> int:
    """The last line a problem in ``data`` may name: one past its last line, as an editor counts lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.count(b"\n") + 2
    return len(LINE_BREAK.findall(text)) + 2


def check(data: bytes) -> str:
    """Load ``data`` as the site's only incident; return 'site' or 'error', raise on a broken contract."""
    INCIDENT.write_bytes(data)
    try:
        site = load_site(SITE_DIR, now=NOW)
    except ContentError as exc:
        bound = line_bound(data)
        assert exc.problems, "ContentError without problems"
        for problem in exc.problems:
            assert problem.path == INCIDENT, f"problem in another file: {problem}"
            assert 1 <= problem.line <= bound, f"line {problem.line} outside 1..{bound}: {problem}"
            assert problem.message.strip(), f"empty message: {problem!r}"
        return "error"
    assert isinstance(site, Site), f"load_site returned {type(site).__name__}"
    if RENDER:
        PageRenderer(site, _SharedTheme()).render(incident_page(site, site.incidents[0], PreviewCards(site)))
        render_feeds(site)
        render_api(site)
    return "site"


def TestOneInput(data: bytes) -> None:  # noqa: N802 (atheris's name)
    check(data)


# ---- running ----------------------------------------------------------------


def seeds() -> list[bytes]:
    """The example site's content files and every invalid-site case: valid and nearly valid inputs."""
    paths = sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "tests" / "invalid").rglob("*.md"))
    return [p.read_bytes() for p in paths if p.is_file()] or [b"---\ntitle: x\n---\n"]


def _flag(args: list[str], name: str) -> str | None:
    return next((a.split("=", 1)[1] for a in args if a.startswith(f"-{name}=")), None)


def _with_defaults(args: list[str]) -> list[str]:
    """libFuzzer arguments with a bounded run, a token dictionary and a seeded corpus unless given."""
    inputs = [a for a in args if not a.startswith("-")]
    replaying = any(Path(a).is_file() for a in inputs)
    extra = []
    if not replaying:
        for name, value in (("max_total_time", "60"), ("timeout", "10"), ("rss_limit_mb", "2048")):
            if _flag(args, name) is None:
                extra.append(f"-{name}={value}")
        work = Path(tempfile.mkdtemp(prefix="sitegen-fuzz-run-"))
        atexit.register(shutil.rmtree, work, ignore_errors=True)
        if _flag(args, "dict") is None:
            lines = ['"' + "".join(f"\\x{b:02x}" for b in t.encode("utf-8")) + '"' for t in TOKENS]
            (work / "yaml.dict").write_text("\n".join(lines) + "\n", encoding="ascii")
            extra.append(f"-dict={work / 'yaml.dict'}")
        if not inputs:
            corpus = work / "corpus"
            corpus.mkdir()
            for seed in seeds():
                (corpus / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
            extra.append(str(corpus))
    return args + extra  # libFuzzer reads flags and corpus folders in any order


def mutate(data: bytes, pool: list[bytes], rng: random.Random) -> bytes:
    """A few random edits of the kinds libFuzzer makes: flips, inserts, deletions, splices, tokens."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        at = rng.randint(0, len(buf))
        if op == 0 and buf:
            buf[min(at, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            buf[at:at] = bytes([rng.randrange(256)])
        elif op == 2 and buf:
            del buf[at : at + rng.randint(1, 16)]
        elif op == 3:
            buf[at:at] = rng.choice(TOKENS).encode("utf-8")
        elif op == 4:
            other = rng.choice(pool)
            start = rng.randint(0, len(other))
            buf[at:at] = other[start : start + rng.randint(1, 200)]
        elif op == 5 and buf:
            start = rng.randint(0, len(buf) - 1)
            buf[at:at] = buf[start : start + rng.randint(1, 64)] * rng.randint(1, 8)
        else:
            buf[at:at] = rng.randbytes(rng.randint(1, 8))
    return bytes(buf[:65536])


def fallback(args: list[str]) -> int:
    """The target under a plain random mutation loop, for when atheris is not available."""
    files = [Path(a) for a in args if not a.startswith("-") and Path(a).is_file()]
    if files:  # replay
        for path in files:
            print(f"{path}: {check(path.read_bytes())}")
        return 0
    budget = float(_flag(args, "max_total_time") or 60)
    rng = random.Random(int(_flag(args, "seed") or time.time_ns()))
    pool = seeds()
    counts = {"site": 0, "error": 0}
    start = time.monotonic()
    while time.monotonic() - start < budget:
        data = mutate(rng.choice(pool), pool, rng) if rng.random() < 0.9 else rng.randbytes(rng.randint(0, 512))
        try:
            outcome = check(data)
        except BaseException:
            name = f"crash-{hashlib.sha1(data).hexdigest()}"
            Path(name).write_bytes(data)
            print(f"crash after {sum(counts.values())} runs; input written to {name}", file=sys.stderr)
            raise
        counts[outcome] += 1
        if outcome == "site" and len(pool) < 2000:
            pool.append(data)  # inputs that load are the best material for more mutations
    runs = sum(counts.values())
    elapsed = time.monotonic() - start
    print(
        f"fallback: {runs} runs in {elapsed:.0f} s ({runs / elapsed:.0f}/s): {counts['site']} sites, "
        f"{counts['error']} content errors, no crash"
    )
    return 0


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--loader-only"]
    if atheris is None or "--fallback" in args:
        if atheris is None:
            print("atheris is not installed: running the random mutation fallback", file=sys.stderr)
        return fallback([a for a in args if a != "--fallback"])
    atheris.Setup([argv[0], *_with_defaults(args)], TestOneInput)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
