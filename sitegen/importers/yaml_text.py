"""Front matter as YAML text: readable, and read back by the content loader as exactly what was written.

PyYAML writes it, so any text is quoted correctly; two choices make the
result look hand-written: times are plain ISO 8601 scalars with the
source's own offset (``2021-12-07T10:39:58.216-07:00``), and text of more
than one line is a ``|`` block.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import yaml

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
STRING_TAG = "tag:yaml.org,2002:str"
NO_WRAP = 1_000_000
"""Long lines stay whole: PyYAML would fold them, which reads badly in a diff."""


def moment_text(moment: datetime) -> str:
    """ISO 8601 with the moment's own offset, 'Z' for UTC, and only the sub-second digits it has."""
    spec = "seconds" if not moment.microsecond else "milliseconds" if not moment.microsecond % 1000 else "microseconds"
    text = moment.isoformat(timespec=spec)
    return text[:-6] + "Z" if moment.utcoffset() == timedelta(0) else text


class _Dumper(yaml.SafeDumper):
    """SafeDumper with the two choices above, and list items indented under their key as in the docs."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        """Never '&id001' and '*id001': a time written twice is written twice."""
        return True


def _moment(dumper: yaml.SafeDumper, moment: datetime) -> yaml.ScalarNode:
    return dumper.represent_scalar(TIMESTAMP_TAG, moment_text(moment))


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(STRING_TAG, text, style="|" if "\n" in text else None)


_Dumper.add_representer(datetime, _moment)
_Dumper.add_representer(str, _text)


def front_matter(data: dict[str, Any], body: str = "") -> str:
    """A content file: ``data`` as YAML between ``---`` lines, then ``body``."""
    yaml_text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=NO_WRAP, indent=2)
    tail = f"{body.strip()}\n" if body.strip() else ""
    return f"---\n{yaml_text}---\n{tail}"
