"""Loading ``sitegen.toml``: the site's settings and its component catalogue."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.core import parse_locale

from sitegen.content.fields import Fields
from sitegen.content.frontmatter import LineList, LineMap
from sitegen.content.model import Component, Source
from sitegen.content.names import ID, ID_HINT, name_problem, shorten
from sitegen.content.notify_config import add_channels
from sitegen.content.settings import ALERTS, COMPONENT, SITE, TABLES, UPTIME
from sitegen.content.site import AlertSettings, SiteConfig, UptimeWeights
from sitegen.content.statuses import ComponentStatus
from sitegen.content.times import check_year, load_timezone
from sitegen.errors import Problems

CONFIG_FILE = "sitegen.toml"
DEFAULT_THEME = "default"
DEFAULT_LANGUAGE = "en"


def load_config(
    site_dir: Path, problems: Problems, *, base_url: str | None = None
) -> tuple[SiteConfig | None, tuple[Component, ...] | None]:
    """Read the settings and the component catalogue; problems go to ``problems``.

    Either is None when it has errors; a None catalogue tells the loader not
    to report components as unknown, since the mistake is in the catalogue.
    """
    path = site_dir / CONFIG_FILE
    try:
        if path.exists() and not path.resolve().is_relative_to(site_dir.resolve()):
            problems.error(path, 1, f"{CONFIG_FILE} links to a place outside the site folder: copy the file in instead")
            return None, None
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.error(path, 1, f"no {CONFIG_FILE} here: run sitegen in a site folder, or give the site's folder")
        return None, None
    except (OSError, UnicodeDecodeError, RuntimeError) as exc:  # RuntimeError: a symlink loop on resolve()
        problems.error(path, 1, f"cannot read {CONFIG_FILE}: {exc}")
        return None, None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = int(m.group(1)) if (m := re.search(r"line (\d+)", str(exc))) else 1
        problems.error(path, line, f"invalid TOML: {exc}")
        return None, None
    root = _locate(data, _key_lines(text))
    Fields(problems, path, root, what=CONFIG_FILE, allowed=TABLES)
    weights, weights_passed = _uptime_weights(problems, path, root)
    alerts, alerts_passed = _alert_settings(problems, path, root)
    config = _site_settings(problems, path, root, site_dir, base_url, weights, alerts)
    components = _components(problems, path, root)
    config = add_channels(config, problems, path, root, components)
    return (config if weights_passed and alerts_passed else None), components


def _site_settings(
    problems: Problems,
    path: Path,
    root: LineMap,
    site_dir: Path,
    base_url: str | None,
    weights: UptimeWeights,
    alerts: AlertSettings,
) -> SiteConfig | None:
    site = root.get("site")
    if not isinstance(site, LineMap):
        problems.error(path, 1, "no [site] table: add one with at least 'title' and 'base_url'")
        return None
    fields = Fields(problems, path, site, what="[site]", settings=SITE)
    title = fields.text("title")
    url = _base_url(fields, base_url)
    tz_name = fields.text("timezone")
    tz: tzinfo = UTC
    try:
        tz = load_timezone(tz_name)
    except ValueError as exc:
        fields.error("timezone", str(exc))
    config = SiteConfig(
        title=title,
        base_url=url,
        timezone=tz_name,
        tz=tz,
        language=_language(fields),
        theme=_theme(fields, site_dir),
        description=fields.text("description"),
        footer=fields.text("footer"),
        history_page_size=fields.integer("history_page_size"),
        feed_entries=fields.integer("feed_entries"),
        max_file_kib=fields.integer("max_file_kib"),
        stale_after=fields.integer("stale_after") if "stale_after" in site else 0,
        uptime_weights=weights,
        alerts=alerts,
    )
    return config if fields.passed else None


def _base_url(fields: Fields, override: str | None) -> str:
    """The absolute URL the site is published at, always ending in '/' ('' when wrong, and reported)."""
    value = override if override is not None else fields.text("base_url")
    if not value:
        if override is not None:  # an empty --base-url: a workflow's variable that is not set, say
            fields.error(None, "--base-url is empty: give the absolute URL the site is published at, or leave it out")
        return ""  # a missing or empty base_url: reported already
    source, key = ("--base-url", None) if override is not None else ("'base_url'", "base_url")
    if any(char.isspace() or not char.isprintable() for char in value):
        fields.error(key, f"{source} must not contain spaces, line breaks or control characters: {value!r}")
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        fields.error(
            key, f"{source} must be an absolute http(s) URL such as https://example.github.io/status/, not {value!r}"
        )
        return ""
    if parts.query or parts.fragment or "?" in value or "#" in value:
        plain = f"{parts.scheme}://{parts.netloc}{parts.path}"
        fields.error(
            key, f"{source} must not have a query ('?...') or fragment ('#...'): write it as {plain}, not {value!r}"
        )
        return ""
    return value if value.endswith("/") else value + "/"


def _language(fields: Fields) -> str:
    """The site's BCP 47 tag, written canonically ('pt-br' becomes 'pt-BR'); the default when wrong (reported)."""
    tag = fields.text("language")
    try:
        return language_tag(tag)
    except ValueError as exc:
        fields.error("language", str(exc))
        return DEFAULT_LANGUAGE


def language_tag(tag: str) -> str:
    """``tag`` as BCP 47 writes it, if CLDR (through Babel) knows the language; else ValueError with a hint.

    CLDR is what dates, numbers and plural rules come from, so a language it
    does not know could not be spoken, catalogue or not.
    """
    try:
        Locale.parse(tag, sep="-")
        parts = parse_locale(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(f"unknown language {tag!r}: {_language_hint(tag)}") from None
    language, territory, script, variant = parts[:4]
    return "-".join(part for part in (language, script, territory, variant) if part)


def _language_hint(tag: str) -> str:
    """What to write instead: the tag with '-' for '_', the code of a language named in English, or an example."""
    names = {name.casefold(): code.replace("_", "-") for code, name in Locale("en").languages.items()}
    for candidate in (tag.replace("_", "-") if "_" in tag else None, names.get(tag.strip().casefold())):
        if candidate:
            try:
                return f"did you mean {language_tag(candidate)!r}?"
            except ValueError:
                pass
    return "use a BCP 47 tag such as 'fr', 'pt-BR' or 'zh-Hans'"


def _theme(fields: Fields, site_dir: Path) -> str:
    name = fields.text("theme")
    if name == DEFAULT_THEME:
        return name
    if not ID.match(name):
        fields.error("theme", f"theme name {name!r} must be a folder name under themes/ ({ID_HINT})")
    elif not (site_dir / "themes" / name).is_dir():
        fields.error("theme", f"theme '{name}' not found: there is no folder themes/{name}/ in the site")
    return name


def _components(problems: Problems, path: Path, root: LineMap) -> tuple[Component, ...] | None:
    entries = root.get("components", LineList())
    if not isinstance(entries, LineList):
        problems.error(path, root.line_of("components"), "components must be written as [[components]] tables")
        return None
    components: list[Component] = []
    seen: dict[str, int] = {}
    passed = True
    for position, entry in enumerate(entries, start=1):
        fields = Fields(problems, path, entry, what="[[components]]", settings=COMPONENT)
        cid = fields.text("id")
        if cid and not ID.match(cid):
            fields.error("id", f"component id {cid!r} is not a slug: {ID_HINT}")
        elif cid and (problem := name_problem(cid)):
            fields.error("id", f"component id '{shorten(cid)}' {problem}")
        elif cid in seen:
            fields.error("id", f"component id '{cid}' is already used on line {seen[cid]}")
        component = Component(
            id=cid,
            name=fields.text("name"),
            position=position,
            group=fields.text("group") or None,
            description=fields.text("description"),
            since=_since(fields),
            alert_labels=_alert_labels(fields),
            source=Source(path, entry.line, entry.key_lines),
        )
        passed &= fields.passed
        if fields.passed:
            seen[cid] = fields.line("id")
            components.append(component)
    return tuple(components) if passed else None


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
        try:
            check_year(value, value.isoformat())
        except ValueError as exc:
            fields.error("since", f"'since': {exc}")
            return None
        return value
    shown = f"{value.isoformat()} (a day has no time of day)" if isinstance(value, datetime) else repr(value)
    fields.error("since", f"'since' must be a date such as 2024-01-01 (a day in the site's timezone), not {shown}")
    return None


def _alert_labels(fields: Fields) -> frozenset[tuple[str, str]]:
    """``alert_labels = ["service=api"]`` as (name, value) pairs; each must have a name and a value."""
    pairs = set()
    for item in fields.text_list("alert_labels"):
        name, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not name or not value:
            fields.error("alert_labels", f"'alert_labels': {item!r} must be written name=value, such as 'service=api'")
        pairs.add((name, value))
    return frozenset(pairs)


def _alert_settings(problems: Problems, path: Path, root: LineMap) -> tuple[AlertSettings, bool]:
    """The optional [alerts] table, and whether it passed (its defaults stand in for wrong values)."""
    table = root.get("alerts", _empty_table(root.line))
    passed = isinstance(table, LineMap)
    if not isinstance(table, LineMap):
        problems.error(path, root.line_of("alerts"), "alerts must be a table: write [alerts] with 'key = value' lines")
        table = _empty_table(root.line_of("alerts"))
    fields = Fields(problems, path, table, what="[alerts]", settings=ALERTS)
    template = fields.text("template")
    if not ID.match(template):
        fields.error("template", f"'template' must name a file of content/templates/ without '.md', not {template!r}")
    status = fields.check_choice(
        "component_status", fields.text("component_status"), tuple(ComponentStatus), what="'component_status'"
    )
    label = fields.text("component_label")
    if not label.strip():
        fields.error("component_label", "'component_label' is empty: name the label that holds a component's id")
    settings = AlertSettings(
        template, label, status or ComponentStatus.MAJOR_OUTAGE, Source(path, table.line, table.key_lines)
    )
    return settings, passed and fields.passed


def _uptime_weights(problems: Problems, path: Path, root: LineMap) -> tuple[UptimeWeights, bool]:
    """The optional [uptime] table: how much of each status counts as downtime, and whether it passed."""
    table = root.get("uptime", _empty_table(root.line))
    passed = True
    if not isinstance(table, LineMap):
        problems.error(
            path, root.line_of("uptime"), "uptime must be a table: write [uptime] with 'partial_outage = 0.3' lines"
        )
        table = _empty_table(root.line_of("uptime"))
        passed = False
    fields = Fields(problems, path, table, what="[uptime]", settings=UPTIME)
    weights = UptimeWeights(**{setting.key: fields.share(setting.key) for setting in UPTIME})
    return weights, passed and fields.passed


def _empty_table(line: int) -> LineMap:
    table = LineMap()
    table.line = line
    table.key_lines = {}
    return table


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
