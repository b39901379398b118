"""Changing the head count (모집인원) of a host company or a job: the 인원 변경 buttons start the
form flow declared in ``headcount``; after it (or on ◀ 이전) the list it came from follows."""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations.headcount import HeadcountData
from bot.conversations.host_company_list import show_companies
from bot.conversations.program_common import program_router, take_callback
from bot.conversations.program_jobs import show_jobs
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Texts
from bot.keyboards.programs import CompanyCB, JobCB
from bot.services import host_companies, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor

router = program_router("program_headcounts", permission="program")


async def _start(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
    data: HeadcountData,
) -> None:
    await program_registry.editable_details(ctx, actor, data.pid)
    await forms.begin(message, state, ctx, t, actor, FlowName.HEADCOUNT, data)


@router.callback_query(CompanyCB.filter(F.action == "hc"))
async def company_headcount_start(
    query: CallbackQuery,
    callback_data: CompanyCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    pid = await host_companies.company_program_id(ctx, callback_data.cid)
    data = HeadcountData(kind="company", item_id=callback_data.cid, pid=pid)
    await _start(message, state, ctx, actor, t, data)


@router.callback_query(JobCB.filter(F.action == "hc"))
async def job_headcount_start(
    query: CallbackQuery,
    callback_data: JobCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    pid = await host_companies.job_program_id(ctx, callback_data.jid)
    data = HeadcountData(kind="job", item_id=callback_data.jid, pid=pid)
    await _start(message, state, ctx, actor, t, data)


async def _to_list(message: Message, turn: Turn[Any]) -> None:
    data = turn.data
    if data.kind == "job":
        await show_jobs(message, turn.ctx, turn.actor, turn.t, data.pid)
    else:
        await show_companies(message, turn.ctx, turn.actor, turn.t, data.pid)


forms.EXITS["headcount_list"] = _to_list
