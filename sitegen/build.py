"""``build_site``: the phases of a build, in order."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from sitegen.analysis.reports import monthly_reports
from sitegen.analysis.uptime import site_uptime
from sitegen.content.config import DEFAULT_THEME, load_config
from sitegen.content.loader import load_site
from sitegen.content.record_cache import KeptRecords
from sitegen.content.site import Site
from sitegen.content.warnings import find_warnings
from sitegen.errors import Problem, Problems
from sitegen.output import urls
from sitegen.output.cache import BuildCache, cache_root, check_cache_location, output_cache_folder, real_folder
from sitegen.output.lock import output_lock
from sitegen.output.publish import SiteFiles, check_target, publish, recover, write_file, writing
from sitegen.output.trees import Entry, Trees, kept_tree_folder
from sitegen.parallel import parallel_map
from sitegen.views.api import StatusApi, encode, render_api
from sitegen.views.badges import render_badges
from sitegen.views.calendar import calendar_outputs
from sitegen.views.cards import PreviewCards, card_outputs
from sitegen.views.discovery import discovery_files
from sitegen.views.embed import embed_pages
from sitegen.views.environment import environment_key
from sitegen.views.feeds import feed_outputs
from sitegen.views.history_api import HISTORY, history_document, incident_documents
from sitegen.views.i18n import site_words
from sitegen.views.incidentio_api import render_incidentio_api
from sitegen.views.keyed import Keyed
from sitegen.views.markdown import MarkdownRenders
from sitegen.views.pages import site_pages
from sitegen.views.render import PageRenderer
from sitegen.views.reports import report_outputs, report_pages
from sitegen.views.theme import Theme
from sitegen.views.update_feeds import update_feed_outputs

MARKDOWN_TABLE = "markdown"
"""The cache table of rendered Markdown, by the digest of each text (in shards: an edit writes one or two)."""
RECORD_TABLE = "records"
"""The cache of incidents read from their files (see sitegen.content.record_cache)."""
WRITEUP_TABLE = "writeups"
"""The cache of write-ups read from their files, likewise."""
CHECKED_TABLE = "checked"
"""The keys of outputs ``check_site`` rendered without an error (their paths as values)."""


@dataclass
class BuildMemory:
    """What a process that builds one output again and again (the preview) holds between its builds: what the
    last build kept, its records as they are, under its environment key. A build in another environment (or the
    first) reads the cache."""

    environment: str = ""
    records: KeptRecords = field(default_factory=KeptRecords.of)
    markdown: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildResult:
    site: Site
    files: int
    warnings: list[Problem]


def build_site(
    site_dir: Path,
    out_dir: Path,
    *,
    now: datetime,
    base_url: str | None = None,
    force: bool = False,
    cache_dir: Path | None = None,
    on_wait: Callable[[], None] | None = None,
    memory: BuildMemory | None = None,
) -> BuildResult:
    """Load, validate and render the whole site, then swap it in for ``out_dir``; one build at a time per output.

    Raises ContentError (bad content or theme) or OutputError (unsafe or
    unwritable target or cache) and leaves the previous site as it was. What
    a killed build left beside the output is set right first, whatever this
    build does. ``cache_dir``: where the caches of outputs are kept (see
    sitegen.output.cache); ``on_wait`` is called if another build into
    ``out_dir`` must end first; ``memory``: what the caller's earlier
    builds into ``out_dir`` left in memory, taken and left again here.
    """
    out_dir = out_dir.absolute()
    with writing(out_dir), output_lock(out_dir, on_wait):
        recover(out_dir)
        check_target(out_dir, site_dir, force=force)
        session = CacheSession.open(site_dir, out_dir, base_url=base_url, cache_dir=cache_dir, memory=memory)
        site = load_site(site_dir, now=now, base_url=base_url, records=session.records)
        files = render_site(site, session.theme, session.trees, session.environment, markdown=session.markdown)
        warnings = find_warnings(site, site_dir, published=out_dir if out_dir.is_dir() else None)
        publish(files, out_dir, session.trees)
        session.keep(site)
    return BuildResult(site=site, files=len(files.paths), warnings=warnings)


def check_site(site_dir: Path, *, now: datetime, cache_dir: Path | None = None) -> Site:
    """Load and render the site as a build into ``SITE/public`` would, writing nothing but that build's cache.

    Raises ContentError with every problem. It shares the build's cache (records, rendered texts), and an
    output whose key rendered without an error before is not rendered again: equal keys, equal bytes.
    """
    session = CacheSession.open(site_dir, site_dir / "public", base_url=None, cache_dir=cache_dir)
    site = load_site(site_dir, now=now, records=session.records)
    checked = session.cache.load(CHECKED_TABLE)

    def held(path: str, key: str) -> bool:  # rendered without an error by a check, or by a build
        return key in checked or session.trees.holds(path, key)

    files = render_site(site, session.theme, environment=session.environment, held=held, markdown=session.markdown)
    session.keep(site)
    session.cache.save(CHECKED_TABLE, {key: path for path, key in files.key_of.items()})
    return site


@dataclass
class CacheSession:
    """What one build takes from its output's cache, and keeps for the next: all under one environment key."""

    cache: BuildCache
    theme: Theme
    trees: Trees
    records: KeptRecords
    markdown: MarkdownRenders
    memory: BuildMemory | None = None

    @property
    def environment(self) -> str:
        return self.cache.environment

    @classmethod
    def open(
        cls,
        site_dir: Path,
        out_dir: Path,
        *,
        base_url: str | None,
        cache_dir: Path | None,
        memory: BuildMemory | None = None,
    ) -> CacheSession:
        """The cache of builds into ``out_dir``; OutputError if it is where a pull request could plant it.

        The records and rendered texts come from ``memory`` where its environment is this build's, else from
        the cache's files.
        """
        folder = output_cache_folder(cache_root(cache_dir), out_dir)
        check_cache_location(folder, site_dir)
        real_folder(folder.parent, folder)
        config, components = load_config(site_dir, Problems(), base_url=base_url)  # loading reports its problems
        theme = Theme.for_site(site_dir, config.theme if config else DEFAULT_THEME)
        # Settings with errors fail the build: a key no cache has, so nothing is taken meanwhile.
        environment = (
            environment_key(config, components, theme) if config and components is not None else os.urandom(16).hex()
        )
        cache = BuildCache(folder, environment)
        trees = Trees(out_dir, kept_tree_folder(folder, out_dir), cache)
        if memory is not None and memory.environment == environment:
            records, markdown = memory.records, MarkdownRenders(memory.markdown)
        else:
            records = KeptRecords.of(cache.load_shards(RECORD_TABLE), cache.load_shards(WRITEUP_TABLE))
            markdown = MarkdownRenders(cache.load_shards(MARKDOWN_TABLE))
        return cls(cache, theme, trees, records, markdown, memory)

    def keep(self, site: Site) -> None:
        """Keep this build's records and rendered texts for the next (only this site's: the cache never outgrows it)."""
        markdown = self.markdown.kept_for(site)
        self.cache.save_shards(MARKDOWN_TABLE, markdown, self.markdown.loaded)
        self.cache.save_shards(RECORD_TABLE, self.records.incidents.kept, self.records.incidents.loaded)
        self.cache.save_shards(WRITEUP_TABLE, self.records.writeups.kept, self.records.writeups.loaded)
        if self.memory is not None:
            self.memory.environment, self.memory.records = self.environment, self.records.carried()
            self.memory.markdown = markdown


def render_site(
    site: Site,
    theme: Theme,
    trees: Trees | None = None,
    environment: str | None = None,
    held: Callable[[str, str], bool] | None = None,
    markdown: MarkdownRenders | None = None,
) -> SiteFiles:
    """Every output file of the site, by path, in memory; or, given the ``trees`` to publish from, pages and
    documents are written into the kept tree as they are made, and those the trees hold already are listed by key.

    ``environment``: the environment key (sitegen.views.environment), if the build has worked it out already.
    ``held(path, key)``: whether an output need not be made (by default, whether the trees hold it).
    ``markdown``: the renders of the site's texts the build started from (by default, none).
    """
    files = SiteFiles()
    words = site_words(site, theme.catalogue_dirs())  # once: the theme's catalogues serve every output
    markdown = markdown or MarkdownRenders()
    markdown.prerender_site(site)  # once for pages and feeds, on every core (done if kept by an earlier build)
    renderer = PageRenderer(site, theme, words, environment, markdown)
    api = StatusApi(site)
    uptime = site_uptime(site)  # once: the pages and the monthly reports read from it
    reports = monthly_reports(site, uptime)
    previews = PreviewCards(site)  # once: the cards drawn are the cards the pages point at
    keyed = [
        *renderer.outputs(site_pages(site, words, uptime, previews)),
        *renderer.outputs(report_pages(reports)),
        *renderer.outputs(embed_pages(site)),
        *report_outputs(reports, site.config, renderer.keys),
        *incident_documents(api, renderer.keys),
        *feed_outputs(site, words, renderer.keys, markdown),
        *update_feed_outputs(site, words, renderer.keys, markdown),
        *calendar_outputs(site, words, renderer.keys),
        *card_outputs(site, words, renderer.keys, api.times.page_updated_at, previews),
    ]
    _add_keyed(files, keyed, trees, held or (trees.holds if trees else None))
    files.add(HISTORY, encode(history_document(api)))
    files.add_all(render_api(site))
    files.add_all(render_incidentio_api(site))
    files.add_all(render_badges(site, words))
    files.add_all(discovery_files(site.config))
    assets = theme.assets()
    for name, asset in assets.items():
        files.add(urls.asset(name), asset.read_bytes())
    files.add(urls.favicon(), assets[f"favicon-{site.indicator.value}.svg"].read_bytes())
    return files


def _add_keyed(
    files: SiteFiles, outputs: list[Keyed], trees: Trees | None, held: Callable[[str, str], bool] | None
) -> None:
    """Add each output: by key alone where it is ``held``, else made (on every core), and written if publishing.

    Written where it is made, a page does not travel back to this process:
    a large site's pages would otherwise all be held here at once.
    """
    todo = []
    for output in outputs:
        if output.key is not None and held is not None and held(output.path, output.key):
            files.keep(output.path, output.key)
        else:
            todo.append(output)
    if trees is None:
        for output, data in zip(todo, parallel_map(_made, todo)):
            files.add(output.path, data, output.key)
        return
    for output, entry in zip(todo, parallel_map(partial(_written, trees), todo)):
        files.add_written(output.path, entry)


def _made(output: Keyed) -> bytes:
    return output.make()


def _written(trees: Trees, output: Keyed) -> Entry:
    return write_file(trees, output.path, output.make(), output.key)
