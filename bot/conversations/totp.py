"""Second factor (OTP): enrol an authenticator app, and re-enter a code when it has expired.

| state       | input                                | next                                 |
|-------------|--------------------------------------|--------------------------------------|
| any         | gated command, no factor             | enrol (QR image + text key, once)    |
| any         | gated command, factor expired        | code                                 |
| (none)      | /otp, or the 「OTP 등록」 button       | enrol or code                        |
| enrol       | 6 digits, correct                    | (restored) enrolled; key deleted     |
| code        | 6 digits, correct                    | (restored) the interrupted action    |
| enrol, code | wrong code                           | same (attempts left); 5 → 15 min lock |
| enrol, code | anything else                        | same, asked again                    |
When the gate interrupts a flow, the flow's state and data are kept and restored after the code;
the command or button press the gate stopped is then carried out, once (its update is kept in
the state and handed to the routers again, without the per-update middlewares that already ran).
"""

from __future__ import annotations

import io
import logging
from typing import Any

from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.staff import TotpCB
from bot.middlewares.refusals import refusal_text
from bot.services import second_factor
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.second_factor import FactorStatus

router = Router(name="totp")
log = logging.getLogger(__name__)


class Totp(StatesGroup):
    enrol = State()
    code = State()


_RESUME_KEYS = (
    "resume_state",
    "resume_data",
    "resume_command",
    "resume_event",
    "secret_messages",
)


def _qr_png(uri: str) -> bytes:
    buffer = io.BytesIO()
    import segno  # imported on first use: most updates never draw a QR code

    segno.make(uri, error="m").save(buffer, kind="png", scale=6, border=3)
    return buffer.getvalue()


async def _remember(state: FSMContext, event: TelegramObject | None) -> dict[str, Any]:
    """What to restore after the code: the interrupted flow and the command that was refused."""
    current = await state.get_state()
    data = await state.get_data()
    if current in (Totp.enrol.state, Totp.code.state):
        return {k: data.get(k) for k in _RESUME_KEYS if k in data}
    command = None
    if isinstance(event, Message) and (event.text or "").startswith("/"):
        command = (event.text or "").split()[0][:32]
    kept: dict[str, Any] | None = None  # the interrupted action, carried out after the code
    if isinstance(event, Message | CallbackQuery):
        kind = "message" if isinstance(event, Message) else "callback_query"
        kept = {"kind": kind, "raw": event.model_dump(mode="json", exclude_none=True)}
    return {
        "resume_state": current,
        "resume_data": data,
        "resume_command": command,
        "resume_event": kept,
    }


async def begin_enrolment(
    bot: Bot,
    chat_id: int,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    memory: dict[str, Any] | None = None,
) -> None:
    enrolment = await second_factor.begin_enrolment(ctx, actor)
    # The state first: a code typed right after the key appears must find the flow in place.
    await state.set_state(Totp.enrol)
    await state.set_data(dict(memory or {}))
    await bot.send_message(chat_id, t("totp.enrol_intro"))
    photo = await bot.send_photo(
        chat_id,
        BufferedInputFile(_qr_png(enrolment.uri), filename="otp.png"),
        caption=t("totp.qr_caption"),
    )
    key = await bot.send_message(chat_id, t("totp.key_text", secret=enrolment.secret))
    await state.update_data(secret_messages=[photo.message_id, key.message_id])


async def ask_code(
    bot: Bot, chat_id: int, state: FSMContext, t: Texts, memory: dict[str, Any] | None = None
) -> None:
    await state.set_state(Totp.code)
    await state.set_data(memory or {})
    await bot.send_message(chat_id, t("totp.ask_code"))


async def prompt_second_factor(
    event: TelegramObject, actor: Actor, status: FactorStatus, t: Texts, data: dict[str, Any]
) -> None:
    """The access gate's answer to a missing or expired factor: enrol, or ask for a code."""
    ctx: AppContext = data["ctx"]
    bot: Bot = data["bot"]
    state: FSMContext = data["state"]
    if isinstance(event, CallbackQuery):
        await event.answer(t("totp.needed_short"))
    minutes = await second_factor.locked_minutes_left(ctx, actor.telegram_id)
    if minutes is not None:
        await bot.send_message(actor.telegram_id, t("error.totp.locked", minutes_left=minutes))
        return
    memory = await _remember(state, event)
    if status is FactorStatus.NOT_ENROLLED:
        await begin_enrolment(bot, actor.telegram_id, actor, ctx, state, t, memory)
    else:
        await bot.send_message(actor.telegram_id, t("access.factor_expired"))
        await ask_code(bot, actor.telegram_id, state, t, memory)


async def _start(bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts) -> None:
    """/otp and the enrol button: keep an interrupted flow, then enrol or ask for a code."""
    if not (actor.is_staff or actor.is_center):
        await bot.send_message(actor.telegram_id, t("totp.staff_only"))
        return
    minutes = await second_factor.locked_minutes_left(ctx, actor.telegram_id)
    if minutes is not None:
        await bot.send_message(actor.telegram_id, t("error.totp.locked", minutes_left=minutes))
        return
    memory = await _remember(state, None)
    if await second_factor.is_enrolled(ctx, actor.telegram_id):
        await ask_code(bot, actor.telegram_id, state, t, memory)
    else:
        await begin_enrolment(bot, actor.telegram_id, actor, ctx, state, t, memory)


@router.message(Command("otp"))
async def otp_command(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await _start(bot, actor, ctx, state, t)


@router.callback_query(TotpCB.filter(F.action == "enrol"))
async def enrol_button(
    query: CallbackQuery, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    await _start(bot, actor, ctx, state, t)


async def _restore(state: FSMContext) -> tuple[str | None, dict[str, Any] | None]:
    """Back to the interrupted flow; the command and the action that were stopped (taken out of
    the state, so the action is carried out once)."""
    data = await state.get_data()
    previous, previous_data = data.get("resume_state"), data.get("resume_data") or {}
    await state.set_state(previous)
    await state.set_data(previous_data if previous else {})
    return data.get("resume_command"), data.get("resume_event")


async def _answered(*args: Any, **kwargs: Any) -> bool:
    return True


async def _carry_out(
    kept: dict[str, Any], bot: Bot, state: FSMContext, data: dict[str, Any]
) -> None:
    """Hand the stopped message or button press to the routers again, as if it came now."""
    dispatcher: Dispatcher | None = data.get("dispatcher")
    if dispatcher is None or kept.get("kind") not in ("message", "callback_query"):
        return
    kind = kept["kind"]
    model = Message if kind == "message" else CallbackQuery
    event = model.model_validate(kept["raw"], context={"bot": bot})
    if isinstance(event, CallbackQuery):  # the old press was answered already ("…인증")
        object.__setattr__(event, "answer", _answered)
    passed = {k: v for k, v in data.items() if k not in ("handler", "event_router")}
    passed["raw_state"] = await state.get_state()
    try:
        await dispatcher.propagate_event(kind, event, **passed)
    except TelegramBadRequest as error:  # e.g. its message is gone: the person can repeat it
        log.info("the interrupted %s could not be carried out: %s", kind, error.message)


@router.message(Totp.enrol, F.text, ~F.text.startswith("/"))
@router.message(Totp.code, F.text, ~F.text.startswith("/"))
async def code_entered(
    message: Message,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    **data: Any,
) -> None:
    enrolling = await state.get_state() == Totp.enrol.state
    try:
        result = await second_factor.verify_code(ctx, actor, message.text or "")
    except DomainError as error:
        if error.code == "totp.format":
            await message.answer(t("totp.format"))
        elif error.code in ("totp.locked", "totp.not_enrolled", "access.denied"):
            await state.clear()
            await message.answer(refusal_text(t, error))
        else:
            await message.answer(refusal_text(t, error))
        return
    secret_messages = (await state.get_data()).get("secret_messages") or []
    command, kept = await _restore(state)
    if secret_messages:  # the key was shown once: take it off the chat
        try:
            await bot.delete_messages(actor.telegram_id, secret_messages)
        except Exception:
            pass
    if result.first or enrolling:
        text = t("totp.enrolled", hours=ctx.settings.totp_valid_hours)
    else:
        text = t("totp.verified", hours=ctx.settings.totp_valid_hours)
    restored = await state.get_state()
    if kept:
        text += "\n" + t("totp.carrying_on")
    elif restored:
        text += "\n" + t("totp.resume_flow")
    elif command:
        text += "\n" + t("totp.repeat_command", command=command)
    else:
        text += "\n" + t("totp.what_next")
    await message.answer(text)
    if kept:
        await _carry_out(
            kept,
            bot,
            state,
            {**data, "actor": actor, "ctx": ctx, "t": t, "state": state, "bot": bot},
        )


@router.message(Totp.enrol)
@router.message(Totp.code)
async def not_a_code(message: Message, t: Texts) -> None:
    await message.answer(t("totp.format"))


__all__ = ["Totp", "ask_code", "begin_enrolment", "prompt_second_factor", "router"]
