"""sitegen's own wheel, made from the running installation, so that a site can install it with no package index.

A site made by ``sitegen init`` carries the exact sitegen that made it, as
Gradle, Maven and Yarn projects carry their build tool's wrapper: the wheel
sits in ``.sitegen/`` and ``requirements.txt`` pins it by its SHA-256. The
site's workflows then deploy on a runner where ``sitegen-status`` resolves on
no index (before the first release, in a private fork, or during an index
outage), and ``sitegen upgrade`` swaps in the sitegen that runs it.

The wheel is packed from what this sitegen runs from (an installed wheel or a
source checkout alike): the ``sitegen`` package, the default theme at the
place a wheel puts it, and the distribution's metadata. Entries are sorted and
dated 1980-01-01, so the same sitegen always gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tomllib
import zipfile
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path

import sitegen
from sitegen import __version__
from sitegen.authoring.user_input import AuthoringError
from sitegen.views.theme import default_theme_dir

PACKAGE_DIR = Path(sitegen.__file__).resolve().parent
WHEEL_DIR = ".sitegen"
"""Where a site keeps its wheel, beside the JSON Schemas its editor reads."""
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
WHEEL_METADATA = "Wheel-Version: 1.0\nGenerator: sitegen\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
LEFT_OUT = ("__pycache__",)


@dataclass(frozen=True)
class Wheel:
    """A wheel's file name and bytes."""

    name: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def path(self) -> str:
        """Where a site keeps it, relative to the site's folder (POSIX)."""
        return f"{WHEEL_DIR}/{self.name}"

    @property
    def requirement(self) -> str:
        """The requirements.txt line that installs it, checked against its hash (uv and pip read it alike)."""
        return f"./{self.path} --hash=sha256:{self.sha256}"


def own_wheel() -> Wheel:
    """The wheel of the sitegen that is running: same code, theme, data and metadata as its release would have."""
    stem = f"{sitegen.DISTRIBUTION.replace('-', '_')}-{__version__}"
    files = {**_package_files(), **_dist_info(f"{stem}.dist-info")}
    record = f"{stem}.dist-info/RECORD"
    files[record] = _record(files, record)
    return Wheel(f"{stem}-py3-none-any.whl", _zip(files))


def _package_files() -> dict[str, bytes]:
    """The package's files by their path in the wheel; the default theme goes where the wheel puts it."""
    files = _tree(PACKAGE_DIR, "sitegen")
    files.update(_tree(default_theme_dir(), "sitegen/themes/default"))
    return files


def _tree(folder: Path, prefix: str) -> dict[str, bytes]:
    return {
        f"{prefix}/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not set(LEFT_OUT) & set(path.relative_to(folder).parts) and path.suffix != ".pyc"
    }


def _dist_info(folder: str) -> dict[str, bytes]:
    """The distribution's metadata as installed (the build backend wrote it), with a WHEEL file of this packing."""
    distribution = _installed_distribution()
    files = {f"{folder}/WHEEL": WHEEL_METADATA.encode()}
    for name in ("METADATA", "entry_points.txt", "licenses/LICENSE"):
        text = distribution.read_text(name)
        if text is not None:
            files[f"{folder}/{name}"] = text.encode("utf-8")
    return files


def _installed_distribution() -> metadata.Distribution:
    """sitegen's installed metadata, refused when the running code has moved on from it.

    A source checkout installed for development keeps the metadata of the
    day it was installed: a version or a dependency added since would make
    a wheel that installers refuse, or that installs without what the code
    imports.
    """
    distribution = metadata.distribution(sitegen.DISTRIBUTION)
    declared = _declared_dependencies()
    installed = {_normal(r) for r in distribution.requires or () if "extra ==" not in r}
    if distribution.version != __version__ or (declared is not None and declared != installed):
        raise AuthoringError(
            "this sitegen's installed metadata is older than its code (its version or dependencies changed since): "
            "install it again (pip install -e .) and run the command again"
        )
    return distribution


def _declared_dependencies() -> set[str] | None:
    """The dependencies pyproject.toml declares, when sitegen runs from a source checkout; None when installed."""
    pyproject = PACKAGE_DIR.parent / "pyproject.toml"
    if not pyproject.is_file():
        return None
    project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    return {_normal(r) for r in project.get("dependencies", [])}


def _normal(requirement: str) -> str:
    """A requirement as metadata writes it: the name lower-cased, '_' as '-', no spaces."""
    return requirement.lower().replace("_", "-").replace(" ", "")


def _record(files: dict[str, bytes], record: str) -> bytes:
    """The RECORD of every other file, as the wheel format asks (urlsafe base64 SHA-256, no padding)."""
    lines = []
    for name, data in sorted(files.items()):
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    return ("\n".join([*lines, f"{record},,"]) + "\n").encode()


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items(), key=lambda item: (item[0].count(".dist-info/"), item[0])):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
