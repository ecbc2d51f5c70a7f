"""Releasing sitegen: one version, a name on the package index that is this project's, and the pieces around it.

How a new site installs the sitegen it was made with is tested in test_adoption.py.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

import sitegen
from sitegen.commands.main import main

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
RELEASE = REPO / ".github" / "workflows" / "release.yml"
ACTION = REPO / "action.yml"


def workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key 'on' as true
    return data


# ---- the distribution ---------------------------------------------------------------------------


def test_the_distribution_has_its_own_name_and_says_what_it_is() -> None:
    assert PROJECT["name"] == sitegen.DISTRIBUTION == "sitegen-status"  # 'sitegen' on PyPI is a 2010 project
    assert PYPROJECT["project"]["scripts"] == {"sitegen": "sitegen.commands.main:main"}
    assert PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["sitegen"]
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert set(PROJECT["urls"].values()) >= {sitegen.REPOSITORY, f"{sitegen.REPOSITORY}/issues"}
    classifiers = set(PROJECT["classifiers"])
    assert {"Programming Language :: Python :: 3.11", "Topic :: System :: Monitoring"} <= classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # the license expression says it (PEP 639)


def test_every_dependency_has_a_lower_bound_and_no_upper_one() -> None:
    for line in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]:
        specifiers = {s.operator for s in Requirement(line).specifier}
        assert specifiers == {">="}, line


def test_the_version_lives_in_one_place() -> None:
    assert PROJECT["dynamic"] == ["version"] and "version" not in PROJECT
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "sitegen/__init__.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", sitegen.__version__)
    result = CliRunner().invoke(main, ["--version"])
    assert result.output == f"sitegen, version {sitegen.__version__}\n"


def test_the_repository_is_named_alike_everywhere() -> None:
    """The docs, the action and the site template name sitegen's repository as pyproject.toml does."""
    owner_repo = sitegen.REPOSITORY.removeprefix("https://github.com/")
    texts = {
        path: path.read_text(encoding="utf-8")
        for path in [REPO / "README.md", REPO / "docs" / "deploy.md", REPO / "docs" / "cli.md", ACTION]
        + sorted((REPO / "sitegen" / "authoring" / "site_template").rglob("*"))
        if path.is_file()
    }
    for path, text in texts.items():
        assert "github.com/<org>/sitegen" not in text, path
        for named in re.findall(r"github\.com/([\w.-]+/sitegen)\b", text):
            assert named == owner_repo, path
    readme = texts[REPO / "README.md"]
    assert f"uses: {owner_repo}@v{sitegen.__version__}" in readme  # by the Action
    assert "pip install sitegen-status\n" in readme  # by name
    assert f"sitegen-status @ git+{sitegen.REPOSITORY}@v{sitegen.__version__}" in readme  # by Git


def test_the_tests_use_the_installed_wheel_when_the_release_workflow_says_so() -> None:
    location = Path(sitegen.__file__).resolve()
    if os.environ.get("SITEGEN_TEST_INSTALLED"):
        assert REPO / "sitegen" not in location.parents, f"the tests imported the checkout's sitegen: {location}"
    else:
        assert location.is_file()


# ---- the release workflow ---------------------------------------------------------------------


def test_a_version_tag_builds_tests_the_wheel_and_publishes_with_trusted_publishing() -> None:
    release = workflow(RELEASE)
    assert release["on"] == {"push": {"tags": ["v*"]}}
    jobs = release["jobs"]
    assert list(jobs) == ["build", "test", "github-release", "publish"]
    assert jobs["test"]["needs"] == "build" and jobs["publish"]["needs"] == "test"
    build_runs = [step.get("run", "") for step in jobs["build"]["steps"]]
    assert "python -m build" in " ".join(build_runs)  # the sdist and the wheel, once
    assert "twine check --strict dist/*" in build_runs
    assert any("$TAG" in run and "__version__" in run for run in build_runs)  # the tag must name the version
    test_runs = [step.get("run", "") for step in jobs["test"]["steps"]]
    assert 'pip install "$(echo dist/*.whl)[test]"' in test_runs
    assert "pytest -q" in test_runs and not any("python -m pytest" in run for run in test_runs)
    assert any(run.startswith("sitegen build") for run in test_runs)  # the wheel builds the example site
    assert jobs["github-release"]["permissions"] == {"contents": "write"}
    (attach,) = [step["run"] for step in jobs["github-release"]["steps"] if "run" in step]
    assert 'gh release create "$TAG" dist/*' in attach
    publish = jobs["publish"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    (upload,) = [step for step in publish["steps"] if "gh-action-pypi-publish" in step.get("uses", "")]
    assert "with" not in upload  # no password, no token: PyPI trusts the workflow itself
    assert not re.search(r"\{\{\s*secrets\.", RELEASE.read_text(encoding="utf-8"))


def test_the_release_notes_are_the_changelog_section_of_the_version(tmp_path: Path) -> None:
    """The release job's own shell, run on CHANGELOG.md for this version."""
    (attach,) = [s["run"] for s in workflow(RELEASE)["jobs"]["github-release"]["steps"] if "run" in s]
    notes_only = attach.split("gh release create")[0]
    env = {**os.environ, "TAG": f"v{sitegen.__version__}", "RUNNER_TEMP": str(tmp_path)}
    subprocess.run(["bash", "-e", "-c", notes_only], cwd=REPO, env=env, check=True, timeout=60)
    notes = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert "### Added" in notes and not re.search(r"^## ", notes, re.M)  # this version's section, and no other
    missing = subprocess.run(["bash", "-e", "-c", notes_only], cwd=REPO, env={**env, "TAG": "v9.9.9"}, timeout=60)
    assert missing.returncode != 0


# ---- the composite action ---------------------------------------------------------------------


def test_the_action_installs_sitegen_from_its_own_checkout_and_runs_a_command() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"command", "args", "python-version", "working-directory"}
    assert action["inputs"]["command"]["required"] is True
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@") and steps[0]["if"] == "inputs.python-version != ''"
    install = steps[1]
    assert install["run"] == 'python -m pip install --disable-pip-version-check "$ACTION_PATH"'
    assert install["env"] == {"ACTION_PATH": "${{ github.action_path }}"}  # no index: the action's own files


@pytest.mark.parametrize(
    ("command", "args", "argv"),
    [
        (
            "build",
            '--base-url "https://acme.github.io/status page/"',
            ["build", "--base-url", "https://acme.github.io/status page/"],
        ),
        ("check --strict", "", ["check", "--strict"]),
        ("check", "'$(touch pwned)' ; touch pwned", ["check", "$(touch pwned)", ";", "touch", "pwned"]),
    ],
)
def test_the_action_passes_its_arguments_as_words_and_runs_nothing_else(tmp_path, command, args, argv) -> None:
    """The action's last step, run as the runner runs it, with a stand-in sitegen that prints what it was given."""
    (run_step,) = [s for s in yaml.safe_load(ACTION.read_text())["runs"]["steps"] if s.get("name") == "Run sitegen"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "sitegen"
    fake.write_text(f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    env |= {"SITEGEN_COMMAND": command, "SITEGEN_ARGS": args, "python": sys.executable}
    script = run_step["run"].replace("python -c", f"{shlex.quote(sys.executable)} -c", 1)
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout) == argv
    assert not (tmp_path / "pwned").exists()
