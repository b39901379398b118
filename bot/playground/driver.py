"""A scripted person talking to the bot through the playground (used by tests and the page).

Reading works like a person scrolling a chat: each bot action (new message, edit, deletion) is an
event in the chat's log, and ``expect`` reads forward from a cursor, so a test states what the
person sees next rather than poking at the bot's internals.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .chats import Chat
from .models import ChatMessage, StoredMessage, UserInfo
from .state import command_entities

if TYPE_CHECKING:
    from .state import PlaygroundState


# How long a test waits for the bot's answer. Only a failing test waits this long; a loaded machine
# (the suite runs on several workers, PDFs and charts take CPU) needs more than a second or two.
EXPECT_TIMEOUT = 15.0


class PlaygroundUser:
    def __init__(self, server: PlaygroundState, chat: Chat) -> None:
        self.server = server
        self.chat = chat
        self.cursor = 0
        self.sender: UserInfo | None = None  # who writes, in a group chat (else the chat's person)

    @property
    def id(self) -> int:
        return self.chat.id

    @property
    def first_name(self) -> str:
        return self.chat.user.first_name

    def __repr__(self) -> str:
        return f"PlaygroundUser({self.id}, {self.first_name!r})"

    # ----- writing -------------------------------------------------------------------------
    async def send(self, text: str) -> dict[str, Any]:
        """Send a text message (a leading /command gets its bot_command entity)."""
        fields: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            fields["entities"] = entities
        return self._post(fields)

    async def send_document(
        self, file_name: str, content: bytes, mime_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        stored = self.server.files.add(
            "document", content, file_name=file_name, mime_type=mime_type
        )
        document = {
            "file_name": file_name,
            "mime_type": mime_type,
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }
        return self._post({"document": document})

    async def send_photo(self, content: bytes, caption: str | None = None) -> dict[str, Any]:
        from .files import photo_sizes

        stored = self.server.files.add("photo", content)
        return self._post({"photo": photo_sizes(stored), "caption": caption})

    async def send_contact(
        self, phone_number: str, first_name: str | None = None, last_name: str | None = None
    ) -> dict[str, Any]:
        """Share a contact; like the "share my number" button, contact.user_id is this person."""
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": first_name or self.first_name,
        }
        if last_name:
            contact["last_name"] = last_name
        contact["user_id"] = self.id
        return self._post({"contact": contact})

    def _post(self, fields: dict[str, Any]) -> dict[str, Any]:
        message = self.server.post_user_message(self.chat, fields, self.sender)
        return dict(message.raw)

    async def edit(self, message_id: int, text: str) -> dict[str, Any]:
        """Edit one of this person's messages (Telegram then sends ``edited_message``)."""
        stored = self.chat.find(message_id)
        fields: dict[str, Any] = {"text": text, "entities": command_entities(text) or None}
        if stored is not None and "caption" in stored.raw:
            fields = {"caption": text}
        return dict(self.server.edit_user_message(self.chat, message_id, fields, self.sender).raw)

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Labels of the reply keyboard the bot currently shows, if any."""
        board = self.chat.reply_keyboard
        if board is None:
            return None
        return [[b["text"] for b in row] for row in board["keyboard"]]

    async def press(self, label: str) -> dict[str, Any]:
        """Press a reply-keyboard button: sends its text, or the contact if it requests one."""
        board = self.chat.reply_keyboard
        buttons = [b for row in (board or {}).get("keyboard", []) for b in row]
        for button in buttons:
            if button["text"] == label:
                if board and board.get("one_time_keyboard"):
                    self.chat.reply_keyboard = None
                if button.get("request_contact"):
                    return await self.send_contact(f"+8210{self.id % 10**8:08d}")
                return await self.send(label)
        raise AssertionError(
            f"{self}: no reply keyboard button {label!r}; visible: {[b['text'] for b in buttons]}"
        )

    # ----- inline buttons ------------------------------------------------------------------
    def _find_button(
        self, label: str, message_id: int | None
    ) -> tuple[StoredMessage, dict[str, Any]]:
        candidates = [m for m in self.chat.visible() if m.from_bot]
        if message_id is not None:
            candidates = [m for m in candidates if m.message_id == message_id]
            if not candidates:
                raise AssertionError(f"{self}: no visible bot message #{message_id}")
        candidates.reverse()
        for message in candidates:
            for row in (message.raw.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("text") == label:
                        return message, button
        for message in candidates:
            rows = (message.raw.get("reply_markup") or {}).get("inline_keyboard", [])
            hits = [b for row in rows for b in row if label in b.get("text", "")]
            if len(hits) == 1:
                return message, hits[0]
            if len(hits) > 1:
                names = [b["text"] for b in hits]
                raise AssertionError(
                    f"{self}: {label!r} is ambiguous in #{message.message_id}: {names}"
                )
        visible = [
            f"#{m.message_id}: " + " | ".join(" · ".join(r) for r in m.snapshot().buttons)
            for m in reversed(candidates)
            if m.raw.get("reply_markup")
        ]
        raise AssertionError(
            f"{self}: no inline button {label!r}. Visible buttons:\n  "
            + ("\n  ".join(visible) or "(none)")
        )

    async def click(self, label: str, *, message_id: int | None = None) -> str:
        """Press an inline button; returns the callback query id."""
        message, button = self._find_button(label, message_id)
        if "callback_data" not in button:
            raise AssertionError(f"{self}: button {label!r} has no callback_data: {button}")
        return self.press_data(button["callback_data"], message)

    def press_data(self, data: str, message: StoredMessage | None = None) -> str:
        """Press a button with any callback data (a forged press) on a bot message."""
        if message is None:
            message = next(m for m in reversed(self.chat.visible()) if m.from_bot)
        return self.server.press_callback(self.chat, message, data, self.sender).id

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """The bot's answerCallbackQuery for this query ({text, show_alert, ...}) or None."""
        record = self.server.callbacks.get(query_id)
        return record.answer if record else None

    async def wait_callback_answer(
        self, query_id: str, timeout: float = EXPECT_TIMEOUT
    ) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (answer := self.callback_answer(query_id)) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"{self}: callback query {query_id} was not answered within {timeout}s\n"
                    + self.transcript()
                )
            await self.chat.wait_change(remaining)
        return answer

    # ----- reading -------------------------------------------------------------------------
    async def _next(self, want: Any, what: str, timeout: float) -> ChatMessage:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        start = self.cursor
        while True:
            events = self.chat.events
            while self.cursor < len(events):
                event = events[self.cursor]
                self.cursor += 1
                if want(event):
                    return event
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"{self}: expected {what} within {timeout}s; transcript "
                    f"(▶ marks where reading started):\n"
                    + self.chat.transcript(max(0, start - 10), start)
                )
            await self.chat.wait_change(remaining)

    async def expect(
        self, contains: str | None = None, *, timeout: float = EXPECT_TIMEOUT
    ) -> ChatMessage:
        """The next new or edited bot message (containing ``contains`` if given)."""

        def want(event: ChatMessage) -> bool:
            if not event.from_bot or event.event == "delete":
                return False
            return contains is None or contains in (event.text or "")

        what = "a bot message" + (f" containing {contains!r}" if contains else "")
        return await self._next(want, what, timeout)

    async def expect_document(self, timeout: float = EXPECT_TIMEOUT) -> ChatMessage:
        """The next document or photo the bot sent."""

        def want(event: ChatMessage) -> bool:
            return event.from_bot and event.event == "new" and event.has_file

        return await self._next(want, "a document or photo", timeout)

    async def expect_deleted(
        self, message_id: int | None = None, timeout: float = EXPECT_TIMEOUT
    ) -> ChatMessage:
        def want(event: ChatMessage) -> bool:
            return event.event == "delete" and message_id in (None, event.message_id)

        return await self._next(want, "a deletion", timeout)

    async def quiet(self, seconds: float = 0.3) -> None:
        """Assert the bot says nothing new (beyond what was already read) for ``seconds``."""
        await asyncio.sleep(seconds)
        unread = [e for e in self.chat.events[self.cursor :] if e.from_bot]
        if unread:
            raise AssertionError(
                f"{self}: expected silence, got:\n" + "\n".join(e.line() for e in unread)
            )

    def clear(self) -> None:
        self.cursor = len(self.chat.events)

    @property
    def messages(self) -> list[ChatMessage]:
        """Bot messages currently visible in the chat (after edits and deletions), oldest first."""
        return [m.snapshot() for m in self.chat.visible() if m.from_bot]

    @property
    def last(self) -> ChatMessage | None:
        visible = self.messages
        return visible[-1] if visible else None

    def transcript(self) -> str:
        return self.chat.transcript(0, self.cursor)

    async def download(self, message: ChatMessage) -> bytes:
        if message.file_id is None:
            raise AssertionError(f"{self}: message #{message.message_id} has no file")
        stored = self.server.files.get(message.file_id)
        assert stored is not None, f"unknown file {message.file_id}"
        return stored.content

    # ----- blocking ------------------------------------------------------------------------
    def block(self) -> None:
        """Block the bot: sends to this chat get 403 until unblocked."""
        self.server.set_blocked(self.chat, True)

    def unblock(self) -> None:
        self.server.set_blocked(self.chat, False)

    @property
    def blocked(self) -> bool:
        return self.chat.blocked

    @property
    def chat_actions(self) -> list[str]:
        return list(self.chat.actions)
