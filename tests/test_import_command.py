"""``sitegen import`` on the command line, through click's runner on the command itself."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import NOW
from test_import_statuspage import CATALOGUE, PAGE, managed_incident
from test_import_support import Reply, remote_page

from sitegen.commands.import_ import ProgressBar, import_

NOW_TEXT = NOW.isoformat()


def saved(tmp_path: Path) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "components.json").write_text(json.dumps({"page": PAGE, "components": CATALOGUE}))
    (folder / "incidents.json").write_text(json.dumps([managed_incident()]))
    return folder


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(import_, [*args, "--now", NOW_TEXT], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_saved_files_then_again_then_a_hand_edit(tmp_path: Path) -> None:
    site = tmp_path / "site"
    code, out, _ = run("statuspage", str(saved(tmp_path)), "--site", str(site))
    assert code == 0
    assert "1 incident written (1 new, 0 updated, 0 unchanged), 1 write-up, 2 components added to sitegen.toml" in out
    code, out, _ = run("statuspage", str(tmp_path / "saved"), "--site", str(site))
    assert "(0 new, 0 updated, 1 unchanged)" in out and "0 components added" in out
    path = next((site / "content/incidents").iterdir())
    path.write_text(path.read_text().replace("Looking.", "Looking hard."))
    (tmp_path / "saved/incidents.json").write_text(json.dumps([managed_incident(name="Checkout errors, renamed")]))
    code, out, _ = run("statuspage", str(tmp_path / "saved"), "--site", str(site))
    assert code == 0
    assert "Skipped 1 file edited by hand since the last import (--overwrite replaces them):" in out
    assert out.splitlines()[-1].startswith("  ") and out.splitlines()[-1].endswith(f"content/incidents/{path.name}")


def test_quiet_prints_nothing_when_all_went_well(tmp_path: Path) -> None:
    code, out, _ = run("statuspage", str(saved(tmp_path)), "--site", str(tmp_path / "site"), "-q")
    assert code == 0 and out == ""
    assert (tmp_path / "site/sitegen.toml").is_file()


def test_errors_are_one_message_never_a_traceback(tmp_path: Path) -> None:
    code, _, err = run("statuspage", "--site", str(tmp_path / "site"))
    assert (code, err.strip()) == (
        1,
        "error: 'sitegen import statuspage' needs FROM: the status page's address "
        "(https://status.example.com) or saved documents",
    )
    code, _, err = run("statuspage", "pg1", "--api-key", "SITEGEN_TEST_UNSET_KEY", "--site", str(tmp_path / "site"))
    assert code == 1 and "the environment variable SITEGEN_TEST_UNSET_KEY is not set" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, _, err = run("statuspage", str(broken), "--site", str(tmp_path / "site"))
    assert code == 1 and "broken.json:1: is not JSON: Expecting property name enclosed in double quotes" in err
    assert "Traceback" not in err and not (tmp_path / "site").exists()


def test_the_management_api_key_comes_from_the_environment(tmp_path: Path) -> None:
    with remote_page() as remote:
        base = "/v1/pages/pg1"
        remote.json(base, {"id": "pg1", "name": "Managed", "domain": "status.managed.test", "time_zone": "UTC"})
        remote.json(f"{base}/components?page=1&per_page=100", [])
        remote.json(f"{base}/component-groups?page=1&per_page=100", [])
        remote.route(f"{base}/incidents?page=1&per_page=100", Reply(body=[managed_incident()]))
        code, out, err = run(
            "statuspage",
            "pg1",
            "--api-key",
            "SITEGEN_TEST_KEY",
            "--api-url",
            remote.url + "v1/",
            "--site",
            str(tmp_path / "site"),
            env={"SITEGEN_TEST_KEY": "k-123"},
        )
        assert code == 0, err
        assert {s.headers["Authorization"] for s in remote.seen} == {"OAuth k-123"}
        starts = [s.at for s in remote.seen]
        assert all(b - a >= 0.9 for a, b in zip(starts, starts[1:]))  # one request a second
    assert "1 write-up" in out
    assert 'base_url = "https://status.managed.test/"' in (tmp_path / "site/sitegen.toml").read_text()


def test_cstate_with_a_timezone(tmp_path: Path) -> None:
    issues = tmp_path / "old/content/issues"
    issues.mkdir(parents=True)
    (issues / "a.md").write_text("---\ntitle: Down\ndate: 2024-01-01 12:00:00\nseverity: down\naffected: [API]\n---\n")
    code, out, err = run("cstate", str(tmp_path / "old"), "--timezone", "Asia/Tokyo", "--site", str(tmp_path / "site"))
    assert code == 0, err
    text = next((tmp_path / "site/content/incidents").iterdir()).read_text()
    assert "at: 2024-01-01T12:00:00+09:00" in text


def test_the_progress_bar_draws_batches_of_known_size(capsys: object) -> None:
    bar = ProgressBar()
    bar("history pages", 3, 0)  # no total: nothing drawn
    assert bar.bar is None
    bar("incidents", 1, 2)
    assert bar.bar is not None
    bar("incidents", 2, 2)
    assert bar.bar is None  # finished and closed
