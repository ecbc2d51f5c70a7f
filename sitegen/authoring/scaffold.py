"""Creating a new site: the files ``sitegen init`` writes, checked to build before any is written.

The files come from the package's ``site_template/`` folder. A path part
starting with ``dot-`` is written with a plain ``.`` (``dot-github/`` becomes
``.github/``), so the template's own ``.gitignore``, workflows and editor
settings never act on sitegen's repository. ``{{name}}`` placeholders are
filled in; the JSON Schemas in ``sitegen/schemas/`` are added under
``.sitegen/schemas/`` for editors.

A new repository on GitHub often starts with a README, a LICENSE and a
``.gitignore``: the site's files are added beside whatever is there, and a
file that exists already is kept as it is and reported, never written over.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import sitegen
from sitegen.authoring.pinning import REQUIREMENTS, Pin, index_pin, wheel_pin
from sitegen.content.loader import load_site
from sitegen.errors import ContentError, Problem, UserError, display_path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATE_DIR = Path(__file__).resolve().parent / "site_template"
SCHEMAS_DIR = PACKAGE_DIR / "schemas"
SITE_SCHEMAS_DIR = ".sitegen/schemas"
DOT_PREFIX = "dot-"
PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
SITE_OWN = ("sitegen.toml", "content")
"""What only a site holds: a folder with one of them is a site already, which ``init`` leaves alone."""
GITIGNORE = ".gitignore"

DEFAULT_TITLE = "Service Status"
DEFAULT_BASE_URL = "https://example.github.io/status/"


class ScaffoldError(UserError):
    """The site cannot be created; nothing was written, as its last line says."""

    def __init__(self, message: str, problems: Iterable[Problem] = ()):
        super().__init__(message, problems, hints=["Nothing was written."])


@dataclass(frozen=True)
class NewSite:
    """What ``create_site`` wrote: the folder and its files (POSIX paths relative to it), in order.

    ``skipped`` are the files it did not write because the folder already
    had them, each with what the user may want to add to their own version.
    """

    directory: Path
    files: tuple[str, ...]
    example_incident: str
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file of the template that was already there, kept as it was; ``advice`` says what sitegen needs in it."""

    name: str
    advice: str = ""


def create_site(directory: Path, *, title: str, base_url: str, now: datetime, pin: Pin | None = None) -> NewSite:
    """Write a new site that builds as it is into ``directory``, beside any files already there.

    The example incident is resolved two days before ``now``, so the new site
    shows "All Systems Operational" and one incident in its history. A file
    that exists is kept and listed in ``skipped``; nothing is ever written
    over. ``pin`` says where the workflows install sitegen from (default:
    the wheel of this sitegen, written into the site). Raise ScaffoldError,
    writing nothing, if the folder is a site already, or the title or base
    URL would make a site that does not load.
    """
    _check_not_a_site(directory)
    pin = pin or wheel_pin()
    files = site_files(title=title, base_url=base_url, now=now, pin=pin)
    _check_loads(files, directory, base_url=base_url, now=now)
    written: list[str] = []
    skipped: list[Skipped] = []
    for name, data in files.items():
        if _write_new(directory, name, data):
            written.append(name)
        else:
            skipped.append(Skipped(name, _advice(directory, name, pin)))
    slug = next(n for n in files if n.startswith("content/incidents/"))
    return NewSite(directory, tuple(written), Path(slug).stem, tuple(skipped))


def site_files(*, title: str, base_url: str, now: datetime, pin: Pin) -> dict[str, bytes]:
    """Every file of the new site by relative POSIX path: the template filled in, the schemas, and the pin."""
    day = (now - timedelta(days=2)).date()
    values = {
        "title": toml_string(title),
        "base_url": toml_string(base_url),
        "day": day.isoformat(),
        "writeup_day": (day + timedelta(days=1)).isoformat(),
        "example_slug": f"{day.isoformat()}-elevated-api-errors",
        "example_writeup": f"{day.isoformat()}-elevated-api-errors-review",
        "base_url_yaml": json.dumps(base_url),  # a JSON string is a YAML one
        "repository": sitegen.REPOSITORY,
    }
    files: dict[str, bytes] = {}
    for source in sorted(TEMPLATE_DIR.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            name = _fill(_target_name(source.relative_to(TEMPLATE_DIR).as_posix()), values, source)
            files[name] = _fill(source.read_text(encoding="utf-8"), values, source).encode("utf-8")
    for schema in sorted(SCHEMAS_DIR.glob("*.schema.json")):
        files[f"{SITE_SCHEMAS_DIR}/{schema.name}"] = schema.read_bytes()
    files[REQUIREMENTS] = pin.requirements.encode("utf-8")
    if pin.wheel is not None:
        files[pin.wheel.path] = pin.wheel.data
    return files


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _target_name(template_name: str) -> str:
    parts = template_name.split("/")
    return "/".join("." + p[len(DOT_PREFIX) :] if p.startswith(DOT_PREFIX) else p for p in parts)


def _fill(text: str, values: dict[str, str], source: Path) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise KeyError(f"{source}: unknown placeholder {match.group(0)}")  # a bug in the template
        return values[match.group(1)]

    return PLACEHOLDER.sub(value, text)


def _check_not_a_site(directory: Path) -> None:
    if not directory.exists():
        return
    if not directory.is_dir():
        raise ScaffoldError(f"{display_path(directory)} is a file: give the name of a folder for the site")
    own = [name for name in SITE_OWN if (directory / name).exists()]
    if own:
        raise ScaffoldError(
            f"{display_path(directory)} already holds a site ({', '.join(own)}): "
            "sitegen init makes a new one, and never writes over a site's files"
        )


def _write_new(directory: Path, name: str, data: bytes) -> bool:
    """Write ``directory/name`` unless something is already there (or in the way); False when skipped."""
    path = directory / name
    for parent in reversed(path.relative_to(directory).parents):
        folder = directory / parent
        if folder.exists() and not folder.is_dir():
            return False  # a file where the template has a folder: keep it
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "xb") as handle:  # 'x': never over an existing file, even one made a moment ago
            handle.write(data)
    except FileExistsError:
        return False
    return True


def _advice(directory: Path, name: str, pin: Pin) -> str:
    """What sitegen needs in a file the folder already had, if anything."""
    if name == GITIGNORE:
        text = _read_text(directory / name)
        if not re.search(r"^/?public/?\s*$", text, re.M):
            return "add the line /public/ to it, so that the built site is not committed"
    elif name == REQUIREMENTS:
        if sitegen.DISTRIBUTION not in _read_text(directory / name):
            return (
                f"add the line {index_pin().requirements.splitlines()[-1]} to it: the workflows install sitegen from it"
            )
    return ""


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:  # a folder, or unreadable: then there is nothing to advise on its lines
        return ""


def _check_loads(files: dict[str, bytes], directory: Path, *, base_url: str, now: datetime) -> None:
    """Load the new site from a scratch folder, so that a bad --title or --base-url writes nothing.

    The problems name each file where it would have been written in ``directory``.
    """
    with tempfile.TemporaryDirectory(prefix="sitegen-init-") as scratch:
        root = Path(scratch)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        try:
            load_site(root, now=now, base_url=base_url)
        except ContentError as exc:
            problems = [replace(p, path=_moved(p.path, root, directory)) for p in exc.problems]
            raise ScaffoldError("the new site would not load with this --title or --base-url:", problems) from None


def _moved(path: Path, scratch: Path, directory: Path) -> Path:
    """``path`` in the scratch folder as it would be in ``directory`` (a file elsewhere, a theme's, stays)."""
    try:
        return directory / path.relative_to(scratch)
    except ValueError:
        return path
