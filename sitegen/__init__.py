"""sitegen: a static site generator for status pages and incident history."""

__version__ = "0.2.0"
"""The version, in this one place: the build reads it from here, and ``sitegen init`` pins sites to it."""

DISTRIBUTION = "sitegen-status"
"""The name sitegen is published under on the package index (plain ``sitegen`` there is another project)."""

REPOSITORY = "https://github.com/sitegen-status/sitegen"
"""Where sitegen's source, releases and composite Action live."""
