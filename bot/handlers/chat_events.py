"""Private-chat events that are not commands: edited messages and the bot being (un)blocked.

Edited messages are not read — re-running a step on an edit would be surprising (which answer
counts?), and ignoring it silently leaves the person thinking the correction arrived — so the
person is told to send the corrected text again. ``my_chat_member`` in a private chat is Telegram
saying the person blocked (``kicked``) or restarted the bot: a block is remembered (notices wait);
writing again clears it (``identity.touch_user``). Groups never get here (``ChatGate``).
Registering these handlers also makes polling and the webhook ask Telegram for these updates.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import ChatMemberUpdated, Message

from bot.i18n import Texts
from bot.services import users
from bot.services.context import AppContext

router = Router(name="chat_events")


@router.edited_message()
async def edited(message: Message, t: Texts) -> None:
    await message.answer(t("edits.not_read"))


@router.my_chat_member()
async def membership(change: ChatMemberUpdated, ctx: AppContext) -> None:
    if change.new_chat_member.status == "kicked":
        await users.mark_blocked(ctx, change.from_user.id)
