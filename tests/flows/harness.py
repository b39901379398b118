"""Flow tests without HTTP: the real Dispatcher fed with ``dp.feed_update``.

The Bot's session is :class:`RecordingSession` (the idea of aiogram's ``tests/mocked_bot.py``):
every request is recorded and answered in process by the playground's Bot API implementation, so
the results are plausible (message ids, edits of real messages, "message is not modified", files)
and a test reads the chat exactly as with the HTTP playground. A person's action (``send``,
``click``…) puts the update in the playground's queue and :meth:`Flows.pump` feeds it to the
dispatcher at once, so when the call returns the bot has answered: nothing polls, nothing sleeps.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update

from bot.app import build_dispatcher
from bot.config import Settings
from bot.i18n import Translator
from bot.playground.api import dispatch
from bot.playground.driver import PlaygroundUser
from bot.playground.models import ChatMessage, StoredMessage
from bot.playground.params import Params, Upload
from bot.playground.state import PlaygroundState
from bot.runtime import PLAYGROUND_TOKEN
from bot.services.context import AppContext, open_context
from bot.services.demo import DEMO_PEOPLE, seed_demo
from bot.telegram.resilience import ResilientRequests
from bot.telegram.response_models import PinnedResponses
from tests.factories import grant_second_factor
from tests.world import MovableClock


class RecordingSession(BaseSession):
    """Records every request and answers it from the in-process playground state."""

    def __init__(self, state: PlaygroundState) -> None:
        super().__init__()
        self.state = state
        self.requests: list[TelegramMethod[Any]] = []

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.requests.append(method)
        files: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if isinstance(prepared, Enum):  # a str enum passes prepare_value unchanged
                prepared = prepared.value
            if prepared:
                values[key] = prepared
        uploads: dict[str, Upload] = {}
        for key, file in files.items():
            content = b"".join([chunk async for chunk in file.read(bot)])
            uploads[key] = Upload(file.filename or key, None, content)
        status, payload = await dispatch(
            self.state, method.__api_method__, Params(values, uploads)
        )
        response = self.check_response(
            bot=bot, method=method, status_code=status, content=json.dumps(payload)
        )
        return response.result  # type: ignore[return-value]

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        path = url.split(f"/file/bot{self.state.token}/", 1)[-1]
        stored = self.state.files.by_path.get(path)
        if stored is None:
            raise FileNotFoundError(path)
        yield stored.content

    async def close(self) -> None:
        return None


class FlowUser(PlaygroundUser):
    """A playground person whose every action is handled before the call returns."""

    def __init__(self, flows: Flows, user: PlaygroundUser) -> None:
        super().__init__(user.server, user.chat)
        self.flows = flows

    async def send(self, text: str) -> dict[str, Any]:
        sent = await super().send(text)
        await self.flows.pump()
        return sent

    async def send_document(
        self, file_name: str, content: bytes, mime_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        sent = await super().send_document(file_name, content, mime_type)
        await self.flows.pump()
        return sent

    async def send_photo(self, content: bytes, caption: str | None = None) -> dict[str, Any]:
        sent = await super().send_photo(content, caption)
        await self.flows.pump()
        return sent

    async def send_contact(
        self, phone_number: str, first_name: str | None = None, last_name: str | None = None
    ) -> dict[str, Any]:
        sent = await super().send_contact(phone_number, first_name, last_name)
        await self.flows.pump()
        return sent

    async def send_foreign_contact(self, phone_number: str, user_id: int | None) -> None:
        """Share somebody else's contact (another user id, or none)."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": "남"}
        if user_id is not None:
            contact["user_id"] = user_id
        self._post({"contact": contact})
        await self.flows.pump()

    async def click(self, label: str, *, message_id: int | None = None) -> str:
        query_id = await super().click(label, message_id=message_id)
        await self.flows.pump()
        return query_id

    async def forge(self, data: str, message: StoredMessage | None = None) -> str:
        """A press with any callback data (a forged button) on a bot message, handled."""
        query_id = self.press_data(data, message)
        await self.flows.pump()
        return query_id

    async def click_twice(self, label: str) -> tuple[str, str]:
        """A double tap: both presses are queued before the bot handles the first."""
        message, button = self._find_button(label, None)
        first = self.server.press_callback(self.chat, message, button["callback_data"])
        second = self.server.press_callback(self.chat, message, button["callback_data"])
        await self.flows.pump()
        return first.id, second.id

    async def expect(self, contains: str | None = None, *, timeout: float = 0) -> ChatMessage:
        return await super().expect(contains, timeout=timeout)

    async def expect_document(self, timeout: float = 0) -> ChatMessage:
        return await super().expect_document(timeout)

    async def expect_deleted(
        self, message_id: int | None = None, timeout: float = 0
    ) -> ChatMessage:
        return await super().expect_deleted(message_id, timeout)

    async def quiet(self, seconds: float = 0) -> None:
        await super().quiet(0)

    def answer_of(self, query_id: str) -> str:
        """The text of the bot's answer to a callback query ("" when answered silently)."""
        answer = self.callback_answer(query_id)
        assert answer is not None, f"callback query {query_id} was never answered"
        return str(answer.get("text") or "")


class Flows:
    """The bot without its transport: database (demo data), dispatcher, recording bot."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.clock = MovableClock()
        self.playground = PlaygroundState(PLAYGROUND_TOKEN)
        self.session = RecordingSession(self.playground)
        self.session.middleware(PinnedResponses())
        self.session.middleware(ResilientRequests())
        self.bot = Bot(
            PLAYGROUND_TOKEN,
            session=self.session,
            default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
        )
        self.translator = Translator(tz=settings.timezone)
        self.ctx: AppContext
        self.dp: Dispatcher
        self._users: dict[int, FlowUser] = {}

    async def start(self, *, seed: bool = True) -> None:
        self.ctx = await open_context(self.settings, clock=self.clock)
        if seed:
            await seed_demo(self.ctx)
        self.dp = build_dispatcher(self.ctx, self.translator)

    async def restart(self) -> None:
        """A new process: a fresh context, storage and dispatcher on the same database."""
        await self.dp.storage.close()
        await self.ctx.db.dispose()
        self.ctx = await open_context(self.settings, clock=self.clock)
        self.dp = build_dispatcher(self.ctx, self.translator)

    async def stop(self) -> None:
        await self.dp.storage.close()
        await self.ctx.db.dispose()

    async def pump(self) -> None:
        """Feed every queued update to the dispatcher, in order, as Telegram would deliver them."""
        queue = self.playground.updates
        while queue.pending:
            raw = queue.pending.pop(0)
            update = Update.model_validate(raw, context={"bot": self.bot})
            await self.dp.feed_update(self.bot, update)

    def user(self, telegram_id: int, first_name: str | None = None, **kwargs: Any) -> FlowUser:
        if telegram_id not in self._users:
            if first_name is None:
                first_name = next(
                    (p.first_name for p in DEMO_PEOPLE if p.telegram_id == telegram_id), "테스터"
                )
            person = self.playground.user(telegram_id, first_name, **kwargs)
            self._users[telegram_id] = FlowUser(self, person)
        return self._users[telegram_id]

    def requests(self, method: str) -> list[TelegramMethod[Any]]:
        """Recorded requests of one Bot API method (``SendMessage``, ``EditMessageText``…)."""
        return [r for r in self.session.requests if type(r).__name__ == method]


async def lapsed_second_factor(flows: Flows, telegram_id: int) -> str:
    """``telegram_id`` enrolled in the second factor, its last code just expired (the next
    staff action asks for a code); returns the secret."""
    flows.clock.set(datetime.now(UTC))
    secret = await grant_second_factor(flows.ctx, telegram_id)
    flows.clock.advance(timedelta(hours=flows.settings.totp_valid_hours, minutes=1))
    return secret
