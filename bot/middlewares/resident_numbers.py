"""Resident registration numbers never stay in a chat.

An outer middleware on every update: a message, edited message or caption that looks like a
resident registration number (``bot.domain.pii.looks_like_rrn``) is deleted at once and the
person told why; no handler sees it, so it is never stored, logged or echoed. The one step that
asks for the number (a form step marked ``secret``: the application's resident-number step) gets
the text itself: it deletes the message, checks the number and keeps it only sealed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, TelegramObject, Update

from bot.domain.pii import looks_like_rrn
from bot.forms.registry import FlowName, flow_of
from bot.forms.spec import Step
from bot.forms.telegram import PREFIX
from bot.middlewares.chat_gate import texts_of

log = logging.getLogger(__name__)


class ResidentNumberGuard(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        message = event.message or event.edited_message or event.channel_post
        text = message and (message.text or message.caption)
        if message is None or not text or not looks_like_rrn(text):
            return await handler(event, data)
        if event.message is not None and message.text and await _asked_for(data):
            return await handler(event, data)
        await _scrub(message, data)
        return None


async def _asked_for(data: dict[str, Any]) -> bool:
    """At a form step that asks for a secret (the resident number): the step deletes the message
    itself, checks the number and keeps it only sealed."""
    state: FSMContext | None = data.get("state")
    current = await state.get_state() if state is not None else None
    if not current or not current.startswith(PREFIX):
        return False
    flow, _, at = current.removeprefix(PREFIX).partition(":")
    try:
        step = flow_of(FlowName(flow), data["ctx"]).item(at)
    except (KeyError, ValueError):
        return False
    return isinstance(step, Step) and step.secret


async def _scrub(message: Message, data: dict[str, Any]) -> None:
    try:
        deleted = bool(await message.delete())
    except TelegramAPIError:
        deleted = False
    log.info("chat %s: a message looking like a resident number was removed", message.chat.id)
    t = texts_of(data)
    if message.from_user is None:  # a channel post: nobody to tell
        return
    try:
        await message.answer(t("rrn_guard.deleted" if deleted else "rrn_guard.not_deleted"))
    except TelegramAPIError as error:
        log.info("chat %s: could not explain the removal: %s", message.chat.id, error.message)
