"""Floors: the least any Python build of a site's files costs, to measure sitegen's builds against.

    python benchmarks/floors.py pages SITE OUT   # a page per incident, nothing else
    python benchmarks/floors.py full SITE OUT    # every kind of output a status site needs, once each

Each floor is one process doing only the unavoidable work with the libraries
sitegen uses, in the plainest way: no validation, no cache, no theme, no
worker processes. ``bench_build.py`` runs both as whole processes, as it
runs a build.

pages  reads each incident file, parses its YAML (libyaml), renders its
       Markdown and one plain page (Jinja, no sandbox) and writes it
full   reads every file (incidents and write-ups), parses the YAML (libyaml),
       renders each Markdown body once (markdown-it-py, sitegen's rules) and
       writes one plain Jinja page per incident and per write-up, the history
       list pages and each component's list pages (PAGE_SIZE a page), a JSON
       document per incident (orjson), and the Atom feeds (feedgen): the
       site's newest FEED_ENTRIES incidents and as many per component
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

PAGE_SIZE = 50
FEED_ENTRIES = 50
LIST_PAGE = (
    "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1><ul>"
    "{% for i in items %}<li><a href='../../incidents/{{ i.slug }}/'>{{ i.title }}</a> {{ i.started }}</li>"
    "{% endfor %}</ul>{% if more %}<a href='../{{ page + 1 }}/'>older</a>{% endif %}</body></html>"
)
INCIDENT_PAGE = (
    "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ summary }}"
    "<ul>{% for c, s in components.items() %}<li>{{ c }}: {{ s }}</li>{% endfor %}</ul>"
    "<ol>{% for u in updates %}<li>{{ u.at }} {{ u.status }} {{ u.html }}</li>{% endfor %}</ol>"
    "{% if writeup %}<a href='../../writeups/{{ writeup }}/'>write-up</a>{% endif %}</body></html>"
)
WRITEUP_PAGE = (
    "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ body }}</body></html>"  # noqa: E501
)


def pages(site: str, out: str) -> None:
    """The pages-only floor: per incident, read, YAML, Markdown, one plain page, one file."""
    import jinja2
    import yaml
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    md = MarkdownIt("commonmark", {"html": False})
    page = jinja2.Environment(autoescape=True).from_string(
        "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{ summary }}"
        "<ol>{% for u in updates %}<li>{{ u.at }} {{ u.status }} {{ u.body }}</li>{% endfor %}</ol></body></html>"
    )
    folder = os.path.join(site, "content", "incidents")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as file:
            _, front, body = file.read().split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        updates = [{**update, "body": Markup(md.render(update["body"]))} for update in meta["updates"]]
        html = page.render(title=meta["title"], summary=Markup(md.render(body)), updates=updates)
        target = os.path.join(out, "incident", name[:-3])
        os.makedirs(target)
        with open(os.path.join(target, "index.html"), "w", encoding="utf-8") as file:
            file.write(html)


def full(site: str, out: str) -> None:
    """The full-site floor: every file read and rendered once into pages, lists, JSON documents and feeds."""
    import tomllib

    import jinja2
    import orjson
    import yaml
    from markdown_it import MarkdownIt
    from markupsafe import Markup

    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    settings = tomllib.loads(Path(site, "sitegen.toml").read_text(encoding="utf-8"))
    environment = jinja2.Environment(autoescape=True)
    incident_page, writeup_page, list_page = map(environment.from_string, (INCIDENT_PAGE, WRITEUP_PAGE, LIST_PAGE))

    def read(folder: str) -> list[tuple[str, dict[str, Any], str]]:
        """Each file of content/``folder`` (a site may have no write-ups) as its slug, front matter and body."""
        found = []
        for path in sorted(Path(site, "content", folder).glob("*.md")):
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            found.append((path.stem, yaml.load(front, Loader=yaml.CSafeLoader), body))
        return found

    incidents = []
    for slug, meta, body in read("incidents"):
        updates = [{**u, "html": Markup(md.render(u["body"]))} for u in meta["updates"]]
        started = min(u["at"] for u in updates)
        incidents.append({**meta, "slug": slug, "summary": Markup(md.render(body)), "updates": updates,
                          "started": started, "components": meta.get("components") or {}})  # fmt: skip
        write(out, f"incidents/{slug}/index.html", incident_page.render(incidents[-1]))
        document = {"id": slug, "name": meta["title"], "status": updates[-1]["status"], "created_at": started,
                    "incident_updates": [{"status": u["status"], "body": u["body"], "created_at": u["at"]}
                                         for u in reversed(updates)],
                    "components": [{"id": c, "status": s} for c, s in incidents[-1]["components"].items()]}  # fmt: skip
        write(out, f"api/v2/incidents/{slug}.json", orjson.dumps(document))
    for slug, meta, body in read("writeups"):
        write(
            out, f"writeups/{slug}/index.html", writeup_page.render(title=meta["title"], body=Markup(md.render(body)))
        )
    incidents.sort(key=lambda incident: incident["started"], reverse=True)
    lists = {"history": incidents}
    for component in settings.get("components", []):
        lists[f"components/{component['id']}"] = [i for i in incidents if component["id"] in i["components"]]
    base_url = settings["site"]["base_url"]
    for folder, listed in lists.items():
        for page, first in enumerate(range(0, max(len(listed), 1), PAGE_SIZE), start=1):
            items = listed[first : first + PAGE_SIZE]
            more = first + PAGE_SIZE < len(listed)
            write(out, f"{folder}/{page}/index.html", list_page.render(title=folder, items=items, page=page, more=more))
        write(out, f"{folder}/history.atom", feed(base_url + folder, listed[:FEED_ENTRIES], base_url))


def feed(feed_id: str, incidents: list[dict[str, Any]], base_url: str) -> bytes:
    """An Atom feed of ``incidents`` (newest first), each entry holding its updates' HTML."""
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    generator.id(feed_id)
    generator.title(feed_id)
    generator.link(href=feed_id, rel="self")
    generator.updated(max((i["updates"][-1]["at"] for i in incidents), default=None))
    for incident in incidents:
        entry = generator.add_entry(order="append")
        entry.id(f"{base_url}incidents/{incident['slug']}/")
        entry.title(incident["title"])
        entry.link(href=f"{base_url}incidents/{incident['slug']}/")
        entry.updated(incident["updates"][-1]["at"])
        entry.content("".join(u["html"] for u in incident["updates"]), type="html")
    result: bytes = generator.atom_str(pretty=True)
    return result


def write(out: str, path: str, data: str | bytes) -> None:
    target = os.path.join(out, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as file:
        file.write(data.encode("utf-8") if isinstance(data, str) else data)


FLOORS: dict[str, Callable[[str, str], None]] = {"pages": pages, "full": full}

if __name__ == "__main__":
    kind, site_dir, out_dir = sys.argv[1:]
    FLOORS[kind](site_dir, out_dir)
