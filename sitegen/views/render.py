"""Rendering the site's HTML pages from the model with the theme's templates."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

import jinja2

from sitegen.content.model import Site
from sitegen.errors import ContentError, Problem
from sitegen.output import urls
from sitegen.parallel import parallel_map
from sitegen.views.i18n import Localizer, site_words
from sitegen.views.pages import Page
from sitegen.views.theme import Theme, install_language

TEMPLATE_URLS = (
    "home",
    "history",
    "incident",
    "component",
    "writeup",
    "feed",
    "metrics",
    "badge",
    "calendar",
    "asset",
    "api",
)
"""The functions of ``sitegen.output.urls`` templates may call (as ``urls.<name>``): the module itself is not given."""


class PageRenderer:
    """Renders pages of one site; the environment and its templates are compiled once.

    ``words`` is the site's language, its theme's catalogues included, which the build reads once for all
    its outputs; without it, pages speak the site's language with the shipped catalogues alone.
    """

    def __init__(self, site: Site, theme: Theme, words: Localizer | None = None):
        self.site = site
        self.env = theme.environment()
        install_language(self.env, words or site_words(site))
        self.env.globals.update(
            site=site,
            config=site.config,
            now=site.now,
            urls=SimpleNamespace(**{name: getattr(urls, name) for name in TEMPLATE_URLS}),
        )

    def render(self, page: Page) -> bytes:
        base_url = self.site.config.base_url
        link = urls.Linker.for_not_found(base_url) if page.path == urls.NOT_FOUND else urls.Linker(page.path)
        try:
            template = self.env.get_template(page.template)
            html = template.render(
                page.context,
                page_path=page.path,
                link=link,
                canonical=urls.absolute(base_url, page.path),
            )
        except jinja2.TemplateError as exc:
            raise ContentError([_template_problem(exc, page)]) from None
        return html.encode("utf-8")

    def render_all(self, pages: Iterable[Page]) -> dict[str, bytes]:
        pages = list(pages)
        rendered = parallel_map(self.render, pages)
        return {urls.output_file(page.path): html for page, html in zip(pages, rendered)}


def _template_problem(exc: jinja2.TemplateError, page: Page) -> Problem:
    """Point at the template line that failed, as a file:line problem."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Problem(Path(exc.filename), exc.lineno, f"template error: {exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return Problem(
                Path(frame.filename),
                frame.lineno or 1,
                f"template error while rendering {page.path or 'the front page'}: {exc}",
            )
    return Problem(Path(page.template), 1, f"template error while rendering {page.path or 'the front page'}: {exc}")
