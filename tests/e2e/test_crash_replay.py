"""The real bot process killed (SIGKILL) at several moments of a step, then started again:
every update is answered once and its change applied once (bot/updates, the update inbox).

The moments are made deterministic by the playground: a Bot API method that hangs holds the bot
at a known point of the handler while the test kills it. Between moments the test waits until
the step's update is finished in the inbox (its closing write committed): a kill after a reply
was sent but before that write is the one moment where a reply is sent again on replay
(documented in README, Deployment), and no moment here may land there by chance.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.config import Settings
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN
from bot.services.context import AppContext, open_context
from bot.services.demo import seed_demo
from bot.storage.models import AuditLog, Participant, UpdateInbox
from tests.scaleout.conftest import worker_env
from tests.scaleout.helpers import shown_bot_texts

PERSON = 7_300_001
CONSENT = "개인정보 수집·이용 동의"
AGREE = "✅ 필수 항목에 동의합니다"
OPTIONAL = "선택 항목 동의"
AGREE_OPTIONAL = "소식 받기에 동의"
SAVED = "동의 내용을 저장했습니다"
HELP = "도움말"
# How long a start may take: importing the bot took 50-100 s of wall time on two cores at load 16.
START_SECONDS = 300


class BotProcess:
    def __init__(self, settings: Settings, playground: PlaygroundServer, log: Path) -> None:
        self.env = worker_env(settings, playground.base_url)
        self.playground = playground
        self.log = log
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        seen = self.playground.updates.polls_started
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", env=self.env, stdout=out, stderr=out
            )
        await _until(
            lambda: self.playground.updates.polls_started > seen, START_SECONDS, self.output
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def _until(condition: object, timeout: float, why: object = "") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()  # type: ignore[operator]
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        assert loop.time() < deadline, why() if callable(why) else why
        await asyncio.sleep(0.05)


async def _recorded(ctx: AppContext) -> int:
    async with ctx.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(UpdateInbox)) or 0)


async def _participant(ctx: AppContext) -> Participant | None:
    async with ctx.db.session() as session:
        return await session.scalar(select(Participant).where(Participant.telegram_id == PERSON))


async def _settled(ctx: AppContext) -> bool:
    """Every recorded update finished (the last step's closing write committed)."""
    async with ctx.db.session() as session:
        left = await session.scalar(select(func.count()).where(UpdateInbox.finished_at.is_(None)))
    return left == 0


async def test_killed_at_several_moments_every_update_answered_once(
    settings: Settings, tmp_path: Path
) -> None:
    await killed_at_several_moments(settings, tmp_path)


async def killed_at_several_moments(settings: Settings, tmp_path: Path, wait: float = 20) -> None:
    """The scenario; tests/scaleout/test_crash_replay_redis.py runs it with Redis (``wait``: how
    long a reply after a restart may take — with Redis the dead process's lock must expire)."""
    playground = PlaygroundServer(PLAYGROUND_TOKEN)
    await playground.start()
    ctx = await open_context(settings)
    await seed_demo(ctx)
    bot = BotProcess(settings, playground, tmp_path / "bot.log")
    try:
        await bot.start()
        person = playground.user(PERSON, "재시작청년")
        await person.send("/start")
        await person.expect(CONSENT, timeout=20)
        await _until(lambda: _settled(ctx), 20, bot.output)

        # 1. recorded, nothing done yet: the bot hangs on its first call (the callback answer)
        recorded = await _recorded(ctx)
        answers = playground.stats.per_method["answerCallbackQuery"]
        playground.outage(120, "timeout", frozenset({"answerCallbackQuery"}))
        await person.click(AGREE)
        await _until(lambda: answers < playground.stats.per_method["answerCallbackQuery"], 20)
        assert await _recorded(ctx) == recorded + 1
        await bot.kill()
        playground.outage(0)
        await bot.start()
        await person.expect(OPTIONAL, timeout=wait)
        await _until(lambda: _settled(ctx), 20, bot.output)  # replayed, and closed
        first = await _participant(ctx)
        assert first is not None and first.consent_required_at is not None

        # 2. the service's change is committed, its reply hangs: killed between the two
        sends = playground.stats.per_method["sendMessage"]
        playground.outage(120, "timeout", frozenset({"sendMessage"}))
        await person.click(AGREE_OPTIONAL)
        await _until(lambda: sends < playground.stats.per_method["sendMessage"], 20, bot.output)
        changed = await _participant(ctx)
        assert changed is not None and changed.consent_optional is True  # before the reply
        await bot.kill()
        playground.outage(0)
        await bot.start()
        await person.expect(SAVED, timeout=wait)
        await _until(lambda: _settled(ctx), 20, bot.output)

        # 3. killed after a step finished: nothing is replayed
        await person.send("/help")
        await person.expect(timeout=20)
        await _until(lambda: _settled(ctx), 20, bot.output)
        await bot.kill()
        await bot.start()
        await person.send("/help")
        await person.expect(timeout=20)
        await _until(lambda: _settled(ctx), 20, bot.output)

        texts = shown_bot_texts(person.chat.events)  # a consent step edits into the next
        for marker in (CONSENT, OPTIONAL, SAVED):
            assert sum(marker in t for t in texts) == 1, person.transcript() + bot.output()
        after = await _participant(ctx)
        assert after is not None and after.id == first.id
        assert after.consent_required_at == first.consent_required_at  # applied once
        async with ctx.db.session() as session:
            people = await session.scalar(
                select(func.count()).where(Participant.telegram_id == PERSON)
            )
            consents = await session.scalar(
                select(func.count()).where(
                    AuditLog.action == "consent.give", AuditLog.actor_id == PERSON
                )
            )
        # one audit row per step (required, then optional): the replayed optional step found
        # its change done and wrote nothing
        assert (people, consents) == (1, 2)
    finally:
        await bot.stop()
        await ctx.db.dispose()
        await playground.stop()
