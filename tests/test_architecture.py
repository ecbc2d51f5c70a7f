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
PRESENTATION = {"jinja2", "markdown_it", "markupsafe", "feedgen", "icalendar", "PIL"}
ALLOWED: dict[str, set[str]] = {
    "sitegen": set(),  # __init__ and __main__ (which starts the command line)
    "sitegen.errors": set(),
    "sitegen.parallel": set(),
    "sitegen.http": set(),
    "sitegen.fingerprint": set(),
    "sitegen.content": {"sitegen.errors", "sitegen.parallel"},
    "sitegen.analysis": {"sitegen.errors", "sitegen.fingerprint", "sitegen.content"},
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


PRINTERS = {"sitegen.commands.reporting", "sitegen.commands.progress"}
"""The modules that write to standard output or error: every other prints through ``reporting.say``."""


def writes_to_the_terminal(path: Path) -> list[str]:
    """Each call to print, click.echo/secho/progressbar, and each use of sys.stdout or sys.stderr, in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append(f"print() at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in {"echo", "secho", "progressbar", "stdout", "stderr"}:
            if isinstance(node.value, ast.Name) and node.value.id in {"click", "sys"}:
                found.append(f"{node.value.id}.{node.attr} at line {node.lineno}")
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_reporting_module_prints_so_every_line_is_disarmed(path: Path) -> None:
    """A line printed past ``say`` could carry a '::' or '##[' command from a pull request to the CI runner."""
    if dotted(path) in PRINTERS:
        return
    assert not writes_to_the_terminal(path), f"{dotted(path)} prints past sitegen.commands.reporting.say"


def test_the_printing_check_finds_a_print() -> None:
    assert writes_to_the_terminal(PACKAGE / "commands" / "reporting.py")


def test_the_development_guide_lists_every_module_and_no_other() -> None:
    """docs/development.md's module tree is the package's: a module added, moved or removed shows up here."""
    guide = (PACKAGE.parent / "docs" / "development.md").read_text(encoding="utf-8")
    tree = guide.split("### Modules", 1)[1].split("```", 2)[1]
    listed: set[str] = set()
    named_folders: set[str] = set()
    folders: list[str] = []
    for line in tree.splitlines():
        words = line.split()
        if not words or not words[0].endswith(("/", ".py")):
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        folders = folders[:depth]
        if words[0].endswith("/"):
            folders.append(words[0].rstrip("/"))
            named_folders.add("/".join(folders))
        else:
            listed.add("/".join([*folders, words[0]]))
    modules = {p.relative_to(PACKAGE.parent).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    # a folder with no module listed under it (alerts/, one module per tool) is described as a whole
    whole = {f for f in named_folders if not any(module.startswith(f"{f}/") for module in listed)}
    covered = {m for m in modules if m in listed or any(m.startswith(f"{folder}/") for folder in whole)}
    assert sorted(modules - covered) == []
    assert sorted(m for m in listed if m.startswith("sitegen/") and m not in modules) == []
