"""Loading ``sitegen.toml``: the site's settings and its component catalogue."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen.content.fields import Fields
from sitegen.content.frontmatter import LineList, LineMap
from sitegen.content.model import DEFAULT_MAX_FILE_KIB, Component, SiteConfig, UptimeWeights
from sitegen.content.times import load_timezone
from sitegen.errors import Problems

CONFIG_FILE = "sitegen.toml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SLUG_HINT = "use lower-case letters, digits and dashes"
TOP_KEYS = ("site", "components", "uptime")
SITE_KEYS = (
    "title",
    "base_url",
    "timezone",
    "description",
    "footer",
    "theme",
    "history_page_size",
    "feed_entries",
    "max_file_kib",
)
COMPONENT_KEYS = ("id", "name", "group", "description", "since")
UPTIME_KEYS = ("major_outage", "partial_outage", "degraded_performance")


def load_config(
    site_dir: Path, problems: Problems, *, base_url: str | None = None
) -> tuple[SiteConfig | None, tuple[Component, ...] | None]:
    """Read the settings and the component catalogue; problems go to ``problems``.

    Either is None when it has errors; a None catalogue tells the loader not
    to report components as unknown, since the mistake is in the catalogue.
    """
    path = site_dir / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.error(path, 1, f"no {CONFIG_FILE} here: run sitegen in a site folder, or give the site's folder")
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, 1, f"cannot read {CONFIG_FILE}: {exc}")
        return None, None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        problems.error(path, line, f"invalid TOML: {exc}")
        return None, None
    root = _locate(data, _key_lines(text))
    Fields(problems, path, root, what=CONFIG_FILE, allowed=TOP_KEYS)
    config = _site_settings(problems, path, root, site_dir, base_url)
    weights = _uptime_weights(problems, path, root)
    if config is not None and weights is not None:
        config = replace(config, uptime_weights=weights)
    return config, _components(problems, path, root)


def _site_settings(
    problems: Problems, path: Path, root: LineMap, site_dir: Path, base_url: str | None
) -> SiteConfig | None:
    site = root.get("site")
    if not isinstance(site, LineMap):
        problems.error(path, 1, "no [site] table: add one with at least 'title' and 'base_url'")
        return None
    fields = Fields(problems, path, site, what="[site]", allowed=SITE_KEYS)
    title = fields.text("title", required=True)
    url = _base_url(fields, base_url)
    tz_name = fields.text("timezone", default="UTC")
    tz = None
    if tz_name is not None:
        try:
            tz = load_timezone(tz_name)
        except ValueError as exc:
            fields.error("timezone", str(exc))
    theme = _theme(fields, site_dir)
    values = dict(
        description=fields.text("description"),
        footer=fields.text("footer"),
        history_page_size=fields.integer("history_page_size", default=50),
        feed_entries=fields.integer("feed_entries", default=50),
        max_file_kib=fields.integer("max_file_kib", default=DEFAULT_MAX_FILE_KIB),
    )
    if None in (title, url, tz, tz_name, theme) or None in values.values():
        return None
    return SiteConfig(title=title, base_url=url, timezone=tz_name, tz=tz, theme=theme, **values)


def _base_url(fields: Fields, override: str | None) -> str | None:
    """The absolute URL the site is published at, always ending in '/'."""
    value = override if override is not None else fields.text("base_url", required=True)
    if value is None:
        return None
    parts = urlsplit(value)
    source, key = ("--base-url", None) if override is not None else ("'base_url'", "base_url")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        fields.error(
            key, f"{source} must be an absolute http(s) URL such as https://example.github.io/status/, not {value!r}"
        )
        return None
    if parts.query or parts.fragment or "?" in value or "#" in value:
        plain = f"{parts.scheme}://{parts.netloc}{parts.path}"
        fields.error(
            key, f"{source} must not have a query ('?...') or fragment ('#...'): write it as {plain}, not {value!r}"
        )
        return None
    return value if value.endswith("/") else value + "/"


def _theme(fields: Fields, site_dir: Path) -> str | None:
    name = fields.text("theme", default="default")
    if name is None or name == "default":
        return name
    if not SLUG.match(name):
        fields.error("theme", f"theme name {name!r} must be a folder name under themes/ ({SLUG_HINT})")
        return None
    if not (site_dir / "themes" / name).is_dir():
        fields.error("theme", f"theme '{name}' not found: there is no folder themes/{name}/ in the site")
        return None
    return name


def _components(problems: Problems, path: Path, root: LineMap) -> tuple[Component, ...] | None:
    entries = root.get("components", LineList())
    if not isinstance(entries, LineList):
        problems.error(path, root.line_of("components"), "components must be written as [[components]] tables")
        return None
    errors_before = len(problems.errors)
    components: list[Component] = []
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        fields = Fields(problems, path, entry, what="[[components]]", allowed=COMPONENT_KEYS)
        cid = fields.text("id", required=True)
        name = fields.text("name", required=True)
        group = fields.text("group")
        description = fields.text("description")
        since = _since(fields)
        if cid is not None and not SLUG.match(cid):
            fields.error("id", f"component id {cid!r} is not a slug: {SLUG_HINT}")
            continue
        if cid in seen:
            fields.error("id", f"component id '{cid}' is already used on line {seen[cid]}")
            continue
        if None in (cid, name, description):
            continue
        seen[cid] = fields.line("id")
        components.append(Component(cid, name, position, group or None, description or "", since=since))
    return tuple(components) if len(problems.errors) == errors_before else None


def _since(fields: Fields) -> date | None:
    """The optional first tracked day: a TOML date (2024-01-01) or the same in quotes.

    An invalid one is reported (and the catalogue then discarded as a whole).
    """
    if "since" not in fields.mapping:
        return None
    value = fields.mapping["since"]
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    shown = f"{value.isoformat()} (a day has no time of day)" if isinstance(value, datetime) else repr(value)
    fields.error("since", f"'since' must be a date such as 2024-01-01 (a day in the site's timezone), not {shown}")
    return None


def _uptime_weights(problems: Problems, path: Path, root: LineMap) -> UptimeWeights | None:
    """The optional [uptime] table: how much of each status counts as downtime; None when invalid."""
    table = root.get("uptime")
    if table is None:
        return UptimeWeights()
    if not isinstance(table, LineMap):
        problems.error(
            path, root.line_of("uptime"), "uptime must be a table: write [uptime] with 'partial_outage = 0.3' lines"
        )
        return None
    before = len(problems.errors)
    fields = Fields(problems, path, table, what="[uptime]", allowed=UPTIME_KEYS)
    weights = {}
    for key in UPTIME_KEYS:
        if key not in table:
            continue
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            fields.error(
                key, f"'{key}' must be a number from 0 to 1 (the share of that time counted as downtime), not {value!r}"
            )
            continue
        weights[key] = float(value)
    return UptimeWeights(**weights) if len(problems.errors) == before else None


def _key_lines(text: str) -> dict[tuple[str, int], dict[str, int]]:
    """Where each key of each table starts, found by scanning the text (tomllib keeps no lines).

    Tables are named (table, index): ('site', 0), ('components', 2)... The
    table's own header line is stored under the key ''.
    """
    lines: dict[tuple[str, int], dict[str, int]] = {("", 0): {"": 1}}
    counts: dict[str, int] = {}
    table = ("", 0)
    in_string = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        was_in_string = in_string
        in_string ^= (line.count('"""') + line.count("'''")) % 2 == 1
        if was_in_string:
            continue
        if header := re.match(r"^\[\[\s*([^\]]+?)\s*\]\]", line):
            name = header.group(1)
            counts[name] = counts.get(name, -1) + 1
            table = (name, counts[name])
            lines[table] = {"": number}
            lines[("", 0)].setdefault(name, number)
        elif header := re.match(r"^\[\s*([^\]]+?)\s*\]", line):
            table = (header.group(1), 0)
            lines[table] = {"": number}
            lines[("", 0)].setdefault(header.group(1), number)
        elif key := re.match(r"^([A-Za-z0-9_-]+|\"[^\"]*\")\s*=", line):
            lines.setdefault(table, {"": number}).setdefault(key.group(1).strip('"'), number)
    return lines


def _locate(data: dict[str, Any], key_lines: dict[tuple[str, int], dict[str, int]]) -> LineMap:
    """Wrap tomllib's plain dicts in LineMaps so that field errors can name lines."""

    top = key_lines[("", 0)]

    def table(values: dict[str, Any], name: str, index: int) -> LineMap:
        result = LineMap(values)
        known = key_lines.get((name, index), {})
        result.line = known.get("", top.get(name, 1))  # an inline table lives on its key's line
        result.key_lines = {k: known.get(k, result.line) for k in values}
        return result

    root = table(data, "", 0)
    for name, value in data.items():
        if isinstance(value, dict):
            root[name] = table(value, name, 0)
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            items = LineList(table(v, name, i) for i, v in enumerate(value))
            items.line = root.line_of(name)
            items.item_lines = [item.line for item in items]
            root[name] = items
    return root
