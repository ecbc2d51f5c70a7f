"""Finding a theme's templates and assets, the site's own theme layered over the default one.

A site's theme may override any template or asset of the default theme. The
default theme stays reachable as ``default/<name>`` so an override can
extend the original and change a single block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.errors import Problems
from sitegen.views import formatting
from sitegen.views.markdown import render_inline, render_markdown

PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""The installed ``sitegen`` package folder."""


def default_theme_dir() -> Path:
    """The default theme: inside the installed package, or at the top of a source checkout."""
    for candidate in (PACKAGE_DIR / "themes" / "default", PACKAGE_DIR.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from this installation of sitegen")


@dataclass(frozen=True)
class Theme:
    """The folders a site's look comes from, most specific first."""

    dirs: tuple[Path, ...]
    site_dir: Path
    """The site folder, which the site's own theme (all of ``dirs`` but the last) must not link out of."""

    @classmethod
    def for_site(cls, site_dir: Path, name: str) -> Theme:
        default = default_theme_dir()
        if name == "default":
            return cls((default,), site_dir)
        return cls((site_dir / "themes" / name, default), site_dir)

    def environment(self) -> jinja2.Environment:
        """A Jinja environment with autoescaping on and undefined names as errors.

        Raises ContentError if a template of the site's theme links outside the site folder.
        """
        self._check_inside_site("templates")
        layered = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d / "templates") for d in self.dirs])
        loader = jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(self.dirs[-1] / "templates")})
        env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([layered, loader]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(
            markdown=render_markdown,
            markdown_inline=render_inline,
            iso=formatting.iso,
            duration=formatting.duration_label,
            count=formatting.count_label,
            plural=formatting.plural,
            day=formatting.day_label,
            month=formatting.month_label,
        )
        return env

    def assets(self) -> dict[str, Path]:
        """Every static file by its name under ``static/``; the site's theme wins over the default.

        Raises ContentError if a file of the site's theme links outside the site folder.
        """
        self._check_inside_site("static")
        found: dict[str, Path] = {}
        for directory in reversed(self.dirs):
            static = directory / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        found[path.relative_to(static).as_posix()] = path
        return found

    def _check_inside_site(self, folder: str) -> None:
        """Refuse symlinks out of the site folder in the site's theme: a build would publish their targets.

        A theme comes in a pull request like content does; a link to
        ``/etc/passwd`` or ``~/.ssh/id_rsa`` under ``static/`` would otherwise be
        copied into the public site, and one under ``templates/`` rendered
        into every page. The default theme (the last folder) is sitegen's own.
        """
        root = self.site_dir.resolve()
        problems = Problems()
        for directory in self.dirs[:-1]:
            base = directory / folder
            if not base.exists():
                continue
            for path in [base, *sorted(base.rglob("*"))]:
                try:
                    inside = path.resolve().is_relative_to(root)
                except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop on resolve()
                    problems.error(path, 1, f"cannot read this theme file: {exc}")
                    continue
                if not inside:
                    what = "folder" if path.is_dir() else "file"
                    problems.error(
                        path, 1, f"this theme {what} links to a place outside the site folder: copy it in instead"
                    )
        problems.raise_if_errors()
