"""Commands that start a form flow (``bot/forms``) and have no screen of their own: /join."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.conversations.join import JoinData
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.i18n import Texts
from bot.services import staff_accounts as accounts
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="flow_starts")


@router.message(Command("join"))
async def join_command(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    if actor.is_staff or actor.is_center:
        await message.answer(t("staff.join.already_staff"))
        return
    if await accounts.request_state(ctx, actor.telegram_id) == "pending":
        await message.answer(t("staff.join.pending"))
        return
    intro = t("staff.join.intro", managing_body=accounts.MANAGING_BODY)
    await forms.begin(message, state, ctx, t, actor, FlowName.JOIN, JoinData(), intro=intro)
