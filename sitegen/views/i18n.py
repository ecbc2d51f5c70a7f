"""The site's language: its message catalogues, and its words for times, spans and figures.

Messages
    Every word the theme and the views write is a gettext message, written
    in English (the source language) and translated by the catalogues
    ``sitegen/locale/<language>/LC_MESSAGES/sitegen.po``, which
    ``sitegen/locale/sitegen.pot`` lists. A site's own theme may add or
    override messages with ``themes/<name>/locale/<language>.po``. The
    ``.po`` files are compiled when a build reads them (no ``.mo`` is kept),
    so an edited catalogue is seen at once and the installed package has a
    single copy of each text.

Which catalogue
    ``[site] language`` is a BCP 47 tag. Its catalogue is the most specific
    one there is: ``pt-BR`` reads ``pt_BR``, ``fr-CA`` reads ``fr``, ``zh``
    and ``zh-CN`` read ``zh_Hans`` (CLDR's likely script) but ``zh-TW``
    never does, its script being another. A language without a catalogue
    of its own reads one of its language in the same script (``pt-PT``
    reads ``pt_BR``). Each catalogue of the site's theme comes before the
    shipped one of the same name; a message none of them translates is
    said in English.

Forms
    Dates, times, spans, percentages and plural rules are the locale's, from
    Babel (:mod:`sitegen.views.formatting`), for any language CLDR knows,
    catalogue or not, so that a site in Arabic reads its dates in Arabic and
    its pages right to left before anyone has translated a word.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Protocol

from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale
from babel.lists import format_list
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from markupsafe import Markup, escape

from sitegen.analysis.uptime import UptimeFigure
from sitegen.content.site import Site
from sitegen.content.source_files import digest
from sitegen.content.statuses import INDICATOR_CONTEXT, Impact
from sitegen.errors import Problem, Problems
from sitegen.views import formatting

SOURCE_LANGUAGE = "en"
DOMAIN = "sitegen"
CATALOGUE_DIR = Path(__file__).resolve().parents[1] / "locale"
"""The shipped catalogues: ``<name>/LC_MESSAGES/sitegen.po``, with the template ``sitegen.pot`` beside them."""
THEME_CATALOGUES = "locale"
"""The folder of a site's theme that holds its ``<name>.po`` files."""
BADGE_CONTEXT = "badge"
"""The context of a badge's words, lower-case and short for the badge's small space."""
GAP_IN_DAYS = timedelta(days=1)
"""From a day up, a gap between updates is said in whole days: the hours tell a reader nothing more."""


class Labelled(Protocol):
    """A status, an update status or an impact: an English label, and the context it is translated in."""

    @property
    def label(self) -> str: ...

    @property
    def label_context(self) -> str: ...


def parse_language(tag: str) -> Locale:
    """The Babel locale of a BCP 47 tag such as ``pt-BR``; raises ValueError for one CLDR does not know."""
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown language {tag!r}") from exc


def catalogue_names(locale: Locale, available: Sequence[str]) -> list[str]:
    """The names of the ``available`` catalogues that serve ``locale``, most specific first (module docstring)."""
    script = locale.script or _likely_script(locale.language)
    wanted = [
        _name(locale.language, script, locale.territory),
        _name(locale.language, script, None),
        _name(locale.language, None, locale.territory),
        locale.language,
    ]
    found = [name for name in dict.fromkeys(wanted) if name in available]
    if found:
        return found
    return [name for name in sorted(available) if _same_language_and_script(name, locale.language, script)][:1]


def _name(language: str, script: str | None, territory: str | None) -> str:
    return "_".join(part for part in (language, script, territory) if part)


def _likely_script(language: str) -> str | None:
    """CLDR's likely script of a language: 'Hans' for 'zh', 'Latn' for 'pt'."""
    likely = get_global("likely_subtags").get(language)
    return Locale.parse(likely).script if likely else None


def _same_language_and_script(name: str, language: str, script: str | None) -> bool:
    parts = parse_locale(name)
    return parts[0] == language and (parts[2] or _likely_script(parts[0])) == script


def shipped_catalogues() -> list[str]:
    """The names of the catalogues sitegen ships, such as 'fr' and 'pt_BR'."""
    return sorted(p.parent.parent.name for p in CATALOGUE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def theme_catalogues(theme_dirs: Sequence[Path]) -> dict[str, list[Path]]:
    """Each catalogue name of the site's theme folders, with its files, the most specific theme first."""
    found: dict[str, list[Path]] = {}
    for directory in theme_dirs:
        for path in sorted((directory / THEME_CATALOGUES).glob("*.po")):
            found.setdefault(path.stem.replace("-", "_"), []).append(path)
    return found


def chained(catalogues: Sequence[bytes]) -> NullTranslations:
    """Compiled catalogues as one set of translations: each asks the next for what it lacks, the last English."""
    chain: NullTranslations = NullTranslations()
    for compiled in reversed(catalogues):
        translations = Translations(io.BytesIO(compiled), domain=DOMAIN)
        translations.add_fallback(chain)
        chain = translations
    return chain


def compiled_catalogues(locale: Locale, theme_dirs: Sequence[Path] = ()) -> list[bytes]:
    """The catalogues ``locale`` reads, first asked first, compiled: the theme's, then the shipped ones.

    Raises ContentError, naming the file and line, for a theme catalogue
    that cannot be read or whose translations would break a page.
    """
    shipped = {name: [CATALOGUE_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"] for name in shipped_catalogues()}
    themed = theme_catalogues(theme_dirs)
    files: list[Path] = []
    for name in catalogue_names(locale, sorted({*shipped, *themed})):
        files += themed.get(name, []) + shipped.get(name, [])
    return [_compiled(path, locale) for path in files]


def _compiled(path: Path, locale: Locale) -> bytes:
    """The catalogue at ``path`` compiled to gettext's MO form; read again only when the file changes."""
    stat = path.stat()
    return _compile(path, str(locale), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _compile(path: Path, locale: str, mtime_ns: int, size: int) -> bytes:
    catalogue = read_catalogue(path, locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)  # leaves out fuzzy and untranslated messages, which then fall back
    return compiled.getvalue()


def read_catalogue(path: Path, locale: str | Locale | None = None) -> Catalog:
    """A ``.po`` file read and checked; raises ContentError, with its file and line, for one that is wrong.

    A translation must use the placeholders of its English message: one
    that names another would stop the build where the page uses it.
    """
    problems = Problems()
    try:
        with path.open("rb") as file:
            catalogue = read_po(file, locale=locale, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        problems.error(path, exc.lineno, f"cannot read this catalogue: {exc}")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.error(path, 1, f"cannot read this catalogue: {exc}")
    problems.raise_if_errors()
    for message, errors in placeholder_problems(catalogue):
        for error in errors:
            problems.add(Problem(path, message.lineno or 1, f"translation of {message.id!r}: {error}"))
    problems.raise_if_errors()
    return catalogue


def placeholder_problems(catalogue: Catalog) -> list[tuple[Message, list[str]]]:
    """The messages whose translations do not fit their English placeholders, with what is wrong (Babel's checks).

    Babel checks the placeholders of the messages flagged ``python-format``,
    which a hand-written catalogue may not flag: every message with one is.
    """
    for message in catalogue:
        if message.id and message.python_format:
            message.flags.add("python-format")
    return [(message, [str(error) for error in errors]) for message, errors in catalogue.check()]


class Localizer:
    """The site's words: its catalogues' messages, and Babel's forms for its dates, spans and figures.

    One per build, shared by pages, feeds, the calendar, badges and charts.
    The message methods take the newstyle form Jinja's i18n extension uses
    in templates: placeholders are ``%(name)s``, filled from the keyword
    arguments (``num`` is the count of a plural), and a literal percent
    sign is written ``%%``.
    """

    def __init__(self, language: str, tz: tzinfo, theme_dirs: Sequence[Path] = ()):
        self._locale = parse_language(language)
        self._tz = tz
        catalogues = compiled_catalogues(self._locale, theme_dirs)
        self._translations = chained(catalogues)
        self._time_elements: dict[datetime, Markup] = {}
        self.tag = language
        """The site's BCP 47 tag, for ``<html lang>`` and the feeds' language."""
        self.made_from = digest(language, repr(tz), *catalogues)
        """All its words come from (with Babel, whose version is in every key): what it is in an output's key."""

    @property
    def direction(self) -> str:
        """'rtl' for a language written right to left (Arabic, Hebrew...), else 'ltr': the pages' ``dir``."""
        return "rtl" if self._locale.text_direction == "rtl" else "ltr"

    def gettext_callables(self) -> dict[str, Callable[..., str]]:
        """The catalogues' own functions, for Jinja's i18n extension, which fills the placeholders itself.

        The gettext object stays private: a template reaching it could
        ``install()`` it over Python's builtins.
        """
        translations = self._translations
        return {
            "gettext": translations.gettext,
            "ngettext": translations.ngettext,
            "pgettext": translations.pgettext,
            "npgettext": translations.npgettext,
        }

    def gettext(self, message: str, **values: object) -> str:
        return _fill(self._translations.gettext(message), values)

    def ngettext(self, singular: str, plural: str, num: int, **values: object) -> str:
        return _fill(self._translations.ngettext(singular, plural, num), {"num": num, **values})

    def pgettext(self, context: str, message: str, **values: object) -> str:
        return _fill(self._translations.pgettext(context, message), values)

    def npgettext(self, context: str, singular: str, plural: str, num: int, **values: object) -> str:
        return _fill(self._translations.npgettext(context, singular, plural, num), {"num": num, **values})

    def label(self, labelled: Labelled) -> str:
        """A status's, an update status's or an impact's label in the site's language."""
        return self._translations.pgettext(labelled.label_context, labelled.label)

    def overall(self, indicator: Impact) -> str:
        """The site's overall status in Statuspage's sentence, in the site's language: 'Panne partielle du système'."""
        return self._translations.pgettext(INDICATOR_CONTEXT, indicator.description)

    def overall_sentences(self) -> dict[str, str]:
        """Every overall status sentence by its indicator, for the front page's clock (keep-time.js) to choose from."""
        return {indicator.value: self.overall(indicator) for indicator in Impact}

    def impact(self, value: str) -> str:
        """The label of the impact whose word (in files and the API) is ``value``, as metrics tables name their rows."""
        return self.label(Impact(value))

    def day(self, day: date) -> str:
        return formatting.day_label(day, self._locale)

    def day_in_year(self, day: date) -> str:
        """A day without its year, where the page makes the year plain (the last 90 days): 'Jul 23', '23 juil.'."""
        return formatting.day_in_year_label(day, self._locale)

    def month(self, day: date) -> str:
        return formatting.month_label(day, self._locale)

    def month_abbreviation(self, month: int) -> str:
        return formatting.month_abbreviation(month, self._locale)

    def time(self, moment: datetime) -> str:
        """A moment in the site's timezone, in the locale's form: '23 juil. 2022, 00:15 CEST'."""
        return formatting.time_label(moment, self._tz, self._locale)

    def time_element(self, moment: datetime) -> Markup:
        """A moment as pages and feeds show it, in one form for both (the theme's ``ui.time``).

        ``<time datetime="2022-07-23T13:42:00Z">Jul 23, 2022, 06:42 PDT</time>``
        """
        element = self._time_elements.get(moment)
        if element is None:  # each moment is shown on several pages: its incident's, the history's, its components'
            label = escape(self.time(moment))
            element = self._time_elements[moment] = Markup(f'<time datetime="{formatting.iso(moment)}">{label}</time>')
        return element

    def time_beside(self, moment: datetime, anchor: datetime) -> Markup:
        """``moment`` as a ``<time>`` beside ``anchor`` (an incident's start, shown in full nearby): its clock alone
        on the same day in the site's timezone, else in full. 'from 11:10 PM PDT to 11:58 PM PDT'."""
        if formatting.local_date(moment, self._tz) != formatting.local_date(anchor, self._tz):
            return self.time_element(moment)
        label = escape(formatting.clock_label(moment, self._tz, self._locale))
        return Markup(f'<time datetime="{formatting.iso(moment)}">{label}</time>')

    def duration(self, span: timedelta, units: int = 2) -> str:
        """A span in its largest unit, or its two largest (``units``): '1 hour 5 minutes', '2 jours 3 heures'."""
        parts = formatting.span_units(span, self._locale)[: min(units, 2)]
        if not parts:
            return self.gettext("less than a minute")
        if len(parts) == 1:
            return parts[0]
        # Translators: two units of a span of time, such as "1 hour" and "5 minutes".
        return self.pgettext("span of time", "%(larger)s %(smaller)s", larger=parts[0], smaller=parts[1])

    def gap(self, span: timedelta) -> str:
        """The time between two updates: '16 minutes', '1 hour 5 minutes', then whole days from a day up."""
        return self.duration(span, units=1 if span >= GAP_IN_DAYS else 2)

    def relative(self, moment: datetime, now: datetime) -> str:
        """``moment`` from ``now`` in words: '16 minutes ago', 'il y a 16 minutes', 'dans 2 jours'."""
        return formatting.relative_label(moment - now, self._locale)

    def number(self, number: int) -> str:
        """A whole number in the language's digits and grouping: '23', '1,234', '٢٣' where the language writes so."""
        return formatting.number_label(number, self._locale)

    def percent(self, figure: UptimeFigure) -> str:
        """An uptime figure as pages state it: '99.95%', '99,95 %', or 'no data'."""
        shown = figure.shown
        if shown is None:
            return self.gettext("no data")
        return formatting.percent_label(shown, self._locale, decimals=0 if shown == 1 else 2)

    def pair(self, label: str, value: str) -> str:
        """'API: Partial outage', 'API : Panne partielle': a label and its value, punctuated as the language does."""
        # Translators: a label and its value, such as a component and its status ("API: Partial outage").
        return self.gettext("%(label)s: %(value)s", label=label, value=value)

    def join(self, items: Sequence[str]) -> str:
        """'API, Billing and Dashboard', 'API、Billing和Dashboard': a list in running text (Babel's)."""
        return format_list(list(items), style="standard", locale=self._locale) if items else ""


def _fill(translation: str, values: Mapping[str, object]) -> str:
    """The placeholders of a translated message filled in, as Jinja's newstyle gettext fills them.

    When a value is markup (a ``<time>`` element in a feed), the result is
    markup too: the message is trusted as the templates are, and every other
    value is escaped.
    """
    if any(isinstance(value, Markup) for value in values.values()):
        return Markup(translation) % values
    return translation % values


@lru_cache(maxsize=1)
def english() -> Localizer:
    """English words in UTC, for views drawn without a site's language (their tests, mostly)."""
    return Localizer(SOURCE_LANGUAGE, UTC)


def site_words(site: Site, theme_dirs: Sequence[Path] = ()) -> Localizer:
    """The words of ``site``: its language and timezone, with the catalogues of its theme's folders."""
    return Localizer(site.config.language, site.config.tz, theme_dirs)
