"""CI runs the tools it was tested with: the lock of the test extras is complete, and CI installs from it."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / ".ci" / "requirements.txt"
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
TOOLS = ("ruff", "mypy", "zizmor", "pytest", "types-pyyaml", "uv")


def pinned() -> dict[str, str]:
    """The lock's ``name==version`` lines, by canonical name."""
    lines = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", LOCK.read_text(encoding="utf-8"), re.M)
    return {canonicalize_name(name): version for name, version in lines}


def test_the_lock_pins_every_dependency_and_test_extra_and_the_tools() -> None:
    wanted = [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["test"]]
    names = {canonicalize_name(Requirement(line).name) for line in wanted}
    assert names <= set(pinned()), sorted(names - set(pinned()))
    for line in wanted:  # the lock must satisfy what pyproject.toml asks
        requirement = Requirement(line)
        assert requirement.specifier.contains(pinned()[canonicalize_name(requirement.name)]), line
    assert set(TOOLS) <= set(pinned())


def test_ci_installs_the_lock_before_the_readme_command() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    lock = script.index("pip install -q -r .ci/requirements.txt")
    assert lock < script.index("ruff check") < script.index("python -m pytest")
    check = (REPO / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8")
    assert "pip install -r .ci/requirements.txt" in check


def test_dependabot_keeps_the_lock_current() -> None:
    config = (REPO / ".github" / "dependabot.yml").read_text(encoding="utf-8")
    assert "directory: /.ci" in config and "package-ecosystem: pip" in config


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="a developer's machine may hold other versions")
def test_ci_runs_the_pinned_versions() -> None:
    installed = {name: metadata.version(name) for name in pinned() if _installed(name)}
    assert {name: pinned()[name] for name in installed} == installed
    assert set(TOOLS) <= set(installed)


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True
