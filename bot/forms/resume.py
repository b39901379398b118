"""Interrupted actions resume: the one mechanism behind the second factor and the consents.

When a gate stops an action (a command, a button press, a message to a flow) to ask something
first, :func:`keep` records the event and the FSM state it arrived in as an
:class:`~bot.forms.spec.Interrupted`; the interrupting flow keeps it in its data (``kept``) and
ends with ``Finish(exit=RESUME)``. The exit restores the state and hands the event to the routers
again, with this update's middleware data (the replay passes the routers' gates again, so it
can do only what the person may do now). The kept event leaves the FSM with the flow, so it is
carried out once; one older than ``STALE_AFTER`` is not carried out; nothing from a button's
callback data is trusted (the event is read from the FSM, not from the press).
"""

from __future__ import annotations

import base64
import contextlib
import html
import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.forms import telegram as forms
from bot.forms.spec import RESUME, Interrupted, Turn
from bot.services.context import AppContext

log = logging.getLogger(__name__)

INTERRUPTING = frozenset({"totp", "onboarding"})  # flows that keep an interrupted action
_handling: ContextVar[dict[str, Any] | None] = ContextVar("resume_handling", default=None)


class ResumeContext(BaseMiddleware):
    """Remembers the middleware data of the update being handled (for a replay inside it)."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        token = _handling.set(data)
        try:
            return await handler(event, data)
        finally:
            _handling.reset(token)


async def keep(event: TelegramObject | None, state: FSMContext, ctx: AppContext) -> Interrupted:
    """The stopped event and the FSM state it arrived in. Inside another interruption the
    earlier interrupted state is kept (and the newer event: what the person wants now)."""
    current, data = await state.get_state(), await state.get_data()
    progress = await forms.current(state)
    if progress is not None and progress.flow in INTERRUPTING:
        earlier = Interrupted.model_validate(progress.data.get("kept") or {})
        current, data = earlier.state, earlier.data
    kept = Interrupted(state=current, data=data if current else {}, at=ctx.now())
    if isinstance(event, Message | CallbackQuery) and event.from_user is not None:
        kept.kind = "message" if isinstance(event, Message) else "callback_query"
        raw = event.model_dump_json(exclude_none=True)
        blob = ctx.cipher.encrypt(raw, context=_context(event.from_user.id))
        kept.sealed = base64.b64encode(blob).decode()
    return kept


def _context(telegram_id: int) -> str:
    """The FSM stores the kept event sealed: a typed message may hold a resident number, a
    pressed card another person's data. It opens only for the same person."""
    return f"kept:{telegram_id}"


def _open(kept: Interrupted, telegram_id: int, ctx: AppContext) -> dict[str, Any] | None:
    """The kept event, or None when its seal does not open for this person (forged, foreign)."""
    try:
        blob = base64.b64decode(kept.sealed)
        opened: dict[str, Any] = json.loads(
            ctx.cipher.decrypt(blob, context=_context(telegram_id))
        )
    except Exception:  # binascii / ValueError / cryptography's InvalidTag: nothing to carry out
        log.warning("a kept event did not open; not carried out")
        return None
    return opened


def anchor(event: TelegramObject) -> Message | None:
    """The chat message a flow started by a gate is shown under."""
    if isinstance(event, CallbackQuery):
        return event.message if isinstance(event.message, Message) else None
    return event if isinstance(event, Message) else None


async def carry_out(kept: Interrupted | None, state: FSMContext, ctx: AppContext) -> bool:
    """Back to the interrupted state, then the action, as if it came now. False: nothing was
    carried out (none kept, too old, or no update is being handled)."""
    if kept is None:
        return False
    await state.set_state(kept.state)
    await state.set_data(kept.data if kept.state else {})
    data = _handling.get()
    if data is None or not kept.due(ctx.now()):
        return False
    dispatcher: Dispatcher = data["dispatcher"]
    bot: Bot = data["bot"]
    user = data.get("event_from_user")
    raw = _open(kept, user.id, ctx) if user is not None else None
    if raw is None:
        return False
    event: Message | CallbackQuery
    if kept.kind == "message":
        event = Message.model_validate(raw, context={"bot": bot})
    elif kept.kind == "callback_query":
        event = CallbackQuery.model_validate(raw, context={"bot": bot})
        _answer_in_chat(event, bot)
    else:
        return False
    passed = {k: v for k, v in data.items() if k not in ("handler", "event_router")}
    passed["raw_state"] = await state.get_state()
    try:
        await dispatcher.propagate_event(kept.kind, event, **passed)
    except TelegramBadRequest as error:  # e.g. its message is gone: the person can repeat it
        log.info("the interrupted %s could not be carried out: %s", kept.kind, error.message)
    return True


def _answer_in_chat(query: CallbackQuery, bot: Bot) -> None:
    """The old press was answered already ("먼저 2단계 인증…"); what its handler would say in a
    pop-up is said in the chat instead."""
    chat = query.message.chat.id if query.message is not None else query.from_user.id

    async def answer(text: str | None = None, *args: Any, **kwargs: Any) -> bool:
        if text:
            with contextlib.suppress(TelegramBadRequest):
                await bot.send_message(chat, html.escape(text))
        return True

    object.__setattr__(query, "answer", answer)


async def _resume(message: Message, turn: Turn[Any], state: FSMContext) -> None:
    """The exit of an interrupting flow (its shown-once messages are gone already, see
    ``forms.erase_shown_once``): its closing ``note`` is said, then the kept action is done."""
    note: str = getattr(turn.data, "note", "") or ""
    if message.bot is not None and note:
        await message.bot.send_message(message.chat.id, note)
    await carry_out(getattr(turn.data, "kept", None), state, turn.ctx)


forms.STATEFUL_EXITS[RESUME] = _resume
