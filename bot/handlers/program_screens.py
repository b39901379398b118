"""Shared pieces of the staff program screens (/select, /confirm, /assign, /progress, /surveys)
and of the certificate lists: the program picker, editing a screen in place, paging.

``program_command`` registers a command together with its program picker, so every staff
command opens a program the same way: none → a short answer, one → opened at once, several → a
picker whose button opens the chosen one.

These screens are not form-engine flows (``bot/forms``): nothing is asked, so there are no steps,
and a button is good while its program's screen is open (``other_program``), where the engine
numbers every screen (``Progress.seq``). What both do alike, paging, is the engine's
(``bot.forms.screens.paginate`` and ``page_row``); the engine's files stay free of Telegram types,
so ``show``, ``stale`` and ``leave`` (aiogram calls) live here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TypeVar

from aiogram import F, Router
from aiogram.filters import Command, Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject
from pydantic import BaseModel

from bot.forms import screens
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.selection import ProgramPickCB
from bot.services import selection
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.selection import PAGE_SIZE, ProgramSummary

NOT_COMMAND = ~F.text.startswith("/")
SCREEN = "screen:"  # FSM state of an open browsing screen: ``screen:<name>``


class OpenScreen(BaseModel):
    """The browsing screen on show (typed FSM data): which program, which page."""

    pid: int
    page: int = 0


async def open_screen(state: FSMContext, name: str, pid: int, page: int = 0) -> None:
    await state.set_state(f"{SCREEN}{name}")
    await state.set_data(OpenScreen(pid=pid, page=page).model_dump())


async def opened(state: FSMContext, name: str) -> OpenScreen | None:
    """The open screen ``name`` (None when another one, or a flow, is on show)."""
    if await state.get_state() != f"{SCREEN}{name}":
        return None
    return OpenScreen.model_validate(await state.get_data())


class OnScreen(Filter):
    """The browsing screen ``name`` is on show (its buttons and free text are for it)."""

    def __init__(self, name: str) -> None:
        self.state = f"{SCREEN}{name}"

    async def __call__(self, event: TelegramObject, state: FSMContext) -> bool:
        return await state.get_state() == self.state


Row = TypeVar("Row")
Opener = Callable[
    [Message | CallbackQuery, Actor, AppContext, FSMContext, Texts, int], Awaitable[None]
]
Choice = tuple[int, str]  # a program's id and its label in the picker
Choices = Callable[[AppContext, Actor, Texts], Awaitable[Sequence[Choice]]]


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


async def leave(query: CallbackQuery) -> Message | None:
    """Answer a button and take the buttons off its message: what follows (a flow, a notice)
    comes as a new message. The message, or None when Telegram no longer has it."""
    await query.answer()
    if not isinstance(query.message, Message):
        return None
    await query.message.edit_reply_markup(reply_markup=None)
    return query.message


def local(ctx: AppContext, value: datetime | None) -> datetime | None:
    """A stored (UTC) time in the program's time zone, for display."""
    return value.astimezone(ctx.settings.tz) if value is not None else None


async def current_pid(state: FSMContext) -> int | None:
    """The program the open screen belongs to (None when no screen is open)."""
    data = await state.get_data()
    return int(data["pid"]) if "pid" in data else None


async def other_program(query: CallbackQuery, state: FSMContext, t: Texts, pid: int) -> bool:
    """True, after saying the button is stale, when ``pid`` is not the open screen's program."""
    if pid == await current_pid(state):
        return False
    await stale(query, t)
    return True


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


# --- paging -----------------------------------------------------------------------------------


def paginate(
    rows: Sequence[Row], page: int, size: int = PAGE_SIZE
) -> tuple[Sequence[Row], int, int]:
    """``bot.forms.screens.paginate``, ten rows a page unless told."""
    return screens.paginate(rows, page, size)


def pager(
    t: Texts,
    make: Callable[[int], CallbackData],
    page: int,
    pages: int,
    *,
    prev_key: str = "selection.prev_page",
    next_key: str = "selection.next_page",
) -> list[Button]:
    """◀ 앞쪽 · n/m · 뒤쪽 ▶ for a paginated list (``make(page)`` builds the callback data)."""
    return screens.page_row(
        page, pages, t(prev_key), t(next_key), lambda label, p: (label, make(p))
    )


def close_row(t: Texts) -> list[Button]:
    """The 닫기 button under a program screen."""
    return [(t("selection.close"), NavCB(action="cancel"))]


# --- the program picker -----------------------------------------------------------------------


async def staff_programs(ctx: AppContext, actor: Actor, t: Texts) -> list[Choice]:
    """The staff member's programs, each labelled with its selected / recruitment / waiting."""
    return [
        (
            p.id,
            t(
                "selection.pick_label",
                name=p.name,
                selected=p.on_roster,
                total=p.total_recruitment,
                waiting=p.waiting,
            ),
        )
        for p in await selection.staff_programs(ctx, actor)
    ]


def program_picker(t: Texts, programs: Sequence[Choice], cmd: str) -> InlineKeyboardMarkup:
    rows: list[list[Button]] = [
        [(label, ProgramPickCB(cmd=cmd, pid=pid))] for pid, label in programs
    ]
    return inline([*rows, nav_row(t)])


async def pick_or_open(
    message: Message,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
    cmd: str,
    empty_key: str,
    programs: Choices = staff_programs,
) -> int | None:
    """The only program's id, or None after showing a picker (or saying there is none)."""
    choices = await programs(ctx, actor, t)
    if not choices:
        await message.answer(t(empty_key))
        return None
    if len(choices) == 1:
        return choices[0][0]
    await message.answer(t("selection.pick_program"), reply_markup=program_picker(t, choices, cmd))
    return None


def program_command(
    router: Router,
    command: str,
    cmd: str,
    open_program: Opener,
    *,
    picked_name: str = "picked",
    programs: Choices = staff_programs,
    empty_key: str = "selection.no_programs",
) -> Callable[..., Awaitable[None]]:
    """Register ``/command`` (clears any flow; opens the only program of ``programs`` or shows
    the picker, or says ``empty_key``) and the picker's button (``ProgramPickCB`` with ``cmd``),
    both opening with ``open_program``.

    The handlers are named ``cmd_<command>`` and ``picked_name``: refused attempts are audited
    under the handler's name."""

    async def on_command(
        message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
    ) -> None:
        await state.clear()
        pid = await pick_or_open(message, actor, ctx, t, cmd, empty_key, programs)
        if pid is not None:
            await open_program(message, actor, ctx, state, t, pid)

    async def on_pick(
        query: CallbackQuery,
        callback_data: ProgramPickCB,
        actor: Actor,
        ctx: AppContext,
        state: FSMContext,
        t: Texts,
    ) -> None:
        await open_program(query, actor, ctx, state, t, callback_data.pid)

    on_command.__name__ = on_command.__qualname__ = f"cmd_{command}"
    on_pick.__name__ = on_pick.__qualname__ = picked_name
    router.message.register(on_command, Command(command))
    router.callback_query.register(on_pick, ProgramPickCB.filter(F.cmd == cmd))
    return on_command  # the home menu opens the same screen
