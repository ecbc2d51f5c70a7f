"""Script injection, checked in every output file: pages, feeds, the JSON API and anything else built.

One site carries filter-evasion payloads (after OWASP's XSS filter evasion
cheat sheet) in every field a user writes: titles, summaries, update bodies,
component names, descriptions and groups, the site's title, description and
footer, write-ups, and ``extra:`` values (shown by a small theme, as a site's
theme would show them). Every file of the built site is then read back by
the parser its consumers use, and must hold nothing that runs:

- pages: no script element, no event handler attribute, no link or source
  with a scheme other than http(s) or mailto once entities are decoded, no
  template expression evaluated, and the ``default-src 'none'`` CSP first;
- feeds: well-formed, no markup element from the payloads in the XML, and
  the HTML inside entries passes the page checks;
- the API: valid JSON whose strings are the raw text, unchanged;
- any SVG file: no script, no event handlers; any iCalendar file: no
  property injected through a line break (and, reported separately, no
  markup in its text for clients that would show it as HTML).

A file type without a check here fails the suite, so a new output gets one.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import NOW, REPO, write_site
from PIL import Image

from sitegen.build import build_site
from sitegen.errors import ContentError
from sitegen.output import urls

PAYLOADS = [
    "<script>alert(1)</script>",
    "<ScRiPt SRC=//evil.example/x.js></ScRiPt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "java\nscript:alert(1)",
    "java\tscript:alert(1)",
    "javascript&colon;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:alert(1)//>",
    "]]><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\u2028<script>alert(1)</script>\u2029",
    "tpl{{ 7*7 }}end",
    "tpl{{ config.title }}end",
    "tpl${7*7}end",
    "tpl{% if true %}yes{% endif %}end",
]
TEMPLATE_RESULTS = ["tpl49end", "tplyesend"]
"""What the template payloads would become if anything evaluated them."""

# ---- the site ----------------------------------------------------------------

EXTRA_THEME = {
    # Shows extra: values in text and in attributes, as a site's theme would.
    "themes/xss/templates/incident.html": """\
        {% extends "default/incident.html" %}
        {% block content %}{{ super() }}
        <dl class="extra">{% for key, value in incident.extra.items() %}<dt title="{{ key }}">{{ key }}</dt><dd data-x="{{ value }}">{{ value }}</dd>{% endfor %}</dl>
        {% endblock %}
        """,
    "themes/xss/templates/writeup.html": """\
        {% extends "default/writeup.html" %}
        {% block content %}{{ super() }}
        <p class="extra" title="{{ writeup.extra.note }}">{{ writeup.extra.note }}</p>
        {% endblock %}
        """,
}


def q(text: str) -> str:
    """A YAML or TOML double-quoted string holding exactly ``text`` (JSON's escapes are valid in both)."""
    return json.dumps(text, ensure_ascii=True)


def markdown_uses(payload: str) -> str:
    """The payload as Markdown text, link, image, autolink and reference link."""
    return f"{payload}\n\n[link]({payload}) ![image]({payload}) <{payload}> [ref]\n\n[ref]: {payload}\n"


UNGROUPED = 4
"""Payloads also used as the name of a component outside any group."""


def site_files() -> tuple[str, dict[str, str]]:
    config = [
        "[site]",
        f"title = {q(' '.join(PAYLOADS))}",
        'base_url = "https://example.github.io/status/"',
        'timezone = "UTC"',
        'theme = "xss"',
        f"description = {q(' '.join(PAYLOADS))}",
        f"footer = {q(''.join(markdown_uses(p) for p in PAYLOADS))}",
    ]
    files: dict[str, str] = dict(EXTRA_THEME)
    for n, payload in enumerate(PAYLOADS):
        config += [
            "[[components]]",
            f'id = "c{n}"',
            f"name = {q(payload)}",
            f"group = {q(payload)}",
            f"description = {q(payload)}",
        ]
        if n < UNGROUPED:
            config += ["[[components]]", f'id = "u{n}"', f"name = {q(payload + ' (ungrouped)')}"]
        extra = {"note": payload, "nested": {"deep": payload}, "list": [payload]}
        if payload.isprintable():  # a key with a line break or tab is refused at load (see test_hostile_content)
            extra[payload] = payload
        files[f"content/incidents/i{n:02}.md"] = "\n".join(
            [
                "---",
                f"title: {q(payload)}",
                "components:",
                f"  c{n}: major_outage",
                f"writeup: w{n:02}",
                f"extra: {json.dumps(extra)}",
                "updates:",
                "  - at: 2026-11-20T10:00:00Z",
                "    status: investigating",
                f"    body: {q(markdown_uses(payload))}",
                "    components:",
                f"      {'u' if n < UNGROUPED else 'c'}{n}: partial_outage",
                "  - at: 2026-11-20T11:00:00Z",
                "    status: resolved",
                f"    body: {q(payload)}",
                "---",
                markdown_uses(payload),
            ]
        )
        files[f"content/writeups/w{n:02}.md"] = "\n".join(
            [
                "---",
                f"title: {q(payload)}",
                "published: 2026-11-22T00:00:00Z",
                f"extra: {{note: {q(payload)}}}",
                "---",
                markdown_uses(payload),
            ]
        )
    # Something current on the front page and in the summary: an ongoing incident and a maintenance in progress.
    files["content/incidents/ongoing.md"] = "\n".join(
        [
            "---",
            f"title: {q(PAYLOADS[0])}",
            "components:",
            "  c1: major_outage",
            "updates:",
            "  - at: 2026-11-28T10:00:00Z",
            "    status: investigating",
            f"    body: {q(markdown_uses(PAYLOADS[2]))}",
            "---",
            markdown_uses(PAYLOADS[3]),
        ]
    )
    files["content/incidents/maintenance.md"] = "\n".join(
        [
            "---",
            f"title: {q(PAYLOADS[4])}",
            "kind: maintenance",
            "scheduled_for: 2026-11-28T11:00:00Z",
            "scheduled_until: 2026-11-28T14:00:00Z",
            "components:",
            "  c2: under_maintenance",
            "updates:",
            "  - at: 2026-11-27T10:00:00Z",
            "    status: scheduled",
            f"    body: {q(markdown_uses(PAYLOADS[5]))}",
            "---",
            markdown_uses(PAYLOADS[6]),
        ]
    )
    return "\n".join(config) + "\n", {name: textwrap.dedent(text) for name, text in files.items()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    config, files = site_files()
    site = write_site(tmp_path_factory.mktemp("xss") / "site", files, config=config)
    out = site.parent / "public"
    build_site(site, out, now=NOW)
    return out


# ---- checks ------------------------------------------------------------------

ACTIVE_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "form",
    "foreignobject",
    "portal",
    "noscript",
    "template",
}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "data",
    "srcset",
    "ping",
    "manifest",
    "icon",
    "codebase",
    "longdesc",
    "lowsrc",
    "dynsrc",
}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


def url_scheme(value: str) -> str:
    """The scheme a browser would see: C0 controls and spaces trimmed, tabs and newlines removed anywhere."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


class _Tags(HTMLParser):
    """Start tags with their attributes, values entity-decoded as a browser decodes them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.pairs: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.pairs += [(tag, name, value) for name, value in attrs]

    handle_startendtag = handle_starttag


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


OWN_SCRIPT_TAG = re.compile(r'<script src="(?:\.\./)*assets/([a-z-]+\.js)" defer(?: data-[a-z-]+="[^"<>]*")*></script>')
"""A script of the theme's own, as the templates load it: a file of the site's assets, with data and nothing else."""


def without_own_scripts(html: str) -> str:
    """The page without the tags loading the theme's own scripts (whose bytes are checked as files of their own)."""
    own = {path.name for path in (REPO / "themes" / "default" / "static").glob("*.js")}
    return OWN_SCRIPT_TAG.sub(lambda tag: "" if tag.group(1) in own else tag.group(0), html)


def html_problems(html: str, parser: _Tags | None = None) -> list[str]:
    """Whatever in an HTML document or fragment could run script."""
    parser = parser or parse(html)
    found = []
    if re.search(r"<\s*script", html, re.IGNORECASE):
        found.append("'<script' in the markup")
    for tag, name, value in parser.pairs:
        if name.startswith("on"):
            found.append(f"event handler <{tag} {name}={value!r}>")
        if name in URL_ATTRIBUTES and value is not None:
            for url in value.split(",") if name == "srcset" else [value]:
                if url_scheme(url.strip()) not in SAFE_SCHEMES:
                    found.append(f"<{tag} {name}={value!r}>")
        if name == "style" and value and re.search(r"javascript:|expression\(|url\(", value, re.IGNORECASE):
            found.append(f"<{tag} style={value!r}>")
    for tag, attrs in parser.tags:
        if tag in ACTIVE_ELEMENTS:
            found.append(f"<{tag}> element")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
    found += [f"template evaluated: {r!r}" for r in TEMPLATE_RESULTS if r in html]
    return found


def csp_problems(html: str, parser: _Tags | None = None) -> list[str]:
    """The page's policy must forbid all script, and come before anything the content put in the page."""
    parser = parser or parse(html)
    names = [tag for tag, _ in parser.tags]
    policies = [
        a.get("content") or ""
        for t, a in parser.tags
        if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    if len(policies) != 1:
        return [f"{len(policies)} CSP meta tags, not 1"]
    directives = {d.split()[0].lower(): d.split()[1:] for d in policies[0].split(";") if d.strip()}
    found = []
    if directives.get("default-src") != ["'none'"]:
        found.append(f"default-src is {directives.get('default-src')}, not 'none'")
    script = directives.get("script-src", directives.get("default-src", []))
    if any(s.lower() in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:", "http:") for s in script):
        found.append(f"script-src allows {script}")
    first_csp = next(i for i, (t, a) in enumerate(parser.tags) if t == "meta" and "http-equiv" in a)
    if "title" in names and names.index("title") < first_csp:
        found.append("the CSP comes after the <title>, which holds content")
    return found


ATOM = "{http://www.w3.org/2005/Atom}"


def feed_problems(data: bytes) -> list[str]:
    found = []
    parsed = feedparser.parse(data)
    if parsed.bozo:
        found.append(f"not well-formed: {parsed.bozo_exception}")
    if re.search(rb"<\s*script", data, re.IGNORECASE):
        found.append("'<script' unescaped in the XML")
    root = ET.fromstring(data)
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        if local in ACTIVE_ELEMENTS | {"img", "svg", "a", "math", "meta", "body"}:
            found.append(f"markup element <{local}> in the XML")
        found += [f"<{local} {name}>" for name in element.attrib if name.lower().startswith("on")]
        if "href" in element.attrib and url_scheme(element.attrib["href"]) not in ("http", "https"):
            found.append(f"<{local} href={element.attrib['href']!r}>")
        if element.get("type") == "html" and element.text:  # Atom: text constructs declared as HTML
            found += [f"in <{local}>: {p}" for p in html_problems(element.text)]
        if element.get("type") == "xhtml":
            found.append(f"<{local} type=xhtml> would carry markup as XML")
    for item in root.iter("item"):  # RSS: an item's description (and content:encoded) is HTML by convention
        for element in (item.find("description"), item.find("{http://purl.org/rss/1.0/modules/content/}encoded")):
            if element is not None and element.text:
                found += [f"in an item's <{element.tag}>: {p}" for p in html_problems(element.text)]
    found += [f"template evaluated: {r!r}" for r in TEMPLATE_RESULTS if r.encode() in data]
    return found


def svg_problems(data: bytes) -> list[str]:
    found = ["'<script' in the SVG"] if re.search(rb"<\s*script", data, re.IGNORECASE) else []
    for element in ET.fromstring(data).iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        if local in ACTIVE_ELEMENTS:
            found.append(f"<{local}> in the SVG")
        for name, value in element.attrib.items():
            short = name.rsplit("}", 1)[-1].lower()
            if short.startswith("on"):
                found.append(f"event handler {short} on <{local}>")
            if short == "href" and url_scheme(value) not in SAFE_SCHEMES:
                found.append(f"<{local} href={value!r}>")
    return found


def ics_lines(data: bytes) -> list[str]:
    """The calendar's content lines, unfolded (RFC 5545 3.1)."""
    return re.sub(r"\r\n[ \t]", "", data.decode("utf-8")).split("\r\n")


def ics_problems(data: bytes) -> list[str]:
    """iCalendar: every (unfolded) line a property, so that no text can inject one through a line break."""
    found = []
    for line in ics_lines(data):
        if "\n" in line or "\r" in line:
            found.append(f"bare line break in {line[:60]!r}")
        elif line and not re.match(r"^[A-Z][A-Z0-9-]*(;[^:\r\n]*)?:", line):
            found.append(f"not a property line (injected through a line break?): {line[:60]!r}")
    return found


def json_problems(data: bytes) -> list[str]:
    try:
        json.loads(data)
    except ValueError as exc:
        return [f"not valid JSON: {exc}"]
    return []


# ---- the checks can fail -------------------------------------------------------


@pytest.mark.parametrize(
    "check, bad",
    [
        (html_problems, "<p><script>alert(1)</script></p>"),
        (html_problems, '<img src=x onerror="alert(1)">'),
        (html_problems, '<a href="jav&#x09;ascript:alert(1)">x</a>'),
        (html_problems, '<a href="&#106;avascript:alert(1)">x</a>'),
        (html_problems, '<a href=" data:text/html,x">x</a>'),
        (html_problems, "<p>tpl49end</p>"),
        (
            csp_problems,
            "<head><meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
            "script-src 'unsafe-inline'\"><title>x</title></head>",
        ),
        (csp_problems, "<head><title>x</title></head>"),
        (
            feed_problems,
            b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><content type='html'>"
            b"&lt;script&gt;x&lt;/script&gt;</content></entry></feed>",
        ),
        (
            feed_problems,
            b"<rss version='2.0'><channel><item><description><![CDATA[<img src=x onerror=a()>]]>"
            b"</description></item></channel></rss>",
        ),
        (svg_problems, b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        (svg_problems, b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        (ics_problems, b"BEGIN:VCALENDAR\r\nSUMMARY:java\r\nscript:alert(1)\r\nEND:VCALENDAR\r\n"),
        (ics_problems, b"BEGIN:VCALENDAR\r\nSUMMARY:a\nb\r\nEND:VCALENDAR\r\n"),
        (json_problems, b'{"a": "<script>",}'),
    ],
)
def test_each_check_catches_what_it_is_for(check, bad) -> None:
    assert check(bad)


# ---- every output file ---------------------------------------------------------


def test_the_payloads_reached_every_kind_of_output(built) -> None:
    """A check that the checks below see the payloads at all, unescaped where the consumer reads them."""
    soup = BeautifulSoup((built / "incidents/i00/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("h1").get_text() == PAYLOADS[0]
    assert any(dd.get("data-x") == PAYLOADS[0] for dd in soup.find_all("dd"))
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "tpl{{ 7*7 }}end" in index and "tpl{{ config.title }}end" in index
    entries = {e.title for e in feedparser.parse((built / "history.atom").read_bytes()).entries}
    assert {p.strip() for p in PAYLOADS} <= entries  # feedparser trims a title's outer whitespace
    names = {c["name"] for c in json.loads((built / "api/v2/components.json").read_text())["components"]}
    assert set(PAYLOADS) <= names


def file_problems(path: str, data: bytes) -> list[str]:
    """The problems of one output file, by the parser its consumers use."""
    suffix = Path(path).suffix
    if suffix == ".html":
        html = without_own_scripts(data.decode("utf-8"))
        parsed = parse(html)
        return html_problems(html, parsed) + csp_problems(html, parsed)
    if suffix in (".atom", ".rss", ".xml"):
        return feed_problems(data)
    if suffix == ".json" or path == "api/v1/summary":  # incident.io's widget path has no suffix
        return json_problems(data)
    if suffix == ".svg":
        return svg_problems(data)
    if suffix == ".ics":
        return ics_problems(data)
    if suffix == ".csv":
        return csv_problems(data)
    if suffix == ".png":
        return png_problems(data)
    if suffix == ".txt":  # llms.txt, Markdown: the settings' text escaped, so that no renderer makes markup of it
        return [f"markup in a text file: {p!r}" for p in PAYLOADS if "<" in p and p.encode() in data]
    if suffix == ".js" and path == urls.embed_script():  # the widget: made from the catalogues, never from content
        return [f"content in a script: {p!r}" for p in PAYLOADS if p.encode() in data]
    if suffix == ".js":  # any other script is one of the theme's own, as it is
        own = REPO / "themes" / "default" / "static" / Path(path).name
        return [] if own.is_file() and own.read_bytes() == data else ["a script that is not one of the theme's own"]
    if suffix == ".css" or path == ".sitegen-output":
        return [f"content in a theme file: {p!r}" for p in PAYLOADS if "<" in p and p.encode() in data]
    return [f"no script check for {suffix or 'these'} files: add one to tests/test_xss_outputs.py"]


def csv_problems(data: bytes) -> list[str]:
    """CSV is opened in spreadsheets, which run a cell starting with '=', '+', '-' or '@' as a formula."""
    rows = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    return [
        f"a cell a spreadsheet would run: {cell!r}" for row in rows for cell in row if cell and cell[0] in "=+-@\t\r"
    ]


def png_problems(data: bytes) -> list[str]:
    """A card's texts are pixels: the PNG must be an image and nothing more, with no text chunk a viewer shows."""
    with Image.open(io.BytesIO(data)) as image:
        image.verify()
        return [f"a text chunk in a PNG: {key!r}" for key in image.info if key not in ("dpi", "gamma")]


def test_no_output_file_holds_script(built) -> None:
    files = sorted(p for p in built.rglob("*") if p.is_file())
    assert len(files) > 2 * len(PAYLOADS), "the site was not built in full"
    problems = {}
    for file in files:
        path = file.relative_to(built).as_posix()
        if found := file_problems(path, file.read_bytes()):
            problems[path] = found[:5]
    assert problems == {}, f"{len(problems)} of {len(files)} files: {dict(list(problems.items())[:10])}"


def test_an_unknown_kind_of_output_fails(tmp_path) -> None:
    assert file_problems("calendar.vcf", b"BEGIN:VCARD")


def test_api_strings_are_the_raw_text(built) -> None:
    """JSON is not HTML: the API gives clients exactly what was written, escaped only as JSON."""
    summary = json.loads((built / "api/v2/summary.json").read_text(encoding="utf-8"))
    assert summary["page"]["name"] == " ".join(PAYLOADS)
    components = {c["name"]: c for c in summary["components"] if not c["group"]}
    groups = {c["name"] for c in summary["components"] if c["group"]}
    for payload in PAYLOADS:
        assert components[payload]["description"] == payload
        assert payload in groups
    incidents = json.loads((built / "api/v2/incidents.json").read_text(encoding="utf-8"))["incidents"]
    by_slug = {i["shortlink"].rstrip("/").rsplit("/", 1)[-1]: i for i in incidents}
    for n, payload in enumerate(PAYLOADS):
        incident = by_slug[f"i{n:02}"]
        assert incident["name"] == payload
        bodies = {u["status"]: u["body"] for u in incident["incident_updates"]}
        assert bodies == {"investigating": markdown_uses(payload).strip(), "resolved": payload.strip()}
        affected = [a["name"] for a in incident["incident_updates"][-1]["affected_components"]]
        grouped = f"{payload} - {payload}"  # Statuspage's "<group> - <component>"
        assert affected == ([grouped, f"{payload} (ungrouped)"] if n < UNGROUPED else [grouped])


def test_feed_text_is_the_raw_text(built) -> None:
    """Feed titles are text constructs: a reader shows the payload as written, never as markup."""
    feed = feedparser.parse((built / "history.atom").read_bytes(), sanitize_html=False)
    assert feed.feed.title == " ".join(PAYLOADS)
    root = ET.fromstring((built / "history.atom").read_bytes())
    types = {e.get("type") for e in root.iter(f"{ATOM}title")}
    assert types <= {None, "text"}, types


@pytest.mark.parametrize(
    "where, text",
    [
        ("body", "Log: \x1b[31mERROR\x1b[0m upstream timeout"),
        ("title", "\x01javascript:alert(1)"),
    ],
)
def test_a_control_character_in_content_is_a_located_error(tmp_path, where: str, text: str) -> None:
    """Terminal colour codes pasted into a body would crash the feeds (XML refuses them): refused at load."""
    title, body = (q(text), "") if where == "title" else ("API errors", text)
    page = (
        f"---\ntitle: {title}\nupdates:\n  - at: 2026-11-20T10:00:00Z\n    status: resolved\n"
        f"    body: Fixed.\n---\n{body}\n"
    )
    site = write_site(tmp_path / "site", {"content/incidents/a.md": page})
    with pytest.raises(ContentError) as caught:
        build_site(site, tmp_path / "out", now=NOW)
    (problem,) = caught.value.problems
    assert problem.path.name == "a.md" and problem.line == (2 if where == "title" else 8)
    assert "control character" in problem.message
    assert not (tmp_path / "out").exists()


def test_a_script_tag_that_is_not_the_themes_own_fails() -> None:
    page = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'\">%s"
    assert not file_problems("index.html", (page % '<script src="assets/tips.js" defer></script>').encode())
    for other in ('<script src="assets/evil.js" defer></script>', '<script src="//evil.example/tips.js" defer></script>',
                  '<script src="assets/tips.js" defer>alert(1)</script>', '<script>alert(1)</script>',
                  '<script src="assets/tips.js" defer onload="alert(1)"></script>'):  # fmt: skip
        assert file_problems("index.html", (page % other).encode()), other


def test_a_script_that_is_not_the_themes_own_fails() -> None:
    assert file_problems("assets/keep-time.js", b"alert(1)")
    assert not file_problems("assets/keep-time.js", (REPO / "themes/default/static/keep-time.js").read_bytes())
