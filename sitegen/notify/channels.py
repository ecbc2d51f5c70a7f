"""Which module sends each type of channel: each has ``send(channel, message, context)``."""

from __future__ import annotations

from collections.abc import Callable

from sitegen.content.notify_config import ChannelType, NotifyChannel
from sitegen.notify import discord, email, mastodon, slack, teams, webhook
from sitegen.notify.delivery import Context
from sitegen.notify.message import Message

Send = Callable[[NotifyChannel, Message, Context], None]

SENDERS: dict[ChannelType, Send] = {
    ChannelType.SLACK: slack.send,
    ChannelType.DISCORD: discord.send,
    ChannelType.TEAMS: teams.send,
    ChannelType.WEBHOOK: webhook.send,
    ChannelType.MASTODON: mastodon.send,
    ChannelType.EMAIL: email.send,
}


def send(channel: NotifyChannel, message: Message, context: Context) -> None:
    """Deliver ``message`` on ``channel``; DeliveryError when it could not be."""
    SENDERS[channel.type](channel, message, context)
