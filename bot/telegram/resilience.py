"""A Bot API request middleware that keeps a person answered when Telegram refuses a call.

- 429 Too Many Requests: wait ``retry_after`` and try again;
- a 5xx answer, a timeout, a network error or an answer that is not Telegram's JSON (a proxy's
  error page): try again with a growing backoff, for at most ``budget`` seconds (~30 s) in all,
  then give up with a log line (the caller's error handling takes over);
- ``can't parse entities``: a text bug of ours — send the same text without markup (logged);
- ``message is too long``: split at line breaks into messages of at most 4096 characters;
- ``message is not modified``: the screen already shows it — nothing to do;
- ``query is too old`` on answerCallbackQuery: only the toast is lost — the call answers False
  and the update carries on (it was slow, or is replayed after a restart).
403 (blocked) is not handled here: the caller decides (the error handler and the outbox sender).
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from typing import Any, cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    GetUpdates,
    SendMessage,
    TelegramMethod,
)
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


TRANSIENT = (TelegramServerError, TelegramNetworkError, ClientDecodeError)


class ResilientRequests(BaseRequestMiddleware):
    def __init__(
        self,
        *,
        budget: float = 30.0,
        first_backoff: float = 0.25,
        max_backoff: float = 4.0,
        flood_attempts: int = 4,
    ) -> None:
        self.budget = budget
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.flood_attempts = flood_attempts

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Any:
        if method.__api_method__ == GetUpdates.__api_method__:  # polling has its own backoff
            return await make_request(bot, method)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.budget
        backoff = self.first_backoff
        floods = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                floods += 1
                if floods >= self.flood_attempts or exc.retry_after > MAX_RETRY_AFTER:
                    raise
                log.warning("%s: flood wait %ss", type(method).__name__, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
            except TRANSIENT as exc:
                wait = min(backoff, self.max_backoff, deadline - loop.time())
                if wait <= 0:
                    log.error(
                        "%s: giving up after %.0f s of %r", type(method).__name__, self.budget, exc
                    )
                    raise
                log.warning("%s: %r; again in %.2f s", type(method).__name__, exc, wait)
                await asyncio.sleep(wait)
                backoff *= 2
            except TelegramBadRequest as exc:
                return await self._recover(make_request, bot, method, exc)

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
        if "query is too old" in message and isinstance(method, AnswerCallbackQuery):
            return False  # only the button's toast is lost (a slow or replayed update)
        if "can't parse entities" in message and isinstance(method, SendMessage | EditMessageText):
            log.error("markup refused (%s); sending as plain text", message)
            text = strip_html(method.text or "")
            plain = method.model_copy(update={"text": text, "parse_mode": None})
            return await self(make_request, bot, cast(TelegramMethod[TelegramType], plain))
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
