"""Commands available everywhere: /help, /cancel (from any state), /lang."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.forms import telegram as forms
from bot.handlers.menu import help_text, set_commands_for
from bot.i18n import LANGUAGES, Texts, Translator
from bot.keyboards.common import LangCB, NavCB, inline, with_home
from bot.services import users
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="common")


@router.message(Command("help"))
async def show_help(message: Message, actor: Actor, t: Texts) -> None:
    await message.answer(help_text(t, actor.role))


async def _cancel(bot: Bot | None, chat_id: int, state: FSMContext, t: Texts) -> str:
    if await state.get_state() is None:
        return t("cancel.nothing")
    progress = await forms.current(state)
    if progress is not None and bot is not None:  # e.g. the OTP key and QR code go too
        await forms.erase_shown_once(bot, chat_id, progress.data)
    await state.clear()
    return t("cancel.done")


@router.message(Command("cancel"))
async def cancel_command(message: Message, state: FSMContext, t: Texts) -> None:
    text = await _cancel(message.bot, message.chat.id, state, t)
    await message.answer(text, reply_markup=with_home(t))


@router.callback_query(NavCB.filter(F.action == "cancel"))
async def cancel_button(query: CallbackQuery, state: FSMContext, t: Texts) -> None:
    text = await _cancel(query.bot, query.from_user.id, state, t)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text, reply_markup=with_home(t))


@router.message(Command("lang"))
async def choose_language(message: Message, t: Texts) -> None:
    await message.answer(
        t("lang.choose"),
        reply_markup=inline([[("한국어", LangCB(code="ko")), ("English", LangCB(code="en"))]]),
    )


@router.callback_query(LangCB.filter(F.code.in_(LANGUAGES)))
async def set_language(
    query: CallbackQuery,
    callback_data: LangCB,
    actor: Actor,
    ctx: AppContext,
    translator: Translator,
    bot: Bot,
) -> None:
    await users.set_language(ctx, actor.telegram_id, callback_data.code)
    t = translator.bind(callback_data.code)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(t("lang.changed"))
    await set_commands_for(bot, actor, t)
