"""Last in the router order: stale buttons and unexpected input never meet silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.handlers import home
from bot.i18n import Texts
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="fallback")


@router.callback_query()
async def stale_button(query: CallbackQuery, t: Texts) -> None:
    await query.answer(t("fallback.stale_button"), show_alert=True)


@router.message()
async def unexpected_message(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    if await state.get_state() is not None:
        await message.answer(t("fallback.in_flow"))
    else:
        await home.offer_help(message, ctx, actor, t)
