"""Properties that hold for any input: a status page must not fail on what a pull request holds.

Whatever bytes an incident file holds, loading the site gives a ``Site`` or a
``ContentError`` whose problems all point into that file, at a line that
exists; never another exception. And whatever text Markdown is given, the
HTML it becomes holds no script. Hypothesis generates the inputs (bounded:
200 examples a property); ``fuzz/fuzz_loader.py`` runs the loader property
for longer, by hand.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import NOW, REPO, incident, write_site
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sitegen.content.fields import CONTROL
from sitegen.content.frontmatter import LINE_BREAK, FrontMatterError, LineList, LineMap, parse_document, parse_yaml
from sitegen.content.loader import load_site
from sitegen.content.site import Site
from sitegen.errors import ContentError
from sitegen.views.api import render_api
from sitegen.views.cards import PreviewCards
from sitegen.views.feeds import render_feeds
from sitegen.views.markdown import MarkdownRenders
from sitegen.views.pages import incident_page
from sitegen.views.render import PageRenderer
from sitegen.views.theme import Theme

BOUNDED = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INCIDENT = "content/incidents/prop.md"
WRITEUP = "---\ntitle: A write-up\npublished: 2026-11-21T00:00:00Z\n---\nBody.\n"

# Pieces of valid (and nearly valid) front matter: hypothesis strings them together.
FRAGMENTS = [
    "---",
    "...",
    "title: API errors",
    "title: ",
    "title: 'quoted'",
    'title: "a\\u2028b"',
    "kind: maintenance",
    "kind: incident",
    "impact: major",
    "impact: none",
    "components:",
    "  api: major_outage",
    "  db: operational",
    "  api: broken",
    "  nope: major_outage",
    "started: 2026-11-20T09:00:00Z",
    "writeup: w",
    "writeup: [w, x]",
    "updates:",
    "updates: []",
    "  - at: 2026-11-20T10:00:00Z",
    "  - at: 2026-11-20T10:00",
    "    at: 2026-02-30",
    "    status: investigating",
    "    status: resolved",
    "    status: in_progress",
    "    status: completed",
    "    body: We are looking into it.",
    "    body: |",
    "      Fixed.",
    "    components:",
    "      api: degraded_performance",
    "scheduled_for: 2026-11-20T08:00:00Z",
    "scheduled_until: 2026-11-20T12:00:00Z",
    "extra:",
    "  ticket: OPS-1",
    "  a: &x [1, 2]",
    "  b: *x",
    "<<: *x",
    "? [a]",
    ": b",
    "!!binary aGk=",
    "!!python/object:os.system x",
    "!!float 1e999",
    "[[[[",
    "{a: {b: ",
    "]",
    "}",
    "\t",
    "- ",
    "  ",
    "#",
    "|",
    ">",
    "'",
    '"',
    "&",
    "*",
    "\ufeff",
    "\x85",
    "\u2028",
    "\x00",
    "\r",
    "\x0c",
    "é",
    "🚨",
]
SEPARATORS = ["\n", "\n", "\n", "\r\n", "\r", " ", ""]

fragment_text = st.lists(
    st.tuples(st.sampled_from(FRAGMENTS) | st.text(max_size=6), st.sampled_from(SEPARATORS)), max_size=30
).map(lambda parts: "".join(f + s for f, s in parts))
"""Text made of front matter pieces: most of it gets past the YAML parser and into the field checks."""

valid_prefix = "---\ntitle: API errors\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n"
near_valid_text = st.tuples(fragment_text, st.sampled_from(["---\n", "    body: x\n---\n", ""])).map(
    lambda parts: valid_prefix + parts[0] + "\n" + parts[1]
)
"""A valid incident's opening with a random tail: exercises the update and incident checks."""


@pytest.fixture(scope="module")
def site_dir():
    """One site reused by every example (hypothesis runs many examples in one test call)."""
    root = Path(tempfile.mkdtemp(prefix="sitegen-prop-"))
    write_site(root, {"content/writeups/w.md": WRITEUP})
    yield root
    shutil.rmtree(root, ignore_errors=True)


def loaded(site: Path, data: bytes) -> Site | ContentError:
    """Load the site with ``data`` as its one incident file; anything but a Site or ContentError propagates."""
    path = site / INCIDENT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    try:
        return load_site(site, now=NOW)
    except ContentError as exc:
        return exc


def line_count(data: bytes) -> int:
    """How many lines the file has, as an editor counts them (\\n, \\r\\n or \\r end a line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.count(b"\n") + 1
    return len(LINE_BREAK.findall(text)) + 1


def assert_loads_or_points_into_the_file(site: Path, data: bytes) -> None:
    result = loaded(site, data)
    if isinstance(result, Site):
        assert [i.slug for i in result.incidents] == ["prop"]
        return
    assert result.problems, "a ContentError must say what is wrong"
    for problem in result.problems:
        assert problem.path == site / INCIDENT, str(problem)
        assert 1 <= problem.line <= line_count(data) + 1, f"{problem} (file has {line_count(data)} lines)"
        assert problem.message.strip(), repr(problem)


@BOUNDED
@given(data=st.binary(max_size=2048))
@example(data=b"---\ntitle: x\n---\n\xff\xfe")
@example(data=b"\xef\xbb\xbf---\ntitle: x\x00\n---\n")
def test_any_bytes_load_or_give_located_problems(site_dir, data: bytes) -> None:
    assert_loads_or_points_into_the_file(site_dir, data)


@BOUNDED
@given(text=st.text(max_size=2048))
def test_any_text_loads_or_gives_located_problems(site_dir, text: str) -> None:
    assert_loads_or_points_into_the_file(site_dir, text.encode("utf-8"))


@BOUNDED
@given(text=fragment_text | near_valid_text)
@example(text="---\n" + "[" * 70 + "\n---\n")
@example(
    text="---\na: &a [1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\n"
    "f: [*e, *e, *e, *e, *e, *e, *e, *e]\n---\n"
)
def test_front_matter_fragments_load_or_give_located_problems(site_dir, text: str) -> None:
    assert_loads_or_points_into_the_file(site_dir, text.encode("utf-8"))


@BOUNDED
@given(
    title=st.text(min_size=1, max_size=200).filter(lambda t: t.strip() and not CONTROL.search(t)), unicode=st.booleans()
)
def test_a_title_written_by_a_yaml_dumper_loads_back_unchanged(site_dir, title: str, unicode: bool) -> None:
    """Whatever the title, a correctly quoted one is read back exactly: a check that the loader loses nothing."""
    quoted = yaml.safe_dump(title, allow_unicode=unicode, default_style='"', width=10**6).strip()
    if quoted.endswith("\n..."):
        quoted = quoted[: -len("\n...")]
    text = f"---\ntitle: {quoted}\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: resolved\n    body: ok\n---\n"
    result = loaded(site_dir, text.encode("utf-8"))
    assert isinstance(result, Site), str(result)
    assert result.incidents[0].title == title


XML_REFUSED = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ufffe\uffff"
"""Characters the loader refuses (sitegen.content.fields.CONTROL): kept out here so that every example loads."""
_THEME = Theme.for_site(Path(tempfile.gettempdir()), "default")
_ENVIRONMENT, _LOOK = _THEME.environment(), _THEME.fingerprint()
SHARED_THEME = SimpleNamespace(environment=lambda markdown=None: _ENVIRONMENT, fingerprint=lambda: _LOOK)
"""A theme whose templates are compiled once; PageRenderer sets the site in its globals each time."""
xml_text = st.text(alphabet=st.characters(blacklist_characters=XML_REFUSED, blacklist_categories=("Cs",)))


@BOUNDED
@given(
    title=xml_text.filter(lambda t: t.strip()).map(lambda t: t[:120]),
    body=xml_text.map(lambda t: t[:600]) | fragment_text.map(lambda t: "".join(c for c in t if c not in XML_REFUSED)),
    component=st.sampled_from(["api", "db", "web"]),
)
def test_a_site_that_loads_renders(site_dir, title: str, body: str, component: str) -> None:
    """Everything the loader accepts renders: the incident's page, the feeds and the API, in memory.

    Only the incident's page, and with one Jinja environment for all examples: compiling the
    templates and rendering the front page's day bars take too long to repeat 200 times.
    """
    quoted = yaml.safe_dump(title, allow_unicode=True, default_style='"', width=10**6).strip()
    text = (
        f"---\ntitle: {quoted.removesuffix(chr(10) + '...')}\ncomponents:\n  {component}: major_outage\n"
        f"updates:\n  - at: 2026-11-20T10:00:00Z\n    status: investigating\n    body: {quoted}\n---\n{body}"
    )
    result = loaded(site_dir, text.encode("utf-8"))
    assert isinstance(result, Site), str(result)
    page = PageRenderer(result, SHARED_THEME).render(incident_page(result, result.incidents[0], PreviewCards(result)))
    assert b"<h1>" in page
    assert "history.atom" in render_feeds(result) and "api/v2/summary.json" in render_api(result)


# ---- the parsers directly ----------------------------------------------------


def lines_in(text: str, first_line: int) -> int:
    return first_line + len(LINE_BREAK.findall(text))


def assert_located(value, low: int, high: int) -> None:
    """Every mapping and list of a parsed value carries lines inside the text."""
    if isinstance(value, LineMap):
        assert low <= value.line <= high
        assert all(low <= line <= high for line in value.key_lines.values())
        for item in value.values():
            assert_located(item, low, high)
    elif isinstance(value, LineList):
        assert low <= value.line <= high and len(value.item_lines) == len(value)
        assert all(low <= line <= high for line in value.item_lines)
        for item in value:
            assert_located(item, low, high)


@BOUNDED
@given(text=st.text(max_size=1024) | fragment_text | near_valid_text)
def test_parse_document_gives_a_document_or_a_front_matter_error(text: str) -> None:
    try:
        document = parse_document(text)
    except FrontMatterError as exc:
        assert 1 <= exc.line <= lines_in(text, 1) + 1, (exc.line, exc.message)
        assert exc.message.strip()
        return
    assert isinstance(document.meta, LineMap)
    assert isinstance(document.body, str)
    assert_located(document.meta, 1, lines_in(text, 1) + 1)


@BOUNDED
@given(text=st.text(max_size=1024) | fragment_text, first_line=st.integers(min_value=1, max_value=50))
def test_parse_yaml_gives_values_or_a_front_matter_error(text: str, first_line: int) -> None:
    try:
        value = parse_yaml(text, first_line=first_line)
    except FrontMatterError as exc:
        assert first_line <= exc.line <= lines_in(text, first_line) + 1, (exc.line, exc.message)
        return
    assert_located(value, first_line, lines_in(text, first_line) + 1)


# ---- regressions: crashes and misplaced lines these properties found ------------

RECURSIVE_ALIASES = [
    pytest.param("---\na: &a [*a]\n---\n", id="list-containing-itself"),
    pytest.param("---\na: &a {b: *a}\n---\n", id="mapping-containing-itself"),
    pytest.param("---\ntitle: x\nextra: &e\n  self: *e\n---\n", id="extra-containing-itself"),
]


@pytest.mark.parametrize("text", RECURSIVE_ALIASES)
def test_an_alias_to_its_own_anchor_is_a_located_problem(site_dir, text: str) -> None:
    """Found by these properties: the builder followed the alias forever and died with RecursionError."""
    result = loaded(site_dir, text.encode("utf-8"))
    assert isinstance(result, ContentError)
    assert_loads_or_points_into_the_file(site_dir, text.encode("utf-8"))


def test_a_control_character_is_reported_on_its_own_line_in_one_line(site_dir) -> None:
    """Found by these properties: libyaml's reader error was put on line 2 with a two-line message."""
    text = "---\ntitle: API errors\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    body: a\x08b\n---\n"
    result = loaded(site_dir, text.encode("utf-8"))
    assert isinstance(result, ContentError)
    (problem,) = result.problems
    assert (problem.line, "\n" in problem.message) == (5, False), str(problem)


EDITOR_LINE_CASES = [
    pytest.param("---\ntitle: x\n" + "\x1c" * 5 + "\nbad: [\n---\n", 3, id="file-separators"),
    pytest.param("---\ntitle: x\n# \x0c\x0c\x0c\x0c\nbad: [\n---\n", 3, id="form-feeds"),
    pytest.param("---\ntitle: x\x0c---\x0cbody\n", 2, id="form-feed-refused-on-its-line"),
]


@pytest.mark.parametrize("text, line", EDITOR_LINE_CASES)
def test_error_lines_count_only_the_line_breaks_an_editor_shows(site_dir, text: str, line: int) -> None:
    """An editor ends lines at \\n, \\r\\n and \\r only: the first error names the line it shows.

    Found by these properties: lines were split with str.splitlines(), which also breaks on form
    feeds, \\x1c-\\x1e, NEL, U+2028 and U+2029, so later lines were misnumbered.
    """
    result = loaded(site_dir, text.encode("utf-8"))
    assert isinstance(result, ContentError)
    assert result.problems[0].line == line, [str(p) for p in result.problems]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_yaml_errors_after_unicode_line_separators_name_the_editor_line(site_dir, separator: str) -> None:
    text = f"---\n# note{separator}more{separator}more\nbad: [\n---\n"
    result = loaded(site_dir, text.encode("utf-8"))
    assert isinstance(result, ContentError)
    assert [p.line for p in result.problems] == [3], [str(p) for p in result.problems]


# ---- Markdown ------------------------------------------------------------------

MARKDOWN_PIECES = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/x.js>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<a href='javascript:alert(1)'>",
    "[x](",
    "](",
    ")",
    "![x](",
    "<",
    ">",
    "[r]: ",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:",
    "jav&#x09;ascript:",
    "&#106;avascript:",
    "&#x6A;avascript:",
    "&#0000106avascript:",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    " javascript:",
    "\x01javascript:",
    "javascript&colon;alert(1)",
    "java\nscript:",
    "<javascript:alert(1)>",
    "`",
    "```",
    "\n",
    "\n\n",
    "    ",
    "\t",
    "*",
    "_",
    "|",
    "---",
    "&",
    "&amp;",
    "\\",
    '"',
    "'",
    "onclick=",
    "http://example.com",
    "mailto:a@example.com",
    "{{ 7*7 }}",
]
markdown_text = st.text(max_size=300) | st.lists(
    st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=4), max_size=25
).map("".join)

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "cite", "data"}
SAFE_SCHEMES = {"http", "https", "mailto"}


def url_scheme(value: str) -> str:
    """The scheme a browser would see: C0 controls and spaces trimmed, tabs and newlines removed anywhere."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


class _Elements(HTMLParser):
    """Start tags and their attributes (values already entity-decoded by HTMLParser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def script_problems(html: str) -> list[str]:
    """What in ``html`` could run script: script elements, event handlers, dangerous link schemes."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    found = []
    if "<script" in html.lower():
        found.append("'<script' in the markup")
    for tag, attrs in parser.tags:
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "base", "form", "meta", "link"):
            found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and value is not None and url_scheme(value) not in ("", *SAFE_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>x</script></p>",
        '<img src=x onerror="a()">',
        '<a href="jav&#x09;ascript:x">',
        '<a href=" JAVASCRIPT:x">',
    ],
)
def test_the_script_check_can_fail(html: str) -> None:
    assert script_problems(html)


@BOUNDED
@given(text=markdown_text)
@example(text="[x](jav&#x09;ascript:alert(1))")
@example(text="[x](&#106;avascript:alert(1))")
@example(text="[x]: javascript:alert(1)\n\n[x]")
@example(text="<javascript:alert(1)>")
def test_rendered_markdown_never_holds_script(text: str) -> None:
    html = str(MarkdownRenders().render(text))
    assert script_problems(html) == [], html


def test_the_fuzz_target_runs_on_an_incident_and_on_garbage(tmp_path) -> None:
    """CI fuzzes the loader with ``fuzz/fuzz_loader.py``: its target must keep working as the code under it
    changes, or CI fails where the suite passed (replaying files runs the target once on each)."""
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(incident(extra="components:\n  api: major_outage\n"), encoding="utf-8")  # the target site's ids
    bad.write_bytes(b"---\ntitle: [unclosed\n")
    result = subprocess.run(
        [sys.executable, str(REPO / "fuzz/fuzz_loader.py"), "--fallback", str(good), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{good}: site", f"{bad}: error"]
