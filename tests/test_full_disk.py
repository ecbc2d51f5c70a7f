"""``sitegen new`` on a full disk: a real write that fails, and no empty or partial incident file after it.

The disk is made "full" for the command by a file size limit (RLIMIT_FSIZE)
in a subprocess: each write past it fails with EFBIG, as one past the end
of a full disk fails with ENOSPC.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import incident

FULL_DISK = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, rather than killing the process
resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
from sitegen.commands.main import main
sys.argv = ["sitegen", *sys.argv[1:]]
main()
"""


def test_new_on_a_full_disk_leaves_no_incident_file(make_site, tmp_path: Path) -> None:
    site = make_site({"content/incidents/2026-11-20-a.md": incident()})
    before = sorted(p.name for p in (site / "content" / "incidents").iterdir())
    command = ["new", "Database unreachable for most customers", "--site", str(site), "--now", "2026-11-28T12:00:00Z"]
    result = subprocess.run([sys.executable, "-c", FULL_DISK, *command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: cannot write ") and "content/incidents/2026-11-28-database-unreachable" in line
    assert line.endswith("nothing was written: make room and run it again"), line
    assert sorted(p.name for p in (site / "content" / "incidents").iterdir()) == before  # no empty file, no temporary
    build = subprocess.run(
        [sys.executable, "-m", "sitegen", "check", str(site), "--now", "2026-11-28T12:00:00Z"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert build.returncode == 0, build.stdout  # the site still builds
