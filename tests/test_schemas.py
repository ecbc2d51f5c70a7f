"""The JSON Schemas in sitegen/schemas/ say what the loader says: same keys, same choices, same verdicts.

Editors check files against these schemas while sitegen checks them with
its own validator, so the two must agree. The keys and enums are compared
with the code at test time, so a field added to the loader or to the config
without the schema fails here with the difference. Every valid file of the
example site must pass the schema, and every invalid case under
tests/invalid/ is sorted, by name, into what the schema rejects too, what
only sitegen can see, and what is not YAML or TOML at all.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sitegen.authoring.scaffold import TEMPLATE_DIR
from sitegen.content import loader, names, settings
from sitegen.content.statuses import (
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    USER_IMPACTS,
    ComponentStatus,
    Kind,
    UpdateStatus,
)

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "sitegen" / "schemas"
INVALID = Path(__file__).parent / "invalid"

# Invalid cases whose problem the schema can express: the file named in expected.txt must fail it.
SCHEMA_REJECTS = {
    "component-unknown-status",
    "components-is-a-list",
    "config-base-url-no-scheme",
    "config-base-url-query",
    "config-component-bad-description",
    "config-component-id-not-slug",
    "config-component-without-id",
    "config-history-page-size-zero",
    "config-language-underscore",
    "config-line-after-markdown-footer",
    "config-no-site-table",
    "config-site-inline-table",
    "config-unknown-site-key",
    "impact-not-allowed",
    "kind-typo-in-maintenance",
    "kind-unknown",
    "maintenance-without-scheduled-for",
    "scheduled-for-in-incident",
    "started-unparseable",
    "title-blank-value",
    "title-empty",
    "title-missing",
    "title-number",
    "unknown-key-suggestion",
    "update-incident-status-in-maintenance",
    "update-is-a-string",
    "update-maintenance-status-in-incident",
    "update-missing-at",
    "update-missing-body",
    "update-missing-status",
    "update-status-typo",
    "update-time-unparseable",
    "update-unknown-key",
    "updates-empty-list",
    "updates-missing",
    "updates-not-a-list",
    "writeup-missing-published",
    "writeup-missing-title",
    "writeup-unknown-key",
    "yaml-front-matter-is-list",
}
# Problems only sitegen sees (other files, the catalogue, calendars, file names): every file passes the schema.
BEYOND_SCHEMA = {
    "component-unknown",
    "config-duplicate-component-id",
    "config-theme-missing",
    "config-timezone-is-a-region",
    "config-unknown-language",
    "config-unknown-timezone",
    "duplicate-slug",
    "file-name-space",
    "file-name-upper-case",
    "maintenance-until-before-for",
    "update-component-unknown",
    "update-time-february-30",
    "update-time-year-1066",
    "writeup-named-by-incident-missing",
    "writeup-names-missing-incident",
    "yaml-duplicate-key",
    "yaml-merge-key",
}
# The file named in expected.txt is missing, or has no front matter, or is not YAML / TOML.
NOT_PARSED = {
    "config-bad-toml",
    "config-missing",
    "yaml-bad-syntax",
    "yaml-empty-file",
    "yaml-no-front-matter",
    "yaml-tab-indent",
    "yaml-unclosed-front-matter",
}


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader, keeping timestamps as strings as sitegen and editors' YAML servers do."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class NotParsed(Exception):
    """The file cannot be read into data at all."""


def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def front_matter(path: Path) -> Any:
    """The YAML between the file's '---' fences, as plain data."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    if not lines or lines[0].rstrip() != "---":
        raise NotParsed("no front matter")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise NotParsed("front matter never closed")
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        raise NotParsed(str(exc)) from None
    return {} if data is None else data


def as_taplo_sees_it(value: Any) -> Any:
    """TOML data as Taplo validates it: dates and times become ISO 8601 strings."""
    if isinstance(value, dict):
        return {key: as_taplo_sees_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_taplo_sees_it(item) for item in value]
    return value.isoformat() if isinstance(value, (date, time)) else value


def schema_errors(site: Path, relative: str) -> list[str]:
    """The schema's complaints about one file of a site; NotParsed if it cannot be read."""
    path = site / relative
    if not path.is_file():
        raise NotParsed("missing")
    if relative == "sitegen.toml":
        try:
            data, name = as_taplo_sees_it(tomllib.loads(path.read_text(encoding="utf-8-sig"))), "sitegen"
        except tomllib.TOMLDecodeError as exc:
            raise NotParsed(str(exc)) from None
    else:
        data, name = front_matter(path), "writeup" if relative.startswith("content/writeups/") else "incident"
    validator = jsonschema.Draft7Validator(schema(name))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(data)]


def site_files(site: Path) -> list[str]:
    found = ["sitegen.toml"] if (site / "sitegen.toml").is_file() else []
    for folder in ("content/incidents", "content/writeups"):
        if (site / folder).is_dir():
            found += sorted(f"{folder}/{p.name}" for p in (site / folder).iterdir() if p.suffix in (".md", ".markdown"))
    return found


def named_file(case: Path) -> str:
    """The file the case's expected error is about."""
    first = (case / "expected.txt").read_text(encoding="utf-8").splitlines()[0]
    return re.match(r"^(.+?):\d+: ", first).group(1)


# ---- the schemas themselves ---------------------------------------------------


@pytest.mark.parametrize("name", ["incident", "writeup", "sitegen"])
def test_schema_is_a_valid_draft_07_schema(name: str) -> None:
    jsonschema.Draft7Validator.check_schema(schema(name))


DRAFT_4_KEYWORDS = {
    "$schema",
    "$ref",
    "title",
    "description",
    "default",
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "enum",
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "anyOf",
    "allOf",
    "oneOf",
    "not",
    "definitions",
    "patternProperties",
    "format",
}


def keywords(node: Any, inside_properties: bool = False) -> set[str]:
    """Every schema keyword used anywhere in a schema (property names are not keywords)."""
    if isinstance(node, list):
        return set().union(*(keywords(item) for item in node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = set() if inside_properties else set(node)
    for key, value in node.items():
        found |= keywords(value, inside_properties=not inside_properties and key in ("properties", "definitions"))
    return found


def test_sitegen_toml_schema_uses_only_keywords_taplo_supports() -> None:
    """Even Better TOML (Taplo) implements draft 4: a later keyword there would be ignored silently."""
    assert keywords(schema("sitegen")) <= DRAFT_4_KEYWORDS, keywords(schema("sitegen")) - DRAFT_4_KEYWORDS


# ---- keys and enums match the code -------------------------------------------


def same(in_schema: Any, in_code: Any, what: str) -> None:
    schema_set, code_set = set(in_schema), set(in_code)
    assert schema_set == code_set, (
        f"{what}: in the code but not in the schema: {sorted(code_set - schema_set)}; "
        f"in the schema but not in the code: {sorted(schema_set - code_set)}"
    )


def test_incident_keys_match_the_loader() -> None:
    incident = schema("incident")
    same(incident["properties"], loader.INCIDENT_KEYS, "incident keys (loader.INCIDENT_KEYS)")
    same(incident["definitions"]["update"]["properties"], loader.UPDATE_KEYS, "update keys (loader.UPDATE_KEYS)")
    assert (
        incident["additionalProperties"] is False and incident["definitions"]["update"]["additionalProperties"] is False
    )


def test_writeup_keys_match_the_loader() -> None:
    writeup = schema("writeup")
    same(writeup["properties"], loader.WRITEUP_KEYS, "write-up keys (loader.WRITEUP_KEYS)")
    assert writeup["additionalProperties"] is False


def _schema_tables() -> dict[str, dict[str, Any]]:
    """Each sitegen.toml table's schema entry (for [[components]], one item's)."""
    tables = schema("sitegen")["properties"]
    return {name: tables[name].get("items", tables[name]) for name in tables}


def test_config_schema_matches_the_settings_table() -> None:
    """The JSON Schema has exactly the settings of sitegen.content.settings, with their types and defaults."""
    tables = _schema_tables()
    same(tables, settings.TABLES, "sitegen.toml tables (settings.TABLES)")
    for name, table in settings.TABLES.items():
        entry = tables[name]
        same(entry["properties"], settings.keys(table), f"[{name}] keys (settings.TABLES[{name!r}])")
        assert entry["additionalProperties"] is False
        assert sorted(entry.get("required", [])) == sorted(s.key for s in table if s.required), name
        for setting in table:
            prop = entry["properties"][setting.key]
            assert prop["type"] == setting.type.json_type, f"[{name}] {setting.key}"
            if setting.default not in (None, "", settings.REQUIRED):
                assert prop.get("default") == setting.default, f"[{name}] {setting.key}: default"
    assert schema("sitegen")["additionalProperties"] is False


def test_init_template_shows_every_setting() -> None:
    """The sitegen.toml that ``sitegen init`` writes names every setting, set or commented out."""
    text = (TEMPLATE_DIR / "sitegen.toml").read_text(encoding="utf-8")
    for name, table in settings.TABLES.items():
        for setting in table:
            assert re.search(rf"^#?\s*{setting.key}\s*=", text, re.M), f"[{name}] {setting.key} not in the template"


def test_configuration_docs_list_every_setting() -> None:
    """docs/configuration.md has a row per setting under its table's heading, with its default."""
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\[\[?\w+\]\]?)\n(.*?)(?=^## |\Z)", text, re.M | re.S))
    for name, table in settings.TABLES.items():
        heading = f"[[{name}]]" if name in settings.ARRAY_TABLES else f"[{name}]"
        assert heading in sections, f"docs/configuration.md has no '## {heading}' section"
        rows = dict(re.findall(r"^\| `(\w+)` \|[^|]*\| ([^|]*) \|", sections[heading], re.M))
        same(rows, settings.keys(table), f"docs/configuration.md {heading} rows")
        for setting in table:
            shown = rows[setting.key].strip()
            if setting.required:
                assert shown == "required", f"{heading} {setting.key}: {shown!r}"
            elif setting.default not in (None, ""):
                assert str(setting.default) in shown.strip('`"'), f"{heading} {setting.key}: {shown!r}"


def test_enums_match_the_model() -> None:
    incident = schema("incident")
    definitions = incident["definitions"]
    values = lambda members: [m.value for m in members]  # noqa: E731
    assert definitions["componentStatus"]["enum"] == values(ComponentStatus)
    assert definitions["updateStatus"]["enum"] == values(UpdateStatus)
    assert definitions["incidentStatus"]["enum"] == values(INCIDENT_STATUSES)
    assert definitions["maintenanceStatus"]["enum"] == values(MAINTENANCE_STATUSES)
    assert incident["properties"]["impact"]["enum"] == values(USER_IMPACTS)
    assert incident["properties"]["kind"]["enum"] == values(Kind)
    assert incident["allOf"][0]["if"]["properties"]["kind"]["const"] == Kind.MAINTENANCE.value


def test_slug_patterns_match_the_code() -> None:
    assert schema("incident")["definitions"]["slug"]["pattern"] == names.SLUG.pattern
    assert schema("writeup")["definitions"]["slug"]["pattern"] == names.SLUG.pattern
    site = schema("sitegen")["properties"]
    assert site["components"]["items"]["properties"]["id"]["pattern"] == names.ID.pattern
    assert site["site"]["properties"]["theme"]["pattern"] == names.ID.pattern


# ---- verdicts agree with the loader -------------------------------------------


@pytest.mark.parametrize("relative", site_files(REPO), ids=str)
def test_every_file_of_the_example_site_passes_the_schema(relative: str) -> None:
    assert schema_errors(REPO, relative) == []


def test_the_example_site_has_files_of_every_kind() -> None:
    files = site_files(REPO)
    assert "sitegen.toml" in files
    assert any(f.startswith("content/incidents/") for f in files)
    assert any(f.startswith("content/writeups/") for f in files)


def test_every_invalid_case_is_sorted_once() -> None:
    cases = {p.name for p in INVALID.iterdir() if p.is_dir()}
    lists = [SCHEMA_REJECTS, BEYOND_SCHEMA, NOT_PARSED]
    unsorted = cases - set().union(*lists)
    assert not unsorted, (
        f"new invalid cases: add each to SCHEMA_REJECTS, BEYOND_SCHEMA or NOT_PARSED: {sorted(unsorted)}"
    )
    assert not set().union(*lists) - cases, "cases listed here that no longer exist"
    assert sum(map(len, lists)) == len(set().union(*lists)), "a case is in two lists"


@pytest.mark.parametrize("case", sorted(SCHEMA_REJECTS))
def test_schema_rejects_what_the_loader_rejects(case: str) -> None:
    site = INVALID / case
    bad = named_file(site)
    assert schema_errors(site, bad), f"the schema accepts {bad}, which sitegen rejects"
    for other in set(site_files(site)) - {bad}:
        assert schema_errors(site, other) == [], f"the schema rejects {other}, which sitegen accepts"


@pytest.mark.parametrize("case", sorted(BEYOND_SCHEMA))
def test_schema_accepts_what_only_sitegen_can_see(case: str) -> None:
    site = INVALID / case
    for relative in site_files(site):
        assert schema_errors(site, relative) == [], f"{relative} fails the schema: move {case} to SCHEMA_REJECTS"


@pytest.mark.parametrize("case", sorted(NOT_PARSED))
def test_unparseable_cases_do_not_parse(case: str) -> None:
    site = INVALID / case
    with pytest.raises(NotParsed):
        schema_errors(site, named_file(site))


def test_maintenance_rules_are_conditional() -> None:
    """The kind decides the update statuses and the scheduled window, as in the loader."""
    validator = jsonschema.Draft7Validator(schema("incident"))
    update = {"at": "2026-01-01T00:00:00Z", "body": "x"}
    maintenance = {
        "title": "Upgrade",
        "kind": "maintenance",
        "scheduled_for": "2026-01-02T00:00:00Z",
        "scheduled_until": "2026-01-02T02:00:00",
        "updates": [{**update, "status": "scheduled"}],
    }
    assert validator.is_valid(maintenance)
    assert not validator.is_valid({**maintenance, "updates": [{**update, "status": "resolved"}]})
    assert not validator.is_valid({k: v for k, v in maintenance.items() if k != "scheduled_until"})
    assert validator.is_valid({"title": "Errors", "updates": [{**update, "status": "resolved"}], "extra": {"a": [1]}})
    assert not validator.is_valid({"title": "Errors", "updates": [{**update, "status": "scheduled"}]})
