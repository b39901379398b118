"""Pieces shared by the program-registration flows (wizard, attachments, companies, jobs).

One way to: gate a program router, get a callback's message, ask a question whose buttons go
away once it is answered, put a refusal above a repeated question, ask to confirm a deletion.
"""

from __future__ import annotations

import contextlib

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import inline, nav_row
from bot.middlewares.access import center_router, staff_router

NOT_COMMAND = ~F.text.startswith("/")  # commands go on to their own routers
# Refusals that end a flow (the program can no longer be edited by this person): the flow's
# state is cleared and the refusal goes on to RefusalMiddleware.
FATAL = ("roster.locked", "progreg.closed", "access.agency", "access.denied")


def program_router(name: str, *, center: bool = False, permission: str | None = None) -> Router:
    return center_router(name) if center else staff_router(name, permission=permission)


def callback_message(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


async def take_callback(query: CallbackQuery, *, retire: bool = False) -> Message | None:
    """Answer ``query``; its message (None when Telegram no longer has it). ``retire``: the
    message's buttons go away (a step button was pressed)."""
    await query.answer()
    message = callback_message(query)
    if message is not None and retire:
        await message.edit_reply_markup(reply_markup=None)
    return message


async def end_if_fatal(state: FSMContext, error: DomainError) -> None:
    """A refusal in ``FATAL`` ends the flow: the state is cleared and the refusal re-raised."""
    if error.code in FATAL:
        await state.clear()
        raise error


def with_extra(text: str, extra: str | None) -> str:
    """The question ``text`` with ``extra`` (a refusal, a hint) above it."""
    return extra + "\n\n" + text if extra else text


# --- questions: the buttons of an answered question go away ------------------------------


async def send_question(
    message: Message, state: FSMContext, text: str, markup: InlineKeyboardMarkup
) -> None:
    sent = await message.answer(text, reply_markup=markup)
    await state.update_data(qmsg=sent.message_id)


async def retire_question(message: Message, state: FSMContext) -> None:
    """Called when a question is answered by text: its step buttons would be stale."""
    qmsg = (await state.get_data()).get("qmsg")
    if qmsg and message.bot is not None:
        with contextlib.suppress(TelegramAPIError):
            await message.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=qmsg, reply_markup=None
            )


async def ask_text(
    message: Message, state: FSMContext, t: Texts, text: str, extra: str | None = None
) -> None:
    """A free-text question with only ◀ 이전 / 취소 under it."""
    await send_question(message, state, with_extra(text, extra), inline([nav_row(t, back=True)]))


async def confirm_delete(
    message: Message,
    t: Texts,
    name: str,
    ok: CallbackData,
    list_label: str,
    back: CallbackData,
) -> None:
    """Ask to confirm deleting ``name``: 삭제 (``ok``) or back to the list (``back``)."""
    await message.answer(
        t("hostco.delete_ask", name=name),
        reply_markup=inline([[(t("hostco.btn_delete_ok"), ok)], [(list_label, back)]]),
    )
