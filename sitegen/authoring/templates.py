"""Incident templates: the words of the usual incidents, written once in ``content/templates/NAME.md``.

A template is a file like an incident's, without its timeline: front matter
with a ``title`` and optionally ``impact``, ``status`` (the first update's)
and ``components`` (``id: status``), and a Markdown body that becomes the
first update's text. Title and body may hold placeholders written
``{name}``, from a fixed list (:data:`PLACEHOLDERS`); ``{{`` and ``}}`` are
literal braces.

Values often come from an alert, that is from outside: so a placeholder is
only ever replaced by text, once, never evaluated (no attribute, index,
format spec or conversion is allowed, as ``str.format`` would allow, and a
value holding ``{name}`` stays as it is); characters a YAML file cannot
hold are dropped from values.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.authoring.incidents import NewIncident, site_settings
from sitegen.authoring.user_input import NOT_YAML_TEXT, AuthoringError, parse_components
from sitegen.content.config import load_config
from sitegen.content.fields import Fields, suggestion
from sitegen.content.frontmatter import FrontMatterError, parse_document
from sitegen.content.loader import component_statuses
from sitegen.content.model import Component
from sitegen.content.source_files import MARKDOWN_SUFFIXES, TEMPLATES_DIR
from sitegen.content.statuses import INCIDENT_STATUSES, USER_IMPACTS, ComponentStatus, Impact, UpdateStatus
from sitegen.errors import Problem, Problems

TEMPLATE_KEYS = ("title", "impact", "status", "components")
PLACEHOLDERS = ("summary", "details", "alert", "source", "link", "components")
"""Every placeholder a template may use (docs/format.md says what each holds); any other is an error."""
GIVEN = PLACEHOLDERS[:-1]
"""The placeholders a command gives values for; ``{components}`` is always the incident's own."""
BUILT_IN = Path(__file__).resolve().parent / "site_template"
"""The templates ``sitegen init`` writes, in their folder under it: used when a site has none of that name."""
NO_COMPONENTS = "our services"
"""What ``{components}`` says when the incident names none."""


@dataclass(frozen=True)
class Template:
    """One checked template: text with placeholders, and what the incident starts with."""

    name: str
    title: str
    body: str
    impact: Impact | None
    status: UpdateStatus | None
    components: dict[str, ComponentStatus]

    def fill(self, values: Mapping[str, str], *, title: bool = True, body: bool = True) -> tuple[str, str]:
        """The title and body ('' where not asked for) with every placeholder replaced.

        An error names every value the parts asked for need and were not given.
        """
        texts = (self.title if title else "", self.body if body else "")
        missing = sorted((placeholders(texts[0]) | placeholders(texts[1])) - values.keys())
        if missing:
            sets = " ".join(f"--set {name}=..." for name in missing)
            raise AuthoringError(f"template '{self.name}' uses {_braced(missing)}: give {sets}")
        return _substitute(texts[0], values), _substitute(texts[1], values)


def apply_template(site_dir: Path, name: str, request: NewIncident, values: Mapping[str, str]) -> NewIncident:
    """``request`` completed by the template ``name``: what the request gives wins, the template fills the rest.

    Components are the template's, changed or added to by the request's;
    ``{components}`` names them all.
    """
    _, catalogue = site_settings(site_dir)
    template = load_template(site_dir, name, catalogue)
    statuses = {**template.components, **parse_components(request.components, catalogue)}
    names = ", ".join(catalogue[cid].name for cid in statuses) or NO_COMPONENTS
    title, body = template.fill({**values, "components": names}, title=not request.title, body=request.body is None)
    return replace(
        request,
        title=request.title or title,
        body=request.body if request.body is not None else body,
        components=[f"{cid}={status.value}" for cid, status in statuses.items()],
        impact=request.impact or (template.impact.value if template.impact else None),
        status=request.status or (template.status.value if template.status else None),
    )


def template_files(site_dir: Path) -> list[Path]:
    """The site's template files, by name."""
    folder = site_dir / TEMPLATES_DIR
    return sorted(p for p in folder.iterdir() if p.suffix in MARKDOWN_SUFFIXES) if folder.is_dir() else []


def load_template(site_dir: Path, name: str, catalogue: dict[str, Component]) -> Template:
    """The template ``name``: the site's, else sitegen's own of that name; an error with its problems, or the names.

    sitegen's own (those ``sitegen init`` writes) let a site made before
    templates existed draft incidents from alerts all the same.
    """
    files = {p.stem: p for p in (*template_files(BUILT_IN), *template_files(site_dir))}
    if name not in files:
        known = ", ".join(sorted(files))
        raise AuthoringError(f"no template '{name}'{suggestion(name, files)}", hints=[f"templates: {known}"])
    problems = Problems()
    template = read_template(files[name], catalogue, problems)
    if template is None:
        raise AuthoringError(f"template '{name}' has errors: fix them first", problems.errors)
    return template


def check_templates(site_dir: Path) -> list[Problem]:
    """Every problem of every template of the site, for ``sitegen check``.

    Component ids are checked against sitegen.toml's when it loads (its own
    problems are the loader's to report), and so is the template its
    [alerts] table names, which an alert needs in the middle of an outage.
    """
    config, components = load_config(site_dir, Problems())
    catalogue = {c.id: c for c in components} if components is not None else None
    problems = Problems()
    for path in template_files(site_dir):
        read_template(path, catalogue, problems)
    names = {p.stem for p in (*template_files(BUILT_IN), *template_files(site_dir))}
    if config is not None and config.alerts.template not in names:
        source, name = config.alerts.source, config.alerts.template
        problems.error(
            source.path,
            source.line_of("template"),
            f"[alerts] template '{name}' is not in {TEMPLATES_DIR.as_posix()}/, so no alert could be drafted"
            f"{suggestion(name, names)}",
        )
    return problems.errors


def read_template(path: Path, catalogue: dict[str, Component] | None, problems: Problems) -> Template | None:
    """The template in ``path``, or None with its problems reported (``catalogue`` None: ids are not checked)."""
    try:
        document = parse_document(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, 1, f"cannot read the template: {exc}")
        return None
    except FrontMatterError as exc:
        problems.error(path, exc.line, exc.message)
        return None
    fields = Fields(problems, path, document.meta, what="the template's front matter", allowed=TEMPLATE_KEYS)
    template = Template(
        name=path.stem,
        title=fields.text("title", required=True),
        body=document.body,
        impact=fields.choice("impact", USER_IMPACTS),
        status=fields.choice("status", INCIDENT_STATUSES),
        components=component_statuses(fields, "components", catalogue),
    )
    _check_placeholders(fields, template.title, document.meta.line_of("title"))
    for offset, line in enumerate(document.body.split("\n")):
        _check_placeholders(fields, line, document.body_line + offset, in_body=True)
    if not document.body.strip():
        fields.error_at(document.body_line, "the template has no text after its front matter: write the first update")
    return template if fields.passed else None


def placeholders(text: str) -> set[str]:
    """The names of the placeholders in a checked text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_placeholders(fields: Fields, text: str, line: int, *, in_body: bool = False) -> None:
    """Report braces that do not make a known ``{name}`` placeholder."""
    where = "the text" if in_body else "'title'"
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        fields.error_at(line, f"{where} has an unmatched '{{' or '}}': write '{{{{' or '}}}}' for a brace itself")
        return
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            hint = suggestion(name, PLACEHOLDERS) or f"; use one of {_braced(PLACEHOLDERS)}"
            fields.error_at(line, f"{where} has the unknown placeholder {{{name}}}{hint}")
        elif spec or conversion:
            written = f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
            fields.error_at(line, f"{where} has {written}: write {{{name}}}, a placeholder takes no '!' or ':'")


def _substitute(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each placeholder replaced by its value as plain text, once."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(NOT_YAML_TEXT.sub("", values[name]))
    return "".join(parts)


def _braced(names: Iterable[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in names)
