"""Email: one message per event, plain text with an HTML alternative, over SMTP with STARTTLS.

Mail is sent only encrypted: a server that does not offer STARTTLS, or whose
certificate does not verify, gets nothing (and no password). The addresses
of ``to`` are envelope recipients only, as for a blind copy, so subscribers
do not see each other; the ``To:`` header shows the sender. Messages of one
incident carry ``References`` to one thread id, so mail clients group them,
and a stable ``Message-ID`` per event lets a mailbox drop a repeat.

``Date`` is when the message is sent (RFC 5322: when it was ready to go),
not when the update was posted, which the message says in its text: a mail
dated hours back sorts under older mail. ``Auto-Submitted: auto-generated``
(RFC 3834) keeps vacation responders from answering, and ``List-Id`` (RFC
2919), one per channel, lets subscribers filter the announcements.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import urlsplit

from markupsafe import Markup

from sitegen.content.notify_config import NotifyChannel
from sitegen.notify.delivery import Context
from sitegen.notify.http import DeliveryError
from sitegen.notify.message import Message, listed, plain_text
from sitegen.views.api import incident_id, opaque_id
from sitegen.views.markdown import render_markdown

STYLE = "font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; color: #1f2328; max-width: 40em"
MUTED = "color: #59636e"


def subject(message: Message) -> str:
    """'[Site] Title', on one line whatever the content holds (a header may not break)."""
    return " ".join(f"[{message.site_title}] {message.title}".split())


def html(message: Message) -> str:
    shown, more = listed(message.components)
    items = [Markup("<li>{}: {}</li>").format(name, status) for name, status in shown]
    components = Markup("").join(items + ([Markup("<li>{}</li>").format(more)] if more else []))
    links = Markup(" · ").join(Markup('<a href="{}">{}</a>').format(url, label) for label, url in message.links)
    window = Markup('<p style="{}">Window: {}</p>').format(MUTED, message.window) if message.window else ""
    return Markup(
        '<!DOCTYPE html>\n<html><body style="{style}">\n<h2>{title}</h2>\n<p style="{muted}">{status} · {when}</p>\n'
        "{window}{body}\n{components}<p>{links}</p>\n"
        '<p style="{muted}; font-size: 0.85em">{site}</p>\n</body></html>\n'
    ).format(
        style=STYLE,
        muted=MUTED,
        title=message.title,
        status=message.status,
        when=message.when,
        window=window,
        body=render_markdown(message.body),
        components=Markup("<ul>{}</ul>\n").format(components) if message.components else "",
        links=links,
        site=message.site_title,
    )


def compose(channel: NotifyChannel, message: Message, sent: datetime) -> EmailMessage:
    """The mail of ``message``, sent at ``sent``."""
    host = urlsplit(message.url).hostname or "sitegen.invalid"
    mail = EmailMessage()
    mail["Subject"] = subject(message)
    mail["From"] = channel.sender
    mail["To"] = channel.sender
    mail["Date"] = format_datetime(sent)
    mail["Auto-Submitted"] = "auto-generated"
    mail["List-Id"] = formataddr((" ".join(message.site_title.split()), f"{channel.name}.{host}"))
    incident = message.event.incident
    thread = f"<incident-{incident_id(incident.slug)}@{host}>" if incident is not None else None
    first = message.event.id.startswith("created/")
    mail["Message-ID"] = thread if first and thread else f"<{opaque_id(message.event.id)}.{channel.name}@{host}>"
    if thread and not first:
        mail["In-Reply-To"] = thread
        mail["References"] = thread
    mail.set_content(plain_text(message) + "\n")
    mail.add_alternative(html(message), subtype="html")
    return mail


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    """Send, retrying what may pass on a second try: a lost connection, a timeout, a 4xx reply."""
    mail, manners = compose(channel, message, datetime.now(UTC)), context.manners
    problem = "not sent"
    for attempt in range(manners.retries + 1):
        if attempt:
            time.sleep(manners.wait(attempt - 1))
        try:
            _transmit(channel, mail, context)
            return
        except smtplib.SMTPResponseException as exc:
            problem = f"{channel.smtp_host} answered {exc.smtp_code} {_reply(exc.smtp_error)}"
            if exc.smtp_code >= 500:
                raise DeliveryError(problem) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"{channel.smtp_host} refused every recipient: {', '.join(exc.recipients)}") from None
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(f"{channel.smtp_host}'s certificate does not verify: {exc.verify_message}") from None
        except (OSError, smtplib.SMTPException) as exc:
            problem = f"cannot send through {channel.smtp_host}:{channel.smtp_port} ({type(exc).__name__})"
    raise DeliveryError(f"{problem} ({manners.retries + 1} tries)")


def _transmit(channel: NotifyChannel, mail: EmailMessage, context: Context) -> None:
    with smtplib.SMTP(channel.smtp_host, channel.smtp_port, timeout=context.manners.timeout) as smtp:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise DeliveryError(f"{channel.smtp_host} does not offer STARTTLS, and sitegen sends mail only encrypted")
        smtp.starttls(context=ssl.create_default_context())
        smtp.ehlo()
        if channel.username_env:
            smtp.login(context.secrets[channel.username_env], context.secrets[channel.password_env])
        smtp.send_message(mail, from_addr=channel.sender, to_addrs=list(channel.recipients))


def _reply(error: bytes | str) -> str:
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return " ".join(text.split())[:200]
