"""/select (선발) for agency staff (/confirm, 확정통보, is ``bot/handlers/confirmation.py``).

/select — one screen per program: tabs 대기 / 선발 / 비선발, a page of ten applicants with toggles,
bulk actions on the toggled people (국민취업지원제도 예 / 아니요, 선발, 비선발, 대기로 되돌리기),
and a card per applicant. Selected vs. recruitment is always in the header; selecting beyond the
recruitment asks first.

The open screen is a typed record (``SelectScreen``: program, tab, page, toggled people, an
action waiting for the over-recruitment answer) under ``screen:select`` (or ``screen:select_over``
while that question is asked); free text shows the screen again. What the screens show is
``bot/handlers/selection_views.py``; here the buttons and what they do.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import DomainError
from bot.handlers import selection_views as views
from bot.handlers.program_screens import (
    NOT_COMMAND,
    SCREEN,
    OnScreen,
    local,
    other_program,
    paginate,
    program_command,
    show,
    stale,
)
from bot.handlers.selection_views import Pending, SelectScreen, roster_refusal
from bot.i18n import Texts
from bot.keyboards.selection import SelBulkCB, SelOneCB, SelOverCB, SelPageCB, SelToggleCB
from bot.middlewares.access import staff_router
from bot.services import selection
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import PAGE_SIZE

router = staff_router("selection")


BROWSING, OVER = "select", "select_over"  # the screens (program_screens.OnScreen)
NES_ACTS = ("nes_y", "nes_n")


async def _screen(state: FSMContext) -> SelectScreen:
    return SelectScreen.model_validate(await state.get_data())


async def _keep(state: FSMContext, screen: SelectScreen, at: str | None = None) -> None:
    if at is not None:
        await state.set_state(f"{SCREEN}{at}")
    await state.set_data(screen.model_dump())


# --- /select ----------------------------------------------------------------------------------


async def _open(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
) -> None:
    await selection.program_summary(ctx, actor, pid)  # access check before any state
    await _keep(state, SelectScreen(pid=pid), BROWSING)
    await _render(event, actor, ctx, state, t)


cmd_select = program_command(router, "select", "sel", _open)


async def _render(
    event: Message | CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    note: str | None = None,
) -> None:
    """The list as it is now (the page clamped, toggles only of people still in the tab)."""
    screen = await _screen(state)
    summary = await selection.program_summary(ctx, actor, screen.pid)
    rows = await selection.pool(ctx, actor, screen.pid, screen.tab)
    chunk, screen.page, pages = paginate(rows, screen.page)
    visible_ids = {r.application_id for r in rows}
    screen.checked = [aid for aid in screen.checked if aid in visible_ids]
    await _keep(state, screen)
    locked_at = local(ctx, summary.roster_locked_at)
    text, markup = views.pool_screen(
        t, summary, screen, chunk, count=len(rows), pages=pages, locked_at=locked_at, note=note
    )
    await show(event, text, markup)


async def _card(
    query: CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
    aid: int,
    note: str | None = None,
) -> None:
    card = await selection.applicant(ctx, actor, aid)
    summary = await selection.program_summary(ctx, actor, pid)
    screen = await _screen(state)
    back = SelPageCB(pid=pid, tab=screen.tab, page=screen.page)
    text, markup = views.card_screen(t, summary, card, back, note)
    await show(query, text, markup)


# --- the list's buttons -----------------------------------------------------------------------


@router.callback_query(OnScreen(BROWSING), SelPageCB.filter())
async def page(
    query: CallbackQuery,
    callback_data: SelPageCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if await other_program(query, state, t, callback_data.pid):
        return
    screen = await _screen(state)
    if f"{callback_data.tab}" != screen.tab:
        screen.checked = []
    screen.tab, screen.page = f"{callback_data.tab}", callback_data.page
    await _keep(state, screen)
    await _render(query, actor, ctx, state, t)


@router.callback_query(OnScreen(BROWSING), SelToggleCB.filter())
async def toggle(
    query: CallbackQuery,
    callback_data: SelToggleCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if await other_program(query, state, t, callback_data.pid):
        return
    screen = await _screen(state)
    if callback_data.aid in screen.checked:
        screen.checked.remove(callback_data.aid)
    else:
        screen.checked.append(callback_data.aid)
    await _keep(state, screen)
    await _render(query, actor, ctx, state, t)


@router.callback_query(OnScreen(BROWSING), SelBulkCB.filter())
async def bulk(
    query: CallbackQuery,
    callback_data: SelBulkCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    pid = callback_data.pid
    if await other_program(query, state, t, pid):
        return
    screen = await _screen(state)
    act = callback_data.act
    if act in ("all", "none"):
        rows = await selection.pool(ctx, actor, pid, screen.tab)
        chunk = rows[screen.page * PAGE_SIZE : (screen.page + 1) * PAGE_SIZE]
        screen.checked = [r.application_id for r in chunk] if act == "all" else []
        await _keep(state, screen)
        await _render(query, actor, ctx, state, t)
        return
    ids = list(screen.checked)
    if not ids:
        await query.answer(t("selection.choose_first"), show_alert=True)
        return
    await _apply(query, actor, ctx, state, t, pid, ids, act)


@router.callback_query(OnScreen(BROWSING), SelOneCB.filter())
async def one(
    query: CallbackQuery,
    callback_data: SelOneCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    pid, aid = callback_data.pid, callback_data.aid
    if await other_program(query, state, t, pid):
        return
    if callback_data.act == "open":
        await _card(query, actor, ctx, state, t, pid, aid)
        return
    await _apply(query, actor, ctx, state, t, pid, [aid], callback_data.act, card=aid)


# --- doing it ---------------------------------------------------------------------------------


async def _apply(
    query: CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
    ids: list[int],
    act: str,
    *,
    allow_over: bool = False,
    card: int | None = None,
) -> None:
    """Run one action on ``ids``; refusals are shown on the screen, which stays usable."""
    try:
        if act in NES_ACTS:
            result = await selection.set_nes(ctx, actor, pid, ids, act == "nes_y")
        else:
            result = await selection.decide(ctx, actor, pid, ids, act, allow_over=allow_over)
    except DomainError as error:
        if error.code == "selection.over_recruitment":
            screen = await _screen(state)
            screen.pending = Pending(ids=ids, act=f"{act}", card=card)
            await _keep(state, screen, OVER)
            await show(query, *views.over_question(t, pid, error))
            return
        await _back(query, actor, ctx, state, t, pid, card, note=roster_refusal(t, error))
        return
    note = t(f"selection.done.{act}", n=result.changed)
    if card is None and act not in NES_ACTS:  # NES: keep the choice for the decision after it
        screen = await _screen(state)
        screen.checked = []
        await _keep(state, screen)
    await _back(query, actor, ctx, state, t, pid, card, note=note)


async def _back(
    query: CallbackQuery,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
    pid: int,
    card: int | None,
    note: str | None = None,
) -> None:
    """The card the action came from, else the list (either answers the query)."""
    if card is not None:
        await _card(query, actor, ctx, state, t, pid, card, note=note)
    else:
        await _render(query, actor, ctx, state, t, note=note)


@router.callback_query(OnScreen(OVER), SelOverCB.filter())
async def over_answer(
    query: CallbackQuery,
    callback_data: SelOverCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    screen = await _screen(state)
    pending, pid = screen.pending, callback_data.pid
    if pid != screen.pid or pending is None:
        await stale(query, t)
        return
    screen.pending = None
    await _keep(state, screen, BROWSING)
    if not callback_data.ok:
        await _back(query, actor, ctx, state, t, pid, pending.card)
        return
    ids, act = pending.ids, pending.act
    await _apply(query, actor, ctx, state, t, pid, ids, act, allow_over=True, card=pending.card)


@router.message(OnScreen(BROWSING), NOT_COMMAND)
@router.message(OnScreen(OVER), NOT_COMMAND)
async def browsing_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    """Free text on the selection screen: show the screen again, with its buttons."""
    screen = await _screen(state)
    screen.pending = None
    await _keep(state, screen, BROWSING)
    await message.answer(t("selection.use_buttons"))
    await _render(message, actor, ctx, state, t)
