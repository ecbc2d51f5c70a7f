"""The alert workflow that `sitegen init` writes: zizmor-clean at its pedantic persona, and its shell steps, run in
order as a runner would against a real Git remote, put each alert's draft on one branch with one pull request.

The remote is a bare repository on disk. `gh` is played by a small script that keeps the open pull requests as
files, one per head branch, and logs every call: the test checks what the workflow asks of it, not GitHub."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sitegen.commands.main import main

PAYLOADS = Path(__file__).resolve().parent / "alert_payloads"
FAKE_GH = """\
#!/bin/sh
echo "$*" >> "$FAKE_GH_STATE/calls.log"
pr="$FAKE_GH_STATE/pr-$(echo "$4" | tr / _)"
case "$1 $2" in
  "auth setup-git") ;;
  "pr list") if [ -f "$pr" ]; then echo 1; else echo 0; fi ;;
  "pr create") printf '%s\\n' "$6" > "$pr" ;;
  *) echo "gh: unexpected call: $*" >&2; exit 2 ;;
esac
"""
STEP_OUTPUT = re.compile(r"^\$\{\{ steps\.(\w+)\.outputs\.(\w+) \}\}$")
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A bare remote holding a new site on its main branch."""
    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["init", str(site), "--now", "2026-11-28T12:00:00Z"]).exit_code == 0
    toml = site / "sitegen.toml"
    toml.write_text(toml.read_text().replace('name = "API"\n', 'name = "API"\nalert_labels = ["job=http_checks"]\n'))
    env = {**os.environ, **GIT_IDENTITY}
    git("init", "-q", "-b", "main", cwd=site)
    git("add", ".", cwd=site)
    git("commit", "-q", "-m", "A new site", cwd=site, env=env)
    remote = tmp_path / "origin.git"
    git("clone", "-q", "--bare", str(site), str(remote), cwd=tmp_path)
    return remote


def workflow() -> dict:
    path = Path(__file__).resolve().parent.parent / "sitegen/authoring/site_template/dot-github/workflows/alert.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def run_workflow(remote: Path, payload: str, scratch: Path) -> None:
    """Check out main as actions/checkout does (shallow, no credentials kept), then run each shell step in order."""
    work = scratch / f"run-{len(list(scratch.glob('run-*')))}"
    git("clone", "-q", "--depth", "1", "--branch", "main", f"file://{remote}", str(work), cwd=scratch)
    job = workflow()["jobs"]["draft"]
    env = {**os.environ, "ALERT_PAYLOAD": payload, "GH_TOKEN": "token", "FAKE_GH_STATE": str(scratch / "gh")}
    env["PATH"] = os.pathsep.join([str(scratch / "bin"), str(Path(sys.executable).parent), env["PATH"]])
    outputs: dict[str, dict[str, str]] = {}
    for index, step in enumerate(s for s in job["steps"] if "run" in s and not s["run"].startswith("uv pip ")):
        output = scratch / f"output-{index}"
        output.write_text("")
        step_env = {name: _evaluate(value, outputs) for name, value in step.get("env", {}).items()}
        script = scratch / "step.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=work, env={**env, **step_env, "GITHUB_OUTPUT": str(output)}, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        if "id" in step:
            outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines())


def _evaluate(value: str, outputs: dict[str, dict[str, str]]) -> str:
    """A step's env value: the only expressions the shell steps are given are other steps' outputs."""
    match = STEP_OUTPUT.match(value)
    assert match, f"an expression the test cannot evaluate: {value}"
    return outputs[match[1]][match[2]]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    folder = tmp_path / "runner"
    (folder / "bin").mkdir(parents=True)
    (folder / "gh").mkdir()
    gh = folder / "bin" / "gh"
    gh.write_text(FAKE_GH)
    gh.chmod(0o755)
    return folder


def branch_files(remote: Path, branch: str) -> dict[str, str]:
    names = git("ls-tree", "-r", "--name-only", branch, "content/incidents", cwd=remote).split()
    return {name: git("show", f"{branch}:{name}", cwd=remote) for name in names}


def test_an_alert_its_repeat_and_its_resolution_make_one_branch_and_one_pull_request(repo: Path, scratch: Path):
    firing = json.loads((PAYLOADS / "alertmanager.json").read_text())
    resolved = {**firing, "status": "resolved"}
    key = subprocess.run(
        [str(Path(sys.executable).parent / "sitegen"), "new", "--from-alert", "-", "--alert-key"],
        input=json.dumps(firing), capture_output=True, text=True, check=True, cwd=repo.parent / "site",
    ).stdout.strip()  # fmt: skip
    branch = f"alert/{key}"
    example = set(branch_files(repo, "main"))

    run_workflow(repo, json.dumps(firing), scratch)
    drafted = {n: t for n, t in branch_files(repo, branch).items() if n not in example}
    ((name, text),) = drafted.items()
    assert f"alert_key: {key}\n" in text and 'title: "BlackBox Probe Failure: https://server.example.org"' in text
    assert "components:\n  api: major_outage\n" in text and "status: investigating" in text
    assert (scratch / "gh" / f"pr-{branch.replace('/', '_')}").is_file()
    head = git("rev-parse", branch, cwd=repo)

    run_workflow(repo, json.dumps(firing), scratch)  # Alertmanager's repeat_interval: the same alert again
    assert git("rev-parse", branch, cwd=repo) == head

    run_workflow(repo, json.dumps(resolved), scratch)
    files = branch_files(repo, branch)
    assert set(files) == example | {name}
    assert files[name].count("status: ") == 2 and "status: resolved" in files[name]
    assert git("rev-list", "--count", f"main..{branch}", cwd=repo).strip() == "2"

    calls = (scratch / "gh" / "calls.log").read_text().splitlines()
    assert [c for c in calls if c.startswith("pr create")] == [
        f"pr create --head {branch} --title Incident drafted from an alert ({key}) --body Drafted by sitegen from an "
        "alert. Read the title, text, components and impact before merging."
    ]
    assert git("rev-parse", "main", cwd=repo) == git("rev-parse", "main", cwd=repo.parent / "site")  # main untouched


def test_the_payload_never_enters_a_script() -> None:
    job = workflow()["jobs"]["draft"]
    assert job["env"]["ALERT_PAYLOAD"].startswith("${{ github.event_name == 'workflow_dispatch' && inputs.payload")
    for step in job["steps"]:
        assert "${{" not in step.get("run", "")
        assert all(STEP_OUTPUT.match(v) for v in step.get("env", {}).values())
    assert workflow()[True] == {  # PyYAML reads the key 'on' as True
        "repository_dispatch": {"types": ["alert"]},
        "workflow_dispatch": {"inputs": {"payload": {
            "description": "The alerting tool's webhook payload (JSON)", "required": True, "type": "string"}}},
    }  # fmt: skip
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_zizmor_finds_nothing_even_at_its_pedantic_persona(tmp_path: Path) -> None:
    zizmor = shutil.which("zizmor")
    assert zizmor is not None, "zizmor comes with the test extras: pip install -e '.[test]'"
    site = tmp_path / "site"
    assert CliRunner().invoke(main, ["init", str(site)]).exit_code == 0
    result = subprocess.run(
        [zizmor, "--offline", "--no-ignores", "--persona", "pedantic", "--format", "json",
         str(site / ".github" / "workflows" / "alert.yml")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert [f["ident"] for f in json.loads(result.stdout or "[]")] == [], result.stderr


def test_the_deploy_docs_show_the_workflow_as_init_writes_it() -> None:
    repo = Path(__file__).resolve().parent.parent
    written = (repo / "sitegen/authoring/site_template/dot-github/workflows/alert.yml").read_text(encoding="utf-8")
    assert f"```yaml\n{written}```" in (repo / "docs" / "deploy.md").read_text(encoding="utf-8")
