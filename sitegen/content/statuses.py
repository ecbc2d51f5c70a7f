"""The vocabularies of the content model: component statuses, update statuses, kinds and impacts.

They are Statuspage's words, so that sites, feeds and the JSON API speak the
language clients already know. Each enum also knows its order (which status
is worse) and its label for readers. A label is a message of the catalogues
(``sitegen/locale``) in English, their source language: it is marked here
with ``pgettext_noop`` so that extraction finds it, and the views translate
it into the site's language with its ``label_context``. The JSON API and the
command line use the English label as it is.
"""

from __future__ import annotations

from enum import Enum


def pgettext_noop(context: str, message: str) -> str:
    """Mark ``message`` for the catalogues under ``context`` and return it as it is, in English.

    The model knows no language of a site; translating is the views' work
    (``sitegen.views.i18n``). The context tells translators, and gettext,
    that the same English word may need another word in another place
    ("Scheduled" as an update's status, or as a fact of a maintenance). It
    is written out in each call, as extraction reads only literals; each
    enum's ``label_context`` names it again, and the tests hold the two
    together.
    """
    return message


class ComponentStatus(str, Enum):
    """What state a component is in, ordered from best to worst by ``severity``."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        return _COMPONENT_LABELS[self]

    @property
    def label_context(self) -> str:
        return COMPONENT_STATUS_CONTEXT

    @property
    def is_downtime(self) -> bool:
        """Maintenance is announced work, so it is shown but never counted against uptime."""
        return self.severity >= ComponentStatus.DEGRADED_PERFORMANCE.severity


_SEVERITY = {status: rank for rank, status in enumerate(ComponentStatus)}
COMPONENT_STATUS_CONTEXT = "component status"
_COMPONENT_LABELS = {
    ComponentStatus.OPERATIONAL: pgettext_noop("component status", "Operational"),
    ComponentStatus.UNDER_MAINTENANCE: pgettext_noop("component status", "Under maintenance"),
    ComponentStatus.DEGRADED_PERFORMANCE: pgettext_noop("component status", "Degraded performance"),
    ComponentStatus.PARTIAL_OUTAGE: pgettext_noop("component status", "Partial outage"),
    ComponentStatus.MAJOR_OUTAGE: pgettext_noop("component status", "Major outage"),
}


class UpdateStatus(str, Enum):
    """The label of one update in an incident's (or maintenance's) timeline."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    POSTMORTEM = "postmortem"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return _UPDATE_LABELS[self]

    @property
    def label_context(self) -> str:
        return UPDATE_STATUS_CONTEXT


UPDATE_STATUS_CONTEXT = "update status"
_UPDATE_LABELS = {
    UpdateStatus.INVESTIGATING: pgettext_noop("update status", "Investigating"),
    UpdateStatus.IDENTIFIED: pgettext_noop("update status", "Identified"),
    UpdateStatus.MONITORING: pgettext_noop("update status", "Monitoring"),
    UpdateStatus.RESOLVED: pgettext_noop("update status", "Resolved"),
    UpdateStatus.POSTMORTEM: pgettext_noop("update status", "Postmortem"),
    UpdateStatus.SCHEDULED: pgettext_noop("update status", "Scheduled"),
    UpdateStatus.IN_PROGRESS: pgettext_noop("update status", "In progress"),
    UpdateStatus.VERIFYING: pgettext_noop("update status", "Verifying"),
    UpdateStatus.COMPLETED: pgettext_noop("update status", "Completed"),
}


class Kind(str, Enum):
    """What a content file describes: something that broke, or announced work."""

    INCIDENT = "incident"
    MAINTENANCE = "maintenance"

    @property
    def noun(self) -> str:
        return self.value

    @property
    def ending_status(self) -> UpdateStatus:
        """The update that closes one of this kind: 'resolved' for an incident, 'completed' for a maintenance."""
        return UpdateStatus.COMPLETED if self is Kind.MAINTENANCE else UpdateStatus.RESOLVED

    @property
    def after_ending(self) -> tuple[UpdateStatus, ...]:
        """The updates that belong after the ending one: the ending status again, and an incident's postmortem.

        A second 'resolved' (or 'completed') is the summary posted days later,
        as status pages do; it leaves the incident ended, as a postmortem does.
        """
        if self is Kind.MAINTENANCE:
            return (UpdateStatus.COMPLETED,)
        return (UpdateStatus.RESOLVED, UpdateStatus.POSTMORTEM)


INCIDENT_STATUSES = (
    UpdateStatus.INVESTIGATING,
    UpdateStatus.IDENTIFIED,
    UpdateStatus.MONITORING,
    UpdateStatus.RESOLVED,
    UpdateStatus.POSTMORTEM,
)
MAINTENANCE_STATUSES = (
    UpdateStatus.SCHEDULED,
    UpdateStatus.IN_PROGRESS,
    UpdateStatus.VERIFYING,
    UpdateStatus.COMPLETED,
)
STATUSES_OF_KIND = {Kind.INCIDENT: INCIDENT_STATUSES, Kind.MAINTENANCE: MAINTENANCE_STATUSES}
ENDING_STATUSES = {UpdateStatus.RESOLVED, UpdateStatus.POSTMORTEM, UpdateStatus.COMPLETED}


class Impact(str, Enum):
    """How bad an incident was, in Statuspage's terms (also its status indicator)."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"
    MAINTENANCE = "maintenance"

    @property
    def label(self) -> str:
        return _IMPACT_LABELS[self]

    @property
    def label_context(self) -> str:
        return IMPACT_CONTEXT

    @property
    def rank(self) -> int:
        """Order for 'the worst of': maintenance is announced, so it ranks below any outage."""
        return _IMPACT_RANK.index(self)

    @property
    def description(self) -> str:
        """The site-wide sentence for this indicator, in Statuspage's words (translated with ``INDICATOR_CONTEXT``)."""
        return _IMPACT_DESCRIPTIONS[self]

    @classmethod
    def of_status(cls, status: ComponentStatus) -> Impact:
        return _IMPACT_OF_STATUS[status]


_IMPACT_OF_STATUS = {
    ComponentStatus.OPERATIONAL: Impact.NONE,
    ComponentStatus.UNDER_MAINTENANCE: Impact.MAINTENANCE,
    ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
    ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
}
_IMPACT_RANK = ("none", "maintenance", "minor", "major", "critical")
IMPACT_CONTEXT = "impact"
_IMPACT_LABELS = {
    Impact.NONE: pgettext_noop("impact", "None"),
    Impact.MINOR: pgettext_noop("impact", "Minor"),
    Impact.MAJOR: pgettext_noop("impact", "Major"),
    Impact.CRITICAL: pgettext_noop("impact", "Critical"),
    Impact.MAINTENANCE: pgettext_noop("impact", "Maintenance"),
}
INDICATOR_CONTEXT = "overall status"
_IMPACT_DESCRIPTIONS = {
    "none": pgettext_noop("overall status", "All Systems Operational"),
    "maintenance": pgettext_noop("overall status", "Service Under Maintenance"),
    "minor": pgettext_noop("overall status", "Minor Service Outage"),
    "major": pgettext_noop("overall status", "Partial System Outage"),
    "critical": pgettext_noop("overall status", "Major System Outage"),
}
USER_IMPACTS = (Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)
