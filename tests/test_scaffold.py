"""``sitegen init``: a new site that builds at once, refused over existing files, with working extras.

The extras (workflows, pre-commit, editor settings) are read back as the tools
that use them would read them, and the repository's own hook and workflows
are checked the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
import zipfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import tree_bytes
from test_schemas import front_matter

import sitegen
from sitegen.authoring import wheel
from sitegen.authoring.pinning import index_pin, requirement_from_direct_url
from sitegen.authoring.scaffold import SCHEMAS_DIR, TEMPLATE_DIR, site_files, toml_string
from sitegen.build import build_site
from sitegen.commands.check import check as check_command
from sitegen.commands.init import init
from sitegen.commands.main import main
from sitegen.content.loader import load_site
from sitegen.content.statuses import Impact

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
NOW_TEXT = "2026-11-28T12:00:00Z"


def run_init(*args: str):
    return CliRunner().invoke(init, [*args, "--now", NOW_TEXT], catch_exceptions=False)


def workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key 'on' as true
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def uses(data: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(data) if "uses" in step]


def runs(data: dict) -> list[str]:
    return [step["run"] for step in steps(data) if "run" in step]


def jsonc(path: Path) -> dict:
    """VS Code's settings files allow // comment lines."""
    return json.loads(
        "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("//"))
    )


# ---- the new site -------------------------------------------------------------


def test_init_creates_a_site_that_builds_and_shows_all_systems_operational(tmp_path: Path) -> None:
    site = tmp_path / "status"
    result = run_init(str(site), "--title", "Acme Status", "--base-url", "https://acme.github.io/status/")
    assert result.exit_code == 0, result.output
    loaded = load_site(site, now=NOW)
    assert len(loaded.incidents) == 1 and len(loaded.writeups) == 1
    assert loaded.config.title == "Acme Status"
    assert loaded.config.base_url == "https://acme.github.io/status/"
    assert loaded.indicator is Impact.NONE and loaded.indicator.description == "All Systems Operational"
    incident = loaded.incidents[0]
    assert incident.resolved_at is not None and incident.resolved_at < NOW
    assert incident.writeups == (loaded.writeups[0].slug,)
    built = build_site(site, site / "public", now=NOW)
    assert built.files > 0
    assert "All Systems Operational" in (site / "public" / "index.html").read_text(encoding="utf-8")


def test_the_new_site_passes_sitegen_check_strict(tmp_path: Path) -> None:
    check = pytest.importorskip("sitegen.commands.check").check
    run_init(str(tmp_path / "s"))
    result = CliRunner().invoke(check, [str(tmp_path / "s"), "--strict", "--now", NOW_TEXT])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_the_example_incident_is_dated_from_now(tmp_path: Path) -> None:
    run_init(str(tmp_path / "s"))
    (incident,) = (tmp_path / "s" / "content" / "incidents").iterdir()
    assert incident.name == "2026-11-26-elevated-api-errors.md"
    later = CliRunner().invoke(init, [str(tmp_path / "t")], env={"SOURCE_DATE_EPOCH": "1893456000"})  # 2030-01-01
    assert later.exit_code == 0, later.output
    assert [p.name for p in (tmp_path / "t" / "content" / "incidents").iterdir()] == [
        "2029-12-30-elevated-api-errors.md"
    ]


def test_init_prints_next_steps(tmp_path: Path) -> None:
    result = run_init(str(tmp_path / "status"))
    assert "Created a status site in" in result.output
    assert "sitegen build" in result.output and "sitegen check" in result.output
    assert "base_url" in result.output  # the default base URL must be changed
    assert "2026-11-26-elevated-api-errors.md" in result.output


def test_init_is_deterministic(tmp_path: Path) -> None:
    run_init(str(tmp_path / "a"))
    run_init(str(tmp_path / "b"))
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_titles_are_written_as_toml_strings(tmp_path: Path) -> None:
    title = 'Acme "Cloud" \\ Status\t\u00e9\u2603\x7f'
    assert tomllib.loads(f"t = {toml_string(title)}")["t"] == title
    result = run_init(str(tmp_path / "s"), "--title", title)
    assert result.exit_code == 0, result.output
    assert load_site(tmp_path / "s", now=NOW).config.title == title


def test_the_new_site_files_pass_the_schemas(tmp_path: Path) -> None:
    run_init(str(tmp_path / "s"))
    site = tmp_path / "s"
    schemas = {
        name: json.loads((site / ".sitegen" / "schemas" / f"{name}.schema.json").read_text())
        for name in ("incident", "writeup", "sitegen")
    }
    jsonschema.validate(tomllib.loads((site / "sitegen.toml").read_text()), schemas["sitegen"])
    for name, folder in (("incident", "incidents"), ("writeup", "writeups")):
        for path in (site / "content" / folder).iterdir():
            jsonschema.validate(front_matter(path), schemas[name])


# ---- refusing -----------------------------------------------------------------


GITHUB_REPOSITORY_FILES = {
    "README.md": "# status\n\nOur status page.\n",
    "LICENSE": "MIT License\n",
    ".gitignore": "__pycache__/\n*.py[cod]\n",
}


def test_init_in_a_fresh_github_repository_adds_its_files_beside_the_existing_ones(tmp_path: Path) -> None:
    site = tmp_path / "status"
    (site / ".git").mkdir(parents=True)
    for name, text in GITHUB_REPOSITORY_FILES.items():
        (site / name).write_text(text)
    result = run_init(str(site))
    assert result.exit_code == 0, result.output
    assert {name: (site / name).read_text() for name in GITHUB_REPOSITORY_FILES} == GITHUB_REPOSITORY_FILES
    assert result.stderr.splitlines() == [
        "Kept the existing .gitignore: add the line /public/ to it, so that the built site is not committed."
    ]
    assert "kept 1 that were there" in result.stdout
    assert (site / "sitegen.toml").is_file() and (site / ".github" / "workflows" / "publish.yml").is_file()
    check = CliRunner().invoke(check_command, [str(site), "--strict", "--now", NOW_TEXT])
    assert check.exit_code == 0, check.output


def test_init_keeps_every_file_that_is_there_and_says_what_it_needs(tmp_path: Path) -> None:
    site = tmp_path / "status"
    (site / ".github" / "workflows").mkdir(parents=True)
    (site / ".github" / "workflows" / "publish.yml").write_text("name: mine\n")
    (site / "requirements.txt").write_text("requests\n")
    (site / ".gitignore").write_text("/public\n")
    (site / ".vscode").write_text("a file where the template has a folder\n")
    result = run_init(str(site))
    assert result.exit_code == 0, result.output
    assert (site / ".github" / "workflows" / "publish.yml").read_text() == "name: mine\n"
    assert (site / ".github" / "workflows" / "check.yml").is_file()
    assert (site / "requirements.txt").read_text() == "requests\n"
    kept = result.stderr.splitlines()
    assert "Kept the existing .gitignore." in kept  # it already leaves public/ out
    assert "Kept the existing .github/workflows/publish.yml." in kept
    assert "Kept the existing requirements.txt: add the line sitegen-status" in "\n".join(kept)
    assert sum(line.startswith("Kept the existing .vscode/") for line in kept) == 3


@pytest.mark.parametrize("existing", ["sitegen.toml", "content/incidents/a.md"])
def test_init_refuses_a_folder_that_already_holds_a_site_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    site = tmp_path / "status"
    (site / existing).parent.mkdir(parents=True, exist_ok=True)
    (site / existing).write_text("keep me")
    before = tree_bytes(site)
    result = run_init(str(site))
    assert result.exit_code == 1
    assert "already holds a site" in result.output and "Nothing was written." in result.output
    assert tree_bytes(site) == before


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "status").write_text("x")
    result = run_init(str(tmp_path / "status"))
    assert result.exit_code == 1 and "is a file" in result.output


def test_init_accepts_an_empty_folder_or_a_fresh_git_repository(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    for name in ("empty", "repo"):
        result = run_init(str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert (tmp_path / name / "sitegen.toml").is_file()
    assert (tmp_path / "repo" / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"


def test_a_base_url_that_would_not_load_writes_nothing(tmp_path: Path) -> None:
    result = run_init(str(tmp_path / "s"), "--base-url", "example.com/status/")
    assert result.exit_code == 1
    assert re.search(r"^\S*s/sitegen\.toml:\d+: --base-url must be an absolute http\(s\) URL", result.output, re.M)
    assert not (tmp_path / "s").exists()
    blank = run_init(str(tmp_path / "s"), "--title", "  ")
    assert blank.exit_code == 1 and "'title' is empty" in blank.output
    assert not (tmp_path / "s").exists()


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(start))


def test_problems_of_the_new_site_are_listed_with_their_file_and_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    toml = site_files(title="T", base_url="https://x.example/", now=NOW, pin=index_pin())["sitegen.toml"].decode()
    result = run_init("s", "--title", " ")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: the new site would not load with this --title or --base-url:",
        f"s/sitegen.toml:{line_of(toml, 'title =')}: 'title' is empty",  # where it would have been written
        "Nothing was written.",
    ]
    assert not (tmp_path / "s").exists()


# ---- the extras -----------------------------------------------------------------


def test_template_dot_names_become_dotfiles_and_every_placeholder_is_filled() -> None:
    files = site_files(title="T", base_url="https://x.example/", now=NOW, pin=index_pin())
    assert {
        ".gitignore",
        ".pre-commit-config.yaml",
        ".github/workflows/publish.yml",
        ".github/workflows/check.yml",
        ".vscode/settings.json",
        ".vscode/extensions.json",
        ".vscode/tasks.json",
        "requirements.txt",
    } <= set(files)
    assert not [name for name in files if "dot-" in name or "{{" in name]
    assert not [name for name, data in files.items() if re.search(rb"\{\{[a-z_]+\}\}", data)]
    assert not [p for p in TEMPLATE_DIR.rglob(".*")], "template dotfiles would act on sitegen's own repository"


def test_gitignore_keeps_the_build_output_out(tmp_path: Path) -> None:
    run_init(str(tmp_path / "s"))
    assert "/public/" in (tmp_path / "s" / ".gitignore").read_text().splitlines()


def test_schemas_are_copied_and_found_where_the_editor_settings_say(tmp_path: Path) -> None:
    site = tmp_path / "s"
    run_init(str(site))
    for schema in SCHEMAS_DIR.glob("*.schema.json"):
        assert (site / ".sitegen" / "schemas" / schema.name).read_bytes() == schema.read_bytes()
    directive = (site / "sitegen.toml").read_text().splitlines()[0]
    assert directive.startswith("#:schema ")  # Taplo: a header directive, relative to the document
    assert (site / directive.split(" ", 1)[1]).resolve() == (site / ".sitegen/schemas/sitegen.schema.json").resolve()
    settings = jsonc(site / ".vscode" / "settings.json")
    mapped = settings["yaml.schemas"]
    assert {(site / path).resolve().name for path in mapped} == {"incident.schema.json", "writeup.schema.json"}
    assert all((site / path).is_file() for path in mapped)
    assert "content/incidents/*.md" in mapped["./.sitegen/schemas/incident.schema.json"]
    recommended = jsonc(site / ".vscode" / "extensions.json")["recommendations"]
    assert set(recommended) == {"tamasfe.even-better-toml", "redhat.vscode-yaml"}


def test_the_vscode_task_problem_matcher_reads_sitegen_problems(tmp_path: Path) -> None:
    run_init(str(tmp_path / "s"))
    tasks = {t["label"]: t for t in jsonc(tmp_path / "s" / ".vscode" / "tasks.json")["tasks"]}
    assert tasks["sitegen check"]["command"] == "sitegen check"
    pattern = tasks["sitegen check"]["problemMatcher"]["pattern"]
    line = "content/incidents/a.md:3: unknown key 'wrteup' in the front matter; did you mean 'writeup'?"
    found = re.match(pattern["regexp"], line)
    assert found and found.group(pattern["file"]) == "content/incidents/a.md" and found.group(pattern["line"]) == "3"
    assert found.group(pattern["message"]).startswith("unknown key 'wrteup'")
    warning = re.match(pattern["regexp"], "sitegen.toml:1: warning: something")
    assert warning.group(pattern["severity"]) == "warning" and warning.group(pattern["message"]) == "something"
    assert not re.match(pattern["regexp"], "2 errors; nothing was written.")


def test_publish_workflow_builds_and_deploys_in_one_job_and_a_push_never_waits_for_the_schedule(
    tmp_path: Path,
) -> None:
    run_init(str(tmp_path / "s"))
    publish = workflow(tmp_path / "s" / ".github" / "workflows" / "publish.yml")
    assert publish["on"]["push"]["branches"] == ["main"]
    (cron,) = publish["on"]["schedule"]
    minutes = [int(m) for m in cron["cron"].split()[0].split(",")]
    assert len(minutes) == 2 and minutes[1] - minutes[0] == 30  # every 30 minutes...
    assert all(m % 15 != 0 for m in minutes)  # ...off :00, :15, :30 and :45, when GitHub's queue is longest
    assert publish["permissions"] == {}  # the job's own, below
    assert list(publish["jobs"]) == ["publish"]  # build and deploy wait in one runner queue, not two
    job = publish["jobs"]["publish"]
    assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert publish["concurrency"] == {
        "group": "pages",
        "cancel-in-progress": "${{ github.event_name != 'schedule' }}",  # a push cancels a run in progress
    }
    assert uses(publish)[:3] == ["actions/checkout", "astral-sh/setup-uv", "actions/configure-pages"]
    setup_uv = next(s for s in steps(publish) if s.get("uses", "").startswith("astral-sh/setup-uv"))
    assert setup_uv["with"]["enable-cache"] is True and setup_uv["with"]["activate-environment"] is True
    assert runs(publish)[0] == "uv pip install --compile-bytecode -r requirements.txt"
    assert runs(publish)[1].startswith("sitegen build")
    upload = next(s for s in steps(publish) if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "public"


def test_check_workflow_runs_sitegen_check_on_pull_requests(tmp_path: Path) -> None:
    run_init(str(tmp_path / "s"))
    check = workflow(tmp_path / "s" / ".github" / "workflows" / "check.yml")
    assert "pull_request" in check["on"]
    assert runs(check) == [
        "uv pip install --compile-bytecode -r requirements.txt",
        'sitegen check --published "$PUBLISHED_SITE"',
    ]


def test_a_new_site_carries_the_wheel_of_its_sitegen_pinned_by_its_hash(tmp_path: Path) -> None:
    run_init(str(tmp_path / "s"))
    lines = [line for line in (tmp_path / "s" / "requirements.txt").read_text().splitlines() if line[:1] != "#"]
    (wheel,) = (tmp_path / "s" / ".sitegen").glob("*.whl")
    assert wheel.name == f"sitegen_status-{sitegen.__version__}-py3-none-any.whl"
    assert lines == [f"./.sitegen/{wheel.name} --hash=sha256:{hashlib.sha256(wheel.read_bytes()).hexdigest()}"]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = archive.read(f"sitegen_status-{sitegen.__version__}.dist-info/entry_points.txt").decode()
        metadata = archive.read(f"sitegen_status-{sitegen.__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {sitegen.__version__}\n" in metadata  # as its name says, or installers refuse it
    assert {"sitegen/__init__.py", "sitegen/themes/default/templates/base.html", "sitegen/schemas"} & names
    assert "sitegen = sitegen.commands.main:main" in entry_points
    run_init(str(tmp_path / "again"))
    assert (tmp_path / "again" / ".sitegen" / wheel.name).read_bytes() == wheel.read_bytes()  # reproducible


@pytest.mark.parametrize(
    ("version", "dependency"), [("0.0.1", "Jinja2>=3.1"), (sitegen.__version__, "no-such-dependency>=1")]
)
def test_a_checkout_whose_code_moved_on_from_its_installed_metadata_writes_no_wheel(
    tmp_path: Path, monkeypatch, version: str, dependency: str
) -> None:
    """A development install keeps the metadata of the day it was made: a wheel packed with it would not install."""
    info = tmp_path / f"sitegen_status-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.4\nName: sitegen-status\nVersion: {version}\nRequires-Dist: {dependency}\n"
    )
    monkeypatch.setattr(wheel.metadata, "distribution", lambda name: metadata.PathDistribution(info))
    result = run_init(str(tmp_path / "s"))
    assert result.exit_code == 1
    assert "installed metadata is older than its code" in result.stderr and "pip install -e ." in result.stderr
    assert not (tmp_path / "s").exists()


def test_from_index_pins_this_project_by_its_index_name_and_version(tmp_path: Path) -> None:
    git = json.dumps({"url": "https://github.com/acme/sitegen", "vcs_info": {"vcs": "git", "commit_id": "abc123"}})
    expected_git = "sitegen-status @ git+https://github.com/acme/sitegen@abc123"
    assert requirement_from_direct_url(git, version="1.2.0") == expected_git
    local = json.dumps({"url": "file:///src/sitegen", "dir_info": {"editable": True}})
    assert requirement_from_direct_url(local, version="1.2.0") == "sitegen-status~=1.2.0"
    assert requirement_from_direct_url(None, version="1.2.0") == "sitegen-status~=1.2.0"
    assert requirement_from_direct_url("not json", version="1.2.0") == "sitegen-status~=1.2.0"
    run_init(str(tmp_path / "s"), "--from-index")
    lines = [
        line for line in (tmp_path / "s" / "requirements.txt").read_text().splitlines() if not line.startswith("#")
    ]
    assert lines == [f"sitegen-status~={sitegen.__version__}"]  # the editable install of the tests
    assert not list((tmp_path / "s" / ".sitegen").glob("*.whl"))
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == sitegen.DISTRIBUTION  # the name the requirement uses is the one published


def test_upgrade_swaps_the_wheel_and_its_hash_and_leaves_an_index_pin_alone(tmp_path: Path) -> None:
    site = tmp_path / "s"
    run_init(str(site))
    requirements = site / "requirements.txt"
    (wheel,) = (site / ".sitegen").glob("*.whl")
    old = site / ".sitegen" / "sitegen_status-0.0.1-py3-none-any.whl"
    wheel.rename(old)
    requirements.write_text(
        re.sub(
            r"sitegen_status-[^-]+-py3-none-any\.whl --hash=sha256:\w+",
            f"{old.name} --hash=sha256:{'0' * 64}",
            requirements.read_text(),
        )
    )
    result = CliRunner().invoke(main, ["upgrade", str(site)])
    assert result.exit_code == 0, result.output
    assert f"Upgraded the site from sitegen 0.0.1 to {sitegen.__version__}" in result.output
    assert not old.exists() and wheel.is_file()
    assert requirements.read_text().splitlines()[-1].endswith(hashlib.sha256(wheel.read_bytes()).hexdigest())
    assert "nothing changed" in CliRunner().invoke(main, ["upgrade", str(site)]).output
    run_init(str(tmp_path / "i"), "--from-index")
    refused = CliRunner().invoke(main, ["upgrade", str(tmp_path / "i")])
    assert refused.exit_code == 1 and "does not install sitegen from a wheel in .sitegen/" in refused.output


# ---- pre-commit -----------------------------------------------------------------

SITE_PATHS = [
    "content/incidents/a.md",
    "content/writeups/b.md",
    "themes/brand/templates/base.html",
    "sitegen.toml",
    "status/content/incidents/a.md",
    "status/sitegen.toml",
]
OTHER_PATHS = ["README.md", "public/index.html", "src/content.py", "docs/sitegen.toml.md", "mycontent/a.md"]


def matches_site_files(pattern: str) -> None:
    """pre-commit matches 'files' with re.search against repository-relative paths."""
    assert [p for p in SITE_PATHS if not re.search(pattern, p)] == []
    assert [p for p in OTHER_PATHS if re.search(pattern, p)] == []


def test_the_repository_offers_a_sitegen_check_pre_commit_hook() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "sitegen-check"
    assert hook["entry"] == "sitegen check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    matches_site_files(hook["files"])


def test_the_new_site_runs_the_same_hook(tmp_path: Path) -> None:
    run_init(str(tmp_path / "s"))
    config = yaml.safe_load((tmp_path / "s" / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    (offered,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == offered["id"] and hook["entry"] == offered["entry"]
    assert hook["files"] == offered["files"] and hook["pass_filenames"] is False
    matches_site_files(hook["files"])


# ---- this repository's workflows --------------------------------------------------


def test_this_repository_publishes_its_example_site_to_github_pages() -> None:
    pages = workflow(REPO / ".github" / "workflows" / "pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    assert pages["jobs"]["publish"]["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert uses(pages) == [
        "actions/checkout",
        "astral-sh/setup-uv",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert runs(pages)[0] == "uv pip install --compile-bytecode ."
    assert runs(pages)[1] == 'sitegen build --base-url "$PAGES_BASE_URL"'
    assert next(s for s in steps(pages) if "with" in s and "path" in s["with"])["with"]["path"] == "public"


def test_this_repository_checks_pull_requests() -> None:
    check = workflow(REPO / ".github" / "workflows" / "check.yml")
    assert "pull_request" in check["on"]
    assert [step["run"] for step in check["jobs"]["example-site"]["steps"] if "run" in step] == [
        "pip install .",
        "sitegen check",
    ]
    assert "python -m pytest" in runs(check)
