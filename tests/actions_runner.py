"""A GitHub workflow job run on this machine as a runner runs it, so that tests can follow a site from push to page.

Each ``run:`` step runs in bash, in the checkout, with its ``env:`` (the
``${{ }}`` expressions a site's workflows use filled in), ``$GITHUB_OUTPUT``
and ``$RUNNER_TEMP``; ``continue-on-error`` and the ``if:`` conditions of the
form ``steps.ID.outputs.NAME == 'x'`` / ``steps.ID.outcome == 'x'`` are
honoured. The actions the workflows use are played by local stand-ins:

- ``actions/checkout``: nothing, the job starts in a clean clone;
- ``astral-sh/setup-uv``: a new virtual environment, made by uv and put on
  the PATH as ``activate-environment`` does;
- ``actions/configure-pages``: the published site's URL, a folder served on
  127.0.0.1;
- ``actions/upload-pages-artifact`` and ``actions/deploy-pages``: the folder
  packed by name, then unpacked as the served site (the last deploy wins);
- ``actions/cache/restore`` and ``actions/cache/save``: a tar archive kept
  between runs, so restored files have new inodes and times as on GitHub.

Each job runs with a home folder of its own, as a new runner has, so that
sitegen's default build cache (``~/.cache/sitegen``) starts empty.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from loopback import serving

FRESH_ENVIRONMENT = {
    name: value for name, value in os.environ.items() if name not in ("XDG_CACHE_HOME", "SITEGEN_CACHE_DIR", "HOME")
}
"""This machine's environment less what a new runner would not have set: where caches go."""
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
CONDITION = re.compile(r"^steps\.([\w-]+)\.(outcome|outputs\.[\w-]+) == '([^']*)'$")


@dataclass
class Runner:
    """One repository's runs: where Pages serves its site, its caches, and what each run's steps did."""

    root: Path
    base_url: str
    published: Path
    env: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    caches: dict[str, Path] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def run_job(self, workflow: Path, job: str, checkout: Path) -> dict[str, dict[str, Any]]:
        """Run ``job`` of ``workflow`` in ``checkout``; each step's outcome and outputs by its id (or position)."""
        temp = self.root / "runner-temp"
        shutil.rmtree(temp, ignore_errors=True)
        temp.mkdir(parents=True)
        steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]["steps"]
        home = self.root / "home"  # a runner's own: nothing cached there but what a cache action restores
        home.mkdir(exist_ok=True)
        job_env = {**FRESH_ENVIRONMENT, **self.env, "HOME": str(home), "RUNNER_TEMP": str(temp)}
        results: dict[str, dict[str, Any]] = {}
        for number, step in enumerate(steps):
            key = step.get("id", str(number))
            if "if" in step and not self._holds(step["if"], results):
                results[key] = {"outcome": "skipped", "outputs": {}}
                continue
            outcome, outputs = self._step(step, checkout, job_env, temp, results)
            self.log.append(f"{step.get('uses', step.get('run', '')).split('@')[0]}: {outcome}")
            results[key] = {"outcome": outcome, "outputs": outputs}
            if outcome == "failure" and not step.get("continue-on-error"):
                break
        return results

    def _step(
        self, step: dict[str, Any], checkout: Path, job_env: dict[str, str], temp: Path, results: dict[str, Any]
    ) -> tuple[str, dict[str, str]]:
        if "run" in step:
            output_file = temp / "github-output"
            output_file.write_text("")
            env = {**job_env, "GITHUB_OUTPUT": str(output_file)}
            env |= {name: self._fill(str(value), results) for name, value in step.get("env", {}).items()}
            done = subprocess.run(
                ["bash", "-e", "-c", step["run"]], cwd=checkout, env=env, capture_output=True, text=True
            )
            self.log.append(done.stdout + done.stderr)
            outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
            return ("success" if done.returncode == 0 else "failure"), outputs
        action = step["uses"].split("@")[0]
        return "success", self._action(action, step.get("with", {}), checkout, job_env)

    def _action(self, action: str, given: dict[str, Any], checkout: Path, job_env: dict[str, str]) -> dict[str, str]:
        if action == "actions/checkout":
            return {}
        if action == "astral-sh/setup-uv":
            venv = self.root / "venv"
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run(["uv", "venv", "-q", "--python", sys.executable, str(venv)], check=True, env=job_env)
            job_env["VIRTUAL_ENV"] = str(venv)
            job_env["PATH"] = f"{venv / 'bin'}{os.pathsep}{job_env['PATH']}"
            return {}
        if action == "actions/configure-pages":
            return {"base_url": self.base_url}
        if action == "actions/upload-pages-artifact":
            archive = self.root / "artifacts" / f"{given.get('name', 'github-pages')}.tar"
            archive.parent.mkdir(exist_ok=True)
            with tarfile.open(archive, "w") as tar:
                tar.add(checkout / given["path"], arcname=".")
            return {}
        if action == "actions/deploy-pages":
            archive = self.root / "artifacts" / f"{given.get('artifact_name', 'github-pages')}.tar"
            shutil.rmtree(self.published, ignore_errors=True)
            self.published.mkdir()
            with tarfile.open(archive) as tar:
                tar.extractall(self.published, filter="data")
            return {"page_url": self.base_url}
        if action in ("actions/cache/restore", "actions/cache/save"):
            return self._cache(action.endswith("save"), given, job_env)
        raise AssertionError(f"no stand-in for the action {action}")

    def _cache(self, save: bool, given: dict[str, Any], job_env: dict[str, str]) -> dict[str, str]:
        folder = Path(given["path"].replace("~", job_env["HOME"], 1))
        if save:
            archive = self.root / "caches" / f"{len(self.caches)}.tar"
            archive.parent.mkdir(exist_ok=True)
            with tarfile.open(archive, "w") as tar:
                tar.add(folder, arcname=".")
            self.caches[str(len(self.caches))] = archive
            return {}
        if not self.caches:
            return {"cache-hit": "false"}
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(list(self.caches.values())[-1]) as tar:
            tar.extractall(folder, filter="data")
        return {"cache-hit": "false", "cache-matched-key": "restored"}

    def _holds(self, condition: str, results: dict[str, Any]) -> bool:
        match = CONDITION.match(condition.strip())
        assert match, f"the stand-in runner cannot evaluate: {condition}"
        step, what, value = match.groups()
        found = results.get(step, {})
        actual = found.get("outcome") if what == "outcome" else found.get("outputs", {}).get(what.split(".", 1)[1])
        return actual == value

    def _fill(self, text: str, results: dict[str, Any]) -> str:
        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression == "steps.pages.outputs.base_url":
                return self.base_url
            if expression.startswith("secrets."):
                return self.secrets.get(expression.removeprefix("secrets."), "")
            raise AssertionError(f"the stand-in runner cannot evaluate: {expression}")

        return EXPRESSION.sub(value, text)


@contextmanager
def pages(root: Path) -> Iterator[Runner]:
    """A Runner whose deploys are served over HTTP on 127.0.0.1, as GitHub Pages serves them."""
    published = root / "pages"
    published.mkdir(parents=True)
    handler = functools.partial(_QuietHandler, directory=str(published))
    with serving(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield Runner(root, f"http://127.0.0.1:{server.server_port}/", published)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def clean_checkout(site: Path, into: Path) -> Path:
    """What actions/checkout gives: the site's committed files only, in a fresh clone."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=site, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "site"], cwd=site, check=True)
    subprocess.run(["git", "clone", "-q", str(site), str(into)], check=True)
    return into
