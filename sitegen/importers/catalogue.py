"""Merging the source's components into ``sitegen.toml``, leaving everything already there as it was.

tomlkit edits the file as a document, so the user's comments, order and
spelling survive; components already in the catalogue are found again by
name (and group) and keep their ids, so importing twice adds nothing, and a
component renamed in ``sitegen.toml`` keeps matching by the name the source
uses as long as one of the two is unchanged. New components are appended in
the source's display order, with ids made from their names.

A site folder without ``sitegen.toml`` gets one, with the page's name, its
URL as ``base_url`` (the usual case is moving the status page's own domain)
and its time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count
from urllib.parse import urlsplit

import tomlkit
from slugify import slugify
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table
from tomlkit.toml_document import TOMLDocument

from sitegen.content.config import CONFIG_FILE
from sitegen.content.names import ID, name_problem
from sitegen.content.times import load_timezone
from sitegen.importers.errors import ImportFailed
from sitegen.importers.records import SourceComponent, SourceHistory, SourcePage

ID_WORDS = 40
PLACEHOLDER_URL = "https://status.example.com/"


@dataclass(frozen=True)
class Known:
    """A component already in the catalogue."""

    id: str
    name: str
    group: str | None


@dataclass(frozen=True)
class MergedCatalogue:
    text: str
    """The new sitegen.toml (the same text when nothing was added)."""
    ids: dict[str, str]
    """Each source component key -> the site's component id."""
    added: int
    timezone: str
    """The site's timezone after the merge, which slugs' dates are in."""


def merge_catalogue(existing: str | None, history: SourceHistory) -> MergedCatalogue:
    document = _parse(existing) if existing is not None else _new_site(history.page, history.source)
    entries = document.get("components")
    if entries is None:
        entries = tomlkit.aot()
    if not isinstance(entries, AoT):
        raise ImportFailed(f"{CONFIG_FILE}: 'components' must be written as [[components]] tables to add to it")
    known = [_known(table) for table in entries]
    ids: dict[str, str] = {}
    added = 0
    for component in history.components:
        found = _match(component, known, taken=set(ids.values()))
        if found is None:
            found = Known(_new_id(component, {k.id for k in known}), component.name, component.group)
            known.append(found)
            entries.append(_table(component, found.id))
            added += 1
        ids[component.key] = found.id
    if added and "components" not in document:
        document.append("components", entries)
    text = tomlkit.dumps(document) if added or existing is None else existing
    return MergedCatalogue(text=text, ids=ids, added=added, timezone=_timezone(document))


def _parse(text: str) -> TOMLDocument:
    try:
        return tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ImportFailed(f"{CONFIG_FILE} is not valid TOML ({exc}): fix it first, then import again") from None


def _new_site(page: SourcePage | None, source: str) -> TOMLDocument:
    document = tomlkit.document()
    document.add(
        tomlkit.comment(f"Written by 'sitegen import {source}'; edit freely, later imports keep your changes.")
    )
    site = tomlkit.table()
    site.add("title", page.title if page and page.title.strip() else "Status")
    url = _base_url(page.url if page else "")
    site.add("base_url", url or PLACEHOLDER_URL)
    if not url:
        site["base_url"].comment("the URL the site will be published at")
    site.add("timezone", _zone(page.timezone if page else None))
    document.add("site", site)
    return document


def _base_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _zone(name: str | None) -> str:
    if not name:
        return "UTC"
    try:
        load_timezone(name)
    except ValueError:
        return "UTC"
    return name


def _timezone(document: TOMLDocument) -> str:
    site = document.get("site")
    zone = site.get("timezone") if isinstance(site, Table) else None
    return str(zone) if isinstance(zone, str) else "UTC"


def _known(table: Table) -> Known:
    group = table.get("group")
    return Known(str(table.get("id", "")), str(table.get("name", "")), str(group) if group else None)


def _match(component: SourceComponent, known: list[Known], *, taken: set[str]) -> Known | None:
    """The catalogue's entry for this component: same name and group, else the only one of that name."""
    free = [k for k in known if k.id not in taken]
    exact = [k for k in free if k.name == component.name and k.group == component.group]
    if exact:
        return exact[0]
    named = [k for k in free if k.name == component.name]
    return named[0] if len(named) == 1 else None


def _new_id(component: SourceComponent, taken: set[str]) -> str:
    """From the name; from group and name when that is taken; then numbered."""
    candidates = [_slug(component.name)]
    if component.group:
        candidates.append(_slug(f"{component.group} {component.name}"))
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return next(f"{candidates[0]}-{n}" for n in count(2) if f"{candidates[0]}-{n}" not in taken)


def _slug(name: str) -> str:
    slug = slugify(name, max_length=ID_WORDS, word_boundary=True) or "component"
    if not ID.match(slug) or name_problem(slug):
        slug = f"component-{slug}".strip("-")
    return slug


def _table(component: SourceComponent, cid: str) -> Table:
    table = tomlkit.table()
    table.add("id", cid)
    table.add("name", component.name)
    if component.group:
        table.add("group", component.group)
    if component.description.strip():
        table.add("description", " ".join(component.description.split()))
    if component.since is not None:
        table.add("since", component.since)
    return table
