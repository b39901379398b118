"""Control characters never get past the door: NUL and friends in a text or caption become spaces.

Telegram refuses to send text with NUL, and PostgreSQL cannot store it; a handler that echoes or
saves what it was sent would fail on them. Each one is replaced by a space (one UTF-16 unit, so
entity offsets stay right); tabs and line breaks stay. An outer middleware on every update.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject, Update

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")


def _cleaned(message: Message) -> Message | None:
    changes = {
        name: _CONTROL.sub(" ", value)
        for name in ("text", "caption")
        if (value := getattr(message, name)) and _CONTROL.search(value)
    }
    return message.model_copy(update=changes) if changes else None


class ControlCharacters(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update):
            for kind in KINDS:
                message = getattr(event, kind)
                if message is not None and (clean := _cleaned(message)) is not None:
                    event = event.model_copy(update={kind: clean})
                    data["event_update"] = event
        return await handler(event, data)
