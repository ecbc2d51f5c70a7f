"""``sitegen init``: create a new site that builds at once, with its workflows and editor settings."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import click

from sitegen.authoring.pinning import index_pin, wheel_pin
from sitegen.authoring.scaffold import DEFAULT_BASE_URL, DEFAULT_TITLE, NewSite, create_site
from sitegen.commands.options import now_option, site_argument, verbosity
from sitegen.commands.reporting import Command, say
from sitegen.errors import display_path


@click.command(cls=Command)
@site_argument(exists=False)
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="The site's title.")
@click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    help="Where the site will be published, e.g. https://<org>.github.io/<repo>/.",
)
@click.option(
    "--from-index",
    is_flag=True,
    help="Install sitegen from the package index (sitegen-status~=VERSION) in the workflows, "
    "instead of the wheel of this sitegen that init writes into .sitegen/.",
)
@now_option("Date the example incident")
def init(site: Path, title: str, base_url: str, from_index: bool, now: datetime) -> None:
    """Create a new status site in SITE (default: this folder).

    \b
    The site holds sitegen.toml, an example incident and write-up, GitHub
    workflows that publish it to GitHub Pages and check pull requests, a
    pre-commit hook, and JSON Schemas with VS Code settings.

    The site carries the wheel of the sitegen that made it, in .sitegen/,
    which requirements.txt installs (checked against its hash): it builds
    and deploys with no sitegen on any package index. sitegen upgrade
    replaces it with the sitegen you run.

    SITE may be new, or a freshly cloned repository: files already there
    (a README, LICENSE, .gitignore) are kept as they are, and init says
    which of its own it did not write. A folder that already holds a site
    (sitegen.toml or content/) is refused.

    \b
    Examples:
      sitegen init status
      sitegen init status --title "Acme Status" --base-url https://acme.github.io/status/
      git clone https://github.com/acme/status && cd status && sitegen init
    """
    pin = index_pin() if from_index else wheel_pin()
    made = create_site(site, title=title, base_url=base_url, now=now, pin=pin)
    for skipped in made.skipped:
        say(f"Kept the existing {skipped.name}" + (f": {skipped.advice}." if skipped.advice else "."), err=True)
    if verbosity() >= 0:
        say(*next_steps(made, base_url_given=base_url != DEFAULT_BASE_URL))


def next_steps(site: NewSite, *, base_url_given: bool) -> list[str]:
    """What to do after ``sitegen init``, as printed."""
    folder = display_path(site.directory)
    kept = f"; kept {len(site.skipped)} that were there" if site.skipped else ""
    lines = [f"Created a status site in {folder}/ ({len(site.files)} files{kept}).", "", "Next steps:"]
    if os.path.abspath(folder) != os.getcwd():
        lines.append(f"  cd {_quoted(folder)}")
    lines += [
        "  sitegen build                        # writes the site into public/",
        "  sitegen serve                        # preview at http://127.0.0.1:8000/, rebuilt as you edit",
        "",
        "  Edit sitegen.toml: your components"
        + ("." if base_url_given else ", and base_url: where the site will live."),
        f"  Replace the example in content/incidents/{site.example_incident}.md (and its write-up) with your own.",
        "  sitegen check                        # checks everything, as pull requests and pre-commit do",
        "",
        "To publish on GitHub Pages: push to GitHub and set Settings > Pages > Source to 'GitHub Actions';",
        ".github/workflows/publish.yml then rebuilds the site on every push and every 30 minutes.",
        "GitHub pauses those scheduled rebuilds after 60 days without activity in a public repository:",
        "see 'Scheduled rebuilds' in sitegen's docs/deploy.md for what to do.",
        "requirements.txt says which sitegen the workflows install; sitegen upgrade moves it to the one you run.",
    ]
    return lines


def _quoted(path: str) -> str:
    return f'"{path}"' if any(c.isspace() for c in path) else path
