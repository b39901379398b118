"""Jobs (직무) of a project-type program: the list, deleting one, and the start of adding some
(the looping form flow declared in ``job_add``); changing a head count is
``program_headcounts``."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations.job_add import JobData
from bot.conversations.program_common import confirm_delete, program_router, take_callback
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.programs import JobCB, ProgCB
from bot.services import host_companies, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor

router = program_router("program_jobs", permission="program")


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
                (
                    t("hostco.btn_headcount", name=Raw(job.name[:24])),
                    JobCB(action="hc", jid=job.id),
                ),
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


# --- adding jobs (the looping form flow declared in ``job_add``) ---------------------------


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
    data = JobData(pid=callback_data.pid)
    await forms.begin(message, state, ctx, t, actor, FlowName.JOB, data)


async def _to_jobs(message: Message, turn: Turn[Any]) -> None:
    await show_jobs(message, turn.ctx, turn.actor, turn.t, turn.data.pid)


forms.EXITS["jobs"] = _to_jobs  # ◀ 이전 at the first step, after a job was added
