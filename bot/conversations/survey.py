"""The satisfaction survey (만족도 조사) in chat — by the participant, or by staff on their behalf.

Questions come from ``bot/domain/rules/survey.toml``. Every answer is saved as soon as it is given,
so the survey can be left and resumed (/survey) — also across a restart (the FSM state lives in
the database too). One submission per person and program.

| state      | input                                          | next                          |
|------------|------------------------------------------------|-------------------------------|
| (any)      | /survey, 만족도 조사 button, staff 수기 작성     | answering (first open question) |
| answering  | scale button (current question)                | answering (next) / review      |
|            | text (text question) · 건너뛰기 (optional)       | answering (next) / review      |
|            | ◀ 이전                                          | answering (previous)          |
|            | text where a button is expected                | answering (asked again)       |
| review     | 제출하기 → submitted                             | (cleared) → 수료증 신청 button  |
|            | ◀ 이전                                          | answering (last question)     |
/cancel leaves the flow; the answers stay saved and /survey continues where it stopped.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import DomainError
from bot.domain.survey import SurveyKind
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.selection import CertCB, SurveyAnswerCB, SurveyStartCB, SurveySubmitCB
from bot.middlewares.refusals import refusal_text
from bot.services import survey
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.survey import SurveyTarget

router = Router(name="survey")

NOT_COMMAND = ~F.text.startswith("/")
SUMMARY_TEXT_LIMIT = 120


class SurveyFlow(StatesGroup):
    answering = State()
    review = State()


# --- entry points -----------------------------------------------------------------------------


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
    message: Message,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    aid: int,
) -> None:
    """Start or resume the survey of application ``aid`` (the service checks who may)."""
    target = await survey.open_target(ctx, actor, aid)
    if target.submitted:
        await state.clear()
        await message.answer(t("survey.already_submitted", program=target.program_name))
        return
    definition = survey.survey()
    index = definition.first_open(target.answers)
    await state.set_state(SurveyFlow.answering)
    await state.set_data({"aid": aid, "q": index, "staff": actor.is_staff})
    total = len(definition.questions)
    if actor.is_staff:
        await message.answer(
            t("survey.staff_intro", name=target.participant_name, program=target.program_name)
        )
    elif index == 0:
        await message.answer(t("survey.intro", program=target.program_name, total=total))
    else:
        await message.answer(t("survey.resume", n=min(index + 1, total), total=total))
    await _ask(message, state, t, target, index)


# --- asking -----------------------------------------------------------------------------------


async def _ask(
    message: Message, state: FSMContext, t: Texts, target: SurveyTarget, index: int
) -> None:
    definition = survey.survey()
    if index >= len(definition.questions):
        await _review(message, state, t, target)
        return
    await state.set_state(SurveyFlow.answering)
    await state.update_data(q=index)
    question = definition.questions[index]
    current = target.answers.get(question.key)
    lines = [
        t(
            "survey.question",
            n=index + 1,
            total=len(definition.questions),
            text=t(f"survey.q.{question.key}"),
        )
    ]
    rows: list[list[Button]] = []
    aid = target.application_id
    if question.kind is SurveyKind.SCALE:
        lines.append(t("survey.scale_hint", min=definition.scale_min, max=definition.scale_max))
        rows.append(
            [
                (("✓" if current == v else "") + str(v), SurveyAnswerCB(aid=aid, q=index, v=v))
                for v in definition.scale
            ]
        )
    else:
        lines.append(t("survey.text_hint", limit=question.max_chars))
        if isinstance(current, str):
            lines.append(t("survey.current_text", text=current))
        if not question.required:
            rows.append([(t("survey.skip"), SurveyAnswerCB(aid=aid, q=index, v=0))])
    rows.append(nav_row(t, back=index > 0))
    await message.answer("\n".join(lines), reply_markup=inline(rows))


async def _flow(state: FSMContext) -> tuple[int, int] | None:
    data = await state.get_data()
    if "aid" not in data:
        return None
    return int(data["aid"]), int(data.get("q", 0))


async def _after_answer(
    message: Message, state: FSMContext, t: Texts, target: SurveyTarget, index: int
) -> None:
    await _ask(message, state, t, target, index + 1)


@router.callback_query(SurveyFlow.answering, SurveyAnswerCB.filter())
async def scale_answer(
    query: CallbackQuery,
    callback_data: SurveyAnswerCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    flow = await _flow(state)
    if flow is None or flow != (callback_data.aid, callback_data.q):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    aid, index = flow
    definition = survey.survey()
    question = definition.questions[index]
    value: int | None = None if callback_data.v == 0 else callback_data.v
    try:
        target = await survey.save_answer(ctx, actor, aid, question.key, value)
    except DomainError as error:
        await query.answer(refusal_text(t, error)[:200], show_alert=True)
        return
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    shown = t("survey.skipped") if value is None else str(value)
    await message.edit_text(
        (message.html_text if message.text else "") + "\n" + t("survey.answered", value=shown),
        reply_markup=None,
    )
    await _after_answer(message, state, t, target, index)


@router.message(SurveyFlow.answering, F.text, NOT_COMMAND)
async def text_answer(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    flow = await _flow(state)
    if flow is None:
        await state.clear()
        return
    aid, index = flow
    definition = survey.survey()
    question = definition.questions[index]
    if question.kind is not SurveyKind.TEXT:
        await message.answer(t("survey.use_buttons"))
        await _ask(message, state, t, await survey.open_target(ctx, actor, aid), index)
        return
    try:
        target = await survey.save_answer(ctx, actor, aid, question.key, message.text or "")
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        return
    await message.answer(t("survey.saved"))
    await _after_answer(message, state, t, target, index)


@router.message(SurveyFlow.answering, NOT_COMMAND)
async def not_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    """A sticker, photo or file where an answer is expected: ask the same question again."""
    flow = await _flow(state)
    if flow is None:
        await state.clear()
        return
    await message.answer(t("survey.use_buttons"))
    await _ask(message, state, t, await survey.open_target(ctx, actor, flow[0]), flow[1])


@router.callback_query(SurveyFlow.answering, NavCB.filter(F.action == "back"))
@router.callback_query(SurveyFlow.review, NavCB.filter(F.action == "back"))
async def back(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    flow = await _flow(state)
    if flow is None or not isinstance(query.message, Message):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    aid, index = flow
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    target = await survey.open_target(ctx, actor, aid)
    total = len(survey.survey().questions)
    previous = total - 1 if await state.get_state() == SurveyFlow.review.state else index - 1
    await _ask(query.message, state, t, target, max(previous, 0))


# --- review and submission --------------------------------------------------------------------


async def _review(message: Message, state: FSMContext, t: Texts, target: SurveyTarget) -> None:
    definition = survey.survey()
    await state.set_state(SurveyFlow.review)
    await state.update_data(q=len(definition.questions))
    lines = [t("survey.review_title")]
    for index, question in enumerate(definition.questions, start=1):
        value = target.answers.get(question.key)
        if value is None:
            shown = t("survey.skipped")
        else:
            shown = str(value)
            if len(shown) > SUMMARY_TEXT_LIMIT:
                shown = shown[:SUMMARY_TEXT_LIMIT] + "…"
        lines.append(
            t("survey.review_line", n=index, text=t(f"survey.q_short.{question.key}"), value=shown)
        )
    lines.append("")
    lines.append(t("survey.review_question"))
    await message.answer(
        "\n".join(lines),
        reply_markup=inline(
            [
                [(t("survey.submit"), SurveySubmitCB(aid=target.application_id))],
                nav_row(t, back=True),
            ]
        ),
    )


@router.callback_query(SurveyFlow.review, SurveySubmitCB.filter())
async def submit(
    query: CallbackQuery,
    callback_data: SurveySubmitCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    flow = await _flow(state)
    if flow is None or flow[0] != callback_data.aid:
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    try:
        target = await survey.submit(ctx, actor, callback_data.aid)
    except DomainError as error:
        await query.answer(refusal_text(t, error)[:200], show_alert=True)
        if error.code == "survey.incomplete" and isinstance(query.message, Message):
            target = await survey.open_target(ctx, actor, callback_data.aid)
            missing = survey.survey().missing(target.answers)
            await _ask(query.message, state, t, target, missing[0] - 1 if missing else 0)
        return
    await state.clear()
    await query.answer()
    if not isinstance(query.message, Message):
        return
    await query.message.edit_reply_markup(reply_markup=None)
    if actor.is_staff:
        await query.message.answer(
            t("survey.submitted_staff", name=target.participant_name, program=target.program_name)
        )
        return
    await query.message.answer(
        t("survey.submitted", program=target.program_name),
        reply_markup=inline(
            [[(t("survey.request_certificate"), CertCB(act="request", aid=target.application_id))]]
        ),
    )


@router.message(SurveyFlow.review, NOT_COMMAND)
async def review_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    flow = await _flow(state)
    if flow is None:
        await state.clear()
        return
    await message.answer(t("survey.use_buttons"))
    await _review(message, state, t, await survey.open_target(ctx, actor, flow[0]))
