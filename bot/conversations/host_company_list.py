"""The host companies (참여기업) of a program: the list (paged), deleting one, and the start of
adding some (the looping form flow declared in ``host_company``); changing a head count is
``program_headcounts``.
Every button names the program or the company, so these work from any state.
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations.host_company import CompanyData
from bot.conversations.program_common import confirm_delete, program_router, take_callback
from bot.domain.identifiers import format_brn
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.programs import CompanyCB, ProgCB
from bot.services import host_companies, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_fields import COMPANY_TYPES

router = program_router("host_company_list", permission="program")

PAGE_SIZE = 10


def check_label(t: Texts, status: str) -> str:
    return t(f"hostco.check.{status}")


# --- lists -------------------------------------------------------------------------------


async def show_companies(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, pid: int, page: int = 0
) -> None:
    details = await program_registry.get_details(ctx, actor, pid)
    program = details.program
    with_headcount = program.type in COMPANY_TYPES
    companies = details.companies
    pages = max((len(companies) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 0), pages - 1)
    shown = companies[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [t("hostco.list_title", name=program.name, n=len(companies))]
    if with_headcount:
        lines.append(
            t("hostco.list_sum", sum=details.unit_total, total=program.total_recruitment or 0)
        )
    rows: list[list[Button]] = []
    for index, c in enumerate(shown, start=page * PAGE_SIZE + 1):
        number = format_brn(c.brn) if c.brn else t("hostco.overseas_flag")
        head = t("hostco.list_headcount", n=c.headcount or 0) if with_headcount else ""
        lines.append(
            t(
                "hostco.list_item",
                i=index,
                name=c.name,
                brn=number,
                work_address=c.work_address or "-",
                headcount=head,
                check=check_label(t, c.insured_check),
            )
        )
        row: list[Button] = [
            (t("hostco.btn_delete", name=Raw(c.name[:24])), CompanyCB(action="del", cid=c.id))
        ]
        if with_headcount:  # every button names its company
            label = t("hostco.btn_headcount", name=Raw(c.name[:24]))
            row.append((label, CompanyCB(action="hc", cid=c.id)))
        rows.append(row)
    if not companies:
        lines.append(t("hostco.list_empty"))
    nav: list[Button] = []
    if page > 0:
        nav.append((t("myprog.prev_page"), ProgCB(action="companies", pid=pid, arg=str(page - 1))))
    if page + 1 < pages:
        nav.append((t("myprog.next_page"), ProgCB(action="companies", pid=pid, arg=str(page + 1))))
    rows.append(nav)
    rows.append([(t("hostco.btn_add"), ProgCB(action="addco", pid=pid))])
    rows.append([(t("progreg.btn_back_summary"), ProgCB(action="open", pid=pid))])
    await message.answer("\n".join(lines), reply_markup=inline(rows))


@router.callback_query(ProgCB.filter(F.action == "companies"))
async def companies_menu(
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
    page = int(callback_data.arg) if callback_data.arg.isdigit() else 0
    await show_companies(message, ctx, actor, t, callback_data.pid, page)


@router.callback_query(ProgCB.filter(F.action == "addco"))
async def add_companies(
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
    details = await program_registry.editable_details(ctx, actor, callback_data.pid)
    program = details.program
    data = CompanyData(
        pid=program.id, ptype=program.type, program_address=program.work_address or ""
    )
    await forms.begin(message, state, ctx, t, actor, FlowName.HOSTCO, data)


async def _to_list(message: Message, turn: Turn[Any]) -> None:
    await show_companies(message, turn.ctx, turn.actor, turn.t, turn.data.pid)


forms.EXITS["companies"] = _to_list  # the flow's ◀ 이전 at its start, 목록, after a save


# --- deleting ----------------------------------------------------------------------------


@router.callback_query(CompanyCB.filter(F.action == "del"))
async def company_delete_ask(
    query: CallbackQuery, callback_data: CompanyCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    pid = await host_companies.company_program_id(ctx, callback_data.cid)
    details = await program_registry.get_details(ctx, actor, pid)
    company = next(c for c in details.companies if c.id == callback_data.cid)
    await confirm_delete(
        message,
        t,
        company.name,
        CompanyCB(action="delok", cid=company.id),
        t("hostco.btn_list"),
        ProgCB(action="companies", pid=pid),
    )


@router.callback_query(CompanyCB.filter(F.action == "delok"))
async def company_delete(
    query: CallbackQuery, callback_data: CompanyCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    pid = await host_companies.company_program_id(ctx, callback_data.cid)
    name = await host_companies.remove_company(ctx, actor, callback_data.cid)
    await message.edit_reply_markup(reply_markup=None)
    await message.answer(t("hostco.deleted", name=name))
    await show_companies(message, ctx, actor, t, pid)
