"""Where the registration wizard (``program_wizard``, on the form engine) starts: /newprogram,
and the program screen's ▶ 이어서 입력 (every step not answered yet, optional ones included, in
the wizard's order) and ✏️ 항목 수정 (the wizard's list of fields, then its review)."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations.program_common import program_router, take_callback
from bot.conversations.program_wizard import ProgramData, data_of
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.i18n import Texts
from bot.keyboards.programs import ProgCB
from bot.services import program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_fields import answered_fields

router = program_router("program_starts", permission="program")


@router.message(Command("newprogram"))
async def new_program(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await state.clear()
    intro = t("progreg.intro")
    await forms.begin(message, state, ctx, t, actor, FlowName.PROGRAM, ProgramData(), intro=intro)


@router.callback_query(ProgCB.filter(F.action.in_({"resume", "fields"})))
async def resume_or_edit(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    program = (await program_registry.editable_details(ctx, actor, callback_data.pid)).program
    await state.clear()
    data = data_of(program)
    if callback_data.action == "resume":
        answered = answered_fields(program)
        await forms.begin(message, state, ctx, t, actor, FlowName.PROGRAM, data, answered=answered)
    else:
        await forms.begin(
            message, state, ctx, t, actor, FlowName.PROGRAM, data, complete=True, pick=True
        )
