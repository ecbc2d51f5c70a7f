"""The environment key: everything outside a site's content that shapes its output, as one digest.

Every entry of the build cache is kept under this key and taken only under
the same one (sitegen.output.cache), and every output's key starts from it
(sitegen.views.render): so whatever changed outside the content, nothing
made before the change is used after it. That holds by construction rather
than by each view remembering what it read: a new setting, a library's
new release or an edited catalogue is in the key because the whole of each
is. It covers:

- sitegen's own code and package data (templates, catalogues, schemas),
  byte for byte: a rule changed within one version counts;
- the name and version of every library sitegen depends on, and Python's;
- the bytes of the rules of the site's time zone, wherever they are read
  from (``PYTHONTZPATH``, the system's zoneinfo, the ``tzdata`` package):
  a zone's name says nothing of which year's rules it has;
- every template and catalogue of the theme, the default theme's too;
- the settings and the component catalogue, as loaded (``--base-url`` included).

Whatever it does not cover is not kept: a library whose version cannot be
read makes a key of its own for every build.
"""

from __future__ import annotations

import os
import platform
import re
from functools import cache
from importlib import metadata

from sitegen import DISTRIBUTION
from sitegen.content.model import Component
from sitegen.content.site import SiteConfig
from sitegen.content.times import zone_rules
from sitegen.fingerprint import Fingerprints, code_digest
from sitegen.views.theme import Theme


def environment_key(config: SiteConfig, components: tuple[Component, ...], theme: Theme) -> str:
    """The digest of everything but the content that the site's outputs are made from."""
    return Fingerprints().of(
        code_digest(), library_versions(), zone_rules(config.tz), theme.fingerprint(), config, components
    )


@cache
def library_versions() -> tuple[tuple[str, str], ...]:
    """The version of Python and of each library sitegen requires (extras aside), by name."""
    try:
        required = metadata.requires(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:  # not installed: what shapes the output cannot be told
        return (("unknown", os.urandom(16).hex()),)
    names = sorted({re.split(r"[\s<>=!~;\[(]", line, maxsplit=1)[0] for line in required if "extra ==" not in line})
    return (("python", platform.python_version()), *((name, _version(name)) for name in names))


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"
