"""Private chats only: in a group, supergroup or channel the bot shows nothing and starts nothing.

An outer middleware on every update (after identity, so texts are in the person's language):

| update in a group / channel                | answer                                          |
|--------------------------------------------|-------------------------------------------------|
| a command (``/…``)                          | one short text with the link to the private chat |
| a button press (an old or forwarded button) | a short alert, nothing else                     |
| the bot added (``my_chat_member``)          | once, what it is for and the link; then it leaves |
| anything else (chatter, posts, edits)       | nothing                                         |

No handler runs for these updates, so no personal or agency data can reach a shared chat and no
flow can start there. Notices never go to a group: ``outbox.enqueue`` refuses non-private chat ids.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Chat, ChatMemberUpdated, TelegramObject, Update

from bot.i18n import Texts, Translator

log = logging.getLogger(__name__)
JOINED = frozenset({"member", "administrator", "creator", "restricted"})


def texts_of(data: dict[str, Any]) -> Texts:
    """The person's texts (set by identity), or Korean when there is no person (a channel)."""
    t: Texts | None = data.get("t")
    if t is not None:
        return t
    translator: Translator = data["translator"]
    return translator.bind("ko")


async def private_link(bot: Bot) -> str:
    me = await bot.me()
    return f"https://t.me/{me.username}"


class ChatGate(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: Chat | None = data.get("event_chat")
        if not isinstance(event, Update) or chat is None or chat.type == ChatType.PRIVATE:
            return await handler(event, data)
        try:
            await self._shared_chat(event, chat, data)
        except TelegramAPIError as error:  # kicked meanwhile, no right to write …: stay quiet
            log.info("group %s: %s", chat.id, error.message)
        return None

    async def _shared_chat(self, update: Update, chat: Chat, data: dict[str, Any]) -> None:
        bot: Bot = data["bot"]
        t = texts_of(data)
        if update.my_chat_member is not None:
            await self._membership(bot, update.my_chat_member, chat, t)
        elif update.callback_query is not None:
            await update.callback_query.answer(t("private_only.button"), show_alert=True)
        elif update.message is not None and (update.message.text or "").startswith("/"):
            link = await private_link(bot)
            await update.message.answer(t("private_only.command", link=link))

    @staticmethod
    async def _membership(bot: Bot, change: ChatMemberUpdated, chat: Chat, t: Texts) -> None:
        if change.new_chat_member.user.id != bot.id:
            return
        if change.new_chat_member.status not in JOINED or change.old_chat_member.status in JOINED:
            return  # left, kicked, or a change of rights while still in: nothing to say
        link = await private_link(bot)
        with contextlib.suppress(TelegramAPIError):  # a channel where it may not post
            await bot.send_message(chat.id, t("private_only.joined", link=link))
        await bot.leave_chat(chat.id)
        log.info("added to %s %s; explained and left", chat.type, chat.id)
