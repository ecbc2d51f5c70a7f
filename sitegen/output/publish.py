"""Writing a finished site: all files at once, into a folder sitegen owns, or not at all.

Everything is rendered in memory first, then written to a fresh folder beside
the target and swapped in by renaming, so readers of the old site never see
a half-written one and a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from pathlib import Path

from sitegen.errors import OutputError

MARKER = ".sitegen-output"
MARKER_TEXT = "This folder is written by sitegen build; it is replaced whole on every build.\n"


class SiteFiles(dict):
    """The files of a site by path; two outputs claiming one path is a bug, caught here."""

    def add(self, path: str, data: bytes) -> None:
        normal = posixpath.normpath(path)
        if normal != path or path.startswith(("/", "../")) or path == "..":
            raise ValueError(f"output path {path!r} is not a plain relative path")
        if path in self:
            raise ValueError(f"two outputs claim {path!r}")
        self[path] = data

    def add_all(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            self.add(path, data)


def check_target(out_dir: Path, site_dir: Path, *, force: bool) -> None:
    """Refuse to replace a folder that is not sitegen's output; raise OutputError saying why."""
    target = out_dir.resolve()
    site = site_dir.resolve()
    if target in (Path(target.anchor), Path.home().resolve()) or target in site.parents or target == site:
        raise OutputError(f"refusing to replace {out_dir}: it is not an output folder; choose another with -o")
    if target == site / "content" or site / "content" in target.parents or site / "themes" in target.parents:
        raise OutputError(f"refusing to write the site into {out_dir}: it holds the site's own files")
    if force or not target.exists():
        return
    if not target.is_dir():
        raise OutputError(f"{out_dir} is a file, not a folder: choose another output folder with -o")
    if any(target.iterdir()) and not (target / MARKER).is_file():
        raise OutputError(
            f"{out_dir} holds files sitegen did not write; building would delete them. "
            "Choose an empty or new folder with -o, or pass --force to replace it anyway"
        )


def publish(files: SiteFiles, out_dir: Path) -> None:
    """Write ``files`` to a new folder and swap it in for ``out_dir`` in one rename."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir, "new"), dir=out_dir.parent))
    try:
        _write_tree(files, staging)
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _staging_prefix(out_dir: Path, kind: str) -> str:
    """Names of the folders beside ``out_dir`` that a build works in: '.public.new-…', '.public.old-…'."""
    return f".{out_dir.name}.{kind}-"


def _remove_leftovers(out_dir: Path) -> None:
    """Delete what a killed build left beside the output folder (a kill skips every cleanup)."""
    for kind in ("new", "old"):
        for leftover in out_dir.parent.glob(_staging_prefix(out_dir, kind) + "*"):
            if (leftover / MARKER).is_file() or not any(leftover.iterdir()):
                shutil.rmtree(leftover, ignore_errors=True)


def _write_tree(files: SiteFiles, root: Path) -> None:
    (root / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    made: set[Path] = set()
    for path in sorted(files):
        target = root / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(files[path])
    os.chmod(root, 0o755)  # mkdtemp makes it private; a web server must read it


def _swap(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=_staging_prefix(out_dir, "old"), dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)
