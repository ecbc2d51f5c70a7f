"""Headless Chromium driven over the DevTools protocol, for the browser and accessibility tests (no tests here).

Chromium is started with ``--remote-debugging-pipe``: it reads commands on
its file descriptor 3 and answers on 4, as NUL-terminated JSON, so the
tests need nothing beyond the standard library and the browser itself.
The built site is served from 127.0.0.1 under its base URL's path, so the
404 page's rooted links and the stylesheet's rules are read as a visitor's
browser reads them. axe-core comes from the npm registry at test time.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from loopback import serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NPM = shutil.which("npm")
AXE_VERSION = "4.14"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--hide-scrollbars", "--remote-debugging-pipe",
]  # fmt: skip
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class Browser:
    """One Chromium process and one tab in it; ``send`` runs a DevTools command in that tab."""

    def __init__(self, profile: Path):
        assert CHROMIUM is not None
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # Out of the way of 3 and 4 first, so that placing one there cannot close the other.
        commands_read, answers_write = _above(commands_read, 10), _above(answers_write, 10)

        def give_pipes() -> None:  # in the child, before exec: Chromium's fds 3 and 4
            for source, target in ((commands_read, 3), (answers_write, 4)):
                os.dup2(source, target)
                os.set_inheritable(target, True)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=give_pipes,
        )
        os.close(commands_read)
        os.close(answers_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.command("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.command("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")

    def command(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.command(method, self.session, **params)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._answers, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        for n, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[: n + 1]
                return event
        while True:
            event = self._read()
            if event.get("method") == method:
                self.events.clear()
                return event

    def open(self, url: str, *, width: int, height: int = 800, scheme: str = "light", media: str = "screen") -> None:
        """Load ``url`` in a viewport ``width`` by ``height`` CSS px, in a colour scheme: light, dark or forced."""
        self.send(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=width < 600
        )
        features = [{"name": "prefers-color-scheme", "value": "dark" if scheme == "dark" else "light"}]
        features.append({"name": "forced-colors", "value": "active" if scheme == "forced" else "none"})
        self.send("Emulation.setEmulatedMedia", media=media, features=features)
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def media(self, media: str, scheme: str = "light") -> None:
        """Switch the loaded page to another medium ('print') or colour scheme without reloading it."""
        features = [{"name": "prefers-color-scheme", "value": "dark" if scheme == "dark" else "light"}]
        features.append({"name": "forced-colors", "value": "active" if scheme == "forced" else "none"})
        self.send("Emulation.setEmulatedMedia", media=media, features=features)

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        import base64

        result = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)
        path.write_bytes(base64.b64decode(result["data"]))
        return path

    def tab_stops(self, limit: int = 1000) -> list[str]:
        """Press Tab until focus comes back round: a short description of each element it stopped on."""
        self.evaluate("document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0)")
        stops: list[str] = []
        for _ in range(limit):
            for kind in ("rawKeyDown", "keyUp"):
                self.send("Input.dispatchKeyEvent", type=kind, key="Tab", code="Tab", windowsVirtualKeyCode=9)
            here = self.evaluate(
                "(e => e === document.body ? '' : e.tagName.toLowerCase() + ' ' + (e.textContent || '').trim()"
                ".slice(0, 40) + ' ' + (e.getAttribute('href') || ''))(document.activeElement)"
            )
            if not here or (stops and here == stops[0]):
                break
            stops.append(here)
        return stops

    def close(self) -> None:
        try:
            self.command("Browser.close")
        except RuntimeError:
            pass
        self.process.wait(timeout=30)
        os.close(self._commands)
        os.close(self._answers)


def _above(fd: int, lowest: int) -> int:
    """A copy of ``fd`` numbered ``lowest`` or more; the original is closed."""
    import fcntl

    copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, lowest)
    os.close(fd)
    return copy


class _SiteHandler(SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        if path.startswith(self.prefix):
            path = "/" + path[len(self.prefix) :]
        return super().translate_path(path)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


class _SharedSiteHandler(_SiteHandler):
    """Lets pages of any origin read the files, as GitHub Pages does (``Access-Control-Allow-Origin: *``)."""

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()


@contextmanager
def serve(folder: Path, prefix: str, *, shared: bool = False) -> Iterator[str]:
    """Serve ``folder`` at http://127.0.0.1:<port><prefix> while the block runs; yields that URL.

    ``shared``: to pages of other origins too, as GitHub Pages serves a site.
    """
    base = _SharedSiteHandler if shared else _SiteHandler
    handler = functools.partial(type("Handler", (base,), {"prefix": prefix}), directory=str(folder))
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def install_axe(folder: Path) -> str:
    """axe-core's browser script, installed from the npm registry into ``folder``."""
    assert NPM is not None
    subprocess.run(
        [NPM, "install", "--prefix", str(folder), "--no-audit", "--no-fund", "--silent", f"axe-core@~{AXE_VERSION}"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (folder / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(browser: Browser, axe_source: str) -> list[dict[str, Any]]:
    """axe's WCAG 2.2 A and AA violations on the loaded page, each as its rule id, help and first targets."""
    if not browser.evaluate("typeof window.axe === 'object'"):
        browser.evaluate(axe_source)
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    found = browser.evaluate(
        f"axe.run(document, {options}).then(r => r.violations.map(v => ({{id: v.id, help: v.help, "
        "targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')), summary: v.nodes[0].failureSummary})))"
    )
    return list(found)
