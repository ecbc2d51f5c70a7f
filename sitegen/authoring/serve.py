"""``sitegen serve``'s server: the site built into a temporary folder and rebuilt on every change.

:class:`Server` builds the site with its base URL pointed at the server
itself (so feeds, canonical links and the 404 page work locally), watches
``content/``, ``themes/`` and ``sitegen.toml`` with watchfiles, and rebuilds
the whole site on each batch of changes (no incremental rebuilds: they breed
bugs, and a full build is fast). Each build goes to a folder of its own and
is then served whole; what is answered over HTTP, and how open pages learn
to reload, is :mod:`sitegen.authoring.serve_http`.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import watchfiles

from sitegen.authoring.serve_http import BuildState, DevHTTPServer, Response, response_for
from sitegen.build import BuildMemory, build_site
from sitegen.content.config import CONFIG_FILE, load_config
from sitegen.content.loader import load_site
from sitegen.content.times import parse_now
from sitegen.errors import ContentError, Problems, display_path
from sitegen.views.formatting import count_label

WATCHED_DIRS = ("content", "themes")
WATCHER_READY_SECONDS = 10
SERVED = "site"
CACHE = "cache"
"""The folder of the working folder that builds go to (its build cache is beside it)."""


class Server:
    """Builds, serves and watches one site; ``start()`` and ``stop()`` bracket its life.

    ``now`` fixes the time the site is built at; by default each build uses
    the clock, so the site moves on as it would when published. ``port`` 0
    picks a free port (see :attr:`port`). ``log`` is given each line the
    server has to say; the command prints it, through the one sanitiser.
    """

    def __init__(
        self,
        site_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        now: datetime | None = None,
        log: Callable[[str], None],
        inform: Callable[[str], None] | None = None,
    ):
        self.site_dir = site_dir.resolve()
        self.host = host
        self.requested_port = port
        self.now = now
        self.log = log
        """Where problems go: failed builds, a watcher that stopped."""
        self.inform = inform or log
        """Where news goes (a build done, files changed), which -q silences."""
        self.state = BuildState(version="0", base_path="/", root=None, failure="not built yet")
        self._instance = secrets.token_hex(4)  # a restarted server gets new versions, so open pages reload
        self._builds = 0
        self._build_lock = threading.Lock()
        self._memory = BuildMemory()
        """What each build leaves for the next in memory, so that a save is not followed by decoding every record."""
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._watching = threading.Event()
        self._workdir: Path | None = None
        self._httpd: DevHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        """The port served on: the one asked for, or the one picked for port 0."""
        return self._httpd.server_address[1] if self._httpd else self.requested_port

    @property
    def origin(self) -> str:
        """``http://host:port``, with a wildcard host shown as the loopback address a browser can open."""
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.port}"

    @property
    def url(self) -> str:
        """Where the site's front page is served."""
        return self.origin + self.state.base_path

    def start(self) -> None:
        """Listen, build once, then serve and watch in background threads; raise ServeError if it cannot listen."""
        self._workdir = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
        try:
            self._httpd = DevHTTPServer.listen(self.host, self.requested_port, self)
            self.log(f"Building the site for the preview at {self.origin}/ ...")  # a large site takes a while
            self.rebuild()
            self._spawn(self._httpd.serve_forever, "sitegen-http", poll_interval=0.2)
            self._spawn(self._watch, "sitegen-watch")
            if not self._watching.wait(WATCHER_READY_SECONDS):
                self.log("warning: the file watcher did not start in time; changes may be missed at first")
        except BaseException:
            self.stop()
            raise

    def wait(self) -> None:
        """Block until :meth:`stop` (waking regularly, so Ctrl-C is noticed on every platform)."""
        while not self._stopped.wait(0.5):
            pass

    def stop(self) -> None:
        """Stop watching and serving and remove the temporary folder; safe to call more than once."""
        self._stopping.set()
        for thread in self._threads:
            if thread.name == "sitegen-watch":
                thread.join(timeout=10)
        with self._build_lock:  # let a rebuild under way finish writing before its folder goes
            if self._httpd is not None:
                if any(t.name == "sitegen-http" for t in self._threads):
                    self._httpd.shutdown()
                self._httpd.server_close()
                self._httpd = None
            for thread in self._threads:
                thread.join(timeout=10)
            self._threads = []
            if self._workdir is not None:
                self._remove(self._workdir)
                self._workdir = None
        self._stopped.set()

    def rebuild(self) -> BuildState:
        """Build the site into the served folder and serve it; on failure, serve the problems instead.

        Every build goes to the same folder, as ``sitegen build`` does, so a
        preview after an edit renders only what the edit changed. The swap
        is atomic, and a file being sent while it happens is sent whole.
        """
        with self._build_lock:
            assert self._workdir is not None, "rebuild() needs start()"
            started = time.perf_counter()
            self._builds += 1
            version = f"{self._instance}-{self._builds}"
            previous = self.state
            out = self._workdir / SERVED
            base_path = previous.base_path
            try:
                base_path = self._base_path()
                build_site(
                    self.site_dir,
                    out,
                    now=self._build_time(),
                    base_url=self.origin + base_path,
                    cache_dir=self._workdir / CACHE,  # the preview's own: it goes when the server does
                    memory=self._memory,
                )
            except ContentError as exc:
                count = count_label(len(exc.problems), "problem")
                state = BuildState(version, base_path, previous.root, tuple(exc.problems), f"The build found {count}")
                for problem in exc.problems:
                    self.log(str(problem))
                self.log(f"Build failed: {count}; the browser shows them until they are fixed.")
            except Exception as exc:  # a bug or an unreadable file must not take the server down: show it
                self.log(traceback.format_exc().rstrip())
                crash = f"The build crashed: {type(exc).__name__}: {exc}"
                state = BuildState(version, base_path, previous.root, (), crash)
            else:
                state = BuildState(version, base_path, out)
                self.inform(f"Built the site in {time.perf_counter() - started:.2f} s.")
            self.state = state
            return state

    def _base_path(self) -> str:
        """The path of ``[site] base_url``; raise ContentError with the site's problems if the settings do not load."""
        problems = Problems()
        config, _ = load_config(self.site_dir, problems)
        if config is None:
            # The server's own base URL would hide a bad base_url: report the settings as a build would.
            load_site(self.site_dir, now=self._build_time())
            raise ContentError(sorted(problems.errors))
        return urlsplit(config.base_url).path or "/"

    def _build_time(self) -> datetime:
        """``now``, else the clock to the minute: pages show times to the minute, and so the saves of one minute
        rebuild only what they changed, not every page that shows the time or an uptime up to it."""
        return self.now or parse_now(None, None).replace(second=0)

    def _remove(self, folder: Path) -> None:
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            self.log(f"warning: could not remove {folder}: {exc}")

    def _spawn(self, target: Callable[..., None], name: str, **kwargs: object) -> None:
        thread = threading.Thread(target=target, name=name, kwargs=kwargs, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _watch(self) -> None:
        """Rebuild on each batch of changes until stopped (watchfiles groups a burst of saves into one batch)."""
        try:
            for changes in watchfiles.watch(
                self.site_dir,
                watch_filter=SourceFilter(self.site_dir),
                stop_event=self._stopping,
                rust_timeout=500,
                yield_on_timeout=True,  # the first (empty) yield says the watcher is in place
                raise_interrupt=False,
            ):
                self._watching.set()
                if changes and not self._stopping.is_set():
                    names = sorted({display_path(Path(path)) for _, path in changes})
                    self.inform(f"Changed: {', '.join(names)}; rebuilding.")
                    self.rebuild()
        except Exception as exc:  # e.g. too many folders to watch: keep serving, without reloads
            self.log(f"error: watching for changes stopped: {exc}")
        finally:
            self._watching.set()

    def respond(self, request_path: str) -> Response:
        """The response to a GET of ``request_path`` (path and query, as sent), from the latest build."""
        return response_for(self.state, request_path)


class SourceFilter(watchfiles.DefaultFilter):
    """Changes that matter to a build: content/, themes/ and sitegen.toml, less editors' and VCS's own files."""

    def __init__(self, site_dir: Path):
        super().__init__()
        self.site_dir = site_dir

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        try:
            relative = Path(path).relative_to(self.site_dir)
        except ValueError:
            return False
        top = relative.parts[0] if relative.parts else ""
        wanted = top in WATCHED_DIRS or relative == Path(CONFIG_FILE)
        # The default filter judges the path inside the site only: the site's own location may hold '.venv' & co.
        return wanted and super().__call__(change, str(relative))
