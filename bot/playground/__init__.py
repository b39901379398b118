"""A local Telegram Bot API server with a web chat page, for trying and testing the bot."""

from .driver import PlaygroundUser
from .models import ApiCall, ChatMessage, Identity, Stats
from .server import PlaygroundServer

__all__ = ["ApiCall", "ChatMessage", "Identity", "PlaygroundServer", "PlaygroundUser", "Stats"]
