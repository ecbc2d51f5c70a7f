"""The site's language: choosing it, the catalogues, and the words and forms of each output.

The catalogues are checked against the code (every message extracted from
the views and the default theme is in the template, and every shipped
catalogue translates every one, with its placeholders); the example site
built in each shipped language is checked for English left on its pages in
tests/test_i18n_site.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import jinja2
import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from conftest import DEFAULT_CONFIG, NOW, REPO, incident
from icalendar import Calendar

from sitegen.analysis.uptime import UptimeFigure
from sitegen.build import build_site
from sitegen.content.config import language_tag
from sitegen.content.loader import load_site
from sitegen.content.statuses import ComponentStatus, Impact, UpdateStatus
from sitegen.errors import ContentError
from sitegen.views.badges import render_badges
from sitegen.views.calendar import render_calendar
from sitegen.views.feeds import render_feeds
from sitegen.views.i18n import (
    CATALOGUE_DIR,
    Localizer,
    catalogue_names,
    placeholder_problems,
    read_catalogue,
    shipped_catalogues,
)
from sitegen.views.theme import Theme, install_language

SHIPPED = ["ar", "de", "es", "fr", "he", "ja", "pt_BR", "zh_Hans"]
"""The catalogues sitegen ships besides English, the language the messages are written in."""
TEMPLATE = CATALOGUE_DIR / "sitegen.pot"
PARIS = ZoneInfo("Europe/Paris")


def language_config(tag: str, timezone: str = "Europe/Paris") -> str:
    return DEFAULT_CONFIG.replace('timezone = "UTC"', f'timezone = "{timezone}"\nlanguage = "{tag}"')


# Choosing a language -----------------------------------------------------------------------------------------


def test_a_site_speaks_english_unless_told_otherwise(make_site) -> None:
    assert load_site(make_site({}), now=NOW).config.language == "en"


@pytest.mark.parametrize(
    ("written", "kept"),
    [("fr", "fr"), ("pt-br", "pt-BR"), ("ZH-hans", "zh-Hans"), ("zh-CN", "zh-CN"), ("ar", "ar"), ("de-CH", "de-CH")],
)
def test_a_language_tag_is_kept_as_bcp_47_writes_it(written: str, kept: str) -> None:
    assert language_tag(written) == kept


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("pt_BR", "did you mean 'pt-BR'?"),
        ("French", "did you mean 'fr'?"),
        ("xx", "use a BCP 47 tag such as 'fr', 'pt-BR' or 'zh-Hans'"),
        ("", "use a BCP 47 tag"),
    ],
)
def test_an_unknown_language_is_refused_with_what_to_write(written: str, hint: str) -> None:
    with pytest.raises(ValueError, match="unknown language") as caught:
        language_tag(written)
    assert hint in str(caught.value)


@pytest.mark.parametrize(
    ("tag", "names"),
    [
        ("fr", ["fr"]),
        ("fr-CA", ["fr"]),
        ("pt-BR", ["pt_BR"]),
        ("pt-PT", ["pt_BR"]),  # same language and script: better than English
        ("zh", ["zh_Hans"]),
        ("zh-CN", ["zh_Hans"]),
        ("zh-Hans", ["zh_Hans"]),
        ("zh-TW", []),  # Traditional script: never the Simplified catalogue
        ("ar", ["ar"]),
        ("ar-EG", ["ar"]),
        ("he", ["he"]),
        ("fa", []),
        ("en", []),
    ],
)
def test_each_language_reads_the_most_specific_catalogue_there_is(tag: str, names: list[str]) -> None:
    from babel import Locale

    assert catalogue_names(Locale.parse(tag, sep="-"), shipped_catalogues()) == names


# The catalogues -------------------------------------------------------------------------------------------------


def extracted() -> Catalog:
    """The messages of the views and of the default theme's templates, as Babel extracts them with babel.cfg."""
    config = CATALOGUE_DIR / "babel.cfg"
    with config.open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file, str(config))
    catalogue = Catalog(domain="sitegen")
    for _, _, message, _, context in extract_from_dir(REPO, method_map, options_map):
        catalogue.add(message, None, context=context)
    return catalogue


def keys(catalogue: Catalog) -> set[tuple[str, str | None]]:
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalogue if m.id}


def test_the_template_lists_exactly_the_messages_the_code_and_the_theme_use() -> None:
    """sitegen.pot is what extraction finds: a message added to a template cannot miss the catalogues."""
    found, listed = keys(extracted()), keys(read_catalogue(TEMPLATE))
    assert not found - listed, f"extract the messages again (docs/translations.md): missing {sorted(found - listed)}"
    assert not listed - found, f"extract the messages again (docs/translations.md): unused {sorted(listed - found)}"


def test_sitegen_ships_the_catalogues_it_promises() -> None:
    assert shipped_catalogues() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_message_is_translated_in_every_shipped_catalogue(name: str) -> None:
    """Lists the untranslated and fuzzy messages, so that no English ships by accident."""
    catalogue = read_catalogue(CATALOGUE_DIR / name / "LC_MESSAGES" / "sitegen.po", name)
    template = keys(read_catalogue(TEMPLATE))
    untranslated = sorted(
        str(m.id)
        for m in catalogue
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    )
    assert not untranslated, f"{name}: untranslated or fuzzy: {untranslated}"
    assert keys(catalogue) == template, f"{name}: update it from sitegen.pot (docs/translations.md)"
    assert not [m for m in catalogue.obsolete.values()], f"{name}: obsolete messages left"


@pytest.mark.parametrize("name", SHIPPED)
def test_translations_keep_their_placeholders_and_the_plural_forms_of_their_language(name: str) -> None:
    catalogue = read_catalogue(CATALOGUE_DIR / name / "LC_MESSAGES" / "sitegen.po", name)
    assert not placeholder_problems(catalogue)
    assert catalogue.plural_forms == get_plural(name).plural_forms
    for message in catalogue:
        if message.pluralizable and message.id:
            assert len(message.string) == catalogue.num_plurals, f"{name}: {message.id[0]!r}"


def test_a_catalogue_with_a_wrong_placeholder_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Incident history of %(site)s"\nmsgstr "Historique de %(titre)s"\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        read_catalogue(path, "fr")
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == (path, 5) and "placeholder" in problem.message


# Words and forms ----------------------------------------------------------------------------------------------------


MOMENT = datetime(2022, 7, 22, 22, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tag", "time", "day", "month"),
    [
        ("en", "Sat, Jul 23, 2022, 12:15 AM CEST", "Jul 23, 2022", "July 2022"),
        ("fr", "sam. 23 juil. 2022, 00:15 CEST", "23 juil. 2022", "juillet 2022"),
        ("de", "Sa., 23. Juli 2022, 00:15 CEST", "23.07.2022", "Juli 2022"),
        ("ja", "2022年7月23日(土) 0:15 CEST", "2022/07/23", "2022年7月"),
        ("zh-Hans", "2022年7月23日周六 00:15 CEST", "2022年7月23日", "2022年7月"),
        ("en-GB", "Sat, 23 Jul 2022, 00:15 CEST", "23 Jul 2022", "July 2022"),  # British English counts on 24
    ],
)
def test_dates_and_times_take_the_languages_own_pattern(tag: str, time: str, day: str, month: str) -> None:
    words = Localizer(tag, PARIS)
    assert words.time(MOMENT) == time
    assert words.day(MOMENT.astimezone(PARIS).date()) == day
    assert words.month(MOMENT.astimezone(PARIS).date()) == month


@pytest.mark.parametrize(
    ("tag", "span", "said"),
    [
        ("en", timedelta(hours=1, minutes=5), "1 hour 5 minutes"),
        ("en", timedelta(days=2, hours=3, minutes=1), "2 days 3 hours"),
        ("en", timedelta(seconds=20), "less than a minute"),
        ("fr", timedelta(hours=1, minutes=5), "1\u00a0heure 5 minutes"),
        ("fr", timedelta(minutes=1), "1 minute"),
        ("de", timedelta(hours=2), "2 Stunden"),
        ("ja", timedelta(hours=1, minutes=5), "1 時間 5 分"),
        ("zh-Hans", timedelta(hours=1, minutes=5), "1小时5分钟"),
    ],
)
def test_durations_use_the_languages_units_and_plurals(tag: str, span: timedelta, said: str) -> None:
    assert Localizer(tag, UTC).duration(span) == said


def test_relative_times_read_as_the_language_says_them() -> None:
    assert Localizer("fr", UTC).relative(NOW - timedelta(minutes=16), NOW) == "il y a 16 minutes"
    assert Localizer("en", UTC).relative(NOW + timedelta(days=2), NOW) == "in 2 days"


@pytest.mark.parametrize(
    ("tag", "said"), [("en", "99.96%"), ("fr", "99,96\u00a0%"), ("de", "99,96\u00a0%"), ("ja", "99.96%")]
)
def test_uptime_figures_are_numbers_of_the_language_rounded_down(tag: str, said: str) -> None:
    figure = UptimeFigure(tracked=timedelta(days=10000), downtime=timedelta(days=3.5))  # 99.965 %
    assert Localizer(tag, UTC).percent(figure) == said
    assert Localizer(tag, UTC).percent(UptimeFigure(timedelta(days=1), timedelta(0))) in (
        "100%",
        "100\u202f%",
        "100\u00a0%",
    )


def test_labels_and_plurals_come_from_the_catalogues() -> None:
    french = Localizer("fr", UTC)
    assert french.label(ComponentStatus.PARTIAL_OUTAGE) == "Panne partielle"
    assert french.label(ComponentStatus.DEGRADED_PERFORMANCE) == "Performances dégradées"
    assert french.label(UpdateStatus.RESOLVED) == "Résolu"
    assert [french.ngettext("%(num)d incident", "%(num)d incidents", n) for n in (0, 1, 2)] == [
        "0 incident",
        "1 incident",
        "2 incidents",
    ]
    japanese = Localizer("ja", UTC)
    assert japanese.ngettext("%(num)d incident", "%(num)d incidents", 3) == "3 件のインシデント"


def test_every_label_of_the_model_is_a_message_of_the_template() -> None:
    listed = keys(read_catalogue(TEMPLATE))
    for labelled in [*ComponentStatus, *UpdateStatus, *Impact]:
        assert (labelled.label, labelled.label_context) in listed, labelled
    assert all((impact.description, "overall status") in listed for impact in Impact)


def test_a_language_without_a_catalogue_speaks_english_with_its_own_forms() -> None:
    persian = Localizer("fa", UTC)
    assert persian.direction == "rtl"
    assert persian.label(ComponentStatus.MAJOR_OUTAGE) == "Major outage"
    assert persian.month(MOMENT.date()) == "ژوئیه 2022"
    assert Localizer("fr", UTC).direction == "ltr"


def test_arabic_and_hebrew_have_catalogues_and_read_right_to_left() -> None:
    arabic, hebrew = Localizer("ar", UTC), Localizer("he", UTC)
    assert arabic.direction == hebrew.direction == "rtl"
    assert arabic.label(ComponentStatus.MAJOR_OUTAGE) == "انقطاع كبير"
    assert hebrew.label(ComponentStatus.MAJOR_OUTAGE) == "השבתה משמעותית"
    assert arabic.month(MOMENT.date()) == "يوليو 2022"
    assert arabic.ngettext("%(num)d incident", "%(num)d incidents", 2) == "حادثان"  # Arabic's dual
    assert hebrew.ngettext("%(num)d incident", "%(num)d incidents", 5) == "5 תקריות"


# The theme's catalogues ---------------------------------------------------------------------------------------------


THEME_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgctxt "overall status"
msgid "All Systems Operational"
msgstr "Tous nos services fonctionnent"

msgctxt "badge"
msgid "operational"
msgstr "en service"
"""


def test_a_sites_theme_overrides_messages_of_its_language_and_keeps_the_others(tmp_path: Path, make_site) -> None:
    site = make_site(
        {"themes/brand/locale/fr.po": THEME_PO, "themes/brand/templates/.keep": ""},
        config=language_config("fr").replace('language = "fr"', 'language = "fr"\ntheme = "brand"'),
    )
    out = tmp_path / "out"
    build_site(site, out, now=NOW)
    front = (out / "index.html").read_text(encoding="utf-8")
    assert "Tous nos services fonctionnent" in front and "Opérationnel" in front
    assert "en service" in (out / "badge.svg").read_text(encoding="utf-8")


def test_a_themes_own_templates_use_messages_of_its_own(tmp_path: Path, make_site) -> None:
    catalogue = THEME_PO + '\nmsgid "Contact support"\nmsgstr "Contacter le support"\n'
    files = {
        "themes/brand/locale/fr.po": catalogue,
        "themes/brand/templates/partials/footer-extra.html": "<p>{% trans %}Contact support{% endtrans %}</p>",
    }
    site = make_site(files, config=language_config("fr").replace('language = "fr"', 'language = "fr"\ntheme = "brand"'))
    build_site(site, tmp_path / "out", now=NOW)
    assert "<p>Contacter le support</p>" in (tmp_path / "out" / "404.html").read_text(encoding="utf-8")


def test_a_theme_catalogue_that_links_outside_the_site_is_refused(tmp_path: Path, make_site) -> None:
    outside = tmp_path / "secret.po"
    outside.write_text(THEME_PO, encoding="utf-8")
    site = make_site(
        {"themes/brand/templates/.keep": ""},
        config=language_config("fr").replace('language = "fr"', 'language = "fr"\ntheme = "brand"'),
    )
    (site / "themes" / "brand" / "locale").mkdir()
    (site / "themes" / "brand" / "locale" / "fr.po").symlink_to(outside)
    with pytest.raises(ContentError, match="outside the site folder"):
        build_site(site, tmp_path / "out", now=NOW)


def test_templates_reach_the_language_but_not_its_gettext_object(make_site) -> None:
    from jinja2.exceptions import SecurityError, UndefinedError

    env = Theme.for_site(make_site({}), "brand").environment()  # a site's theme: the sandbox
    assert env.from_string("{{ language.tag }} {{ _('Status') }} {{ language.direction }}").render() == "en Status ltr"
    for reach in ("{{ language._translations }}", "{{ language.gettext_callables()['gettext'].__self__ }}"):
        with pytest.raises((SecurityError, UndefinedError)):
            env.from_string(reach).render()


def test_a_theme_catalogue_that_breaks_a_placeholder_stops_the_build_at_its_line(tmp_path: Path, make_site) -> None:
    broken = THEME_PO + '\nmsgid "Incident history of %(site)s"\nmsgstr "Historique de %(nom)s"\n'
    site = make_site(
        {"themes/brand/locale/fr.po": broken, "themes/brand/templates/.keep": ""},
        config=language_config("fr").replace('language = "fr"', 'language = "fr"\ntheme = "brand"'),
    )
    with pytest.raises(ContentError) as caught:
        build_site(site, tmp_path / "out", now=NOW)
    [problem] = caught.value.problems
    assert (
        problem.path.name == "fr.po"
        and problem.line == broken.splitlines().index('msgid "Incident history of %(site)s"') + 1
    )


# Feeds, calendar and badges -------------------------------------------------------------------------------------------


MAINTENANCE = """\
---
title: Database upgrade
kind: maintenance
scheduled_for: 2026-12-05T06:00:00Z
scheduled_until: 2026-12-05T08:00:00Z
components:
  db: under_maintenance
updates:
  - at: 2026-11-20T10:00:00Z
    status: scheduled
    body: We will upgrade the database.
---
"""


def french_site(make_site) -> Path:
    files = {
        "content/incidents/2026-11-20-api-errors.md": incident(
            extra="components:\n  api: partial_outage\n",
            updates="""\
  - at: 2026-11-20T10:00:00Z
    status: investigating
    body: We are looking into it.
  - at: 2026-11-20T11:05:00Z
    status: resolved
    body: Fixed.
""",
        ),
        "content/incidents/2026-12-05-db-upgrade.md": MAINTENANCE,
    }
    return make_site(files, config=language_config("fr"))


def test_feeds_speak_the_sites_language_and_stay_valid(make_site) -> None:
    files = render_feeds(load_site(french_site(make_site), now=NOW))
    for path in ("history.atom", "history.rss", "components/api/history.atom"):
        parsed = feedparser.parse(files[path])
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.feed.language == "fr"
    entries = {e.title: e for e in feedparser.parse(files["history.atom"]).entries}
    content = entries["API errors"].content[0].value
    assert "Résolu" in content and "Enquête en cours" in content and "20 nov. 2026, 11:00 CET" in content
    assert "<strong>Composants concernés\u00a0:</strong> API" in content
    assert "Maintenance planifiée\u00a0:" in entries["Database upgrade"].content[0].value
    assert feedparser.parse(files["components/api/history.rss"]).feed.subtitle.startswith("Incidents et maintenances")


def test_the_calendar_speaks_the_sites_language(make_site) -> None:
    site = load_site(french_site(make_site), now=NOW)
    calendar = Calendar.from_ical(render_calendar(site)["maintenance.ics"])
    assert str(calendar["x-wr-calname"]) == "Test Status\u00a0: maintenances planifiées"
    [event] = calendar.walk("VEVENT")
    description = str(event["description"])
    assert description.startswith("Planifiée\u00a0: We will upgrade the database.")
    assert "Composants concernés\u00a0: Database" in description


def test_badges_speak_the_sites_language(make_site) -> None:
    badges = render_badges(load_site(french_site(make_site), now=NOW))
    site_badge = ET.fromstring(badges["badge.svg"])
    assert site_badge.get("aria-label") == "état\u00a0: opérationnel"
    assert "opérationnel" in badges["components/api/badge.svg"].decode()


def test_the_json_api_keeps_statuspages_english(tmp_path: Path, make_site) -> None:
    out = tmp_path / "out"
    build_site(french_site(make_site), out, now=NOW)
    summary = (out / "api" / "v2" / "summary.json").read_text(encoding="utf-8")
    assert (
        '"description": "All Systems Operational"' in summary or '"description": "Service Under Maintenance"' in summary
    )
    assert "Opérationnel" not in summary


def test_the_english_site_keeps_its_words(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_site(REPO, out, now=NOW)
    page = (out / "incidents" / "2022-07-23-curie-fine-tuned-errors" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in page
    assert "Fri, Jul 22, 2022, 11:42 PM PDT" in page


@pytest.mark.parametrize(
    "source",
    [
        '{{ _("Status") }}',
        '{{ _("%(site)s: scheduled maintenance", site="<b>A & B</b>") }}',
        '{{ _("100%% of %(site)s", site="<i>") }}',
        '{% autoescape false %}{{ _("%(site)s: scheduled maintenance", site="<b>") }}{% endautoescape %}',
        '{{ _("Status") ~ "<b>" }}',
    ],
)
def test_templates_underscore_says_what_jinjas_own_newstyle_underscore_says(source: str) -> None:
    """sitegen's ``_`` calls the catalogue directly; it must translate, escape and format exactly as Jinja's."""
    theme = Theme.for_site(REPO, "default")
    ours = theme.environment()
    words = Localizer("fr", UTC)
    install_language(ours, words)
    jinjas = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    jinjas.install_gettext_callables(newstyle=True, **words.gettext_callables())  # type: ignore[attr-defined]
    assert ours.globals["_"] is not jinjas.globals["_"]
    assert ours.from_string(source).render() == jinjas.from_string(source).render()
    assert "État" in ours.from_string('{{ _("Status") }}').render()


def test_a_time_beside_the_start_of_its_day_says_its_clock_alone() -> None:
    """An incident's periods: the facts give its start in full, so a time on that day needs only its clock."""
    words = Localizer("en", ZoneInfo("America/Los_Angeles"))
    start = datetime(2022, 7, 23, 6, 10, tzinfo=UTC)  # 11:10 PM on Friday, July 22, in Los Angeles
    same_day, next_day = start + timedelta(minutes=48), start + timedelta(minutes=65)
    assert words.time_beside(same_day, start) == '<time datetime="2022-07-23T06:58:00Z">11:58 PM PDT</time>'
    assert words.time_beside(next_day, start) == words.time_element(next_day)
    assert "Sat, Jul 23, 2022, 12:15 AM PDT" in words.time_beside(next_day, start)
    assert Localizer("fr", PARIS).time_beside(same_day, start).endswith(">08:58 CEST</time>")
