"""Helpers for the scale-out tests: Bot API calls, crafted updates, waiting for a condition."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN

_update_ids = itertools.count(990_000_001)


async def bot_api(
    playground: PlaygroundServer, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    """Call the playground's Bot API as a bot would; returns (HTTP status, JSON body)."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{playground.base_url}/bot{PLAYGROUND_TOKEN}/{method}", json=params) as resp,
    ):
        return resp.status, await resp.json()


def text_update(user_id: int, first_name: str, text: str) -> dict[str, Any]:
    """A private-chat text message update, as Telegram would POST it."""
    person = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "ko"}
    message: dict[str, Any] = {
        "message_id": next(_update_ids) % 1_000_000,
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": first_name},
        "from": person,
        "text": text,
    }
    if text.startswith("/"):
        command = {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
        message["entities"] = [command]
    return {"update_id": next(_update_ids), "message": message}


async def post_update(url: str, update: dict[str, Any], secret: str | None) -> tuple[int, str]:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    async with aiohttp.ClientSession() as http, http.post(url, json=update, headers=headers) as r:
        return r.status, await r.text()


async def until(condition: Callable[[], bool], timeout: float = 5.0, what: str = "") -> None:
    """Wait for a condition another process or task makes true (checked every 10 ms)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        await asyncio.sleep(0.01)


def new_bot_texts(chat_events: list[Any]) -> list[str]:
    """Texts of the messages the bot sent (new ones, not edits), oldest first."""
    return [e.text or "" for e in chat_events if e.from_bot and e.event == "new"]


def shown_bot_texts(chat_events: list[Any]) -> list[str]:
    """The screens the bot showed: new messages, and a pressed form step's message edited into
    the next question (not the edit that writes the pressed answer under it, "→ …")."""
    return [
        e.text or ""
        for e in chat_events
        if e.from_bot and (e.event == "new" or (e.event == "edit" and "→" not in (e.text or "")))
    ]
