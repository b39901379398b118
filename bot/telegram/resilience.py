"""A Bot API request middleware that keeps a person answered when Telegram refuses a call.

- 429 Too Many Requests: wait ``retry_after`` and try again;
- a network error: try again with a short backoff;
- ``can't parse entities``: a text bug of ours — send the same text without markup (logged);
- ``message is too long``: split at line breaks into messages of at most 4096 characters;
- ``message is not modified``: the screen already shows it — nothing to do.
403 (blocked) is not handled here: the caller decides (the error handler and the outbox sender).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import EditMessageText, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_RETRY_AFTER = 120
_TAG = re.compile(r"<[^>]*>")


def strip_html(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split at line breaks (or hard, for a single over-long line) into chunks ≤ limit."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks or [""]


class ResilientRequests(BaseRequestMiddleware):
    def __init__(self, *, attempts: int = 4, network_backoff: float = 0.5) -> None:
        self.attempts = attempts
        self.network_backoff = network_backoff

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > MAX_RETRY_AFTER:
                    raise
                log.warning("%s: flood wait %ss", type(method).__name__, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
            except TelegramNetworkError:
                if attempt == self.attempts:
                    raise
                await asyncio.sleep(self.network_backoff * 2 ** (attempt - 1))
            except TelegramBadRequest as exc:
                return await self._recover(make_request, bot, method, exc)
        raise AssertionError("unreachable")

    async def _recover(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        exc: TelegramBadRequest,
    ) -> Any:
        message = exc.message
        if "message is not modified" in message:
            return True
        if "can't parse entities" in message and isinstance(method, SendMessage | EditMessageText):
            log.error("markup refused (%s); sending as plain text", message)
            plain = method.model_copy(update={"text": strip_html(method.text), "parse_mode": None})
            return await self(make_request, bot, plain)
        if "message is too long" in message and isinstance(method, SendMessage):
            parts = split_text(method.text)
            result: Any = None
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                piece = method.model_copy(
                    update={"text": part, "reply_markup": method.reply_markup if last else None}
                )
                result = await self(make_request, bot, piece)
            return result
        raise exc
