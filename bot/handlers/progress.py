"""/progress (progress, completion, drop-out) for staff (/surveys is ``bot/handlers/surveys.py``).

/progress → program (picker when several) → the roster (browsing) → a person's card. The card's
buttons are typed actions (``ProgressAct``), one handler each in ``ACTIONS``: training / work
status, 수료 → confirm (before the end: refused → 조기 수료 with a reason, the form-engine flow
``bot/conversations/early_completion.py``), 중도탈락 → reason code → confirm. Free text on the
roster shows it again. What the screens show is ``bot/handlers/progress_views.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations import early_completion
from bot.conversations.early_completion import EarlyData
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.handlers import progress_views as views
from bot.handlers.program_screens import (
    NOT_COMMAND,
    OnScreen,
    header,
    leave,
    open_screen,
    opened,
    other_program,
    paginate,
    program_command,
    show,
    stale,
)
from bot.i18n import Texts
from bot.keyboards.selection import ProgressAct, ProgressCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import enrollment, selection
from bot.services.context import AppContext
from bot.services.identity import Actor

router: Router = staff_router("progress")


SCREEN = "progress"  # the roster and the cards (program_screens.OnScreen)


@dataclass(frozen=True)
class Env:
    """What every card action needs besides its button."""

    actor: Actor
    ctx: AppContext
    state: FSMContext
    t: Texts


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
    await show(event, *views.roster_screen(t, summary, chunk, page, pages, note))


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
    await show(event, *views.card_screen(t, summary, row, note))


# --- the card's actions: one typed handler per ProgressAct --------------------------------------


async def _page(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await _list(query, env.actor, env.ctx, env.state, env.t, cb.pid, cb.page)


async def _person(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await _card(query, env.actor, env.ctx, env.t, cb.pid, cb.aid)


async def _status(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    which = "training" if cb.act is ProgressAct.TRAIN else "work"
    await enrollment.set_status(env.ctx, env.actor, cb.aid, which, cb.value)
    await _card(query, env.actor, env.ctx, env.t, cb.pid, cb.aid)


async def _name(cb: ProgressCB, env: Env) -> str:
    return (await enrollment.roster_row(env.ctx, env.actor, cb.aid)).name


async def _ask_done(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await show(query, *views.complete_question(env.t, cb, await _name(cb, env)))


async def _complete(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    try:
        await enrollment.complete(env.ctx, env.actor, cb.aid)
    except DomainError as error:
        if error.code != "progress.before_end":
            raise
        await show(query, *views.early_offer(env.t, cb, refusal_text(env.t, error)))
        return
    await _card_with(query, cb, env, "progress.completed_done")


async def _early(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    """조기 수료: the reason is a form-engine flow (bot/conversations/early_completion.py)."""
    data = EarlyData(pid=cb.pid, aid=cb.aid, name=await _name(cb, env))
    if (message := await leave(query)) is not None:
        flow = FlowName.EARLY_COMPLETION
        await forms.begin(message, env.state, env.ctx, env.t, env.actor, flow, data)


async def _drop(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await show(query, *views.drop_reasons(env.t, cb, await _name(cb, env)))


async def _code(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await show(query, *views.drop_question(env.t, cb, await _name(cb, env)))


async def _do_drop(query: CallbackQuery, cb: ProgressCB, env: Env) -> None:
    await enrollment.drop(env.ctx, env.actor, cb.aid, cb.value)
    await _card_with(query, cb, env, "progress.dropped_done")


async def _card_with(query: CallbackQuery, cb: ProgressCB, env: Env, done_key: str) -> None:
    """The card again, with ``done_key``'s note naming the person."""
    note = env.t(done_key, name=await _name(cb, env))
    await _card(query, env.actor, env.ctx, env.t, cb.pid, cb.aid, note=note)


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
