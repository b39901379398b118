"""Pieces shared by the program screens (companies, jobs, attachments, /myprograms, reviews):
gate a program router, get a pressed button's message, ask to confirm a deletion. The steps of
every program flow are on the form engine (``bot/forms``)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message

from bot.i18n import Texts
from bot.keyboards.common import inline
from bot.middlewares.access import center_router, staff_router


def program_router(name: str, *, center: bool = False, permission: str | None = None) -> Router:
    return center_router(name) if center else staff_router(name, permission=permission)


def callback_message(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


async def take_callback(query: CallbackQuery) -> Message | None:
    """Answer ``query``; its message (None when Telegram no longer has it)."""
    await query.answer()
    return callback_message(query)


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
