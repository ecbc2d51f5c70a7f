"""Untrusted content never becomes script in a page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import NOW, incident
from test_xss_outputs import without_own_scripts

from sitegen.build import build_site

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '"><script>alert(1)</script>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "<iframe src=//evil.example></iframe>",
    "<style>body{display:none}</style>",
]


def assert_inert(html: str) -> None:
    soup = BeautifulSoup(without_own_scripts(html), "html.parser")
    assert not soup.find_all(["script", "iframe", "style", "object", "embed", "foreignobject"])
    # The only SVG is the metrics page's charts, drawn by sitegen.views.charts: content never adds one.
    for svg in soup.find_all("svg"):
        assert svg.get("class") == ["chart__svg"] and svg.find_parent("figure", class_="chart"), "an <svg> from content"
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), f"event handler on <{tag.name}>"
            if name in ("href", "src"):
                scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto"), f"{name}={value!r}"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_body_summary_title_and_writeup_is_inert(make_site, tmp_path, payload: str) -> None:
    quoted = payload.replace("'", "''")
    updates = f"""\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: '{quoted}'
"""
    files = {
        "content/incidents/a.md": incident(f"'{quoted}'", updates=updates, body=payload, extra="writeup: w\n"),
        "content/writeups/w.md": f"---\ntitle: '{quoted}'\npublished: 2026-11-21T00:00:00Z\n---\n{payload}\n",
    }
    config = f"[site]\ntitle = '''{payload}'''\nbase_url = \"https://x.example/\"\nfooter = '''{payload}'''\n"
    config += f"[[components]]\nid = \"api\"\nname = '''{payload}'''\ndescription = '''{payload}'''\n"
    site = make_site(files, config=config)
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    for page in out.rglob("*.html"):
        assert_inert(page.read_text(encoding="utf-8"))


def test_markdown_still_renders_tables_code_lists_and_links(make_site, tmp_path) -> None:
    body = """\
| Region | Errors |
|--------|--------|
| us     | 80%    |

```
retry --all
```

- one
- two

See [the guide](https://example.com/guide) and **this**.
"""
    site = make_site({"content/incidents/a.md": incident(body=body)})
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    soup = BeautifulSoup((out / "incidents/a/index.html").read_text(), "html.parser")
    prose = soup.select_one(".prose")
    assert prose.find("table") and prose.find("pre") and len(prose.find_all("li")) == 2
    assert prose.find("a", href="https://example.com/guide")
    assert prose.find("strong").get_text() == "this"
