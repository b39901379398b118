"""The Telegram front end of the form engine: the renderer and the handlers (routed by routing.py).

FSM state ``form:<flow>:<item>`` (readable in storage: which flow, which step); FSM data
``{"form": Progress}`` with the flow's typed data inside. Only the FSMContext API is used.
A screen is one message with inline buttons (:class:`FormCB`: flow, screen number, action,
value) and the navigation row (◀ 이전 when there is a previous step, ✖ 취소 — the global
``NavCB`` cancel). A pressed button's screen becomes the next question in place when nothing has
to be said in between; otherwise its buttons are removed, the choice is written under its
question, and the next screen is sent.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from pydantic import BaseModel, Field

from bot.forms.engine import Engine
from bot.forms.registry import FlowName, flow_of
from bot.forms.screens import DONE, SEQ_LIMIT, Act, Progress, Screen
from bot.forms.spec import Turn
from bot.forms.telegram_input import TelegramFiles, answer_of, fits_in_place, without_hint
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, with_home
from bot.services.context import AppContext
from bot.services.identity import Actor

PREFIX = "form:"
# front-end screens a flow may leave for (``Exit.target``): registered by their handlers
Exits = Callable[[Message, Turn[Any]], Awaitable[None]]
EXITS: dict[str, Exits] = {}
# the same, for a screen that keeps a state of its own (a browsing screen): given the FSMContext
StatefulExits = Callable[[Message, Turn[Any], FSMContext], Awaitable[None]]
STATEFUL_EXITS: dict[str, StatefulExits] = {}


async def erase_shown_once(bot: Bot, chat_id: int, data: Any) -> None:
    """A flow's shown-once messages (its data's ``erase``: the OTP key and QR code) leave the
    chat when the flow ends, whichever way: finished, cancelled, or ended by a refusal."""
    ids = data.get("erase") if isinstance(data, dict) else getattr(data, "erase", None)
    if ids:
        with contextlib.suppress(TelegramBadRequest):
            await bot.delete_messages(chat_id, list(ids))


async def _leave(target: str | None, message: Message, turn: Turn[Any], state: FSMContext) -> None:
    if target in EXITS:
        await EXITS[target](message, turn)
    elif target in STATEFUL_EXITS:
        await STATEFUL_EXITS[target](message, turn, state)


class FormCB(CallbackData, prefix="form"):
    """A button of a form screen; ``seq`` is the screen's number (an older one is stale)."""

    flow: FlowName
    seq: int = Field(ge=0, le=SEQ_LIMIT)
    act: Act
    value: str = Field(default="", max_length=40)


async def current(state: FSMContext) -> Progress | None:
    if not (await state.get_state() or "").startswith(PREFIX):
        return None
    raw = (await state.get_data()).get("form")
    return Progress.model_validate(raw) if raw else None


def _engine(p: Progress, ctx: AppContext, t: Texts, actor: Actor, bot: Bot) -> Engine:
    flow = flow_of(FlowName(p.flow), ctx)
    data = flow.model.model_validate(p.data)
    return Engine(flow, p, Turn(data, t, ctx, actor, TelegramFiles(bot)))


async def begin(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
    actor: Actor,
    name: FlowName,
    data: BaseModel,
    *,
    intro: str | None = None,
    complete: bool = False,
    answered: list[str] | None = None,
    pick: bool = False,
) -> None:
    """Start a flow with its data (``complete``: at the final review; ``answered``: resume;
    ``pick``: the review's list of fields open)."""
    assert message.bot is not None
    turn = Turn(data, t, ctx, actor, TelegramFiles(message.bot))
    flow = flow_of(name, ctx)
    engine = Engine.start(flow, turn, complete=complete, answered=answered, pick=pick)
    screen = await engine.screen()
    if intro:
        screen.notes.insert(0, intro)
    await show(message, state, engine, screen)


def _markup(engine: Engine, screen: Screen) -> InlineKeyboardMarkup:
    p, t = engine.p, engine.t
    flow = FlowName(p.flow)
    rows: list[list[Button]] = [
        [(b.label, FormCB(flow=flow, seq=p.seq, act=b.act, value=b.value)) for b in row]
        for row in screen.rows
    ]
    nav: list[Button] = []
    if screen.back:
        nav.append((t("nav.back"), FormCB(flow=flow, seq=p.seq, act=Act.BACK)))
    if screen.cancel:
        nav.append((t("nav.cancel"), NavCB(action="cancel")))
    return inline([*rows, nav])


async def show(
    message: Message,
    state: FSMContext,
    engine: Engine,
    screen: Screen,
    *,
    in_place: bool = False,
) -> None:
    """Render a screen and store the progress (or clear it when the flow ended).

    ``in_place``: ``message`` is the pressed prompt and the screen is drawn over it (the next
    question takes the answered one's place: one Bot API call instead of an edit and a send).
    The progress is stored before anything is sent: a failure while sending loses no answer."""
    p, t = engine.p, engine.t
    bot, chat_id = message.bot, message.chat.id
    assert bot is not None
    old_prompt = p.prompt if p.prompt_open else None
    closing = p.reply_keyboard and screen.contact is None
    if screen.end:
        await state.clear()
    else:
        shown = f"{p.at}:{p.picking}"
        if shown != p.shown or screen.replace:  # a new screen (or page, or toggle): the older
            # one's buttons go stale; a step asked again after a refusal keeps them
            p.seq, p.shown = p.seq % SEQ_LIMIT + 1, shown
        p.prompt_open = p.reply_keyboard = False
        p.data = engine.data.model_dump(mode="json")
        await state.set_state(f"{PREFIX}{p.flow}:{p.at}")
        await state.set_data({"form": p.model_dump(mode="json")})
    if screen.replace and not screen.end:  # the same message re-drawn (a page, a toggle)
        with contextlib.suppress(TelegramBadRequest):
            await message.edit_text(_with_hint(screen), reply_markup=_markup(engine, screen))
        p.prompt, p.prompt_open, p.hint = message.message_id, True, screen.hint
        await state.set_data({"form": p.model_dump(mode="json")})
        return
    if closing:
        echo = html.escape(screen.echo or "✓")
        await bot.send_message(chat_id, f"→ <b>{echo}</b>", reply_markup=REMOVE)
    for note in screen.notes:
        await bot.send_message(chat_id, note)
    if old_prompt:
        with contextlib.suppress(TelegramBadRequest):
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=old_prompt)
    for file in screen.files:
        document = BufferedInputFile(file.content, filename=file.name)
        await bot.send_document(chat_id, document, caption=file.caption or None)
    if screen.end:
        await erase_shown_once(bot, chat_id, engine.data)
        if screen.text:  # the way home, unless the flow hands over to a screen of its own
            home = None if screen.exit else with_home(t)
            await bot.send_message(chat_id, screen.text, reply_markup=home)
        await _leave(screen.exit, message, engine.turn, state)
        return
    if not (in_place and await _redraw(message, engine, screen)):
        sent = await bot.send_message(
            chat_id, _with_hint(screen), reply_markup=_markup(engine, screen)
        )
        p.prompt = sent.message_id
    else:
        p.prompt = message.message_id
    p.prompt_open, p.hint = True, screen.hint
    if screen.contact:
        button = KeyboardButton(text=screen.contact, request_contact=True)
        keyboard = ReplyKeyboardMarkup(
            keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True
        )
        await bot.send_message(chat_id, t("forms.contact_hint"), reply_markup=keyboard)
        p.reply_keyboard = True
    await state.set_data({"form": p.model_dump(mode="json")})
    # e.g. the list the new item joined, under the "again" button
    await _leave(screen.exit, message, engine.turn, state)


REMOVE = ReplyKeyboardRemove(remove_keyboard=True)


async def _redraw(message: Message, engine: Engine, screen: Screen) -> bool:
    """Edit ``message`` into ``screen``; False when Telegram refuses (then it is sent anew)."""
    try:
        await message.edit_text(_with_hint(screen), reply_markup=_markup(engine, screen))
    except TelegramBadRequest as error:
        return "not modified" in str(error)  # already what it should be
    return True


def _with_hint(screen: Screen) -> str:
    return f"{screen.text}\n{screen.hint}" if screen.hint else screen.text


async def on_message(
    message: Message, state: FSMContext, ctx: AppContext, t: Texts, actor: Actor, bot: Bot
) -> None:
    p = await current(state)
    if p is None:  # a state without its data (cleared elsewhere): nothing to resume
        await state.clear()
        await message.answer(t("fallback.unknown"))
        return
    if p.at == DONE:  # the flow is over: the message is for whatever comes next
        await state.clear()
        raise SkipHandler
    engine = _engine(p, ctx, t, actor, bot)
    screen = await engine.message(await answer_of(message, engine))
    await show(message, state, engine, screen)


async def on_button(
    query: CallbackQuery,
    callback_data: FormCB,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
    actor: Actor,
    bot: Bot,
) -> None:
    p = await current(state)
    message = query.message
    live = p is not None and p.flow == callback_data.flow.value and p.seq == callback_data.seq
    screen = None
    if live and p is not None and isinstance(message, Message):
        engine = _engine(p, ctx, t, actor, bot)
        screen = await engine.press(callback_data.act, callback_data.value)
    if screen is None or not isinstance(message, Message):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    await query.answer(screen.alert[:200] if screen.alert else None, show_alert=bool(screen.alert))
    if fits_in_place(screen, engine.p, message):  # the next question in the pressed one's place
        engine.p.prompt_open = False
        await show(message, state, engine, screen, in_place=True)
        return
    bare = None if screen.replace else without_hint(message.html_text, engine.p, message)
    with contextlib.suppress(TelegramBadRequest):
        if screen.replace:
            pass
        elif screen.echo:
            shown = message.html_text if bare is None else bare
            await message.edit_text(shown + "\n→ <b>" + html.escape(screen.echo) + "</b>")
        elif bare is not None:  # the buttons go, and with them the words about them
            await message.edit_text(bare)
        else:
            await message.edit_reply_markup(reply_markup=None)
    if message.message_id == engine.p.prompt:  # (an equal older copy may have been pressed)
        engine.p.prompt_open = False
    await show(message, state, engine, screen)
