"""/select (선발) for agency staff (/confirm, 확정통보, is ``bot/handlers/confirmation.py``).

/select — one screen per program: tabs 대기 / 선발 / 비선발, a page of ten applicants with toggles,
bulk actions on the toggled people (국민취업지원제도 예 / 아니요, 선발, 비선발, 대기로 되돌리기),
and a card per applicant. Selected vs. recruitment is always in the header; selecting beyond the
recruitment asks first.

| state                      | input                                  | next                   |
|----------------------------|----------------------------------------|------------------------|
| (any) /select              | program (picker when several)          | browsing               |
| browsing                   | tab / page / toggle / bulk / card      | browsing               |
|                            | 선발 beyond recruitment                 | over_confirm           |
|                            | free text                              | browsing (page again)  |
| over_confirm               | 그래도 선발 / 돌아가기                    | browsing               |
"""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import DomainError
from bot.handlers.program_screens import (
    NOT_COMMAND,
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


class SelectionFlow(StatesGroup):
    """All of /select and /confirm (the confirm states are used by ``confirmation``; their
    names are stored with a conversation, so they stay in this group)."""

    browsing = State()
    over_confirm = State()
    confirm_review = State()
    confirm_final = State()


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
    await state.set_state(SelectionFlow.browsing)
    await state.set_data({"pid": pid, "tab": "waiting", "page": 0, "checked": []})
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
    data = await state.get_data()
    pid, tab = int(data["pid"]), str(data["tab"])
    summary = await selection.program_summary(ctx, actor, pid)
    rows = await selection.pool(ctx, actor, pid, tab)
    chunk, page, pages = paginate(rows, int(data.get("page", 0)))
    visible_ids = {r.application_id for r in rows}
    checked = [aid for aid in data.get("checked", []) if aid in visible_ids]
    await state.update_data(page=page, checked=checked)

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


@router.callback_query(SelectionFlow.browsing, SelPageCB.filter())
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
    data = await state.get_data()
    checked = data.get("checked", []) if callback_data.tab == data.get("tab") else []
    await state.update_data(tab=callback_data.tab, page=callback_data.page, checked=checked)
    await _render(query, actor, ctx, state, t)


@router.callback_query(SelectionFlow.browsing, SelToggleCB.filter())
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
    checked = list((await state.get_data()).get("checked", []))
    if callback_data.aid in checked:
        checked.remove(callback_data.aid)
    else:
        checked.append(callback_data.aid)
    await state.update_data(checked=checked)
    await _render(query, actor, ctx, state, t)


@router.callback_query(SelectionFlow.browsing, SelBulkCB.filter())
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
    data = await state.get_data()
    act = callback_data.act
    if act in ("all", "none"):
        rows = await selection.pool(ctx, actor, pid, data["tab"])
        page_no = int(data.get("page", 0))
        chunk = rows[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
        checked = [r.application_id for r in chunk] if act == "all" else []
        await state.update_data(checked=checked)
        await _render(query, actor, ctx, state, t)
        return
    ids = list(data.get("checked", []))
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
            await state.set_state(SelectionFlow.over_confirm)
            await state.update_data(pending={"ids": ids, "act": act, "card": card})
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
        await state.update_data(checked=[])
    await _render(query, actor, ctx, state, t, note=note)


def roster_refusal(t: Texts, error: DomainError) -> str:
    """A refusal on a selection screen (a locked roster has its own wording)."""
    if error.code == "roster.locked":
        return t("selection.locked_refusal")
    return refusal_text(t, error)


@router.callback_query(SelectionFlow.over_confirm, SelOverCB.filter())
async def over_answer(
    query: CallbackQuery,
    callback_data: SelOverCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    data = await state.get_data()
    pending = data.get("pending") or {}
    if callback_data.pid != data.get("pid") or not pending:
        await stale(query, t)
        return
    await state.set_state(SelectionFlow.browsing)
    await state.update_data(pending=None)
    card = pending.get("card")
    if not callback_data.ok:
        if card is not None:
            await _card(query, actor, ctx, state, t, callback_data.pid, int(card))
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
        list(pending["ids"]),
        str(pending["act"]),
        allow_over=True,
        card=card,
    )


@router.callback_query(SelectionFlow.browsing, SelOneCB.filter())
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
    data = await state.get_data()
    back = SelPageCB(pid=pid, tab=str(data.get("tab", "waiting")), page=int(data.get("page", 0)))
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


@router.message(SelectionFlow.browsing, NOT_COMMAND)
@router.message(SelectionFlow.over_confirm, NOT_COMMAND)
async def browsing_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    """Free text on the selection screen: show the screen again, with its buttons."""
    await state.set_state(SelectionFlow.browsing)
    await state.update_data(pending=None)
    await message.answer(t("selection.use_buttons"))
    await _render(message, actor, ctx, state, t)
