"""``build_site``: the phases of a build, in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from sitegen.analysis.reports import monthly_reports
from sitegen.analysis.uptime import site_uptime
from sitegen.content.loader import load_site
from sitegen.content.record_cache import RecordCache
from sitegen.content.site import Site
from sitegen.content.warnings import find_warnings
from sitegen.errors import Problem
from sitegen.fingerprint import code_digest
from sitegen.output import urls
from sitegen.output.cache import BuildCache
from sitegen.output.publish import SiteFiles, check_target, publish, recover, write_file, writing
from sitegen.output.trees import Entry, Trees
from sitegen.parallel import parallel_map
from sitegen.views.api import StatusApi, encode, render_api
from sitegen.views.badges import render_badges
from sitegen.views.calendar import calendar_outputs
from sitegen.views.cards import PreviewCards, card_outputs
from sitegen.views.discovery import discovery_files
from sitegen.views.embed import embed_pages
from sitegen.views.feeds import feed_outputs
from sitegen.views.history_api import HISTORY, history_document, incident_documents
from sitegen.views.i18n import site_words
from sitegen.views.incidentio_api import render_incidentio_api
from sitegen.views.keyed import Keyed
from sitegen.views.markdown import RENDERER, prerender_site, remember
from sitegen.views.pages import site_pages
from sitegen.views.render import PageRenderer
from sitegen.views.reports import report_outputs, report_pages
from sitegen.views.theme import Theme
from sitegen.views.update_feeds import update_feed_outputs

MARKDOWN_CACHE = "markdown"
"""The cache table of rendered Markdown (see sitegen.output.cache)."""
TEMPLATE_CACHE = "templates"
"""The folder of the theme's compiled templates in the build cache (see sitegen.views.theme.KeptTemplates)."""
RECORD_CACHE = "records"
"""The cache of incidents read from their files (see sitegen.content.record_cache)."""


@dataclass(frozen=True)
class BuildResult:
    site: Site
    files: int
    warnings: list[Problem]


def build_site(
    site_dir: Path, out_dir: Path, *, now: datetime, base_url: str | None = None, force: bool = False
) -> BuildResult:
    """Load, validate and render the whole site in memory, then swap it in for ``out_dir``.

    Raises ContentError (bad content or theme) or OutputError (unsafe or
    unwritable target) and leaves the previous site as it was. What a killed
    build left beside the output is set right first, whatever this build does.
    """
    recover(out_dir)
    check_target(out_dir, site_dir, force=force)
    cache = BuildCache.beside(out_dir)
    records = RecordCache(cache.load_objects(RECORD_CACHE, code_digest()))
    site = load_site(site_dir, now=now, base_url=base_url, records=records)
    trees = Trees(out_dir, cache.folder)
    kept_markdown = cache.load(MARKDOWN_CACHE, RENDERER)
    remember(kept_markdown)
    markdown = prerender_site(site)
    with writing(out_dir):
        files = render_site(site, Theme.for_site(site_dir, site.config.theme, cache.folder / TEMPLATE_CACHE), trees)
    warnings = find_warnings(site, site_dir, published=out_dir if out_dir.is_dir() else None)
    publish(files, out_dir, trees)
    if markdown.keys() != kept_markdown.keys():  # only this site's texts: the cache never outgrows the site
        cache.save(MARKDOWN_CACHE, RENDERER, markdown)
    cache.save_objects(RECORD_CACHE, code_digest(), records.current, records.previous)
    return BuildResult(site=site, files=len(files.paths), warnings=warnings)


def render_site(site: Site, theme: Theme, trees: Trees | None = None) -> SiteFiles:
    """Every output file of the site, by path, in memory; or, given the ``trees`` to publish from, pages and
    documents are written into the kept tree as they are made, and those the trees hold already are listed by key.
    """
    files = SiteFiles()
    words = site_words(site, theme.catalogue_dirs())  # once: the theme's catalogues serve every output
    prerender_site(site)  # once for pages, feeds and the calendar, on every core (done if built before)
    renderer = PageRenderer(site, theme, words)
    api = StatusApi(site)
    uptime = site_uptime(site)  # once: the pages and the monthly reports read from it
    reports = monthly_reports(site, uptime)
    previews = PreviewCards(site)  # once: the cards drawn are the cards the pages point at
    keyed = [
        *renderer.outputs(site_pages(site, words, uptime, previews)),
        *renderer.outputs(report_pages(reports)),
        *renderer.outputs(embed_pages(site)),
        *report_outputs(reports, site.config, renderer.fingerprints, renderer.look),
        *incident_documents(api, renderer.fingerprints),
        *feed_outputs(site, words, renderer.fingerprints, renderer.look),
        *update_feed_outputs(site, words, renderer.fingerprints, renderer.look),
        *calendar_outputs(site, words, renderer.fingerprints, renderer.look),
        *card_outputs(site, words, renderer.fingerprints, renderer.look, api.times.page_updated_at, previews),
    ]
    _add_keyed(files, keyed, trees)
    files.add(HISTORY, encode(history_document(api)))
    files.add_all(render_api(site))
    files.add_all(render_incidentio_api(site))
    files.add_all(render_badges(site, words))
    files.add_all(discovery_files(site.config))
    for name, asset in theme.assets().items():
        files.add(urls.asset(name), asset.read_bytes())
    return files


def _add_keyed(files: SiteFiles, outputs: list[Keyed], trees: Trees | None) -> None:
    """Add each output: by key alone where the trees hold it, else made (on every core), and written if publishing.

    Written where it is made, a page does not travel back to this process:
    a large site's pages would otherwise all be held here at once.
    """
    if trees is None:
        for output, data in zip(outputs, parallel_map(_made, outputs)):
            files.add(output.path, data, output.key)
        return
    todo = []
    for output in outputs:
        if output.key is not None and trees.holds(output.path, output.key):
            files.keep(output.path, output.key)
        else:
            todo.append(output)
    for output, entry in zip(todo, parallel_map(partial(_written, trees), todo)):
        files.add_written(output.path, entry)


def _made(output: Keyed) -> bytes:
    return output.make()


def _written(trees: Trees, output: Keyed) -> Entry:
    return write_file(trees, output.path, output.make(), output.key)
