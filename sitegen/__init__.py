"""sitegen: a static site generator for status pages and incident history."""

__version__ = "0.1.0"
