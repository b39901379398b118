"""/survey and the survey's start buttons: which survey to open, then the form engine's flow
(``bot/conversations/survey.py``); staff open it from /surveys (수기 작성) through :func:`begin`.
The closing message offers the certificate request."""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations.survey import SUBMITTED, SurveyData
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Texts
from bot.keyboards.common import inline, nav_row
from bot.keyboards.selection import CertCB, SurveyStartCB
from bot.services import survey
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="survey")


@router.message(Command("survey"))
async def cmd_survey(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    targets = await survey.my_targets(ctx, actor)
    if not targets:
        await message.answer(t("survey.none"))
        return
    open_ones = [x for x in targets if not x.submitted]
    if not open_ones:
        await message.answer(t("survey.all_done"))
        return
    if len(open_ones) == 1:
        await begin(message, actor, ctx, state, t, open_ones[0].application_id)
        return
    await message.answer(
        t("survey.pick"),
        reply_markup=inline(
            [[(x.program_name, SurveyStartCB(aid=x.application_id))] for x in open_ones]
            + [nav_row(t)]
        ),
    )


@router.callback_query(SurveyStartCB.filter())
async def start_button(
    query: CallbackQuery,
    callback_data: SurveyStartCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await begin(query.message, actor, ctx, state, t, callback_data.aid)


async def begin(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts, aid: int
) -> None:
    """Start or resume the survey of application ``aid`` (the service checks who may): at the
    first question not answered yet, the earlier answers kept."""
    target = await survey.open_target(ctx, actor, aid)
    if target.submitted:
        await state.clear()
        await message.answer(t("survey.already_submitted", program=target.program_name))
        return
    definition = survey.survey()
    index, total = definition.first_open(target.answers), len(definition.questions)
    if actor.is_staff:
        intro = t("survey.staff_intro", name=target.participant_name, program=target.program_name)
    elif index == 0:
        intro = t("survey.intro", program=target.program_name, total=total)
    else:
        intro = t("survey.resume", n=min(index + 1, total), total=total)
    data = SurveyData(
        aid=aid,
        staff=actor.is_staff,
        program=target.program_name,
        participant=target.participant_name,
        answers=dict(target.answers),
    )
    answered = list(target.answers)
    await forms.begin(
        message, state, ctx, t, actor, FlowName.SURVEY, data, intro=intro, answered=answered
    )


async def _submitted(message: Message, turn: Turn[Any]) -> None:
    data: SurveyData = turn.data
    await message.answer(
        turn.t("survey.submitted", program=data.program),
        reply_markup=inline(
            [[(turn.t("survey.request_certificate"), CertCB(act="request", aid=data.aid))]]
        ),
    )


forms.EXITS[SUBMITTED] = _submitted
