"""Changing the head count (모집인원) of a host company or a job.

| state               | input                                   | next                        |
|---------------------|-----------------------------------------|-----------------------------|
| (none)              | 인원 변경 button (names company / job)    | HeadcountEdit.value         |
| HeadcountEdit.value | a number → saved, the list              | (cleared)                   |
|                     | bad input → the reason, same question   | value                       |
|                     | ◀ 이전                                   | (cleared) the list          |
"""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations.host_company_list import show_companies
from bot.conversations.program_common import (
    NOT_COMMAND,
    ask_text,
    end_if_fatal,
    program_router,
    retire_question,
    take_callback,
)
from bot.conversations.program_jobs import show_jobs
from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import NavCB
from bot.keyboards.programs import CompanyCB, JobCB
from bot.middlewares.refusals import refusal_text
from bot.services import host_companies, program_registry
from bot.services.context import AppContext
from bot.services.host_companies import HEADCOUNT_RANGE
from bot.services.identity import Actor

router = program_router("program_headcounts", permission="program")


class HeadcountEdit(StatesGroup):
    value = State()


async def _ask_headcount(message: Message, state: FSMContext, t: Texts, extra: str = "") -> None:
    await ask_text(message, state, t, t("hostco.ask.new_headcount", max=HEADCOUNT_RANGE[1]), extra)


async def _start(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
    *,
    kind: str,
    item_id: int,
    pid: int,
) -> None:
    await program_registry.editable_details(ctx, actor, pid)
    await state.set_state(HeadcountEdit.value)
    await state.set_data({"kind": kind, "id": item_id, "pid": pid})
    await _ask_headcount(message, state, t)


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
    await _start(message, state, ctx, actor, t, kind="company", item_id=callback_data.cid, pid=pid)


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
    await _start(message, state, ctx, actor, t, kind="job", item_id=callback_data.jid, pid=pid)


async def _back_to_list(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, kind: str, pid: int
) -> None:
    if kind == "job":
        await show_jobs(message, ctx, actor, t, pid)
    else:
        await show_companies(message, ctx, actor, t, pid)


@router.message(HeadcountEdit.value, F.text, NOT_COMMAND)
async def headcount_text(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await retire_question(message, state)
    data = await state.get_data()
    kind, pid = data["kind"], data["pid"]
    try:
        if kind == "job":
            await host_companies.set_job_headcount(ctx, actor, data["id"], message.text or "")
        else:
            await host_companies.set_company_headcount(ctx, actor, data["id"], message.text or "")
    except DomainError as error:
        await end_if_fatal(state, error)
        await _ask_headcount(message, state, t, refusal_text(t, error))
        return
    await state.clear()
    await message.answer(t("hostco.headcount_saved"))
    await _back_to_list(message, ctx, actor, t, kind, pid)


@router.message(HeadcountEdit.value, NOT_COMMAND)
async def headcount_other(message: Message, state: FSMContext, t: Texts) -> None:
    await retire_question(message, state)
    await _ask_headcount(message, state, t, t("progreg.text_please"))


@router.callback_query(HeadcountEdit.value, NavCB.filter(F.action == "back"))
async def headcount_back(
    query: CallbackQuery, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query, retire=True)
    if message is None:
        return
    data = await state.get_data()
    await state.clear()
    await _back_to_list(message, ctx, actor, t, data["kind"], data["pid"])
