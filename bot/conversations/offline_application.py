"""/offline: staff register a paper application (개별 신청); it lands directly as 인증 (certified).

| step       | input                                          | next                   |
|------------|------------------------------------------------|------------------------|
| program    | one of the agency's open programs (button)     | job (if it has jobs)   |
| job        | a job of the program (button)                  | name                   |
| name       | 성명 (text)                                     | mobile                 |
| mobile     | mobile number (text) or 「건너뛰기」              | applied_on             |
| applied_on | 신청일 (text date) or 「오늘」                    | the questions          |
| q.<key>    | the year's questions (yes/no/unknown, number, date) | next / result     |
| result     | eligible → 「계속」; not → only back / cancel    | education              |
| education  | 최종학력 (button or text)                        | consent                |
| consent    | 「서면 동의서를 받았습니다」                        | summary                |
| summary    | 「등록」                                          | (cleared) registered   |
◀ 이전 undoes the last answer (it is asked again); ✖ 취소 / /cancel leave nothing behind.
Wrong input re-asks the same step. The participant can later open ``/start link_<token>``
(one time) to follow the application in chat; ``link_router`` (not gated) confirms that.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations import onboarding
from bot.conversations.join import choice_id
from bot.domain.dates import parse_date
from bot.domain.eligibility import QuestionKind, load_rules
from bot.domain.errors import DomainError
from bot.domain.phones import require_mobile
from bot.handlers.review import finding_text
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, with_nav
from bot.keyboards.staff import OfflineCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import offline
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.staff_accounts import clean_name

router = staff_router("offline_application", permission="basic")
link_router = Router(name="offline_link")

NOT_COMMAND = ~F.text.startswith("/")
EDUCATION_CHOICES = 6  # offline.edu.0 … offline.edu.5


class OfflineApp(StatesGroup):
    step = State()  # which step: data["step"]


class LinkApp(StatesGroup):
    confirm = State()


# --- steps -------------------------------------------------------------------------------


def _year(data: dict[str, Any], ctx: AppContext) -> int:
    return int(data.get("year") or ctx.settings.program_year)


def current_step(data: dict[str, Any], ctx: AppContext) -> str:
    if not data.get("program_id"):
        return "program"
    if data.get("has_jobs") and not data.get("job_id"):
        return "job"
    for key in ("name", "mobile", "applied_on"):
        if key not in data:
            return key
    answers = data.get("answers") or {}
    for question in load_rules(_year(data, ctx)).questions:
        if question.ask_if is not None and answers.get(question.ask_if) is not True:
            continue
        if question.key not in answers:
            return f"q.{question.key}"
    for key in ("elig_ok", "education", "consent"):
        if key not in data:
            return {"elig_ok": "result"}.get(key, key)
    return "summary"


async def _record(state: FSMContext, key: str, value: Any) -> None:
    """Store one answer and remember the order (◀ 이전 undoes the last one)."""
    data = await state.get_data()
    done = [*list(data.get("done") or []), key]
    if key.startswith("q."):
        answers = dict(data.get("answers") or {})
        answers[key[2:]] = value
        await state.update_data(answers=answers, done=done)
    else:
        await state.update_data({key: value, "done": done})


async def _undo(state: FSMContext) -> None:
    data = await state.get_data()
    done = list(data.get("done") or [])
    if not done:
        return
    key = done.pop()
    data["done"] = done
    if key.startswith("q."):
        answers = dict(data.get("answers") or {})
        answers.pop(key[2:], None)
        data["answers"] = answers
    else:
        data.pop(key, None)
    extra = {"program_id": ("has_jobs", "year", "program_name"), "job_id": ("job_name",)}
    for dependent in extra.get(key, ()):
        data.pop(dependent, None)
    await state.set_data(data)


def _yes_no(t: Texts, value: Any) -> str:
    if value is True:
        return t("staff.yes")
    if value is False:
        return t("staff.no")
    return t("review.answer_unknown") if value is None else str(value)


async def ask(bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts) -> None:
    await state.set_state(OfflineApp.step)
    data = await state.get_data()
    step = current_step(data, ctx)
    await state.update_data(step=step)
    chat = actor.telegram_id
    back = bool(data.get("done"))
    rows: list[list[Button]] = []
    if step == "program":
        programs = await offline.programs(ctx, actor)
        if not programs:
            await state.clear()
            await bot.send_message(chat, t("offline.no_programs"))
            return
        rows = [
            [
                (
                    f"{p.name} ({t(f'offline.type.{p.type}')})"
                    if t.has(f"offline.type.{p.type}")
                    else p.name,
                    OfflineCB(field="program", value=str(p.id)),
                )
            ]
            for p in programs
        ]
        text = t("offline.ask_program")
    elif step == "job":
        jobs = await offline.jobs(ctx, actor, int(data["program_id"]))
        rows = [[(j.name, OfflineCB(field="job", value=str(j.id)))] for j in jobs]
        text = t("offline.ask_job", program=data.get("program_name", ""))
    elif step == "mobile":
        rows = [[(t("offline.skip"), OfflineCB(field="mobile", value="-"))]]
        text = t("offline.ask_mobile")
    elif step == "applied_on":
        rows = [
            [
                (
                    t("offline.today", date=t.date(ctx.today())),
                    OfflineCB(field="applied_on", value="today"),
                )
            ]
        ]
        text = t("offline.ask_applied_on")
    elif step.startswith("q."):
        question = load_rules(_year(data, ctx)).question(step[2:])
        text = t(f"offline.q.{question.key}")
        if question.kind is QuestionKind.YES_NO:
            row: list[Button] = [
                (t("staff.yes"), OfflineCB(field=step, value="1")),
                (t("staff.no"), OfflineCB(field=step, value="0")),
            ]
            if question.allow_unknown:
                row.append((t("review.answer_unknown"), OfflineCB(field=step, value="?")))
            rows = [row]
        elif question.kind is QuestionKind.NUMBER:
            text += "\n" + t("offline.number_hint", min=question.min or 0, max=question.max or 0)
        else:
            text += "\n" + t("offline.date_hint")
    elif step == "result":
        on = date.fromisoformat(data["applied_on"])
        result = offline.check_eligibility(data.get("answers") or {}, _year(data, ctx), on)
        if result.eligible:
            lines = [t("offline.eligible")]
            lines += [f"⚠️ {finding_text(t, f.code, dict(f.params))}" for f in result.needs_check]
            lines += [f"ℹ️ {finding_text(t, f.code, dict(f.params))}" for f in result.notes]
            text = "\n".join(lines)
            rows = [[(t("offline.continue"), OfflineCB(field="elig_ok", value="1"))]]
        else:
            lines = [t("offline.not_eligible")]
            lines += [f"❌ {finding_text(t, f.code, dict(f.params))}" for f in result.failures]
            text = "\n".join(lines)
    elif step == "education":
        rows = [
            [(t(f"offline.edu.{i}"), OfflineCB(field="education", value=str(i)))]
            for i in range(EDUCATION_CHOICES)
        ]
        text = t("offline.ask_education")
    elif step == "consent":
        rows = [[(t("offline.consent_yes"), OfflineCB(field="consent", value="1"))]]
        text = t("offline.ask_consent")
    elif step == "summary":
        text = render_summary(t, ctx, data)
        rows = [[(t("offline.register"), OfflineCB(field="register"))]]
    else:
        text = t(f"offline.ask_{step}")
    await bot.send_message(chat, text, reply_markup=with_nav(t, rows, back=back))


def render_summary(t: Texts, ctx: AppContext, data: dict[str, Any]) -> str:
    lines = [t("offline.summary_title")]
    lines.append(
        t(
            "offline.summary_program",
            program=data.get("program_name", "-"),
            job=data.get("job_name") or "-",
        )
    )
    lines.append(
        t("offline.summary_person", name=data.get("name", "-"), mobile=data.get("mobile") or "-")
    )
    lines.append(
        t(
            "offline.summary_dates",
            applied_on=data.get("applied_on", "-"),
            education=data.get("education", "-"),
        )
    )
    answers = data.get("answers") or {}
    for question in load_rules(_year(data, ctx)).questions:
        if question.key in answers:
            label_key = f"review.answer.{question.key}"
            label = t(label_key) if t.has(label_key) else question.key
            lines.append(f"• {label}: {_yes_no(t, answers[question.key])}")
    lines.append(t("offline.summary_consent"))
    return "\n".join(lines)


# --- entry -------------------------------------------------------------------------------


@router.message(Command("offline"))
async def offline_command(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    await message.answer(t("offline.intro"))
    await ask(bot, actor, ctx, state, t)


async def _close(query: CallbackQuery) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)


@router.callback_query(OfflineApp.step, NavCB.filter(F.action == "back"))
async def back(
    query: CallbackQuery, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await _close(query)
    await _undo(state)
    await ask(bot, actor, ctx, state, t)


@router.callback_query(OfflineApp.step, OfflineCB.filter())
async def button(
    query: CallbackQuery,
    callback_data: OfflineCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    data = await state.get_data()
    step = data.get("step")
    field, value = callback_data.field, callback_data.value
    expected = {"result": "elig_ok", "summary": "register"}.get(str(step), step)
    if field != expected:
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    if field == "register":
        await _register(query, bot, actor, ctx, state, t)
        return
    if field == "program":
        wanted = choice_id(value)
        program = next((p for p in await offline.programs(ctx, actor) if p.id == wanted), None)
        if program is None:
            raise DomainError("offline.program")
        jobs = await offline.jobs(ctx, actor, program.id)
        await state.update_data(has_jobs=bool(jobs), year=program.year, program_name=program.name)
        await _close(query)
        await _record(state, "program_id", program.id)
    elif field == "job":
        jobs = await offline.jobs(ctx, actor, int(data["program_id"]))
        wanted = choice_id(value)
        job = next((j for j in jobs if j.id == wanted), None)
        if job is None:
            raise DomainError("offline.job")
        await _close(query)
        await state.update_data(job_name=job.name)
        await _record(state, "job_id", job.id)
    elif field == "mobile":
        await _close(query)
        await _record(state, "mobile", None)
    elif field == "applied_on":
        await _close(query)
        await _record(state, "applied_on", ctx.today().isoformat())
    elif field.startswith("q."):
        answer = {"1": True, "0": False, "?": None}.get(value, False)
        if value not in ("1", "0", "?"):
            raise DomainError("staff.bad_choice")
        await _close(query)
        await _record(state, field, answer)
    elif field == "elig_ok":
        await _close(query)
        await _record(state, "elig_ok", True)
    elif field == "education":
        if not value.isdigit() or not 0 <= int(value) < EDUCATION_CHOICES:
            raise DomainError("staff.bad_choice")
        await _close(query)
        await _record(state, "education", t(f"offline.edu.{value}"))
    elif field == "consent":
        await _close(query)
        await _record(state, "consent", True)
    await ask(bot, actor, ctx, state, t)


@router.message(OfflineApp.step, F.text, NOT_COMMAND)
async def typed(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    data = await state.get_data()
    step = str(data.get("step"))
    raw = message.text or ""
    try:
        if step == "name":
            value: Any = clean_name(raw)
        elif step == "mobile":
            value = require_mobile(raw).formatted
        elif step == "applied_on":
            value = offline.clean_applied_on(raw, ctx.today()).isoformat()
        elif step == "education":
            value = offline.clean_education(raw)
        elif step.startswith("q."):
            question = load_rules(_year(data, ctx)).question(step[2:])
            if question.kind is QuestionKind.YES_NO:
                await message.answer(t("offline.use_buttons"))
                await ask(bot, actor, ctx, state, t)
                return
            if question.kind is QuestionKind.DATE:
                value = parse_date(raw).isoformat()
            else:
                text = raw.strip()
                low, high = question.min or 0, question.max if question.max is not None else 999
                if not text.isdigit() or not low <= int(text) <= high:
                    await message.answer(t("offline.number_hint", min=low, max=high))
                    await ask(bot, actor, ctx, state, t)
                    return
                value = int(text)
        else:
            await message.answer(t("offline.use_buttons"))
            await ask(bot, actor, ctx, state, t)
            return
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask(bot, actor, ctx, state, t)
        return
    await _record(state, step, value)
    await ask(bot, actor, ctx, state, t)


@router.message(OfflineApp.step, NOT_COMMAND)
async def not_text(
    message: Message, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await message.answer(t("offline.use_buttons"))
    await ask(bot, actor, ctx, state, t)


async def _register(
    query: CallbackQuery, bot: Bot, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    data = await state.get_data()
    form = {
        "program_id": data.get("program_id"),
        "job_id": data.get("job_id"),
        "name": data.get("name"),
        "mobile": data.get("mobile"),
        "applied_on": data.get("applied_on"),
        "education": data.get("education"),
        "consent": data.get("consent") is True,
        "answers": data.get("answers") or {},
    }
    registered = await offline.register(ctx, actor, form)
    await state.clear()
    await _close(query)
    me = await bot.me()
    payload = f"{offline.LINK_PREFIX}{registered.link_token}"
    link = f"https://t.me/{me.username}?start={payload}" if me.username else ""
    await bot.send_message(
        actor.telegram_id,
        t(
            "offline.registered",
            id=registered.app_id,
            name=data.get("name", ""),
            program=data.get("program_name", ""),
            link=link,
            payload=payload,
        ),
    )


# --- the participant's one-time link ----------------------------------------------------


async def link_hook(
    message: Message, payload: str, actor: Actor, t: Texts, state: FSMContext, ctx: AppContext
) -> bool:
    """``/start link_<token>``: the hook gets no AppContext, so it asks for a confirmation tap
    (the token waits in the FSM data, not in callback data)."""
    if not payload.startswith(offline.LINK_PREFIX):
        return False
    if actor.is_staff or actor.is_center:
        await message.answer(t("error.link.not_participant"))
        return True
    await state.set_state(LinkApp.confirm)
    await state.set_data({"link_token": payload.removeprefix(offline.LINK_PREFIX)[:64]})
    await message.answer(
        t("offline.link_ask"),
        reply_markup=inline(
            [
                [(t("offline.link_confirm"), OfflineCB(field="link"))],
                [(t("nav.cancel"), NavCB(action="cancel"))],
            ]
        ),
    )
    return True


if link_hook not in onboarding.payload_hooks:
    onboarding.payload_hooks.append(link_hook)


@link_router.callback_query(LinkApp.confirm, OfflineCB.filter(F.field == "link"))
async def link_confirmed(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    token = str((await state.get_data()).get("link_token") or "")
    await state.clear()
    linked = await offline.link(ctx, actor, token)  # a refusal is answered by the middleware
    await _close(query)
    lines = [t("offline.linked")]
    lines += [
        t("offline.linked_item", program=name, state=t(f"staff.state.{s}"))
        for name, s in linked.programs
    ]
    if isinstance(query.message, Message):
        await query.message.answer("\n".join(lines))


@link_router.message(StateFilter(LinkApp.confirm), NOT_COMMAND)
async def link_use_buttons(message: Message, t: Texts) -> None:
    await message.answer(t("offline.link_use_buttons"))
