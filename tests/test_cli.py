"""The ``sitegen build`` command as a user runs it."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import incident

from sitegen.commands.main import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_writes_the_site_and_says_so(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    result = run("build", str(site), "-o", str(out), "--now", "2026-11-28T12:00:00Z")
    assert result.exit_code == 0, result.output
    assert "Built 1 incident and 0 write-ups" in result.output
    assert (out / "incidents" / "a" / "index.html").is_file()


def test_bad_content_lists_every_problem_and_exits_1_without_traceback(make_site, tmp_path) -> None:
    site = make_site(
        {
            "content/incidents/a.md": incident(extra="wrteup: x\n"),
            "content/incidents/b.md": incident(extra="components:\n  apii: major_outage\n"),
        }
    )
    result = run("build", str(site), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(
        line.endswith("a.md:3: unknown key 'wrteup' in the front matter; did you mean 'writeup'?") for line in lines
    )
    assert any("b.md:4: unknown component 'apii'; did you mean 'api'?" in line for line in lines)
    assert lines[-1] == "2 errors; nothing was written."
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_base_url_override_and_now_option(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    out = tmp_path / "out"
    result = run("build", str(site), "-o", str(out), "--base-url", "http://localhost:8000/preview")
    assert result.exit_code == 0, result.output
    assert 'href="http://localhost:8000/preview/"' in (out / "index.html").read_text()
    bad = run("build", str(site), "-o", str(out), "--now", "yesterday")
    assert bad.exit_code == 2 and "--now" in bad.output


def test_bad_base_url_override_is_an_error(make_site, tmp_path) -> None:
    site = make_site({})
    result = run("build", str(site), "-o", str(tmp_path / "out"), "--base-url", "localhost:8000")
    assert result.exit_code == 1
    assert "--base-url must be an absolute http(s) URL" in result.output


def test_build_warns_when_a_published_incident_file_is_gone(make_site, tmp_path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    out = tmp_path / "out"
    assert run("build", str(site), "-o", str(out)).exit_code == 0
    (site / "content/incidents/2026-11-20-a.md").rename(site / "content/incidents/2026-11-20-b.md")
    result = run("build", str(site), "-o", str(out))
    assert result.exit_code == 0
    assert "warning: incident '2026-11-20-a' was published" in result.output
    assert (out / "incidents/2026-11-20-b/index.html").is_file()


def test_source_date_epoch_sets_now_when_no_now_is_given(make_site, tmp_path, monkeypatch) -> None:
    site = make_site({"content/incidents/a.md": incident()})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-18T11:06:40Z
    assert run("build", str(site), "-o", str(tmp_path / "one")).exit_code == 0
    assert run("build", str(site), "-o", str(tmp_path / "two")).exit_code == 0
    page = (tmp_path / "one/index.html").read_text()
    assert 'datetime="2026-11-18T' in page
    assert page == (tmp_path / "two/index.html").read_text()
