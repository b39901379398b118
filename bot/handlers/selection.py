"""/select (선발) for agency staff (/confirm, 확정통보, is ``bot/handlers/confirmation.py``).

/select — one screen per program: tabs 대기 / 선발 / 비선발, a page of ten applicants with toggles,
bulk actions on the toggled people (국민취업지원제도 예 / 아니요, 선발, 비선발, 대기로 되돌리기),
and a card per applicant. Selected vs. recruitment is always in the header; selecting beyond the
recruitment asks first.

The open screen is a typed record (``SelectScreen``: program, tab, page, toggled people, an
action waiting for the over-recruitment answer) under ``screen:select`` (or ``screen:select_over``
while that question is asked); free text shows the screen again.
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.handlers.program_screens import (
    NOT_COMMAND,
    SCREEN,
    OnScreen,
    close_row,
    header,
    local,
    other_program,
    pager,
    paginate,
    program_command,
    show,
    stale,
)
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.selection import SelBulkCB, SelOneCB, SelOverCB, SelPageCB, SelToggleCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import selection
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import PAGE_SIZE, PoolRow, ProgramSummary

router = staff_router("selection")


BROWSING, OVER = "select", "select_over"  # the screens (program_screens.OnScreen)


class Pending(BaseModel):
    """An action waiting for the answer to "beyond the recruitment — go ahead?"."""

    ids: list[int]
    act: str
    card: int | None = None  # asked from this applicant's card


class SelectScreen(BaseModel):
    """The /select screen on show (typed FSM data)."""

    pid: int
    tab: str = "waiting"
    page: int = 0
    checked: list[int] = []
    pending: Pending | None = None


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
    screen = await _screen(state)
    pid, tab = screen.pid, screen.tab
    summary = await selection.program_summary(ctx, actor, pid)
    rows = await selection.pool(ctx, actor, pid, tab)
    chunk, page, pages = paginate(rows, screen.page)
    visible_ids = {r.application_id for r in rows}
    checked = [aid for aid in screen.checked if aid in visible_ids]
    screen.page, screen.checked = page, checked
    await _keep(state, screen)

    lines = [header(t, summary)]
    if summary.locked:
        lines.append(t("selection.locked_note", at=t.date(local(ctx, summary.roster_locked_at))))
    lines.append("")
    lines.append(t(f"selection.tab_title.{tab}", count=len(rows)))
    if not chunk:
        lines.append(t(f"selection.empty.{tab}"))
    for index, row in enumerate(chunk, start=page * PAGE_SIZE + 1):
        lines.append(person_line(t, index, row))
    if checked:
        lines += ["", t("selection.checked_note", n=len(checked))]
    if note:
        lines += ["", note]

    buttons: list[list[Button]] = [_tabs(t, summary, tab)]
    for index, row in enumerate(chunk, start=page * PAGE_SIZE + 1):
        mark = "☑" if row.application_id in checked else "☐"
        toggle: Button = (f"{mark} {row.name}", SelToggleCB(pid=pid, aid=row.application_id))
        card: Button = (
            t("selection.open_card", n=index),
            SelOneCB(pid=pid, aid=row.application_id, act="open"),
        )
        buttons.append([toggle, card] if not summary.locked else [card])
    if pages > 1:
        buttons.append(pager(t, lambda p: SelPageCB(pid=pid, tab=tab, page=p), page, pages))
    if chunk and not summary.locked:
        buttons += _bulk_rows(t, pid, tab, len(checked), all_checked=len(checked) == len(chunk))
    buttons.append(close_row(t))
    await show(event, "\n".join(lines), inline(buttons))


def person_line(t: Texts, index: int, row: PoolRow) -> str:
    shown = [f for f in row.flags if not (f == "nes_declared" and row.nes_declared is not None)]
    flags = "".join(t(f"selection.flag.{flag}") for flag in shown)
    return t(
        "selection.row",
        n=index,
        name=row.name,
        birth=t.date(row.birth_date),
        nes=nes_text(t, row),
        flags=flags,
    )


def _nes_key(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def nes_text(t: Texts, row: PoolRow) -> str:
    """예 / 아니요 as staff recorded it, else the applicant's own answer (marked), else 미입력."""
    if row.nes is None and row.nes_declared is not None:
        return t(f"selection.nes.{_nes_key(row.nes_declared)}_declared")
    return t(f"selection.nes.{_nes_key(row.nes)}")


def _tabs(t: Texts, summary: ProgramSummary, current: str) -> list[Button]:
    counts = {
        "waiting": summary.waiting,
        "selected": summary.selected,
        "not_selected": summary.not_selected,
    }
    row: list[Button] = []
    for tab, count in counts.items():
        label = t(f"selection.tab.{tab}", count=count)
        if tab == current:
            label = t("selection.tab_current", label=label)
        row.append((label, SelPageCB(pid=summary.id, tab=tab, page=0)))
    return row


def _bulk_rows(
    t: Texts, pid: int, tab: str, checked: int, *, all_checked: bool
) -> list[list[Button]]:
    toggle_all: Button = (
        t("selection.none_on_page") if all_checked else t("selection.all_on_page"),
        SelBulkCB(pid=pid, act="none" if all_checked else "all"),
    )
    if tab == "waiting":
        return [
            [
                toggle_all,
                (t("selection.bulk_nes_yes", n=checked), SelBulkCB(pid=pid, act="nes_y")),
                (t("selection.bulk_nes_no", n=checked), SelBulkCB(pid=pid, act="nes_n")),
            ],
            [
                (t("selection.bulk_select", n=checked), SelBulkCB(pid=pid, act="select")),
                (t("selection.bulk_not_select", n=checked), SelBulkCB(pid=pid, act="not_select")),
            ],
        ]
    return [
        [
            toggle_all,
            (t("selection.bulk_unselect", n=checked), SelBulkCB(pid=pid, act="unselect")),
        ]
    ]


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
        page_no = screen.page
        chunk = rows[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
        screen.checked = [r.application_id for r in chunk] if act == "all" else []
        await _keep(state, screen)
        await _render(query, actor, ctx, state, t)
        return
    ids = list(screen.checked)
    if not ids:
        await query.answer(t("selection.choose_first"), show_alert=True)
        return
    await _apply(query, actor, ctx, state, t, pid, ids, act)


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
        if act in ("nes_y", "nes_n"):
            result = await selection.set_nes(ctx, actor, pid, ids, act == "nes_y")
        else:
            result = await selection.decide(ctx, actor, pid, ids, act, allow_over=allow_over)
    except DomainError as error:
        if error.code == "selection.over_recruitment":
            screen = await _screen(state)
            screen.pending = Pending(ids=ids, act=f"{act}", card=card)
            await _keep(state, screen, OVER)
            await show(
                query,
                t("selection.over_question", **error.params),
                inline(
                    [
                        [(t("selection.over_yes"), SelOverCB(pid=pid, ok=True))],
                        [(t("selection.over_no"), SelOverCB(pid=pid, ok=False))],
                    ]
                ),
            )
            return
        if card is not None:  # the refusal shows on the screen (which answers the query)
            await _card(query, actor, ctx, state, t, pid, card, note=roster_refusal(t, error))
        else:
            await _render(query, actor, ctx, state, t, note=roster_refusal(t, error))
        return
    note = t(f"selection.done.{act}", n=result.changed)
    if card is not None:
        await _card(query, actor, ctx, state, t, pid, card, note=note)
        return
    if act not in ("nes_y", "nes_n"):  # keep the choice for the decision that usually follows
        screen = await _screen(state)
        screen.checked = []
        await _keep(state, screen)
    await _render(query, actor, ctx, state, t, note=note)


def roster_refusal(t: Texts, error: DomainError) -> str:
    """A refusal on a selection screen (a locked roster has its own wording)."""
    if error.code == "roster.locked":
        return t("selection.locked_refusal")
    return refusal_text(t, error)


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
    pending = screen.pending
    if callback_data.pid != screen.pid or pending is None:
        await stale(query, t)
        return
    screen.pending = None
    await _keep(state, screen, BROWSING)
    card = pending.card
    if not callback_data.ok:
        if card is not None:
            await _card(query, actor, ctx, state, t, callback_data.pid, card)
        else:
            await _render(query, actor, ctx, state, t)
        return
    await _apply(
        query,
        actor,
        ctx,
        state,
        t,
        callback_data.pid,
        pending.ids,
        pending.act,
        allow_over=True,
        card=card,
    )


@router.callback_query(OnScreen(BROWSING), SelOneCB.filter())
async def one(
    query: CallbackQuery,
    callback_data: SelOneCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    pid = callback_data.pid
    if await other_program(query, state, t, pid):
        return
    if callback_data.act == "open":
        await _card(query, actor, ctx, state, t, pid, callback_data.aid)
        return
    await _apply(
        query,
        actor,
        ctx,
        state,
        t,
        pid,
        [callback_data.aid],
        callback_data.act,
        card=callback_data.aid,
    )


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
    row = card.row
    flags = [t(f"selection.flag_long.{flag}") for flag in row.flags]
    intro = (card.self_intro or "-").strip()
    if len(intro) > 600:
        intro = intro[:600] + "…"
    lines = [
        header(t, summary),
        "",
        t(
            "selection.card",
            name=row.name,
            birth=t.date(row.birth_date),
            applied=t.date(card.applied_on),
            channel=t(f"selection.channel.{card.channel}"),
            education=card.education or "-",
            state=t(f"selection.state.{row.state}"),
            nes=nes_text(t, row),
            intro=intro,
        ),
    ]
    if flags:
        lines.append(t("selection.card_flags", flags=", ".join(flags)))
    if note:
        lines += ["", note]
    screen = await _screen(state)
    back = SelPageCB(pid=pid, tab=screen.tab, page=screen.page)
    buttons: list[list[Button]] = []
    if not summary.locked:
        yes = ("✓ " if row.nes_shown is True else "") + t("selection.nes_yes_button")
        no = ("✓ " if row.nes_shown is False else "") + t("selection.nes_no_button")
        buttons.append(
            [
                (yes, SelOneCB(pid=pid, aid=aid, act="nes_y")),
                (no, SelOneCB(pid=pid, aid=aid, act="nes_n")),
            ]
        )
        if row.state == "certified":
            buttons.append(
                [
                    (t("selection.select_button"), SelOneCB(pid=pid, aid=aid, act="select")),
                    (
                        t("selection.not_select_button"),
                        SelOneCB(pid=pid, aid=aid, act="not_select"),
                    ),
                ]
            )
        elif row.state in ("selected", "not_selected"):
            buttons.append(
                [(t("selection.unselect_button"), SelOneCB(pid=pid, aid=aid, act="unselect"))]
            )
    buttons.append([(t("selection.back_to_list"), back)])
    await show(query, "\n".join(lines), inline(buttons))


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
