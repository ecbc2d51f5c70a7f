"""Rendering the site's HTML pages from the model with the theme's templates."""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import jinja2

from sitegen.content.site import Site
from sitegen.errors import ContentError, Problem
from sitegen.output import urls
from sitegen.views import cards
from sitegen.views.environment import environment_key
from sitegen.views.i18n import Localizer, site_words
from sitegen.views.keyed import Keyed, OutputKeys
from sitegen.views.markdown import MarkdownRenders
from sitegen.views.pages import Page
from sitegen.views.template_reads import NOW, WHOLE_SITE, TemplateReads
from sitegen.views.theme import Theme, install_language

TEMPLATE_URLS = (
    "home",
    "history",
    "incident",
    "component",
    "writeup",
    "feed",
    "updates_feed",
    "subscribe",
    "absolute",
    "webcal",
    "metrics",
    "report",
    "report_data",
    "badge",
    "card",
    "neutral_card",
    "embed_script",
    "embed_page",
    "calendar",
    "asset",
    "absolute",
    "favicon",
    "api",
)
"""The functions of ``sitegen.output.urls`` templates may call (as ``urls.<name>``): the module itself is not given."""


class PageRenderer:
    """Renders pages of one site; the environment and its templates are compiled once.

    ``words`` is the site's language, its theme's catalogues included, which the build reads once for all
    its outputs; without it, pages speak the site's language with the shipped catalogues alone.
    ``environment`` is the key of all but the content that outputs are made from (sitegen.views.environment),
    if the build has worked it out already. ``markdown`` is the HTML of the site's texts, shared with the
    build's other outputs; without it, the pages render their texts themselves.
    """

    def __init__(
        self,
        site: Site,
        theme: Theme,
        words: Localizer | None = None,
        environment: str | None = None,
        markdown: MarkdownRenders | None = None,
    ):
        self.site = site
        self.env = theme.environment(markdown)
        install_language(self.env, words or site_words(site))
        self.env.globals.update(
            site=site,
            config=site.config,
            now=site.now,
            card_size=(cards.WIDTH, cards.HEIGHT),
            urls=SimpleNamespace(**{name: getattr(urls, name) for name in TEMPLATE_URLS}),
        )
        self.reads = TemplateReads(self.env)
        self.keys = OutputKeys(environment or environment_key(site.config, site.components, theme))
        """The keys of the build's outputs, each with what every output depends on (the environment key)."""
        self._shared_keys: dict[str, str] = {}

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

    def key(self, page: Page) -> str | None:
        """A digest of everything the page is made from: equal keys, equal bytes. None: it cannot be told."""
        try:
            reads = self.reads.of(page.template)
        except jinja2.TemplateError as exc:
            raise ContentError([_template_problem(exc, page)]) from None
        if reads is None:
            return None
        try:
            return self.keys.of(page.make, page.path, self._shared_key(page.template, reads), page.inputs)
        except TypeError:  # a value with no fingerprint (sitegen.fingerprint): the page is rendered every time
            return None

    def _shared_key(self, template: str, reads: frozenset[str]) -> str:
        """The part of the keys of the template's pages that they share: the template, and what it reads of the site."""
        if template not in self._shared_keys:
            shared = [(name, self._shared(name)) for name in sorted(reads)]
            self._shared_keys[template] = self.keys.part(template, shared)
        return self._shared_keys[template]

    def _shared(self, name: str) -> object:
        """The value a template reads as ``name``: ``now``, ``site`` or ``site.<attribute>``."""
        if name == NOW:
            return self.site.now
        if name == WHOLE_SITE:
            return self.site
        return getattr(self.site, name.removeprefix(f"{WHOLE_SITE}."), None)

    def outputs(self, pages: Iterable[Page]) -> Iterator[Keyed]:
        """Each page as an output file made on demand, under its key (None: rendered every time)."""
        for page in pages:
            yield Keyed(urls.output_file(page.path), self.key(page), partial(self.render, page))


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
