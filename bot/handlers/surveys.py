"""/surveys for staff: who of a program's completed participants answered the satisfaction
survey, and 수기 작성 (staff enter a paper survey: the flow of ``bot/conversations/survey.py``).

/surveys → program (picker when several: programs with completed participants) → the list
(answered, then not answered, a page of 수기 작성 buttons).
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.handlers import survey as survey_flow
from bot.handlers.program_screens import Choice, leave, pager, paginate, program_command, show
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.selection import SurveyStaffCB
from bot.middlewares.access import staff_router
from bot.services import selection, survey
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.survey import ProgramSurveyRow

router: Router = staff_router("surveys")


async def _programs(ctx: AppContext, actor: Actor, t: Texts) -> Sequence[Choice]:
    return await survey.programs_with_completions(ctx, actor)


async def _open(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
) -> None:
    await _surveys(event, actor, ctx, t, pid)


program_command(
    router,
    "surveys",
    "srv",
    _open,
    picked_name="surveys_picked",
    programs=_programs,
    empty_key="surveys.none",
)


def surveys_screen(
    t: Texts, program: str, pid: int, rows: Sequence[ProgramSurveyRow], page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Counts, who answered (themselves or entered by staff), who did not; 수기 작성 buttons
    for a page of those who did not."""
    done = sum(1 for r in rows if r.status == "submitted")
    open_rows = [r for r in rows if r.status != "submitted"]
    chunk, page, pages = paginate(open_rows, page)
    lines = [
        t("surveys.title", program=program),
        t("surveys.counts", done=done, total=len(rows), open=len(open_rows)),
        "",
    ]
    for row in rows:
        if row.status == "submitted":
            who = t("surveys.by_staff") if row.entered_by_staff else t("surveys.by_self")
            lines.append(t("surveys.line_done", name=row.name, who=who))
    for row in open_rows:
        lines.append(t(f"surveys.line_{row.status}", name=row.name))
    if open_rows:
        lines += ["", t("surveys.enter_hint")]
    buttons: list[list[Button]] = [
        [
            (
                t("surveys.enter_button", name=r.name),
                SurveyStaffCB(pid=pid, act="enter", aid=r.application_id),
            )
        ]
        for r in chunk
    ]
    if pages > 1:
        buttons.append(pager(t, lambda p: SurveyStaffCB(pid=pid, act="list", page=p), page, pages))
    return "\n".join(lines), inline(buttons) if buttons else None


async def _surveys(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
    pid: int,
    page: int = 0,
) -> None:
    summary = await selection.program_summary(ctx, actor, pid)
    rows = await survey.program_overview(ctx, actor, pid)
    await show(event, *surveys_screen(t, summary.name, pid, rows, page))


@router.callback_query(SurveyStaffCB.filter())
async def surveys_button(
    query: CallbackQuery,
    callback_data: SurveyStaffCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if callback_data.act == "list":
        await _surveys(query, actor, ctx, t, callback_data.pid, callback_data.page)
        return
    if (message := await leave(query)) is not None:
        await survey_flow.begin(message, actor, ctx, state, t, callback_data.aid)
