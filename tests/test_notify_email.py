"""Email against a real SMTP server on 127.0.0.1 (aiosmtpd) that requires STARTTLS and a login.

The server's certificate is self-signed, made for this test with the
openssl command, and trusted through SSL_CERT_FILE as a site with its own
certificate authority would do.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from test_notify_support import Story, ledger

EMAIL = """\
type = "email"
smtp_host = "127.0.0.1"
smtp_port = {port}
username_env = "SMTP_USER"
password_env = "SMTP_PASSWORD"
from = "status@example.com"
to = ["ops@example.com", "cto@example.com"]
"""
LOGIN = {"SMTP_USER": "status", "SMTP_PASSWORD": "pa55w0rd"}


@dataclass
class Inbox:
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    logins: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        mail = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        self.received.append((str(envelope.mail_from), list(envelope.rcpt_tos), mail))
        return "250 OK"

    def authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"status", b"pa55w0rd")
        self.logins.append(data.login if isinstance(data, LoginPassword) else b"")
        return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make the server's certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def start(inbox: Inbox, tls: ssl.SSLContext | None) -> Controller:
    options: dict[str, Any] = {"authenticator": inbox.authenticate, "auth_require_tls": True}
    if tls is not None:
        options |= {"tls_context": tls, "require_starttls": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    return controller


@pytest.fixture
def smtp(certificate: tuple[Path, Path]) -> Iterator[tuple[Inbox, int]]:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(*certificate)
    inbox = Inbox()
    controller = start(inbox, tls)
    yield inbox, controller.port
    controller.stop()


def test_email_goes_over_starttls_with_a_login_as_text_and_html_to_every_address(
    tmp_path: Path, smtp: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    inbox, port = smtp
    story = Story(tmp_path, EMAIL.format(port=port))
    story.grow()
    result = story.announce({**LOGIN, "SSL_CERT_FILE": str(certificate[0])})
    assert result.exit_code == 0, result.output
    assert inbox.logins == [b"status", b"status"]
    (sender, recipients, identified), (_, _, resolved) = inbox.received
    assert sender == "status@example.com" and recipients == ["ops@example.com", "cto@example.com"]
    assert identified["Subject"] == "[Test Status] Identified: API errors"
    assert identified["To"] == "status@example.com"  # the addresses stay in the envelope, as blind copies
    text = identified.get_body(("plain",)).get_content()
    assert "A bad deploy. Rolled back <!channel> & @everyone." in text
    assert "View incident: https://example.github.io/status/incidents/2026-11-20-api-errors/" in text
    page = identified.get_body(("html",)).get_content()
    assert "<strong>bad</strong>" in page and "&lt;!channel&gt; &amp; @everyone" in page
    assert '<a href="https://example.github.io/status/incidents/2026-11-20-api-errors/">View incident</a>' in page
    thread = identified["In-Reply-To"]
    assert thread.startswith("<incident-") and resolved["References"] == thread
    assert "pa55w0rd" not in result.output


def test_a_certificate_that_does_not_verify_gets_no_mail_and_no_password(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    story = Story(tmp_path, EMAIL.format(port=port))
    story.grow()
    result = story.announce(LOGIN)  # the self-signed certificate is not trusted here
    assert result.exit_code == 1
    assert "127.0.0.1's certificate does not verify" in result.output
    assert inbox.received == [] and inbox.logins == []
    assert len(ledger(story.out)["undelivered"]["email"]) == 2


def test_a_server_without_starttls_gets_nothing(tmp_path: Path) -> None:
    inbox = Inbox()
    controller = start(inbox, tls=None)
    try:
        story = Story(tmp_path, EMAIL.format(port=controller.port))
        story.grow()
        result = story.announce(LOGIN)
    finally:
        controller.stop()
    assert result.exit_code == 1
    assert "does not offer STARTTLS, and sitegen sends mail only encrypted" in result.output
    assert inbox.received == [] and inbox.logins == []


def test_mail_is_dated_when_sent_marked_automatic_and_listed(
    tmp_path: Path, smtp: tuple[Inbox, int], certificate: tuple[Path, Path]
) -> None:
    """Date: the sending time, not the update's (Nov 20); Auto-Submitted keeps responders quiet; List-Id to filter."""
    inbox, port = smtp
    story = Story(tmp_path, EMAIL.format(port=port))
    story.grow()
    before = datetime.now(UTC)
    result = story.announce({**LOGIN, "SSL_CERT_FILE": str(certificate[0])})
    assert result.exit_code == 0, result.output
    for _, _, mail in inbox.received:
        assert before - timedelta(seconds=1) <= parsedate_to_datetime(mail["Date"]) <= datetime.now(UTC)
        assert mail["Auto-Submitted"] == "auto-generated"
        assert mail["List-Id"] == "Test Status <email.example.github.io>"
