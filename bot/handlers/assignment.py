"""/assign (팀배정 / 참여기업배정) for agency staff.

Project programs: teams (create, name, add members; sizes shown). Intern programs: one host
company per participant, within the company's head count.

/assign → program (picker when several) → the list (browsing): a participant → the teams or
companies → assigned; ＋ 새 팀 → the team's name (``bot/conversations/new_team.py``, a form-engine
flow) → made (and the person assigned) → the list again. Free text shows the list again.
"""

from __future__ import annotations

from typing import Any

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations import new_team
from bot.conversations.new_team import TeamData
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.handlers.program_screens import (
    NOT_COMMAND,
    OnScreen,
    close_row,
    header,
    leave,
    open_screen,
    opened,
    other_program,
    pager,
    paginate,
    program_command,
    show,
    stale,
)
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.selection import AssignCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import enrollment, selection
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import PAGE_SIZE

router: Router = staff_router("assignment")


SCREEN = "assign"  # the list and a person's choices (program_screens.OnScreen)


async def _open(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
    page: int = 0,
    note: str | None = None,
) -> None:
    summary = await selection.program_summary(ctx, actor, pid)
    await open_screen(state, SCREEN, pid, page)
    rows = [r for r in await enrollment.roster(ctx, actor, pid) if r.state == "selected"]
    chunk, page, pages = paginate(rows, page)
    lines = [header(t, summary), ""]
    project = summary.type == "project"
    if project:
        teams = await enrollment.teams(ctx, actor, pid)
        lines.append(t("assign.teams_title", count=len(teams)))
        lines += [t("assign.team_line", name=x.name, size=x.size) for x in teams] or [
            t("assign.no_teams")
        ]
    else:
        companies = await enrollment.companies(ctx, actor, pid)
        lines.append(t("assign.companies_title", count=len(companies)))
        lines += [
            t("assign.company_line", name=c.name, assigned=c.assigned, headcount=c.headcount)
            for c in companies
        ] or [t("assign.no_companies")]
    lines += ["", t("assign.people_title", count=len(rows))]
    if not rows:
        lines.append(t("assign.nobody"))
    buttons: list[list[Button]] = []
    for index, row in enumerate(chunk, start=page * PAGE_SIZE + 1):
        where = row.assigned_to or t("assign.unassigned")
        lines.append(t("assign.person_line", n=index, name=row.name, where=where))
        buttons.append(
            [(f"{row.name} · {where}", AssignCB(pid=pid, act="person", aid=row.application_id))]
        )
    if pages > 1:
        buttons.append(pager(t, lambda p: AssignCB(pid=pid, act="page", page=p), page, pages))
    if project:
        buttons.append([(t("assign.new_team"), AssignCB(pid=pid, act="newteam"))])
    if note:
        lines += ["", note]
    buttons.append(close_row(t))
    await show(event, "\n".join(lines), inline(buttons))


program_command(router, "assign", "asn", _open)


@router.callback_query(OnScreen(SCREEN), AssignCB.filter())
async def on_button(
    query: CallbackQuery,
    callback_data: AssignCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    pid = callback_data.pid
    if await other_program(query, state, t, pid):
        return
    act = callback_data.act
    if act == "page":
        await _open(query, actor, ctx, state, t, pid, callback_data.page)
    elif act == "person":
        await _targets(query, actor, ctx, t, pid, callback_data.aid)
    elif act == "newteam":
        data = TeamData(pid=pid, page=await _page(state), aid=callback_data.aid or None)
        if (message := await leave(query)) is not None:
            await forms.begin(message, state, ctx, t, actor, FlowName.NEW_TEAM, data)
    elif act == "to":
        try:
            if (await selection.program_summary(ctx, actor, pid)).type == "project":
                where = await enrollment.assign_team(
                    ctx, actor, callback_data.aid, callback_data.target
                )
            else:
                where = await enrollment.assign_company(
                    ctx, actor, callback_data.aid, callback_data.target
                )
        except DomainError as error:
            note = refusal_text(t, error)
            await _targets(query, actor, ctx, t, pid, callback_data.aid, note=note)
            return
        row = await enrollment.roster_row(ctx, actor, callback_data.aid)
        page = await _page(state)
        await _open(
            query,
            actor,
            ctx,
            state,
            t,
            pid,
            page,
            note=t("assign.done", name=row.name, where=where),
        )
    else:
        await stale(query, t)


async def _targets(
    query: CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
    pid: int,
    aid: int,
    note: str | None = None,
) -> None:
    row = await enrollment.roster_row(ctx, actor, aid)
    summary = await selection.program_summary(ctx, actor, pid)
    buttons: list[list[Button]] = []
    if summary.type == "project":
        for team in await enrollment.teams(ctx, actor, pid):
            mark = "✓ " if team.id == row.team_id else ""
            label = t("assign.team_button", mark=mark, name=team.name, size=team.size)
            buttons.append([(label, AssignCB(pid=pid, act="to", aid=aid, target=team.id))])
        buttons.append([(t("assign.new_team"), AssignCB(pid=pid, act="newteam", aid=aid))])
        text = t("assign.choose_team", name=row.name)
    else:
        for company in await enrollment.companies(ctx, actor, pid):
            mark = "✓ " if company.id == row.company_id else ""
            label = t(
                "assign.company_button",
                mark=mark,
                name=company.name,
                assigned=company.assigned,
                headcount=company.headcount,
            )
            if company.full and company.id != row.company_id:
                label += t("assign.full_suffix")
            buttons.append([(label, AssignCB(pid=pid, act="to", aid=aid, target=company.id))])
        text = t("assign.choose_company", name=row.name)
    if note:
        text += "\n\n" + note
    buttons.append([(t("selection.back_to_list"), AssignCB(pid=pid, act="page"))])
    await show(query, text, inline(buttons))


async def _page(state: FSMContext) -> int:
    screen = await opened(state, SCREEN)
    return screen.page if screen else 0


async def _to_list(message: Message, turn: Turn[Any], state: FSMContext) -> None:
    data = turn.data
    note = data.note or None
    await _open(message, turn.actor, turn.ctx, state, turn.t, data.pid, data.page, note=note)


forms.STATEFUL_EXITS[new_team.LIST] = _to_list  # after the new team, and its ◀ 이전


@router.message(OnScreen(SCREEN), NOT_COMMAND)
async def browsing_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await message.answer(t("selection.use_buttons"))
    screen = await opened(state, SCREEN)
    assert screen is not None  # the filter saw it
    await _open(message, actor, ctx, state, t, screen.pid, screen.page)
