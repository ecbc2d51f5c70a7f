"""A team adopts sitegen: a site made by ``sitegen init`` deploys from its first push, on a runner that has nothing.

Each test runs the generated workflows' steps in order (tests/actions_runner.py)
in a clean clone of the new site, with uv's cache empty, against a package
index on 127.0.0.1 (pypiserver) that serves sitegen's dependencies:

- the wheel route (the default): the index has no ``sitegen-status``, as
  before the first release, in a private fork or while the index is down;
  the site installs the wheel it carries, checked against its hash;
- the index route (``sitegen init --from-index``): the index serves the
  wheel built from this checkout.

They build wheels of sitegen and of its dependencies first (from the package
index or pip's cache; skipped where neither has them), about a minute in all;
``-m 'not wheel'`` leaves them out of a quick run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pypiserver
import pytest
import yaml
from actions_runner import Runner, clean_checkout, pages
from click.testing import CliRunner
from loopback import serving

import sitegen
from sitegen.commands.main import main

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NOW = "2026-11-28T12:00:00Z"

pytestmark = pytest.mark.wheel


@pytest.fixture(scope="module")
def dependencies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels of sitegen's dependencies, and none of sitegen."""
    folder = tmp_path_factory.mktemp("dependencies")
    requirements = folder / "requirements.txt"
    requirements.write_text("\n".join(PROJECT["dependencies"]) + "\n", encoding="utf-8")
    made = pip("wheel", "-w", str(folder), "-r", str(requirements))
    if made.returncode != 0:
        pytest.skip(f"the dependencies' wheels cannot be had here: {made.stderr.strip()[-300:]}")
    requirements.unlink()
    return folder


@pytest.fixture(scope="module")
def with_sitegen(dependencies: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, and sitegen's wheel built from this checkout by its build backend."""
    folder = tmp_path_factory.mktemp("with-sitegen")
    for wheel in dependencies.iterdir():
        shutil.copy(wheel, folder)
    built = pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(folder), str(REPO))
    assert built.returncode == 0, built.stdout + built.stderr
    return folder


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "-q"]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def package_index(folder: Path) -> Iterator[str]:
    """A package index on 127.0.0.1 serving the wheels in ``folder``; its simple API's URL."""
    with serving(make_server("127.0.0.1", 0, pypiserver.app(roots=[str(folder)]), _Threading, _Quiet)) as server:
        yield f"http://127.0.0.1:{server.server_port}/simple/"


@contextmanager
def new_repository(tmp_path: Path, index: str, *init_args: str) -> Iterator[tuple[Runner, Path]]:
    """A site made by sitegen init, pushed, and a runner whose Pages serve it: (runner, clean checkout)."""
    with pages(tmp_path / "github") as runner:
        site = tmp_path / "site"
        made = CliRunner().invoke(main, ["init", str(site), "--base-url", runner.base_url, "--now", NOW, *init_args])
        assert made.exit_code == 0, made.output
        runner.env = {"UV_DEFAULT_INDEX": index, "UV_CACHE_DIR": str(tmp_path / "uv-cache"), "UV_NO_CONFIG": "1"}
        yield runner, clean_checkout(site, tmp_path / "checkout")


def outcomes(results: dict[str, dict]) -> list[str]:
    return [result["outcome"] for result in results.values()]


def test_a_new_site_deploys_with_no_sitegen_on_any_index(dependencies: Path, tmp_path: Path) -> None:
    with package_index(dependencies) as index, new_repository(tmp_path, index) as (runner, checkout):
        workflows = checkout / ".github" / "workflows"
        checked = runner.run_job(workflows / "check.yml", "check", checkout)
        assert "failure" not in outcomes(checked), "\n".join(runner.log)
        published = runner.run_job(workflows / "publish.yml", "publish", checkout)
        assert "failure" not in outcomes(published), "\n".join(runner.log)
        assert (runner.published / "index.html").is_file()
        assert (runner.published / "api" / "notifications.json").is_file()  # the record, published with the site
        version = subprocess.run(
            [str(tmp_path / "github" / "venv" / "bin" / "sitegen"), "--version"], capture_output=True, text=True
        )
        assert version.stdout == f"sitegen, version {sitegen.__version__}\n"


def test_the_next_run_restores_the_build_cache_the_last_one_saved(dependencies: Path, tmp_path: Path) -> None:
    with package_index(dependencies) as index, new_repository(tmp_path, index) as (runner, checkout):
        publish = checkout / ".github" / "workflows" / "publish.yml"
        steps = yaml.safe_load(publish.read_text())["jobs"]["publish"]["steps"]
        restore = str(next(n for n, s in enumerate(steps) if s.get("uses", "").startswith("actions/cache/restore@")))
        first = runner.run_job(publish, "publish", checkout)
        assert first[restore]["outputs"] == {"cache-hit": "false"}  # nothing saved yet
        assert len(runner.caches) == 1
        second = runner.run_job(publish, "publish", checkout)
        assert "failure" not in outcomes(second), "\n".join(runner.log)
        assert second[restore]["outputs"]["cache-matched-key"] == "restored"
        assert len(runner.caches) == 2 and (runner.published / "index.html").is_file()


def test_a_wheel_that_is_not_the_pinned_one_is_refused(dependencies: Path, tmp_path: Path) -> None:
    with package_index(dependencies) as index, new_repository(tmp_path, index) as (runner, checkout):
        (wheel,) = (checkout / ".sitegen").glob("*.whl")
        wheel.write_bytes(wheel.read_bytes() + b"\0")
        results = runner.run_job(checkout / ".github" / "workflows" / "check.yml", "check", checkout)
        assert outcomes(results)[-1] == "failure"
        assert "Hash mismatch" in "\n".join(runner.log)


def test_the_index_route_installs_the_released_wheel(with_sitegen: Path, tmp_path: Path) -> None:
    with package_index(with_sitegen) as index, new_repository(tmp_path, index, "--from-index") as (runner, checkout):
        assert not (checkout / ".sitegen" / f"sitegen_status-{sitegen.__version__}-py3-none-any.whl").exists()
        requirement = (checkout / "requirements.txt").read_text().splitlines()[-1]
        assert requirement == f"sitegen-status~={sitegen.__version__}"
        results = runner.run_job(checkout / ".github" / "workflows" / "publish.yml", "publish", checkout)
        assert "failure" not in outcomes(results), "\n".join(runner.log)
        assert (runner.published / "index.html").is_file()
