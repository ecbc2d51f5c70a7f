"""Which sitegen a site's workflows install: the wheel the site carries (the default), or the package index.

The wheel route works before sitegen's first release, in a private fork and
while the package index is down: ``sitegen init`` writes the running
sitegen's wheel into ``.sitegen/`` and a ``requirements.txt`` line that
installs it, checked against its SHA-256; ``sitegen upgrade`` swaps both for
the sitegen that runs it. The index route (``sitegen init --from-index``)
pins ``sitegen-status~=<version>``, or the commit of a Git install, for teams
that prefer to take fixes from the index once releases exist.

uv (which the workflows install with) checks a hash where a line has one and
resolves the other requirements as usual; pip would ask a hash of every
dependency, so ``requirements.txt`` says to use uv, or to install the wheel
by its path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import sitegen
from sitegen import __version__
from sitegen.authoring.safe_write import create, locked, replace
from sitegen.authoring.user_input import AuthoringError
from sitegen.authoring.wheel import WHEEL_DIR, Wheel, own_wheel
from sitegen.errors import display_path

REQUIREMENTS = "requirements.txt"
WHEEL_LINE = re.compile(
    rf"^\./{re.escape(WHEEL_DIR)}/(?P<name>[\w.]+-(?P<version>[^-\s]+)-py3-none-any\.whl)"
    r" --hash=sha256:[0-9a-f]{64}$",
    re.M,
)
"""The requirements.txt line of the wheel route, as init and upgrade write it."""
WHEEL_NOTE = f"""\
# The sitegen that builds and checks this site: the wheel in {WHEEL_DIR}/, which 'sitegen init' wrote and
# 'sitegen upgrade' replaces, checked against its SHA-256. It needs no package index, so the site deploys
# before sitegen's first release and while an index is down.
# Install: uv pip install -r requirements.txt (as the workflows do), or pip install {WHEEL_DIR}/*.whl
# (pip asks a hash of every dependency once one line has one).
"""
INDEX_NOTE = """\
# The sitegen that builds and checks this site, for the GitHub workflows (uv pip install -r requirements.txt).
# It is published on PyPI as sitegen-status once released; a plain 'sitegen' there is another project.
"""


@dataclass(frozen=True)
class Pin:
    """What a new site installs sitegen from: its ``requirements.txt`` text and any file it needs beside it."""

    requirements: str
    wheel: Wheel | None = None

    @property
    def line(self) -> str:
        """The requirement itself, without the comments above it."""
        return self.requirements.splitlines()[-1]


def wheel_pin() -> Pin:
    """The wheel route: this very sitegen, carried by the site."""
    wheel = own_wheel()
    return Pin(f"{WHEEL_NOTE}{wheel.requirement}\n", wheel)


def index_pin() -> Pin:
    """The index route: this release (or the commit of a Git install) by name."""
    return Pin(f"{INDEX_NOTE}{sitegen_requirement()}\n")


def sitegen_requirement() -> str:
    """The requirement that installs this very sitegen, and no other project, from an index or its Git repository.

    An install from a Git repository (PEP 610's direct_url.json) is pinned to
    its commit; anything else (the package index, a wheel, a local checkout)
    becomes ``sitegen-status~=<version>``: this release, or a later one with
    fixes only. The name is the package index's: plain ``sitegen`` there is an
    unrelated project.
    """
    try:
        direct = metadata.distribution(sitegen.DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        direct = None
    return requirement_from_direct_url(direct, version=__version__)


def requirement_from_direct_url(direct_url_json: str | None, *, version: str) -> str:
    """``sitegen-status @ git+URL@COMMIT`` for a Git install recorded in ``direct_url.json``, else ``~=version``."""
    name = sitegen.DISTRIBUTION
    if direct_url_json:
        try:
            direct = json.loads(direct_url_json)
        except ValueError:
            direct = {}
        vcs = direct.get("vcs_info") if isinstance(direct, dict) else None
        if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id") and direct.get("url"):
            return f"{name} @ git+{direct['url']}@{vcs['commit_id']}"
    return f"{name}~={version}"


@dataclass(frozen=True)
class Upgrade:
    """What ``upgrade_site`` did: the version the site had, and the one it has now."""

    before: str
    after: str
    changed: bool


def upgrade_site(site_dir: Path) -> Upgrade:
    """Put the running sitegen's wheel in the site, in place of the one its requirements.txt installs.

    The new wheel is written first and the requirement line swapped after, so
    an interrupted upgrade leaves a site that still installs its old sitegen.
    """
    path = site_dir / REQUIREMENTS
    with locked(path):
        text = _read(path)
        line = WHEEL_LINE.search(text)
        if line is None:
            raise AuthoringError(
                f"{display_path(path)} does not install sitegen from a wheel in {WHEEL_DIR}/: "
                f"for the package index, change the version there; to carry the wheel instead, "
                f"replace the sitegen line with what 'sitegen init --help' describes"
            )
        wheel = own_wheel()
        new_text = text[: line.start()] + wheel.requirement + text[line.end() :]
        if new_text == text:
            return Upgrade(line["version"], __version__, changed=False)
        target = site_dir / wheel.path
        (replace if target.exists() else _create_with_folder)(target, wheel.data)
        replace(path, new_text.encode("utf-8"))
        if line["name"] != wheel.name:
            (site_dir / WHEEL_DIR / line["name"]).unlink(missing_ok=True)
        return Upgrade(line["version"], __version__, changed=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthoringError(
            f"{display_path(path)} is missing: run sitegen upgrade in a site made by sitegen init"
        ) from None


def _create_with_folder(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    create(path, data)
