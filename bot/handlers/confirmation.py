"""/confirm (확정통보) for agency staff: the selection of a program becomes its roster.

/confirm → program → the review (screen ``confirm_review``) → 확정통보 진행 → the last question
(``confirm_final``; ◀ 이전 back to the review) → 네, 확정: roster locked, notices queued.
The delivery status button of a confirmed program works at any time (read-only).
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import DomainError
from bot.handlers.program_screens import (
    NOT_COMMAND,
    OnScreen,
    current_pid,
    local,
    open_screen,
    other_program,
    program_command,
    show,
    stale,
)
from bot.handlers.selection_views import roster_refusal
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.selection import ConfirmCB
from bot.middlewares.access import staff_router
from bot.services import selection
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import PoolRow, ProgramSummary

router = staff_router("confirmation")
REVIEW, FINAL = "confirm_review", "confirm_final"  # the screens (program_screens.OnScreen)

MAX_NAMES = 60


def _already(ctx: AppContext, t: Texts, summary: ProgramSummary) -> str:
    at = t.date(local(ctx, summary.roster_locked_at))
    return t("confirm.already", program=summary.name, at=at)


def _names(t: Texts, rows: Sequence[PoolRow]) -> str:
    shown = [
        t("confirm.name_line", n=i, name=r.name, birth=t.date(r.birth_date))
        for i, r in enumerate(rows[:MAX_NAMES], start=1)
    ]
    if len(rows) > MAX_NAMES:
        shown.append(t("confirm.more", n=len(rows) - MAX_NAMES))
    return "\n".join(shown) or t("confirm.nobody")


async def _review(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
) -> None:
    preview = await selection.confirm_preview(ctx, actor, pid)
    summary = preview.summary
    if summary.locked:
        await state.clear()
        await _status(
            event,
            actor,
            ctx,
            t,
            pid,
            intro=_already(ctx, t, summary),
        )
        return
    lines = [
        t("confirm.title", program=summary.name),
        t(
            "confirm.counts",
            selected=summary.selected,
            total=summary.total_recruitment,
            not_selected=summary.not_selected,
            waiting=summary.waiting,
        ),
        "",
        t("confirm.selected_title", count=len(preview.selected)),
        _names(t, preview.selected),
        "",
        t("confirm.not_selected_title", count=len(preview.not_selected)),
        _names(t, preview.not_selected),
        "",
    ]
    buttons: list[list[Button]] = []
    if summary.waiting:
        await state.clear()
        lines.append(t("confirm.waiting_left", count=summary.waiting))
    elif not summary.selected:
        await state.clear()
        lines.append(t("confirm.none_selected"))
    else:
        if summary.selected < summary.total_recruitment:
            lines.append(t("confirm.under", missing=summary.total_recruitment - summary.selected))
        elif summary.selected > summary.total_recruitment:
            lines.append(t("confirm.over", over=summary.selected - summary.total_recruitment))
        lines.append(t("confirm.first_question"))
        await open_screen(state, REVIEW, pid)
        buttons.append([(t("confirm.proceed"), ConfirmCB(pid=pid, step="review"))])
    buttons.append(nav_row(t))
    await show(event, "\n".join(lines), inline(buttons))


program_command(router, "confirm", "cnf", _review, picked_name="confirm_picked")


@router.callback_query(OnScreen(REVIEW), ConfirmCB.filter(F.step == "review"))
async def confirm_first(
    query: CallbackQuery,
    callback_data: ConfirmCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if await other_program(query, state, t, callback_data.pid):
        return
    summary = await selection.program_summary(ctx, actor, callback_data.pid)
    await open_screen(state, FINAL, callback_data.pid)
    await show(
        query,
        t(
            "confirm.second_question",
            program=summary.name,
            selected=summary.selected,
            not_selected=summary.not_selected,
        ),
        inline(
            [
                [(t("confirm.final_button"), ConfirmCB(pid=callback_data.pid, step="final"))],
                nav_row(t, back=True),
            ]
        ),
    )


@router.callback_query(OnScreen(FINAL), NavCB.filter(F.action == "back"))
async def confirm_back(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    pid = await current_pid(state)
    if pid is None:
        await stale(query, t)
        return
    await _review(query, actor, ctx, state, t, pid)


@router.callback_query(OnScreen(FINAL), ConfirmCB.filter(F.step == "final"))
async def confirm_final(
    query: CallbackQuery,
    callback_data: ConfirmCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if await other_program(query, state, t, callback_data.pid):
        return
    await state.clear()
    try:
        result = await selection.confirm_roster(ctx, actor, callback_data.pid)
    except DomainError as error:
        await query.answer(roster_refusal(t, error)[:200], show_alert=True)
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
            await query.message.answer(roster_refusal(t, error))
        return
    intro = t(
        "confirm.done",
        selected=result.selected,
        not_selected=result.not_selected,
        queued=result.queued,
    )
    if result.offline:
        intro += "\n" + t("confirm.offline", n=result.offline)
    await _status(query, actor, ctx, t, callback_data.pid, intro=intro)


@router.callback_query(ConfirmCB.filter(F.step == "status"))
async def confirm_status(
    query: CallbackQuery, callback_data: ConfirmCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    summary = await selection.program_summary(ctx, actor, callback_data.pid)
    await _status(
        query,
        actor,
        ctx,
        t,
        callback_data.pid,
        intro=_already(ctx, t, summary),
    )


async def _status(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
    pid: int,
    *,
    intro: str,
) -> None:
    status = await selection.delivery_status(ctx, actor, pid)
    text = (
        intro
        + "\n\n"
        + t(
            "confirm.delivery",
            sent=status.sent,
            pending=status.pending,
            failed=status.failed,
            offline=status.offline,
        )
    )
    if status.failed:
        text += "\n" + t("confirm.delivery_failed_hint")
    await show(
        event,
        text,
        inline([[(t("confirm.refresh"), ConfirmCB(pid=pid, step="status"))]]),
    )


@router.message(OnScreen(REVIEW), NOT_COMMAND)
@router.message(OnScreen(FINAL), NOT_COMMAND)
async def confirm_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    pid = await current_pid(state)
    await message.answer(t("selection.use_buttons"))
    if pid is not None:
        await _review(message, actor, ctx, state, t, pid)
