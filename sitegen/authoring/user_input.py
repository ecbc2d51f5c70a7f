"""What a person types for ``sitegen new``, ``update`` and ``resolve``, checked before any file is touched.

Titles, statuses, components and the update's text come from a shell during
an outage, so each is checked against the site (its components, the statuses
of the file's kind) and normalised here, with messages that say what would
have been right. :class:`AuthoringError` is the error of every authoring
command, also for a file that cannot be changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, tzinfo

from slugify import slugify as transliterated_slug

from sitegen.content.fields import suggestion
from sitegen.content.loader import STATUS_OF_OTHER_KIND
from sitegen.content.model import Component
from sitegen.content.names import SLUG, name_problem
from sitegen.content.statuses import ComponentStatus, UpdateStatus
from sitegen.content.times import parse_time
from sitegen.errors import UserError

SLUG_LENGTH = 60
DEFAULT_BODIES = {  # Statuspage's default texts, so that a status alone is enough during an outage
    UpdateStatus.INVESTIGATING: "We are currently investigating this issue.",
    UpdateStatus.IDENTIFIED: "The issue has been identified and a fix is being implemented.",
    UpdateStatus.MONITORING: "A fix has been implemented and we are monitoring the results.",
    UpdateStatus.RESOLVED: "This incident has been resolved.",
    UpdateStatus.POSTMORTEM: "A post-incident review has been published.",
    UpdateStatus.SCHEDULED: "The scheduled maintenance is planned.",
    UpdateStatus.IN_PROGRESS: "Scheduled maintenance is currently in progress. We will provide updates as necessary.",
    UpdateStatus.VERIFYING: "Verification is currently underway for the maintenance items.",
    UpdateStatus.COMPLETED: "The scheduled maintenance has been completed.",
}
Body = str | Callable[[], str] | None
"""An update's text; a function (that opens an editor) is called once everything else is checked."""
NOT_YAML_TEXT = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML cannot hold in a block scalar, plus the Unicode line breaks that would split a line."""
EDITOR_SCISSORS = "# ------------------------ >8 ------------------------"
EDITOR_TEMPLATE = (
    "\n\n"
    f"{EDITOR_SCISSORS}\n"
    "# Write the update above this line, in Markdown; everything from the\n"
    "# line above on is ignored. An empty text cancels the command.\n"
)


class AuthoringError(UserError):
    """A mistake the user can fix, in what they typed or in the file they named; nothing was changed."""


def slugify(title: str, *, max_length: int = SLUG_LENGTH) -> str:
    """Lower-case ASCII words joined by dashes, cut at a word boundary; 'incident' if nothing is left.

    Any script is transliterated (python-slugify, with text-unidecode):
    "数据库故障" gives 'shu-ju-ku-gu-zhang', "Ошибки API" 'oshibki-api'.
    Apostrophes join their word ("Customer's" gives 'customers').
    """
    slug = transliterated_slug(
        title, max_length=max_length, word_boundary=True, save_order=True, replacements=[["'", ""], ["\u2019", ""]]
    )
    return slug or "incident"


def check_slug(slug: str) -> str:
    """A slug given with --slug: lower-case letters, digits, dots and dashes, as content file names must be."""
    if not SLUG.match(slug) or slug.endswith((".", "-")):
        raise AuthoringError(
            f"--slug '{slug}' is not a slug: use lower-case letters, digits and dashes, e.g. {slugify(slug)}"
        )
    if (problem := name_problem(slug)) is not None:
        raise AuthoringError(f"--slug '{slug}' {problem}")
    return slug


def check_window(start: str | None, end: str | None, tz: tzinfo) -> tuple[datetime, datetime]:
    """A maintenance window from --for and --until (ISO 8601; without an offset, in the site's timezone)."""
    if start is None or end is None:
        raise AuthoringError("a maintenance needs its window: give --for START and --until END (ISO 8601 times)")
    times = []
    for option, value in (("--for", start), ("--until", end)):
        try:
            times.append(parse_time(value, tz))
        except ValueError as exc:
            raise AuthoringError(f"{option}: {exc}") from None
    if times[1] <= times[0]:
        raise AuthoringError(f"--until ({end}) must be after --for ({start})")
    return times[0], times[1]


def check_title(title: str) -> str:
    """The title on one line, with its whitespace runs made single spaces."""
    cleaned = " ".join(title.split())
    if not cleaned:
        raise AuthoringError("the title is empty")
    _check_characters(cleaned, "the title")
    return cleaned


def check_status(value: str, allowed: Sequence[UpdateStatus], *, what: str) -> UpdateStatus:
    """The update status, if ``allowed`` for this kind of file; else say which are."""
    names = [s.value for s in allowed]
    if value in names:
        return UpdateStatus(value)
    hint = STATUS_OF_OTHER_KIND.get(value)
    tail = f" ({hint})" if hint else suggestion(value, names)
    raise AuthoringError(f"'{value}' is not a status of {what}: use one of {', '.join(names)}{tail}")


def check_body(body: Body, status: UpdateStatus) -> str:
    """The body as Markdown lines: line ends made LF, blank lines around it trimmed; the status's default if None."""
    if callable(body):
        body = body()
    if body is None:
        return DEFAULT_BODIES[status]
    lines = body.replace("\r\n", "\n").replace("\r", "\n").rstrip().split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise AuthoringError(
            "the text is empty: write what is happening, or leave out --body and --edit for the default text"
        )
    text = "\n".join(lines)
    _check_characters(text, "the body")
    return text


def parse_components(values: Iterable[str], catalogue: dict[str, Component]) -> dict[str, ComponentStatus]:
    """``id=status`` options, each checked against sitegen.toml's components and the component statuses."""
    result: dict[str, ComponentStatus] = {}
    ids = list(catalogue)
    statuses = [s.value for s in ComponentStatus]
    for value in values:
        cid, sep, status = (part.strip() for part in value.partition("="))
        if not sep or not cid or not status:
            raise AuthoringError(f"--component '{value}' must be written ID=STATUS, e.g. api=partial_outage")
        if cid not in catalogue:
            valid = ", ".join(ids) if ids else "none: sitegen.toml declares no [[components]]"
            raise AuthoringError(
                f"unknown component '{cid}'{suggestion(cid, ids)}", hints=[f"valid components: {valid}"]
            )
        if status not in statuses:
            raise AuthoringError(
                f"unknown status '{status}' for component '{cid}'{suggestion(status, statuses)}",
                hints=[f"valid component statuses: {', '.join(statuses)}"],
            )
        if cid in result:
            raise AuthoringError(f"component '{cid}' is given twice")
        result[cid] = ComponentStatus(status)
    return result


def body_from_editor(text: str | None) -> str | None:
    """What was written above the scissors line of an editor's buffer (None: the editor was quit)."""
    if text is None:
        return None
    return text.split(EDITOR_SCISSORS, 1)[0]


def _check_characters(text: str, what: str) -> None:
    if bad := NOT_YAML_TEXT.search(text):
        raise AuthoringError(f"{what} contains the character U+{ord(bad.group()):04X}, which a YAML file cannot hold")
