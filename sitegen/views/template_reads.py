"""What a template reads beyond its page's context: which of the site's values, and whether the build's time.

Every template is given the whole ``site`` and ``now``; a page is only as
reusable as what its templates read of them. The default theme's base
template shows the overall status (``site.indicator``) on every page, but
no incident page shows ``now``: so an incident page need not be rendered
again when only the time or another incident changed.

The answer comes from the templates' source, before rendering: the
template, and every template it extends, includes or imports, are read for
``site.<name>`` (each name read), a bare ``site`` (the whole site), ``now``,
and the filters that read ``now``. A template whose name is only known
while rendering (``{% include some_variable %}``) could read anything:
its pages are rendered every time. A template that is not there (``{% include
… ignore missing %}``) reads nothing; which templates the theme has is in
the environment key (sitegen.views.environment), so adding it later
changes every key.
"""

from __future__ import annotations

from functools import cache

import jinja2
from jinja2 import meta, nodes

from sitegen.views.theme import NOW_FILTERS

NOW = "now"
WHOLE_SITE = "site"


class TemplateReads:
    """The reads of each template of one environment, worked out once per template."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.of = cache(self._of)

    def _of(self, name: str) -> frozenset[str] | None:
        """``now``, ``site`` or ``site.<name>`` for each value the template (with its own) reads; None: unknown."""
        source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        own, others = _parsed(self.env, name, source, filename)
        reads = set(own)
        for other in others:
            if other is None:
                return None
            try:
                theirs = self.of(other)
            except jinja2.TemplateNotFound:  # ``ignore missing``, or an error rendering reports: it reads nothing
                continue
            if theirs is None:
                return None
            reads |= theirs
        return frozenset(reads)


_PARSED: dict[tuple[type, str, str], tuple[frozenset[str], tuple[str | None, ...]]] = {}
"""What each template source read in this process reads itself, and which templates it names (None: one named
only while rendering): by its source, so a preview's rebuilds parse only what was edited."""
MAX_PARSED = 512


def _parsed(
    env: jinja2.Environment, name: str, source: str, filename: str | None
) -> tuple[frozenset[str], tuple[str | None, ...]]:
    key = (type(env), name, source)
    if key not in _PARSED:
        if len(_PARSED) >= MAX_PARSED:  # a long preview of a theme being written: start again
            _PARSED.clear()
        tree = env.parse(source, name, filename)
        _PARSED[key] = (frozenset(_reads(tree)), tuple(meta.find_referenced_templates(tree)))
    return _PARSED[key]


def _reads(tree: nodes.Template) -> set[str]:
    reads: set[str] = set()
    named_attributes = 0
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, (nodes.Getattr, nodes.Getitem))
        if isinstance(node.node, nodes.Name) and node.node.name == WHOLE_SITE:
            attribute = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
            if attribute is None:
                reads.add(WHOLE_SITE)
            else:
                reads.add(f"{WHOLE_SITE}.{attribute}")
                named_attributes += 1
    names = [node.name for node in tree.find_all(nodes.Name)]
    if names.count(WHOLE_SITE) > named_attributes:  # ``site`` given to a macro or a filter whole
        reads.add(WHOLE_SITE)
    if NOW in names or any(node.name in NOW_FILTERS for node in tree.find_all(nodes.Filter)):
        reads.add(NOW)
    return reads


def _constant(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None
