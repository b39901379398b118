"""Where the second factor starts (``bot/conversations/totp.py``): the access gate's prompt when
the factor is missing or expired (the stopped action is kept), /otp and the 「OTP 등록」 button."""

from __future__ import annotations

import io
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message, TelegramObject

from bot.conversations.totp import TotpData
from bot.forms import resume
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Interrupted
from bot.i18n import Texts
from bot.keyboards.staff import TotpCB
from bot.middlewares import access
from bot.services import second_factor
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.second_factor import FactorStatus

router = Router(name="totp")


def _qr_png(uri: str) -> bytes:
    buffer = io.BytesIO()
    import segno  # imported on first use: most updates never draw a QR code

    segno.make(uri, error="m").save(buffer, kind="png", scale=6, border=3)
    return buffer.getvalue()


async def _enrol(
    message: Message,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    kept: Interrupted,
) -> None:
    """The QR code and the key (once), then the code step; both leave the chat after it."""
    bot, chat = message.bot, actor.telegram_id
    assert bot is not None
    enrolment = await second_factor.begin_enrolment(ctx, actor)
    await bot.send_message(chat, t("totp.enrol_intro"))
    photo = await bot.send_photo(
        chat,
        BufferedInputFile(_qr_png(enrolment.uri), filename="otp.png"),
        caption=t("totp.qr_caption"),
    )
    key = await bot.send_message(chat, t("totp.key_text", secret=enrolment.secret))
    data = TotpData(enrolling=True, kept=kept, erase=[photo.message_id, key.message_id])
    await forms.begin(message, state, ctx, t, actor, FlowName.TOTP, data)


async def _begin(
    event: TelegramObject,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    *,
    stopped: TelegramObject | None,
    expired_note: bool = False,
) -> None:
    message = resume.anchor(event)
    bot: Bot | None = getattr(event, "bot", None)
    if message is None or bot is None:
        return
    minutes = await second_factor.locked_minutes_left(ctx, actor.telegram_id)
    if minutes is not None:
        await bot.send_message(actor.telegram_id, t("error.totp.locked", minutes_left=minutes))
        return
    kept = await resume.keep(stopped, state, ctx)
    if not await second_factor.is_enrolled(ctx, actor.telegram_id):
        await _enrol(message, actor, ctx, state, t, kept)
        return
    intro = t("access.factor_expired") if expired_note else None
    await forms.begin(
        message, state, ctx, t, actor, FlowName.TOTP, TotpData(kept=kept), intro=intro
    )


async def prompt_second_factor(
    event: TelegramObject, actor: Actor, status: FactorStatus, t: Texts, data: dict[str, Any]
) -> None:
    """The access gate's answer to a missing or expired factor: enrol, or ask for a code; the
    stopped event is carried out after it."""
    if isinstance(event, CallbackQuery):
        await event.answer(t("totp.needed_short"))
    expired = status is not FactorStatus.NOT_ENROLLED
    await _begin(event, actor, data["ctx"], data["state"], t, stopped=event, expired_note=expired)


@router.message(Command("otp"))
async def otp_command(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    if not (actor.is_staff or actor.is_center):
        await message.answer(t("totp.staff_only"))
        return
    await _begin(message, actor, ctx, state, t, stopped=None)


@router.callback_query(TotpCB.filter(F.action == "enrol"))
async def enrol_button(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await query.answer()
    if not (actor.is_staff or actor.is_center):
        if isinstance(query.message, Message):
            await query.message.answer(t("totp.staff_only"))
        return
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    await _begin(query, actor, ctx, state, t, stopped=None)


if prompt_second_factor not in access.second_factor_prompt:
    access.second_factor_prompt.append(prompt_second_factor)
