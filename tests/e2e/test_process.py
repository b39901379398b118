"""True subprocess runs: `python -m bot run` against the playground, restarts, seed-demo."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN
from tests.conftest import TEST_KEY


def bot_env(db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update(
        DATABASE_URL=db_url,
        DATA_DIR=str(data_dir),
        DATA_KEY=TEST_KEY,
        CENTER_USER_IDS="3001",
        SCHEDULER_ENABLED="false",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


async def spawn(env: dict[str, str], cwd: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def wait_for_line(
    proc: asyncio.subprocess.Process, fragment: str, timeout: float = 90
) -> str:
    async def read() -> str:
        assert proc.stdout is not None
        seen = []
        while True:
            raw = await proc.stdout.readline()
            if not raw:
                raise AssertionError(
                    f"process ended before printing {fragment!r}:\n" + "".join(seen)
                )
            line = raw.decode()
            seen.append(line)
            if fragment in line:
                return line

    return await asyncio.wait_for(read(), timeout)


async def stop(proc: asyncio.subprocess.Process) -> int:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(proc.wait(), 20)
    except TimeoutError:
        proc.kill()
        raise


@pytest.fixture
async def playground() -> AsyncIterator[PlaygroundServer]:
    server = PlaygroundServer(PLAYGROUND_TOKEN)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_bot_process_with_token_talks_to_any_bot_api_server(
    playground: PlaygroundServer, db_url: str, tmp_path: Path
) -> None:
    env = bot_env(
        db_url,
        tmp_path / "data",
        BOT_TOKEN=PLAYGROUND_TOKEN,
        TELEGRAM_API_BASE=playground.base_url,
    )
    seed = await spawn(env, tmp_path, "seed-demo")  # an empty database gets the demo data
    assert "demo data loaded" in await wait_for_line(seed, "demo data")
    assert await seed.wait() == 0
    proc = await spawn(env, tmp_path, "run")
    try:
        await wait_for_line(proc, "Bot is running")
        person = playground.user(777001, "프로세스")
        await person.send("/start")
        await person.expect("개인정보 수집·이용 동의", timeout=15)
        await person.click("✅ 필수 항목에 동의합니다")
        await person.expect("선택 항목 동의", timeout=15)
        assert await stop(proc) == 0
        # a new process resumes the conversation where it was
        proc = await spawn(env, tmp_path, "run")
        await wait_for_line(proc, "Bot is running")
        await person.click("받지 않음")
        await person.expect("동의 내용을 저장했습니다", timeout=15)
    finally:
        assert await stop(proc) == 0


async def test_make_run_without_token_serves_the_playground_page(
    db_url: str, tmp_path: Path
) -> None:
    """`python -m bot run` with no BOT_TOKEN: demo data, a local Bot API and the chat page."""
    import aiohttp

    env = bot_env(db_url, tmp_path / "data", PLAYGROUND_PORT="0")
    proc = await spawn(env, tmp_path, "run")
    try:
        line = await wait_for_line(proc, "Playground: open")
        url = line.split("open ", 1)[1].split()[0].rstrip("/")
        await wait_for_line(proc, "Bot is running")
        async with aiohttp.ClientSession() as http:
            async with http.get(url + "/") as page:
                assert page.status == 200
                assert "<html" in (await page.text()).lower()
            async with http.get(url + "/ui/identities") as resp:
                people = (await resp.json())["identities"]
            assert {p["user_id"] for p in people} >= {1001, 2001, 3001}
            async with http.post(url + "/ui/send", json={"user_id": 1001, "text": "/start"}):
                pass
            texts: list[str] = []
            version = -1
            for _ in range(20):
                async with http.get(
                    url + "/ui/chat", params={"user_id": 1001, "since": version, "wait": 2}
                ) as resp:
                    state = await resp.json()
                version = state["version"]
                texts = [m.get("html") or "" for m in state["messages"]]
                if any("개인정보 수집·이용 동의" in t for t in texts):
                    break
            assert any("청년일경험지원사업" in t for t in texts), texts
            assert any("개인정보 수집·이용 동의" in t for t in texts), texts
    finally:
        assert await stop(proc) == 0
