"""The vocabularies of the content model: component statuses, update statuses, kinds and impacts.

They are Statuspage's words, so that sites, feeds and the JSON API speak the
language clients already know. Each enum also knows its order (which status
is worse) and its plain-English label.
"""

from __future__ import annotations

from enum import Enum


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
        return self.value.replace("_", " ").capitalize()

    @property
    def is_downtime(self) -> bool:
        """Maintenance is announced work, so it is shown but never counted against uptime."""
        return self.severity >= ComponentStatus.DEGRADED_PERFORMANCE.severity


_SEVERITY = {status: rank for rank, status in enumerate(ComponentStatus)}


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
        return self.value.replace("_", " ").capitalize()


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
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        """Order for 'the worst of': maintenance is announced, so it ranks below any outage."""
        return _IMPACT_RANK.index(self)

    @property
    def description(self) -> str:
        """The site-wide sentence for this indicator, in Statuspage's words."""
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
_IMPACT_DESCRIPTIONS = {
    "none": "All Systems Operational",
    "maintenance": "Service Under Maintenance",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
USER_IMPACTS = (Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL)
