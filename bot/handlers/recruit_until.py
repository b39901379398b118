"""The 📅 모집 마감일 button of the staff program screen: starts the one-step form flow declared
in ``bot.conversations.program_until`` (the date, or none)."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations.program_until import UntilData
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.i18n import Texts
from bot.keyboards.programs import ProgCB
from bot.middlewares.access import staff_router
from bot.services import program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("recruit_until")


@router.callback_query(ProgCB.filter(F.action == "until"))
async def ask(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    await query.answer()
    if not isinstance(query.message, Message):
        return
    details = await program_registry.get_details(ctx, actor, callback_data.pid)
    data = UntilData(pid=callback_data.pid, until=details.program.recruit_until)
    await forms.begin(query.message, state, ctx, t, actor, FlowName.RECRUIT_UNTIL, data)
