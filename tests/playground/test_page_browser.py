"""The web chat page in a real headless Chromium (skipped when Chromium is not installed)."""

from __future__ import annotations

import asyncio
import itertools
import shutil
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.playground.server import PlaygroundServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
    pytest.mark.usefixtures("polling"),
]


class Tab:
    """Just enough of the Chrome DevTools protocol: navigate and evaluate JavaScript."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self.ids)
        await self.ws.send_json({"id": call_id, "method": method, "params": params})
        while True:
            message = await self.ws.receive_json()
            if message.get("id") == call_id:
                return message

    async def js(self, expression: str) -> Any:
        reply = await self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        result = reply["result"]
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    async def until(self, expression: str, timeout: float = 5.0) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (value := await self.js(expression)):
            assert loop.time() < deadline, f"page never satisfied: {expression}"
            await asyncio.sleep(0.05)
        return value


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def tab() -> AsyncIterator[Tab]:
    assert CHROMIUM is not None
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        f"--remote-debugging-port={port}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            targets: list[dict[str, Any]] = []
            for _ in range(200):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
                        targets = await response.json()
                    if targets:
                        break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                yield Tab(ws)
    finally:
        proc.terminate()
        await proc.wait()


MESSAGES = "[...document.querySelectorAll('.msg')].map(e => e.innerText).join('\\n')"


async def test_page_chat_buttons_and_upload(server: PlaygroundServer, tab: Tab) -> None:
    await tab.call("Page.navigate", url=server.page_url)
    await tab.until("document.querySelectorAll('.who').length === 2")
    await tab.js("document.querySelector('.who').click()")  # 김참여, the first identity
    await tab.until("document.getElementById('title').innerText.includes('1001')")
    await tab.js(
        "const t = document.getElementById('text'); t.value = '/start';"
        "document.getElementById('sendBtn').click()"
    )
    await tab.until(f"{MESSAGES}.includes('환영합니다, 김참여!')")
    await tab.js(
        "[...document.querySelectorAll('.kb button')].find(b => b.textContent === '확인').click()"
    )
    await tab.until(f"{MESSAGES}.includes('확인 완료')")
    assert await tab.until("document.getElementById('toast').textContent") == "확인됨"
    await tab.js(
        "const dt = new DataTransfer();"
        "dt.items.add(new File(['hello'], '서류.txt', {type: 'text/plain'}));"
        "const input = document.getElementById('file'); input.files = dt.files;"
        "input.dispatchEvent(new Event('change'))"
    )
    await tab.until(f"{MESSAGES}.includes('받음: 서류.txt 5')")
    person = server.user(1001)
    assert [m.text for m in person.messages][-1] == "받음: 서류.txt 5"
