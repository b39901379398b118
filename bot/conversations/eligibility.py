"""Eligibility check (참여자격 확인: form 101 + the year rules), before the application form.

Generic over the questions of ``bot/domain/rules/<year>.toml``: each is asked in order (a question
with ``ask_if`` only when that answer is "yes"), worded by ``elig.q.<key>``.

| state            | input                                   | next                              |
|------------------|-----------------------------------------|-----------------------------------|
| (card) 신청하기   | program open, not applied yet           | question (first)                  |
| question         | button (yes/no/don't know/number)       | question (next) · result          |
|                  | typed date / number → checked           | question (next) · result          |
|                  | bad text → the rule's message, ask again | question                          |
|                  | ◀ 이전                                   | question (previous) · result      |
| result           | 신청서 작성 계속 (eligible only)          | the form (or its summary)        |
|                  | 답 고치기 → pick an answer               | question (that one) → result      |
|                  | free text                                | result (again, with buttons)      |
Data: ``program_id``, ``program_name``, ``elig`` (answers: ISO date / bool / int / None),
``q`` (the question being asked), ``elig_edit`` (answering from the result screen).
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject

from bot.domain.eligibility import EligibilityQuestion, QuestionKind, YearRules
from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.participant import CatalogueCB, EligCB, EligStepCB
from bot.middlewares.refusals import refusal_text
from bot.services import form_rules
from bot.services.context import AppContext

router = Router(name="eligibility")
# commands are never answers: another feature's command reaches its own router
NOT_COMMAND = ~F.text.startswith("/")


class Elig(StatesGroup):
    question = State()
    result = State()


# --- steps shared with the application form -----------------------------------------------------


class Live(Filter):
    """A state filter that reads the state when the update is handled.

    aiogram resolves ``raw_state`` before the per-user lock, so the second update of a double tap
    would be routed by the state the first one has already left; this filter sees the new one.
    """

    def __init__(self, *states: State) -> None:
        self.states = {s.state for s in states}

    async def __call__(self, event: TelegramObject, state: FSMContext) -> bool:
        return await state.get_state() in self.states


async def send_step(
    message: Message, state: FSMContext, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Send the next step; the previous step's buttons go (an old button cannot act)."""
    data = await state.get_data()
    old = data.get("prompt_id")
    if old and data.get("prompt_open") and message.bot is not None:
        with contextlib.suppress(TelegramBadRequest):
            await message.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=old, reply_markup=None
            )
    sent = await message.answer(text, reply_markup=markup)
    await state.update_data(prompt_id=sent.message_id, prompt_open=markup is not None)


async def close_step(message: Message, state: FSMContext, choice: str | None = None) -> None:
    """The step was answered by a button: show the choice and drop the buttons."""
    with contextlib.suppress(TelegramBadRequest):
        if choice is None:
            await message.edit_reply_markup(reply_markup=None)
        else:
            await message.edit_text(message.html_text + "\n→ <b>" + choice + "</b>")
    await state.update_data(prompt_open=False)


async def step_message(query: CallbackQuery, state: FSMContext, t: Texts) -> Message | None:
    """The pressed message when it is the step being asked; otherwise the button is stale."""
    message = query.message
    prompt = (await state.get_data()).get("prompt_id")
    if not isinstance(message, Message) or message.message_id != prompt:
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return None
    return message


# --- questions ----------------------------------------------------------------------------------


def _applicable(rules: YearRules, answers: dict[str, Any]) -> list[EligibilityQuestion]:
    return [q for q in rules.questions if q.ask_if is None or answers.get(q.ask_if) is True]


def answer_label(t: Texts, question: EligibilityQuestion, value: Any) -> str:
    if question.kind is QuestionKind.YES_NO:
        return t({True: "elig.a.yes", False: "elig.a.no", None: "elig.a.unknown"}[value])
    if question.kind is QuestionKind.NUMBER:
        return t.number(value)
    return str(value)


def _keyboard(t: Texts, question: EligibilityQuestion, back: bool):
    rows: list[list[Button]] = []
    key = question.key
    if question.kind is QuestionKind.YES_NO:
        rows.append(
            [
                (t("elig.a.yes"), EligCB(key=key, value="1")),
                (t("elig.a.no"), EligCB(key=key, value="0")),
            ]
        )
        if question.allow_unknown:
            rows.append([(t("elig.a.unknown"), EligCB(key=key, value="?"))])
    elif question.kind is QuestionKind.NUMBER and question.max is not None and question.max <= 20:
        low = question.min or 0
        rows.append([(str(n), EligCB(key=key, value=str(n))) for n in range(low, low + 4)])
    return inline([*rows, nav_row(t, back=back)])


async def begin(
    message: Message, state: FSMContext, ctx: AppContext, t: Texts, pid: int, name: str
) -> None:
    await state.set_state(Elig.question)
    await state.set_data({"program_id": pid, "program_name": name, "elig": {}, "form": {}})
    await message.answer(t("elig.intro", program=name))
    await ask_next(message, state, ctx, t)


async def ask(message: Message, state: FSMContext, ctx: AppContext, t: Texts, key: str) -> None:
    rules = form_rules.year_rules(ctx)
    data = await state.get_data()
    questions = _applicable(rules, data.get("elig") or {})
    question = rules.question(key)
    number = next((i for i, q in enumerate(questions, 1) if q.key == key), len(questions))
    await state.set_state(Elig.question)
    await state.update_data(q=key)
    back = number > 1 or bool(data.get("elig_edit"))
    text = t("elig.progress", n=number, total=len(questions)) + "\n" + t(f"elig.q.{key}")
    await send_step(message, state, text, _keyboard(t, question, back))


async def ask_next(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    """Ask the first unanswered question, or show the result when all are answered."""
    rules = form_rules.year_rules(ctx)
    data = await state.get_data()
    answers = data.get("elig") or {}
    # an answer whose condition no longer holds (hours, once "not employed") is dropped
    keep = {q.key for q in _applicable(rules, answers)}
    answers = {k: v for k, v in answers.items() if k in keep}
    await state.update_data(elig=answers)
    missing = form_rules.missing_question(rules, answers)
    if missing is not None:
        await ask(message, state, ctx, t, missing.key)
    else:
        await show_result(message, state, ctx, t)


async def show_result(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    data = await state.get_data()
    answers = data.get("elig") or {}
    rules = form_rules.year_rules(ctx)
    result = form_rules.check_eligibility(ctx, answers)
    lines = [t("elig.result_title", program=data.get("program_name", ""))]
    if result.eligible:
        lines.append(t("elig.result_ok"))
    else:
        lines.append(t("elig.result_fail"))
        lines += ["❌ " + t(f.code, **f.params) for f in result.failures]
        lines.append(t("elig.fix_hint"))
    if result.notes:
        lines.append(t("elig.notes_title"))
        lines += ["ℹ️ " + t(n.code, **n.params) for n in result.notes]
    lines.append(t("elig.checks"))
    lines.append(t("elig.answers_title"))
    for q in _applicable(rules, answers):
        label = answer_label(t, q, answers.get(q.key))
        lines.append(t("elig.answer_line", question=t(f"elig.short.{q.key}"), answer=label))
    rows: list[list[Button]] = []
    if result.eligible:
        rows.append([(t("elig.continue"), EligStepCB(action="continue"))])
    rows.append([(t("elig.change"), EligStepCB(action="change"))])
    if not result.eligible:
        rows.append([(t("elig.to_programs"), CatalogueCB(action="open"))])
    await state.set_state(Elig.result)
    await state.update_data(elig_edit=False)
    await send_step(message, state, "\n".join(lines), inline([*rows, nav_row(t)]))


async def _store(
    message: Message, state: FSMContext, ctx: AppContext, t: Texts, key: str, value: Any
) -> None:
    data = await state.get_data()
    answers = dict(data.get("elig") or {})
    answers[key] = value
    await state.update_data(elig=answers)
    # from the result screen (``elig_edit``) a changed answer may open a question (hours once
    # "employed"); ask_next asks it, then shows the result again
    await ask_next(message, state, ctx, t)


@router.callback_query(Live(Elig.question), EligCB.filter())
async def answer_button(
    query: CallbackQuery, callback_data: EligCB, state: FSMContext, ctx: AppContext, t: Texts
) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    if callback_data.key != (await state.get_data()).get("q"):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    question = form_rules.year_rules(ctx).question(callback_data.key)
    raw = callback_data.value
    if question.kind is QuestionKind.YES_NO:
        value: Any = {"1": True, "0": False}.get(raw)
        if value is None and not question.allow_unknown:
            await query.answer(t("fallback.stale_button"), show_alert=True)
            return
    else:
        try:
            value = form_rules.parse_answer(question, raw)
        except DomainError as error:
            await query.answer(refusal_text(t, error)[:200], show_alert=True)
            return
    await query.answer()
    await close_step(message, state, answer_label(t, question, value))
    await _store(message, state, ctx, t, callback_data.key, value)


@router.message(Live(Elig.question), F.text, NOT_COMMAND)
async def answer_text(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    data = await state.get_data()
    question = form_rules.year_rules(ctx).question(data["q"])
    if question.kind is QuestionKind.YES_NO:
        await message.answer(t("elig.use_buttons"))
        await ask(message, state, ctx, t, question.key)
        return
    try:
        value = form_rules.parse_answer(question, message.text or "")
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask(message, state, ctx, t, question.key)
        return
    await _store(message, state, ctx, t, question.key, value)


@router.message(Live(Elig.question), NOT_COMMAND)
async def question_bad_input(
    message: Message, state: FSMContext, ctx: AppContext, t: Texts
) -> None:
    await message.answer(t("elig.text_please"))
    await ask(message, state, ctx, t, (await state.get_data())["q"])


@router.callback_query(Live(Elig.question), NavCB.filter(F.action == "back"))
async def question_back(
    query: CallbackQuery, state: FSMContext, ctx: AppContext, t: Texts
) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    await query.answer()
    await close_step(message, state)
    data = await state.get_data()
    if data.get("elig_edit"):
        await show_result(message, state, ctx, t)
        return
    rules = form_rules.year_rules(ctx)
    keys = [q.key for q in _applicable(rules, data.get("elig") or {})]
    current = keys.index(data["q"]) if data.get("q") in keys else 0
    await ask(message, state, ctx, t, keys[max(current - 1, 0)])


@router.callback_query(Live(Elig.result), EligStepCB.filter())
async def result_step(
    query: CallbackQuery,
    callback_data: EligStepCB,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    await query.answer()
    answers = (await state.get_data()).get("elig") or {}
    action = callback_data.action
    if action == "continue" and form_rules.check_eligibility(ctx, answers).eligible:
        await close_step(message, state)
        from bot.conversations import application  # the form follows the check

        await application.after_eligibility(message, state, ctx, t)
    elif action == "change":
        rules = form_rules.year_rules(ctx)
        rows: list[list[Button]] = [
            [(t(f"elig.short.{q.key}"), EligStepCB(action="edit", key=q.key))]
            for q in _applicable(rules, answers)
        ]
        rows.append([(t("elig.back_to_result"), EligStepCB(action="result"))])
        await message.edit_text(t("elig.change_which"), reply_markup=inline(rows))
    elif action == "edit" and callback_data.key in answers:
        await close_step(message, state)
        await state.update_data(elig_edit=True)
        await ask(message, state, ctx, t, callback_data.key)
    else:
        await close_step(message, state)
        await show_result(message, state, ctx, t)


@router.message(Live(Elig.result), NOT_COMMAND)
async def result_bad_input(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    await message.answer(t("elig.use_buttons"))
    await show_result(message, state, ctx, t)
