"""Finding a theme's templates and assets, the site's own theme layered over the default one.

A site's theme may override any template or asset of the default theme. The
default theme stays reachable as ``default/<name>`` so an override can
extend the original and change a single block.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path, PurePath
from types import ModuleType
from typing import Any

import jinja2
import jinja2.nodes
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from sitegen.analysis.uptime import UptimeFigure
from sitegen.errors import Problems
from sitegen.views import formatting
from sitegen.views.i18n import THEME_CATALOGUES, Localizer, english
from sitegen.views.markdown import MarkdownRenders
from sitegen.views.template_budget import BudgetedSandbox, budget_environment

HIDDEN_ATTRIBUTES = frozenset({"source", "notify", "tz"})
"""Fields of the model a page never shows: where a record was read (a file path), the [[notify]] channels
(who is told, through which variables) and the timezone object (``local_time`` formats times)."""
UNSAFE_VALUES: tuple[type, ...] = (PurePath, ModuleType, type, io.IOBase, tzinfo)
"""Values no template may reach, whatever attribute they come from: each one leads to files, code or the system."""

NOW_FILTERS = frozenset({"relative"})
"""The filters that read the build's time: a page using one changes with it (see sitegen.views.template_reads)."""

MAX_COMPILED = 512
"""Compiled templates kept in a process at most (the shipped theme has about thirty)."""

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

    @property
    def shipped(self) -> bool:
        """Whether the theme is the default one alone: sitegen's own templates, as trusted as its code."""
        return len(self.dirs) == 1

    def environment(self, markdown: MarkdownRenders | None = None) -> jinja2.Environment:
        """A Jinja environment with autoescaping on and undefined names as errors; sandboxed for a site's theme.

        Its ``markdown`` filters take their HTML from ``markdown``, the renders of a build's texts (by default
        renders of the environment's own).

        A site's theme arrives in pull requests like its content, and
        ``sitegen check`` renders it in CI: its templates must not run code,
        read files or change the model, so they render in a ``ThemeSandbox``
        with a budget per page. The shipped theme alone needs neither, and
        renders the same bytes in a plain environment for about an eighth less
        of a build's time (the sandbox checks every attribute a page reads).

        Raises ContentError if a template of the site's theme links outside the site folder.
        """
        self._check_inside_site("templates")
        layered = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d / "templates") for d in self.dirs])
        loader = jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(self.dirs[-1] / "templates")})
        env = (jinja2.Environment if self.shipped else ThemeSandbox)(
            loader=jinja2.ChoiceLoader([layered, loader]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one environment per build: no template changes under it, so no file stat per page
            extensions=["jinja2.ext.i18n"],
        )
        env.bytecode_cache = _COMPILED[type(env)]
        env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks and indents are not its words
        markdown = markdown or MarkdownRenders()
        env.filters.update(
            markdown=markdown.render,
            markdown_inline=markdown.render_inline,
            iso=formatting.iso,
            duration=_duration,
            gap=_gap,
            day=_day,
            month=_month,
            percent=_percent,
            relative=_relative,
        )
        install_language(env, english())
        if isinstance(env, ThemeSandbox):
            budget_environment(env)
        return env

    def fingerprint(self) -> str:
        """A digest of every template and catalogue of the theme, the default theme's too: what pages look like.

        Raises ContentError if a file of the site's theme links outside the site folder (it is not read).
        """
        self._check_inside_site("templates")
        self._check_inside_site(THEME_CATALOGUES)
        hasher = hashlib.blake2b(digest_size=16)
        for directory in self.dirs:
            for folder in ("templates", THEME_CATALOGUES):
                for path in sorted((directory / folder).rglob("*")):
                    if path.is_file():
                        name, data = path.relative_to(directory).as_posix().encode(), path.read_bytes()
                        hasher.update(b"%d:%s%d:%s" % (len(name), name, len(data), data))
            hasher.update(b"|")
        return hasher.hexdigest()

    def catalogue_dirs(self) -> tuple[Path, ...]:
        """The folders of the site's own theme, whose ``locale/<language>.po`` add to the shipped catalogues.

        Raises ContentError if a file there links outside the site folder, as for templates.
        """
        self._check_inside_site(THEME_CATALOGUES)
        return self.dirs[:-1]

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


def install_language(env: jinja2.Environment, words: Localizer) -> None:
    """Give templates the site's language: the gettext functions of Jinja's i18n extension (newstyle, so
    placeholders are filled and escaped by Jinja), ``language`` and ``local_time``. The filters of the
    language read it from here, so that every page of a build speaks the same one."""
    callables = words.gettext_callables()
    env.install_gettext_callables(newstyle=True, **callables)  # type: ignore[attr-defined]
    env.globals.update(_=_translator(callables["gettext"]), language=words, local_time=words.time)


def _translator(translate: Callable[[str], str]) -> Callable[..., str]:
    """``_()`` for templates: what the i18n extension's newstyle ``_`` does, in one call rather than three.

    Jinja's ``_`` looks ``gettext`` up in the context and calls it through
    the context, which calls the catalogue through the context again: a
    page says ``_()`` dozens of times, and each call through the context
    costs more than the translation. The result is the same: the message
    translated, made Markup where output is escaped (so the values filled
    in are escaped), and always formatted, so ``%%`` means one ``%``.
    """

    @jinja2.pass_eval_context
    def translated(eval_ctx: jinja2.nodes.EvalContext, message: str, **values: Any) -> str:
        text = translate(message)
        return (Markup(text) if eval_ctx.autoescape else text) % values

    return translated


def _language(env: jinja2.Environment) -> Localizer:
    words = env.globals["language"]
    assert isinstance(words, Localizer), "install_language() gives every environment its language"
    return words


@jinja2.pass_environment
def _duration(env: jinja2.Environment, span: timedelta) -> str:
    return _language(env).duration(span)


@jinja2.pass_environment
def _gap(env: jinja2.Environment, span: timedelta) -> str:
    return _language(env).gap(span)


@jinja2.pass_environment
def _day(env: jinja2.Environment, day: date) -> str:
    return _language(env).day(day)


@jinja2.pass_environment
def _month(env: jinja2.Environment, day: date) -> str:
    return _language(env).month(day)


@jinja2.pass_environment
def _percent(env: jinja2.Environment, figure: UptimeFigure) -> str:
    return _language(env).percent(figure)


@jinja2.pass_environment
def _relative(env: jinja2.Environment, moment: datetime) -> str:
    """``moment`` from the build's ``now``: '16 minutes ago', 'il y a 16 minutes'."""
    now = env.globals["now"]
    assert isinstance(now, datetime), "the renderer gives templates the build's time"
    return _language(env).relative(moment, now)


class CompiledTemplates(BytecodeCache):
    """Templates compiled in this process, for the environments of its later builds (a preview rebuilds on every
    save): each is found by its name and the checksum of its source, Jinja's own key, so an edited template is
    compiled again. Held in memory only: a compiled template is code, and no file may hold code."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        if len(self._code) >= MAX_COMPILED:  # a long preview of a theme being written: start again
            self._code.clear()
        self._code[bucket.key] = bucket.bytecode_to_string()


class ThemeSandbox(BudgetedSandbox, ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also closed to the few values of the model that lead outside it.

    The sandbox already refuses private and internal attributes (so no
    ``__globals__`` or ``__subclasses__``), unsafe callables and changes to
    lists, dicts and sets. What it cannot know is which public attributes of
    sitegen's own objects reach the system: a record's ``source.path`` is a
    ``Path`` whose methods read and delete files, a module given as a value
    exposes everything it imported. Those are refused here by name and by type.

    Every check depends only on the object's type, the attribute's name and
    the value's type, so each answer is kept: the sandbox checks each of the
    hundreds of thousands of attribute reads of a large site's build, and
    the checks themselves (a dozen ``isinstance`` calls, some against
    abstract classes) had nearly doubled the time spent rendering.

    Each page's work is counted against a budget (:mod:`.template_budget`).
    """

    def __init__(self, **options: Any):
        super().__init__(**options)
        self._safe: dict[tuple[type, str, type], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr, type(value))
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = (
                attr not in HIDDEN_ATTRIBUTES
                and not isinstance(value, UNSAFE_VALUES)
                and bool(super().is_safe_attribute(obj, attr, value))
            )
        return safe


_COMPILED: dict[type[jinja2.Environment], CompiledTemplates] = {
    jinja2.Environment: CompiledTemplates(),
    ThemeSandbox: CompiledTemplates(),  # the sandbox compiles with a code generator of its own (the budget)
}
