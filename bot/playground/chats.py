"""One chat between the bot and a person (or a group, ``bot.playground.groups``): its messages
and its event log.

Every change anyone can see (a new message from either side, an edit, a deletion) is appended to
``events`` as a snapshot, so tests read the conversation as a sequence, and the page and the
driver can wait for "something new" with ``wait_change``.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from .models import ChatMessage, StoredMessage, UserInfo


class Chat:
    def __init__(self, user: UserInfo) -> None:
        self.user = user
        self.next_message_id = 1
        self.messages: dict[int, StoredMessage] = {}
        self.events: list[ChatMessage] = []
        self.blocked = False
        self.started = True  # False: the person never opened the bot (sends get 403)
        self.member = True  # groups: the bot is in the chat (see bot.playground.groups)
        self.reply_keyboard: dict[str, Any] | None = None
        self.menu_button: dict[str, Any] | None = None
        self.actions: list[str] = []
        self.pinned: int | None = None
        self.toasts: list[dict[str, Any]] = []  # callback answers with text, for the page
        self.version = 0
        self._event: asyncio.Event | None = None

    @property
    def id(self) -> int:
        return self.user.id

    def new_message(
        self, *, sender: dict[str, Any] | None, from_bot: bool, fields: dict[str, Any]
    ) -> StoredMessage:
        raw: dict[str, Any] = {
            "message_id": self.next_message_id,
            "from": sender,
            "chat": self.user.chat_dict(),
            "date": int(time.time()),
        }
        raw.update({k: v for k, v in fields.items() if v is not None})
        self.next_message_id += 1
        message = StoredMessage(raw=raw, from_bot=from_bot)
        self.messages[message.message_id] = message
        self.record(message, "new")
        return message

    def find(self, message_id: int | None) -> StoredMessage | None:
        message = self.messages.get(message_id) if message_id is not None else None
        return None if message is None or message.deleted else message

    def edited(self, message: StoredMessage) -> None:
        message.edit_count += 1
        message.raw["edit_date"] = int(time.time())
        self.record(message, "edit")

    def delete(self, message: StoredMessage) -> None:
        message.deleted = True
        self.record(message, "delete")

    def record(self, message: StoredMessage, event: str) -> None:
        self.events.append(message.snapshot(event))
        self.notify()

    def visible(self) -> list[StoredMessage]:
        return [m for m in self.messages.values() if not m.deleted]

    def notify(self) -> None:
        self.version += 1
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait_change(self, timeout: float) -> bool:
        """Wait until anything in the chat changes; False on timeout."""
        if timeout <= 0:
            return False
        if self._event is None:
            self._event = asyncio.Event()
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def transcript(self, start: int = 0, cursor: int | None = None) -> str:
        lines = []
        for index, event in enumerate(self.events[start:], start):
            mark = "  "
            if cursor is not None and index == cursor:
                mark = "▶ "
            lines.append(mark + event.line())
        if cursor is not None and cursor >= len(self.events):
            lines.append("▶ (nothing after this point)")
        return "\n".join(lines) if lines else "(empty chat)"
