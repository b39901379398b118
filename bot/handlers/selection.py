"""/select (선발) and /confirm (확정통보) for agency staff.

/select — one screen per program: tabs 대기 / 선발 / 비선발, a page of ten applicants with toggles,
bulk actions on the toggled people (국민취업지원제도 예 / 아니오, 선발, 비선발, 대기로 되돌리기),
and a card per applicant. Selected vs. recruitment is always in the header; selecting beyond the
recruitment asks first.

| state                      | input                                  | next                   |
|----------------------------|----------------------------------------|------------------------|
| (any) /select              | program (picker when several)          | browsing               |
| browsing                   | tab / page / toggle / bulk / card      | browsing               |
|                            | 선발 beyond recruitment                 | over_confirm           |
|                            | free text                              | browsing (page again)  |
| over_confirm               | 그래도 선발 / 돌아가기                    | browsing               |
| (any) /confirm             | program                                | confirm_review         |
| confirm_review             | 확정통보 진행                            | confirm_final          |
| confirm_final              | 네, 확정 → roster locked, notices queued | (cleared)              |
|                            | ◀ 이전                                  | confirm_review         |
The delivery status button of a confirmed program works at any time (read-only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from aiogram import F
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.selection import (
    ConfirmCB,
    ProgramPickCB,
    SelBulkCB,
    SelOneCB,
    SelOverCB,
    SelPageCB,
    SelToggleCB,
)
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import selection
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import PAGE_SIZE, PoolRow, ProgramSummary

router = staff_router("selection")

NOT_COMMAND = ~F.text.startswith("/")
MAX_NAMES = 60


class SelectionFlow(StatesGroup):
    browsing = State()
    over_confirm = State()
    confirm_review = State()
    confirm_final = State()


# --- shared helpers (also used by assignment, progress and the staff survey list) -------------


def program_picker(t: Texts, programs: Sequence[ProgramSummary], cmd: str) -> InlineKeyboardMarkup:
    rows: list[list[Button]] = [
        [
            (
                t(
                    "selection.pick_label",
                    name=p.name,
                    selected=p.on_roster,
                    total=p.total_recruitment,
                    waiting=p.waiting,
                ),
                ProgramPickCB(cmd=cmd, pid=p.id),
            )
        ]
        for p in programs
    ]
    return inline([*rows, nav_row(t)])


async def show(
    event: Message | CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message a button belongs to (and answer its query: do not answer it before);
    answer a typed message with a new one."""
    if isinstance(event, CallbackQuery):
        await event.answer()
        if isinstance(event.message, Message):
            await event.message.edit_text(text, reply_markup=markup)
        return
    await event.answer(text, reply_markup=markup)


async def stale(query: CallbackQuery, t: Texts) -> None:
    await query.answer(t("fallback.stale_button"), show_alert=True)


def person_line(t: Texts, index: int, row: PoolRow) -> str:
    flags = "".join(t(f"selection.flag.{flag}") for flag in row.flags)
    return t(
        "selection.row",
        n=index,
        name=row.name,
        birth=t.date(row.birth_date),
        nes=t(f"selection.nes.{_nes_key(row.nes)}"),
        flags=flags,
    )


def local(ctx: AppContext, value: datetime | None) -> datetime | None:
    """A stored (UTC) time in the program's time zone, for display."""
    return value.astimezone(ctx.settings.tz) if value is not None else None


def _nes_key(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


async def pick_or_open(
    message: Message, actor: Actor, ctx: AppContext, t: Texts, cmd: str, empty_key: str
) -> int | None:
    """The only program's id, or None after showing a picker (or saying there is none)."""
    programs = await selection.staff_programs(ctx, actor)
    if not programs:
        await message.answer(t(empty_key))
        return None
    if len(programs) == 1:
        return programs[0].id
    await message.answer(
        t("selection.pick_program"), reply_markup=program_picker(t, programs, cmd)
    )
    return None


def pager(t: Texts, make: Callable[[int], CallbackData], page: int, pages: int) -> list[Button]:
    """◀ 앞쪽 · n/m · 뒤쪽 ▶ for a paginated list (``make(page)`` builds the callback data)."""
    row: list[Button] = []
    if page > 0:
        row.append((t("selection.prev_page"), make(page - 1)))
    row.append((f"{page + 1}/{pages}", make(page)))
    if page + 1 < pages:
        row.append((t("selection.next_page"), make(page + 1)))
    return row


# --- /select ----------------------------------------------------------------------------------


@router.message(Command("select"))
async def cmd_select(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    pid = await pick_or_open(message, actor, ctx, t, "sel", "selection.no_programs")
    if pid is not None:
        await _open(message, actor, ctx, state, t, pid)


@router.callback_query(ProgramPickCB.filter(F.cmd == "sel"))
async def picked(
    query: CallbackQuery,
    callback_data: ProgramPickCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    await _open(query, actor, ctx, state, t, callback_data.pid)


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
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(int(data.get("page", 0)), pages - 1)
    visible_ids = {r.application_id for r in rows}
    checked = [aid for aid in data.get("checked", []) if aid in visible_ids]
    await state.update_data(page=page, checked=checked)
    chunk = rows[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]

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
        card: Button = (f"ⓘ {index}", SelOneCB(pid=pid, aid=row.application_id, act="open"))
        buttons.append([toggle, card] if not summary.locked else [card])
    if pages > 1:
        buttons.append(pager(t, lambda p: SelPageCB(pid=pid, tab=tab, page=p), page, pages))
    if chunk and not summary.locked:
        buttons += _bulk_rows(t, pid, tab, len(checked), all_checked=len(checked) == len(chunk))
    buttons.append([(t("selection.close"), NavCB(action="cancel"))])
    await show(event, "\n".join(lines), inline(buttons))


def header(t: Texts, summary: ProgramSummary) -> str:
    text = t(
        "selection.header",
        program=summary.name,
        type=t(f"selection.type.{summary.type}"),
        selected=summary.on_roster,
        total=summary.total_recruitment,
        waiting=summary.waiting,
        not_selected=summary.not_selected,
    )
    if summary.on_roster > summary.total_recruitment:
        text += "\n" + t("selection.over_note", over=summary.on_roster - summary.total_recruitment)
    return text


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
            label = f"· {label} ·"
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


async def _current_pid(state: FSMContext) -> int | None:
    data = await state.get_data()
    return int(data["pid"]) if "pid" in data else None


@router.callback_query(SelectionFlow.browsing, SelPageCB.filter())
async def page(
    query: CallbackQuery,
    callback_data: SelPageCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if callback_data.pid != await _current_pid(state):
        await stale(query, t)
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
    if callback_data.pid != await _current_pid(state):
        await stale(query, t)
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
    if pid != await _current_pid(state):
        await stale(query, t)
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
            await _card(query, actor, ctx, state, t, pid, card, note=_refusal(t, error))
        else:
            await _render(query, actor, ctx, state, t, note=_refusal(t, error))
        return
    note = t(f"selection.done.{act}", n=result.changed)
    if card is not None:
        await _card(query, actor, ctx, state, t, pid, card, note=note)
        return
    if act not in ("nes_y", "nes_n"):  # keep the choice for the decision that usually follows
        await state.update_data(checked=[])
    await _render(query, actor, ctx, state, t, note=note)


def _refusal(t: Texts, error: DomainError) -> str:
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
    if pid != await _current_pid(state):
        await stale(query, t)
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
            nes=t(f"selection.nes.{_nes_key(row.nes)}"),
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
        yes = ("✓ " if row.nes is True else "") + t("selection.nes_yes_button")
        no = ("✓ " if row.nes is False else "") + t("selection.nes_no_button")
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


# --- /confirm ---------------------------------------------------------------------------------


@router.message(Command("confirm"))
async def cmd_confirm(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await state.clear()
    pid = await pick_or_open(message, actor, ctx, t, "cnf", "selection.no_programs")
    if pid is not None:
        await _review(message, actor, ctx, state, t, pid)


@router.callback_query(ProgramPickCB.filter(F.cmd == "cnf"))
async def confirm_picked(
    query: CallbackQuery,
    callback_data: ProgramPickCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    await _review(query, actor, ctx, state, t, callback_data.pid)


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
        await state.set_state(SelectionFlow.confirm_review)
        await state.set_data({"pid": pid})
        buttons.append([(t("confirm.proceed"), ConfirmCB(pid=pid, step="review"))])
    buttons.append(nav_row(t))
    await show(event, "\n".join(lines), inline(buttons))


@router.callback_query(SelectionFlow.confirm_review, ConfirmCB.filter(F.step == "review"))
async def confirm_first(
    query: CallbackQuery,
    callback_data: ConfirmCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if callback_data.pid != await _current_pid(state):
        await stale(query, t)
        return
    summary = await selection.program_summary(ctx, actor, callback_data.pid)
    await state.set_state(SelectionFlow.confirm_final)
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


@router.callback_query(SelectionFlow.confirm_final, NavCB.filter(F.action == "back"))
async def confirm_back(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    pid = await _current_pid(state)
    if pid is None:
        await stale(query, t)
        return
    await _review(query, actor, ctx, state, t, pid)


@router.callback_query(SelectionFlow.confirm_final, ConfirmCB.filter(F.step == "final"))
async def confirm_final(
    query: CallbackQuery,
    callback_data: ConfirmCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    if callback_data.pid != await _current_pid(state):
        await stale(query, t)
        return
    await state.clear()
    try:
        result = await selection.confirm_roster(ctx, actor, callback_data.pid)
    except DomainError as error:
        await query.answer(_refusal(t, error)[:200], show_alert=True)
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
            await query.message.answer(_refusal(t, error))
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


@router.message(SelectionFlow.confirm_review, NOT_COMMAND)
@router.message(SelectionFlow.confirm_final, NOT_COMMAND)
async def confirm_text(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    pid = await _current_pid(state)
    await message.answer(t("selection.use_buttons"))
    if pid is not None:
        await _review(message, actor, ctx, state, t, pid)
