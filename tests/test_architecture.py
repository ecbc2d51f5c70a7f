"""The layering the package promises, checked on every module it has.

Each subpackage is a layer and may import only the layers below it:

    errors, parallel, http,     (shared, import nothing of sitegen but its version)
    fingerprint
    content                     the model, loading and validation
    analysis                    figures computed from the model
    output                      where files live, and writing them
    views                       the model turned into bytes
    build                       the pipeline: load, render, publish
    authoring                   tools for people who write a site
    importers, notify           history from other status pages; announcing updates
    commands                    the command line (the only user of click)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sitegen

PACKAGE = Path(sitegen.__file__).parent
PRESENTATION = {"jinja2", "markdown_it", "markupsafe", "feedgen", "icalendar"}
ALLOWED: dict[str, set[str]] = {
    "sitegen": set(),  # __init__ and __main__ (which starts the command line)
    "sitegen.errors": set(),
    "sitegen.parallel": set(),
    "sitegen.http": set(),
    "sitegen.fingerprint": set(),
    "sitegen.content": {"sitegen.errors", "sitegen.parallel"},
    "sitegen.analysis": {"sitegen.errors", "sitegen.content"},
    "sitegen.output": {"sitegen.errors"},
    "sitegen.views": {
        "sitegen.errors",
        "sitegen.parallel",
        "sitegen.fingerprint",
        "sitegen.content",
        "sitegen.analysis",
        "sitegen.output",
    },
    "sitegen.build": {
        "sitegen.errors",
        "sitegen.parallel",
        "sitegen.fingerprint",
        "sitegen.content",
        "sitegen.analysis",
        "sitegen.output",
        "sitegen.views",
    },
}
ALLOWED["sitegen.authoring"] = {*ALLOWED["sitegen.build"], "sitegen.build", "sitegen.parallel"}
ALLOWED["sitegen.authoring"] |= {"sitegen.http"}
ALLOWED["sitegen.importers"] = ALLOWED["sitegen.authoring"]
ALLOWED["sitegen.notify"] = ALLOWED["sitegen.authoring"]
ALLOWED["sitegen.commands"] = {
    *ALLOWED["sitegen.authoring"],
    "sitegen.authoring",
    "sitegen.importers",
    "sitegen.notify",
}
MAY_PRESENT = {
    "sitegen.views",
    "sitegen.build",
    "sitegen.authoring",
    "sitegen.importers",
    "sitegen.notify",
    "sitegen.commands",
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(name: str) -> str:
    """The layer a module belongs to: its subpackage, or itself for a top-level module."""
    parts = name.split(".")
    if len(parts) == 1 or (len(parts) == 2 and parts[1] == "__main__"):
        return "sitegen"
    return ".".join(parts[:2])


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (imports inside functions count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "sitegen":
                found |= {
                    f"sitegen.{alias.name}" for alias in node.names if alias.name not in ("__version__", "DISTRIBUTION")
                }
    return found


def test_every_module_is_in_a_layer() -> None:
    unknown = {dotted(p) for p in modules() if layer(dotted(p)) not in ALLOWED}
    assert not unknown, f"modules outside any layer (add them to a subpackage): {sorted(unknown)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_lower_layers(path: Path) -> None:
    own = layer(dotted(path))
    allowed = ALLOWED[own] | {own}
    if dotted(path) == "sitegen.__main__":
        allowed |= {"sitegen.commands"}
    wrong = {m for m in imports(path) if m.startswith("sitegen.") and layer(m) not in allowed}
    assert not wrong, f"{dotted(path)} ({own}) imports from a higher layer: {sorted(wrong)}"
    third_party = {m.split(".")[0] for m in imports(path)}
    if own != "sitegen.commands":
        assert "click" not in third_party, f"only sitegen.commands may import click, not {dotted(path)}"
    if own not in MAY_PRESENT:
        leaks = third_party & PRESENTATION
        assert not leaks, f"{dotted(path)} ({own}) knows of presentation: {sorted(leaks)}"


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in modules() if (n := len(p.read_text().splitlines())) > 400}
    assert not long, f"split these modules: {long}"
