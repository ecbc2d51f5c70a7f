"""The layering the package promises: the model knows nothing of presentation."""

from __future__ import annotations

import ast
from pathlib import Path

import sitegen

PACKAGE = Path(sitegen.__file__).parent
PRESENTATION = {
    "jinja2",
    "markdown_it",
    "markupsafe",
    "feedgen",
    "click",
    "sitegen.render",
    "sitegen.theme",
    "sitegen.pages",
    "sitegen.markdown",
    "sitegen.feeds",
    "sitegen.api",
    "sitegen.output",
    "sitegen.cli",
}


def imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_model_and_loading_import_no_presentation() -> None:
    for name in (
        "model.py",
        "loader.py",
        "config.py",
        "frontmatter.py",
        "fields.py",
        "times.py",
        "errors.py",
        "uptime.py",
    ):
        used = imports(PACKAGE / name)
        leaks = {m for m in used if m in PRESENTATION or m.split(".")[0] in PRESENTATION}
        assert not leaks, f"{name} imports {leaks}"
