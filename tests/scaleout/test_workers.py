"""Two webhook workers — one a real ``python -m bot run`` process — on one PostgreSQL database
and one Redis.

The playground delivers by webhook to a round-robin proxy that also hands every update to the
*other* worker at the same moment (Telegram redelivering to another instance). Several people go
through a three-step flow at once; then one worker is stopped mid-conversation. Every update must
be handled exactly once and no conversation may lose its place.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import IO

import aiohttp
from sqlalchemy import func, select

from bot.config import Settings
from bot.playground.driver import PlaygroundUser
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN, BotRuntime
from bot.services.context import open_context
from bot.services.demo import seed_demo
from bot.storage.models import Participant, UpdateInbox
from tests.scaleout.conftest import free_port, make_settings, worker_env
from tests.scaleout.helpers import shown_bot_texts, until
from tests.scaleout.proxy import RoundRobinProxy

SECRET = "fleet-secret_42"
CONSENT = "개인정보 수집·이용 동의"
AGREE = "✅ 필수 항목에 동의합니다"
OPTIONAL = "선택 항목 동의"
SAVED = "동의 내용을 저장했습니다"


class Worker:
    def __init__(self, settings: Settings, api_base: str, log_path: Path) -> None:
        self.settings = settings
        self.api_base = api_base
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.webhook_port}/healthz"

    async def start(self, cwd: Path) -> None:
        self._log = self.log_path.open("wb")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=worker_env(self.settings, self.api_base),
            cwd=cwd,
            stdout=self._log,
            stderr=self._log,
        )

    async def healthy(self) -> bool:
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(self.health_url, timeout=aiohttp.ClientTimeout(total=1)) as response,
            ):
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._log is not None:
            self._log.close()
        return self.process.returncode

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


async def _wait_ready(worker: Worker, playground: PlaygroundServer) -> None:
    """Until the process answers /healthz and has set the webhook (the other worker did too)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while not (await worker.healthy() and len(playground.calls_of("setWebhook")) >= 2):
        assert worker.process is not None
        assert worker.process.returncode is None, "the worker exited:\n" + worker.output()
        assert loop.time() < deadline, "the worker is not ready:\n" + worker.output()
        await asyncio.sleep(0.05)


async def _onboard(person: PlaygroundUser, stop_before_last: asyncio.Event | None = None) -> None:
    await person.send("/start")
    await person.expect(CONSENT, timeout=10)
    await person.click(AGREE)
    await person.expect(OPTIONAL, timeout=10)
    if stop_before_last is not None:
        await stop_before_last.wait()
    await person.click("받지 않음")
    await person.expect(SAVED, timeout=10)


def _assert_each_answer_once(person: PlaygroundUser) -> None:
    texts = shown_bot_texts(person.chat.events)  # a consent step edits into the next
    for marker in (CONSENT, OPTIONAL, SAVED):
        assert sum(marker in text for text in texts) == 1, (marker, person.transcript())


async def test_two_workers_handle_every_update_once(
    pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    proxy = RoundRobinProxy([f"http://127.0.0.1:{p}" for p in ports], duplicate=True)
    playground = PlaygroundServer(PLAYGROUND_TOKEN)
    await proxy.start()
    await playground.start()
    settings = make_settings(
        pg_url,
        tmp_path,
        redis_url=redis_url,
        webhook_url=proxy.url("/telegram"),
        webhook_secret=SECRET,
        webhook_host="127.0.0.1",
        webhook_port=ports[0],
    )
    ctx = await open_context(settings)  # migrate and seed once; the process finds them ready
    await seed_demo(ctx)
    # worker 0 runs in this loop, worker 1 is a real process (aiogram takes seconds to import)
    process = Worker(
        settings.model_copy(update={"webhook_port": ports[1]}),
        playground.base_url,
        tmp_path / "worker.log",
    )
    in_loop: BotRuntime | None = None
    try:
        await process.start(tmp_path)
        in_loop = BotRuntime(ctx, PLAYGROUND_TOKEN, playground.base_url)
        await in_loop.start()
        await _wait_ready(process, playground)
        assert playground.webhook == {"url": proxy.url("/telegram"), "secret_token": SECRET}

        # several people at once, every update delivered to both workers
        people = [playground.user(557100 + i, f"동시청년{i}") for i in range(6)]
        await asyncio.gather(*(_onboard(p) for p in people))

        # one more person; the process stops (SIGTERM) while their conversation is half done
        late = playground.user(557200, "늦은청년")
        half_done = asyncio.Event()
        flow = asyncio.create_task(_onboard(late, stop_before_last=half_done))
        await until(lambda: any(OPTIONAL in t for t in shown_bot_texts(late.chat.events)))
        assert await process.stop() == 0, process.output()
        half_done.set()
        await asyncio.wait_for(flow, 15)

        for person in [*people, late]:
            _assert_each_answer_once(person)
        updates = 3 * (len(people) + 1)
        # the reply goes out before the update's closing write: let the last one close
        for _ in range(100):
            async with ctx.db.session() as session:
                handled = await session.scalar(
                    select(func.count()).where(UpdateInbox.finished_at.is_not(None))
                )
            if handled >= updates:
                break
            await asyncio.sleep(0.05)
        async with ctx.db.session() as session:
            consented = await session.scalar(
                select(func.count()).where(
                    Participant.telegram_id.between(557100, 557200),
                    Participant.consent_required_at.is_not(None),
                )
            )
        assert (handled, consented) == (updates, len(people) + 1)
        served = {f.worker for f in proxy.forwards if f.status == 200}
        assert served == {0, 1}  # both workers took part
    finally:
        with contextlib.suppress(ProcessLookupError):
            await process.stop()
        if in_loop is not None:
            await in_loop.stop()
        await ctx.db.dispose()
        await playground.stop()
        await proxy.stop()
