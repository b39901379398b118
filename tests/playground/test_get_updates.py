"""getUpdates over raw HTTP: offsets confirm, long polling waits, limits and conflicts."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp

from bot.playground.server import PlaygroundServer

from .conftest import TOKEN


async def get_updates(http: aiohttp.ClientSession, server: PlaygroundServer, **params: Any) -> Any:
    url = f"{server.base_url}/bot{TOKEN}/getUpdates"
    async with http.post(url, json=params) as response:
        return response.status, await response.json()


async def test_offset_confirms_and_long_poll_waits(server: PlaygroundServer) -> None:
    person = server.user(1001, "김참여")
    await person.send("하나")
    await person.send("둘")
    async with aiohttp.ClientSession() as http:
        _, body = await get_updates(http, server)
        updates = body["result"]
        assert [u["message"]["text"] for u in updates] == ["하나", "둘"]
        assert updates[1]["update_id"] == updates[0]["update_id"] + 1
        assert updates[0]["message"]["from"] == {
            "id": 1001,
            "is_bot": False,
            "first_name": "김참여",
            "language_code": "ko",
        }
        # Not confirmed yet: the same updates come again.
        _, again = await get_updates(http, server, limit=1)
        assert again["result"] == updates[:1]
        last = updates[-1]["update_id"]
        started = time.monotonic()
        _, empty = await get_updates(http, server, offset=last + 1, timeout=1)
        assert empty["result"] == [] and time.monotonic() - started >= 0.9
        # A long poll returns as soon as something arrives.
        waiting = asyncio.create_task(get_updates(http, server, offset=last + 1, timeout=5))
        await asyncio.sleep(0.1)
        started = time.monotonic()
        await person.send("셋")
        _, body = await waiting
        assert time.monotonic() - started < 1
        assert [u["message"]["text"] for u in body["result"]] == ["셋"]
        assert server.updates.pending  # still pending until confirmed
        await get_updates(http, server, offset=body["result"][0]["update_id"] + 1)
        assert server.updates.pending == []


async def test_form_encoded_requests_and_conflicts(server: PlaygroundServer) -> None:
    server.user(1001)
    async with aiohttp.ClientSession() as http:
        url = f"{server.base_url}/bot{TOKEN}/sendMessage"
        form = {
            "chat_id": "1001",
            "text": "<b>폼</b>",
            "parse_mode": "HTML",
            "reply_markup": '{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]}',
        }
        async with http.post(url, data=form) as response:
            result = (await response.json())["result"]
        assert result["text"] == "폼" and result["reply_markup"]["inline_keyboard"][0][0]["text"]
        assert server.calls[-1].params["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
        async with http.get(url, params={"chat_id": "1001", "text": "GET도 됩니다"}) as response:
            assert (await response.json())["ok"]
        # A second getUpdates ends the first one with Telegram's 409.
        first = asyncio.create_task(get_updates(http, server, timeout=5))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(get_updates(http, server, timeout=0))
        status, body = await first
        assert status == 409 and body["description"].startswith("Conflict: terminated by other")
        await second
        async with http.post(
            f"{server.base_url}/bot{TOKEN}/setWebhook", json={"url": "https://example.com/hook"}
        ) as response:
            assert (await response.json())["result"] is True
        status, body = await get_updates(http, server)
        assert status == 409 and "webhook is active" in body["description"]


async def test_file_size_limits(server: PlaygroundServer) -> None:
    person = server.user(1001)
    sent = await person.send_document("big.bin", b"\0" * (20 * 1024 * 1024 + 1))
    async with aiohttp.ClientSession() as http:
        url = f"{server.base_url}/bot{TOKEN}/getFile"
        async with http.post(url, json={"file_id": sent["document"]["file_id"]}) as response:
            body = await response.json()
        assert body == {
            "ok": False,
            "error_code": 400,
            "description": "Bad Request: file is too big",
        }
        form = aiohttp.FormData()
        form.add_field("chat_id", "1001")
        form.add_field("document", b"\0" * (50 * 1024 * 1024 + 1), filename="huge.bin")
        async with http.post(f"{server.base_url}/bot{TOKEN}/sendDocument", data=form) as response:
            assert response.status == 413
            assert (await response.json())["description"] == "Request Entity Too Large"
