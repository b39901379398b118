"""/progress (progress, completion, drop-out) and /surveys (who answered, 수기 작성) for staff.

| state     | input                                                | next                |
|-----------|------------------------------------------------------|---------------------|
| (any)     | /progress → program (picker when several)            | browsing            |
| browsing  | person → card: training / work status buttons        | browsing            |
|           | 수료 → confirm (before the end: refused → reason)      | browsing / reason   |
|           | 중도탈락 → reason code → confirm                       | browsing            |
|           | free text                                            | browsing (again)    |
| reason    | text → completed early with that reason              | browsing            |
|           | ◀ 이전                                                | browsing (card)     |
| (any)     | /surveys → program → not answered → 수기 작성          | survey flow (staff) |
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations import survey as survey_flow
from bot.domain.errors import DomainError
from bot.handlers.program_screens import (
    NOT_COMMAND,
    close_row,
    header,
    other_program,
    pager,
    paginate,
    program_command,
    show,
    stale,
)
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row, with_nav
from bot.keyboards.selection import ProgramPickCB, ProgressCB, SurveyStaffCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import enrollment, selection, survey
from bot.services.context import AppContext
from bot.services.enrollment import DROPOUT_CODES, TRAINING_STATUSES, WORK_STATUSES, RosterRow
from bot.services.identity import Actor
from bot.services.selection import PAGE_SIZE

router: Router = staff_router("progress")

REASON_LIMIT = 300


class ProgressFlow(StatesGroup):
    browsing = State()
    reason = State()


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
    await state.set_state(ProgressFlow.browsing)
    await state.set_data({"pid": pid, "page": page})
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


@router.callback_query(ProgressFlow.browsing, ProgressCB.filter())
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
    if cb.act == "page":
        await _list(query, actor, ctx, state, t, cb.pid, cb.page)
        return
    if cb.act == "person":
        await _card(query, actor, ctx, t, cb.pid, cb.aid)
        return
    try:
        if cb.act in ("train", "work"):
            which = "training" if cb.act == "train" else "work"
            await enrollment.set_status(ctx, actor, cb.aid, which, cb.value)
            await _card(query, actor, ctx, t, cb.pid, cb.aid)
        elif cb.act == "askdone":
            row = await enrollment.roster_row(ctx, actor, cb.aid)
            await show(
                query,
                t("progress.complete_question", name=row.name),
                inline(
                    [
                        [
                            (
                                t("progress.complete_yes"),
                                ProgressCB(pid=cb.pid, act="complete", aid=cb.aid),
                            )
                        ],
                        [
                            (
                                t("progress.back_to_card"),
                                ProgressCB(pid=cb.pid, act="person", aid=cb.aid),
                            )
                        ],
                    ]
                ),
            )
        elif cb.act == "complete":
            await _complete(query, actor, ctx, state, t, cb.pid, cb.aid)
        elif cb.act == "early":
            await state.set_state(ProgressFlow.reason)
            await state.update_data(aid=cb.aid)
            await show(
                query, t("progress.reason_ask", limit=REASON_LIMIT), with_nav(t, [], back=True)
            )
        elif cb.act == "drop":
            row = await enrollment.roster_row(ctx, actor, cb.aid)
            rows: list[list[Button]] = [
                [
                    (
                        t(f"progress.drop_code.{code}"),
                        ProgressCB(pid=cb.pid, act="code", aid=cb.aid, value=code),
                    )
                ]
                for code in DROPOUT_CODES
            ]
            rows.append(
                [(t("progress.back_to_card"), ProgressCB(pid=cb.pid, act="person", aid=cb.aid))]
            )
            await show(query, t("progress.drop_ask", name=row.name), inline(rows))
        elif cb.act == "code":
            row = await enrollment.roster_row(ctx, actor, cb.aid)
            await show(
                query,
                t(
                    "progress.drop_question",
                    name=row.name,
                    code=t(f"progress.drop_code.{cb.value}"),
                ),
                inline(
                    [
                        [
                            (
                                t("progress.drop_yes"),
                                ProgressCB(pid=cb.pid, act="dodrop", aid=cb.aid, value=cb.value),
                            )
                        ],
                        [
                            (
                                t("progress.back_to_card"),
                                ProgressCB(pid=cb.pid, act="person", aid=cb.aid),
                            )
                        ],
                    ]
                ),
            )
        elif cb.act == "dodrop":
            await enrollment.drop(ctx, actor, cb.aid, cb.value)
            row = await enrollment.roster_row(ctx, actor, cb.aid)
            await _card(
                query,
                actor,
                ctx,
                t,
                cb.pid,
                cb.aid,
                note=t("progress.dropped_done", name=row.name),
            )
        else:
            await stale(query, t)
    except DomainError as error:
        await _card(query, actor, ctx, t, cb.pid, cb.aid, note=refusal_text(t, error))


async def _complete(
    query: CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
    aid: int,
) -> None:
    try:
        await enrollment.complete(ctx, actor, aid)
    except DomainError as error:
        if error.code != "progress.before_end":
            raise
        await show(
            query,
            refusal_text(t, error),
            inline(
                [
                    [(t("progress.early_button"), ProgressCB(pid=pid, act="early", aid=aid))],
                    [(t("progress.back_to_card"), ProgressCB(pid=pid, act="person", aid=aid))],
                ]
            ),
        )
        return
    row = await enrollment.roster_row(ctx, actor, aid)
    await _card(query, actor, ctx, t, pid, aid, note=t("progress.completed_done", name=row.name))


@router.message(ProgressFlow.reason, F.text, NOT_COMMAND)
async def reason_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    data = await state.get_data()
    pid, aid = int(data["pid"]), int(data["aid"])
    reason = " ".join((message.text or "").split())
    if not reason or len(reason) > REASON_LIMIT:
        await message.answer(
            t("progress.reason_ask", limit=REASON_LIMIT), reply_markup=with_nav(t, [], back=True)
        )
        return
    await state.set_state(ProgressFlow.browsing)
    try:
        await enrollment.complete(ctx, actor, aid, reason=reason)
    except DomainError as error:
        await _card(message, actor, ctx, t, pid, aid, note=refusal_text(t, error))
        return
    row = await enrollment.roster_row(ctx, actor, aid)
    await _card(message, actor, ctx, t, pid, aid, note=t("progress.completed_done", name=row.name))


@router.message(ProgressFlow.reason, NOT_COMMAND)
async def reason_not_text(message: Message, t: Texts) -> None:
    await message.answer(
        t("progress.reason_ask", limit=REASON_LIMIT), reply_markup=with_nav(t, [], back=True)
    )


@router.callback_query(ProgressFlow.reason, NavCB.filter(F.action == "back"))
async def reason_back(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    data = await state.get_data()
    await state.set_state(ProgressFlow.browsing)
    await _card(query, actor, ctx, t, int(data["pid"]), int(data["aid"]))


@router.message(ProgressFlow.browsing, NOT_COMMAND)
async def browsing_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    data = await state.get_data()
    await message.answer(t("selection.use_buttons"))
    await _list(message, actor, ctx, state, t, int(data["pid"]), int(data.get("page", 0)))


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
