"""The playground's webhook delivery, against a bare receiver (no bot): what Telegram does."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from bot.playground.api_misc import WEBHOOK_ACTIVE
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN
from tests.scaleout.helpers import bot_api, until


@dataclass
class Receiver:
    """A webhook endpoint that records what arrives and answers as told."""

    seen: list[tuple[int, int, str | None]] = field(default_factory=list)  # update, chat, secret
    fail: dict[int, int] = field(default_factory=dict)  # chat id → answer 500 this many times
    hold: dict[int, asyncio.Event] = field(default_factory=dict)  # chat id → wait for it
    port: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        update: dict[str, Any] = await request.json()
        chat = (update.get("message") or {}).get("chat", {}).get("id", 0)
        self.seen.append(
            (update["update_id"], chat, request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        if chat in self.hold:
            await self.hold[chat].wait()
        if self.fail.get(chat, 0) > 0:
            self.fail[chat] -= 1
            return web.Response(status=500)
        return web.json_response({})

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    app = web.Application()
    app.router.add_post("/hook", rec.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    rec.port = runner.addresses[0][1]
    yield rec
    for event in rec.hold.values():
        event.set()
    await runner.cleanup()


@pytest.fixture
async def playground() -> AsyncIterator[PlaygroundServer]:
    server = PlaygroundServer(PLAYGROUND_TOKEN)
    await server.start()
    yield server
    await server.stop()


async def test_set_webhook_checks_like_telegram(playground: PlaygroundServer) -> None:
    status, body = await bot_api(playground, "setWebhook", url="http://bot.example.org/hook")
    assert (status, body["description"]) == (
        400,
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    )
    status, body = await bot_api(
        playground, "setWebhook", url="https://bot.example.org/hook", secret_token="a b+c"
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: secret token contains unallowed characters",
    )
    assert playground.webhook == {"url": ""}


async def test_delivery_redelivery_and_order(
    playground: PlaygroundServer, receiver: Receiver
) -> None:
    delivery = playground.webhook_delivery
    status, _ = await bot_api(
        playground, "setWebhook", url=receiver.url(), secret_token="s3cret", max_connections=5
    )
    assert status == 200
    status, body = await bot_api(playground, "getUpdates")
    assert (status, body["description"]) == (409, WEBHOOK_ACTIVE)

    slow, quick = playground.user(1001, "느린"), playground.user(1002, "빠른")
    receiver.fail[1001] = 2  # the first two tries of 1001's first update get a 500
    await slow.send("하나")
    await slow.send("둘")
    await quick.send("셋")
    await until(lambda: len(delivery.delivered()) == 3, what="three updates accepted")
    first, second, third = (playground.updates.next_id - 3 + i for i in range(3))
    by_chat = {chat: [uid for uid, c, _ in receiver.seen if c == chat] for chat in (1001, 1002)}
    # the same update again until accepted; the chat's next one only after it
    assert by_chat[1001] == [first, first, first, second]
    assert by_chat[1002] == [third]
    assert {secret for _, _, secret in receiver.seen} == {"s3cret"}
    assert not playground.updates.pending
    _, info = await bot_api(playground, "getWebhookInfo")
    result = info["result"]
    assert result["url"] == receiver.url() and result["pending_update_count"] == 0
    assert result["last_error_message"].startswith("Wrong response from the webhook: 500")
    assert result["max_connections"] == 5

    # a chat whose update is still being handled does not hold up the others
    receiver.hold[1001] = asyncio.Event()
    await slow.send("넷")
    await quick.send("다섯")
    await until(lambda: len(delivery.delivered()) == 4, what="the other chat's update")
    assert receiver.seen[-1][1] == 1002
    receiver.hold[1001].set()
    await until(lambda: len(delivery.delivered()) == 5, what="the held update")

    # deleteWebhook: updates wait for getUpdates again
    assert (await bot_api(playground, "deleteWebhook"))[0] == 200
    await slow.send("여섯")
    status, body = await bot_api(playground, "getUpdates")
    assert status == 200 and [u["message"]["text"] for u in body["result"]] == ["여섯"]
    assert len(receiver.seen) == 7
