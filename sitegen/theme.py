"""Finding a theme's templates and assets, the site's own theme layered over the default one.

A site's theme may override any template or asset of the default theme. The
default theme stays reachable as ``default/<name>`` so an override can
extend the original and change a single block.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen import formatting
from sitegen.markdown import render_inline, render_markdown

PACKAGE_DIR = Path(__file__).resolve().parent


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

    @classmethod
    def for_site(cls, site_dir: Path, name: str) -> Theme:
        default = default_theme_dir()
        if name == "default":
            return cls((default,))
        return cls((site_dir / "themes" / name, default))

    def environment(self) -> jinja2.Environment:
        """A Jinja environment with autoescaping on and undefined names as errors."""
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
            day=formatting.day_label,
            month=formatting.month_label,
        )
        return env

    def assets(self) -> dict[str, Path]:
        """Every static file by its name under ``static/``; the site's theme wins over the default."""
        found: dict[str, Path] = {}
        for directory in reversed(self.dirs):
            static = directory / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        found[path.relative_to(static).as_posix()] = path
        return found
