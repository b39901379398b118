"""/progress (progress, completion, drop-out) and /surveys (who answered, 수기 작성) for staff.

/progress → program (picker when several) → the roster (browsing) → a person's card. The card's
buttons are typed actions (``ProgressAct``), one handler each in ``ACTIONS``: training / work
status, 수료 → confirm (before the end: refused → 조기 수료 with a reason, the form-engine flow
``bot/conversations/early_completion.py``), 중도탈락 → reason code → confirm. Free text on the
roster shows it again. /surveys → program → not answered → 수기 작성 (the survey flow).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations import early_completion
from bot.conversations import survey as survey_flow
from bot.conversations.early_completion import EarlyData
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.handlers.program_screens import (
    NOT_COMMAND,
    OnScreen,
    close_row,
    header,
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
from bot.keyboards.common import Button, inline, nav_row
from bot.keyboards.selection import ProgramPickCB, ProgressAct, ProgressCB, SurveyStaffCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import enrollment, selection, survey
from bot.services.context import AppContext
from bot.services.enrollment import DROPOUT_CODES, TRAINING_STATUSES, WORK_STATUSES, RosterRow
from bot.services.identity import Actor
from bot.services.selection import PAGE_SIZE

router: Router = staff_router("progress")


SCREEN = "progress"  # the roster and the cards (program_screens.OnScreen)


@dataclass(frozen=True)
class Env:
    """What every card action needs besides its button."""

    actor: Actor
    ctx: AppContext
    state: FSMContext
    t: Texts


# --- /progress --------------------------------------------------------------------------------


def _result(t: Texts, row: RosterRow) -> str:
    if row.outcome == "completed":
        return t("progress.outcome.completed")
    if row.outcome == "dropped":
        return t("progress.outcome.dropped", code=t(f"progress.drop_code.{row.dropout_code}"))
    return t("progress.outcome.none")


async def _list(
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
    if not summary.locked:
        await state.clear()
        await show(event, header(t, summary) + "\n\n" + t("progress.not_locked"))
        return
    await open_screen(state, SCREEN, pid, page)
    rows = await enrollment.roster(ctx, actor, pid)
    chunk, page, pages = paginate(rows, page)
    lines = [
        header(t, summary),
        t(
            "progress.counts",
            running=summary.selected,
            completed=summary.completed,
            dropped=summary.dropped,
            end=t.date(summary.period_end),
        ),
        "",
    ]
    buttons: list[list[Button]] = []
    for index, row in enumerate(chunk, start=page * PAGE_SIZE + 1):
        lines.append(
            t(
                "progress.line",
                n=index,
                name=row.name,
                training=t(f"progress.training.{row.training_status}"),
                work=t(f"progress.work.{row.work_status}"),
                result=_result(t, row),
            )
        )
        buttons.append(
            [(f"{index}. {row.name}", ProgressCB(pid=pid, act="person", aid=row.application_id))]
        )
    if pages > 1:
        buttons.append(pager(t, lambda p: ProgressCB(pid=pid, act="page", page=p), page, pages))
    if note:
        lines += ["", note]
    buttons.append(close_row(t))
    await show(event, "\n".join(lines), inline(buttons))


program_command(router, "progress", "pgs", _list)


async def _card(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
    pid: int,
    aid: int,
    note: str | None = None,
) -> None:
    row = await enrollment.roster_row(ctx, actor, aid)
    summary = await selection.program_summary(ctx, actor, pid)
    lines = [
        t(
            "progress.card",
            name=row.name,
            birth=t.date(row.birth_date),
            program=summary.name,
            where=row.assigned_to or t("assign.unassigned"),
            training=t(f"progress.training.{row.training_status}"),
            work=t(f"progress.work.{row.work_status}"),
            result=_result(t, row),
            end=t.date(summary.period_end),
        )
    ]
    if row.outcome_reason:
        lines.append(t("progress.reason_line", reason=row.outcome_reason))
    if note:
        lines += ["", note]
    buttons: list[list[Button]] = []
    if row.state == "selected":
        buttons.append(
            [
                (
                    ("✓" if row.training_status == s else "") + t(f"progress.training_btn.{s}"),
                    ProgressCB(pid=pid, act="train", aid=aid, value=s),
                )
                for s in TRAINING_STATUSES
            ]
        )
        buttons.append(
            [
                (
                    ("✓" if row.work_status == s else "") + t(f"progress.work_btn.{s}"),
                    ProgressCB(pid=pid, act="work", aid=aid, value=s),
                )
                for s in WORK_STATUSES
            ]
        )
        buttons.append(
            [
                (t("progress.complete_button"), ProgressCB(pid=pid, act="askdone", aid=aid)),
                (t("progress.drop_button"), ProgressCB(pid=pid, act="drop", aid=aid)),
            ]
        )
    page = 0
    buttons.append([(t("selection.back_to_list"), ProgressCB(pid=pid, act="page", page=page))])
    await show(event, "\n".join(lines), inline(buttons))


# --- the card's actions: one typed handler per ProgressAct --------------------------------------


async def _page(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await _list(query, env.actor, env.ctx, env.state, env.t, cb.pid, cb.page)


async def _person(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await _card(query, env.actor, env.ctx, env.t, cb.pid, cb.aid)


async def _status(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    which = "training" if cb.act is ProgressAct.TRAIN else "work"
    await enrollment.set_status(env.ctx, env.actor, cb.aid, which, cb.value)
    await _card(query, env.actor, env.ctx, env.t, cb.pid, cb.aid)


def _back_to_card(t: Texts, cb: ProgressCB) -> list[Button]:
    return [
        (t("progress.back_to_card"), ProgressCB(pid=cb.pid, act=ProgressAct.PERSON, aid=cb.aid))
    ]


async def _ask_done(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    t = env.t
    row = await enrollment.roster_row(env.ctx, env.actor, cb.aid)
    yes = ProgressCB(pid=cb.pid, act=ProgressAct.COMPLETE, aid=cb.aid)
    rows: list[list[Button]] = [[(t("progress.complete_yes"), yes)], _back_to_card(t, cb)]
    await show(query, t("progress.complete_question", name=row.name), inline(rows))


async def _complete(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    actor, ctx, t = env.actor, env.ctx, env.t
    try:
        await enrollment.complete(ctx, actor, cb.aid)
    except DomainError as error:
        if error.code != "progress.before_end":
            raise
        early = ProgressCB(pid=cb.pid, act=ProgressAct.EARLY, aid=cb.aid)
        rows: list[list[Button]] = [[(t("progress.early_button"), early)], _back_to_card(t, cb)]
        await show(query, refusal_text(t, error), inline(rows))
        return
    row = await enrollment.roster_row(ctx, actor, cb.aid)
    note = t("progress.completed_done", name=row.name)
    await _card(query, actor, ctx, t, cb.pid, cb.aid, note=note)


async def _early(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    """조기 수료: the reason is a form-engine flow (bot/conversations/early_completion.py)."""
    row = await enrollment.roster_row(env.ctx, env.actor, cb.aid)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        data = EarlyData(pid=cb.pid, aid=cb.aid, name=row.name)
        await forms.begin(
            query.message, env.state, env.ctx, env.t, env.actor, FlowName.EARLY_COMPLETION, data
        )


async def _drop(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    t = env.t
    row = await enrollment.roster_row(env.ctx, env.actor, cb.aid)
    rows: list[list[Button]] = [
        [
            (
                t(f"progress.drop_code.{code}"),
                ProgressCB(pid=cb.pid, act=ProgressAct.CODE, aid=cb.aid, value=code),
            )
        ]
        for code in DROPOUT_CODES
    ]
    rows.append(_back_to_card(t, cb))
    await show(query, t("progress.drop_ask", name=row.name), inline(rows))


async def _code(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    t = env.t
    row = await enrollment.roster_row(env.ctx, env.actor, cb.aid)
    code = t(f"progress.drop_code.{cb.value}")
    yes = ProgressCB(pid=cb.pid, act=ProgressAct.DODROP, aid=cb.aid, value=cb.value)
    rows: list[list[Button]] = [[(t("progress.drop_yes"), yes)], _back_to_card(t, cb)]
    await show(query, t("progress.drop_question", name=row.name, code=code), inline(rows))


async def _do_drop(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    actor, ctx, t = env.actor, env.ctx, env.t
    await enrollment.drop(ctx, actor, cb.aid, cb.value)
    row = await enrollment.roster_row(ctx, actor, cb.aid)
    note = t("progress.dropped_done", name=row.name)
    await _card(query, actor, ctx, t, cb.pid, cb.aid, note=note)


ACTIONS: dict[ProgressAct, Callable[[CallbackQuery, ProgressCB, Env], Awaitable[None]]] = {
    ProgressAct.PAGE: _page,
    ProgressAct.PERSON: _person,
    ProgressAct.TRAIN: _status,
    ProgressAct.WORK: _status,
    ProgressAct.ASKDONE: _ask_done,
    ProgressAct.COMPLETE: _complete,
    ProgressAct.EARLY: _early,
    ProgressAct.DROP: _drop,
    ProgressAct.CODE: _code,
    ProgressAct.DODROP: _do_drop,
}
NEEDS_PERSON = frozenset(ACTIONS) - {ProgressAct.PAGE}  # a refusal shows the person's card


@router.callback_query(OnScreen(SCREEN), ProgressCB.filter())
async def on_button(
    query: CallbackQuery,
    callback_data: ProgressCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    cb = callback_data
    if await other_program(query, state, t, cb.pid):
        return
    if cb.act in NEEDS_PERSON and not cb.aid:
        await stale(query, t)
        return
    try:
        await ACTIONS[cb.act](query, cb, Env(actor, ctx, state, t))
    except DomainError as error:
        if cb.act not in NEEDS_PERSON:
            raise
        await _card(query, actor, ctx, t, cb.pid, cb.aid, note=refusal_text(t, error))


async def _to_card(message: Message, turn: Turn[Any], state: FSMContext) -> None:
    data = turn.data
    await open_screen(state, SCREEN, data.pid)
    note = data.note or None
    await _card(message, turn.actor, turn.ctx, turn.t, data.pid, data.aid, note=note)


forms.STATEFUL_EXITS[early_completion.CARD] = _to_card  # after the reason, and its ◀ 이전


@router.message(OnScreen(SCREEN), NOT_COMMAND)
async def browsing_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    screen = await opened(state, SCREEN)
    assert screen is not None  # the filter saw it
    await message.answer(t("selection.use_buttons"))
    await _list(message, actor, ctx, state, t, screen.pid, screen.page)


# --- /surveys ---------------------------------------------------------------------------------


@router.message(Command("surveys"))
async def cmd_surveys(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    programs = await survey.programs_with_completions(ctx, actor)
    if not programs:
        await message.answer(t("surveys.none"))
        return
    if len(programs) == 1:
        await _surveys(message, actor, ctx, t, programs[0][0])
        return
    await message.answer(
        t("selection.pick_program"),
        reply_markup=inline(
            [[(name, ProgramPickCB(cmd="srv", pid=pid))] for pid, name in programs] + [nav_row(t)]
        ),
    )


@router.callback_query(ProgramPickCB.filter(F.cmd == "srv"))
async def surveys_picked(
    query: CallbackQuery, callback_data: ProgramPickCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    await _surveys(query, actor, ctx, t, callback_data.pid)


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
    done = sum(1 for r in rows if r.status == "submitted")
    open_rows = [r for r in rows if r.status != "submitted"]
    chunk, page, pages = paginate(open_rows, page)
    lines = [
        t("surveys.title", program=summary.name),
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
    await show(event, "\n".join(lines), inline(buttons) if buttons else None)


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
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await survey_flow.begin(query.message, actor, ctx, state, t, callback_data.aid)
