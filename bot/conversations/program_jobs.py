"""Jobs (직무) of a project-type program: the list, adding one, deleting one.

| state            | input                                   | next                          |
|------------------|-----------------------------------------|-------------------------------|
| (none)           | 직무 추가 button (names the program)      | JobFlow.name                  |
| JobFlow.name     | the job's name (unique in the program)  | JobFlow.headcount             |
| JobFlow.headcount| 모집인원 → added, the job list            | (cleared)                     |
| either           | bad input → the reason, same question   | same                          |
|                  | ◀ 이전                                   | name / (cleared) the job list |
Deleting asks to confirm; changing a head count is ``program_headcounts``.
"""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations.program_common import (
    NOT_COMMAND,
    ask_text,
    confirm_delete,
    end_if_fatal,
    program_router,
    retire_question,
    take_callback,
)
from bot.domain.errors import DomainError
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, NavCB, inline
from bot.keyboards.programs import JobCB, ProgCB
from bot.middlewares.refusals import refusal_text
from bot.services import host_companies, program_registry
from bot.services.context import AppContext
from bot.services.host_companies import HEADCOUNT_RANGE
from bot.services.identity import Actor

router = program_router("program_jobs", permission="program")


class JobFlow(StatesGroup):
    name = State()
    headcount = State()


async def show_jobs(message: Message, ctx: AppContext, actor: Actor, t: Texts, pid: int) -> None:
    details = await program_registry.get_details(ctx, actor, pid)
    program = details.program
    lines = [
        t("progjob.list_title", name=program.name, n=len(details.jobs)),
        t("hostco.list_sum", sum=details.unit_total, total=program.total_recruitment or 0),
    ]
    rows: list[list[Button]] = []
    for job in details.jobs:
        lines.append(t("progjob.list_item", name=job.name, n=job.headcount))
        rows.append(
            [
                (t("hostco.btn_delete", name=Raw(job.name)), JobCB(action="del", jid=job.id)),
                (t("hostco.btn_headcount"), JobCB(action="hc", jid=job.id)),
            ]
        )
    if not details.jobs:
        lines.append(t("progjob.list_empty"))
    rows.append([(t("progjob.btn_add"), ProgCB(action="addjob", pid=pid))])
    rows.append([(t("progreg.btn_back_summary"), ProgCB(action="open", pid=pid))])
    await message.answer("\n".join(lines), reply_markup=inline(rows))


@router.callback_query(ProgCB.filter(F.action == "jobs"))
async def jobs_menu(
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
    await state.clear()
    await show_jobs(message, ctx, actor, t, callback_data.pid)


# --- deleting ----------------------------------------------------------------------------


@router.callback_query(JobCB.filter(F.action == "del"))
async def job_delete_ask(
    query: CallbackQuery, callback_data: JobCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    pid = await host_companies.job_program_id(ctx, callback_data.jid)
    details = await program_registry.get_details(ctx, actor, pid)
    job = next(j for j in details.jobs if j.id == callback_data.jid)
    await confirm_delete(
        message,
        t,
        job.name,
        JobCB(action="delok", jid=job.id),
        t("progjob.btn_list"),
        ProgCB(action="jobs", pid=pid),
    )


@router.callback_query(JobCB.filter(F.action == "delok"))
async def job_delete(
    query: CallbackQuery, callback_data: JobCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    pid = await host_companies.job_program_id(ctx, callback_data.jid)
    name = await host_companies.remove_job(ctx, actor, callback_data.jid)
    await message.edit_reply_markup(reply_markup=None)
    await message.answer(t("hostco.deleted", name=name))
    await show_jobs(message, ctx, actor, t, pid)


# --- adding a job ------------------------------------------------------------------------


async def _ask_job(
    message: Message, state: FSMContext, t: Texts, key: str, extra: str = ""
) -> None:
    await ask_text(message, state, t, t(key, max=HEADCOUNT_RANGE[1]), extra)


@router.callback_query(ProgCB.filter(F.action == "addjob"))
async def add_job_start(
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
    await program_registry.editable_details(ctx, actor, callback_data.pid)
    await state.set_state(JobFlow.name)
    await state.set_data({"pid": callback_data.pid})
    await _ask_job(message, state, t, "progjob.ask_name")


@router.message(JobFlow.name, F.text, NOT_COMMAND)
async def job_name(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await retire_question(message, state)
    pid = (await state.get_data())["pid"]
    try:
        name = await host_companies.check_job_name(ctx, actor, pid, message.text or "")
    except DomainError as error:
        await end_if_fatal(state, error)
        await _ask_job(message, state, t, "progjob.ask_name", refusal_text(t, error))
        return
    await state.update_data(name=name)
    await state.set_state(JobFlow.headcount)
    await _ask_job(message, state, t, "progjob.ask_headcount")


@router.message(JobFlow.headcount, F.text, NOT_COMMAND)
async def job_headcount(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await retire_question(message, state)
    data = await state.get_data()
    pid = data["pid"]
    try:
        headcount = host_companies.clean_count(message.text or "", *HEADCOUNT_RANGE)
        job = await host_companies.add_job(ctx, actor, pid, data["name"], headcount)
    except DomainError as error:
        await end_if_fatal(state, error)
        if error.code == "progjob.duplicate":
            await state.set_state(JobFlow.name)
            await _ask_job(message, state, t, "progjob.ask_name", refusal_text(t, error))
            return
        await _ask_job(message, state, t, "progjob.ask_headcount", refusal_text(t, error))
        return
    await state.clear()
    await message.answer(t("progjob.added", name=job.name, n=job.headcount))
    await show_jobs(message, ctx, actor, t, pid)


@router.message(JobFlow.name, NOT_COMMAND)
@router.message(JobFlow.headcount, NOT_COMMAND)
async def job_other(message: Message, state: FSMContext, t: Texts) -> None:
    await retire_question(message, state)
    key = (
        "progjob.ask_name"
        if await state.get_state() == JobFlow.name.state
        else "progjob.ask_headcount"
    )
    await _ask_job(message, state, t, key, t("progreg.text_please"))


@router.callback_query(JobFlow.name, NavCB.filter(F.action == "back"))
@router.callback_query(JobFlow.headcount, NavCB.filter(F.action == "back"))
async def job_back(
    query: CallbackQuery, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query, retire=True)
    if message is None:
        return
    if await state.get_state() == JobFlow.headcount.state:
        await state.set_state(JobFlow.name)
        await _ask_job(message, state, t, "progjob.ask_name")
        return
    pid = (await state.get_data())["pid"]
    await state.clear()
    await show_jobs(message, ctx, actor, t, pid)
