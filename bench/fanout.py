"""Group 2 — fan-out: the outbox delivering one notice to each of N chats within Telegram's caps.

The playground enforces 30 messages/s overall and 1/s per chat, strictly (``rate_limit_slack``
0: a send counts for the full second). Rows are queued with ``bot.services.outbox.enqueue`` (the
roster-confirmation notice, as ``selection.confirm_roster`` writes it) and delivered by the bot's
own ``OutboxSender`` (``OutboxSender.for_api``, as ``BotRuntime`` builds it) in this process.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, func, select

from bot.config import Settings
from bot.i18n import Translator
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN, open_context
from bot.scheduler import ratelimit
from bot.scheduler.outbox_sender import OutboxSender, build_sender_bot
from bot.scheduler.ratelimit import LocalLimiter
from bot.services import outbox
from bot.services.context import AppContext
from bot.storage.models import OutboxMessage

from .procs import data_key, sqlite_url
from .report import figure

GROUP = "fanout"
RATE_TARGET = 29.0
FIRST_CHAT = 6_000_000
KIND = "roster.selected"
PROBE_MARGIN = 0.05
PROBE_NOTICES = 600
STALL = 60.0  # seconds without a delivery → give up (the figures then show what was lost)


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=PLAYGROUND_TOKEN,
        database_url=url,
        data_dir=data_dir,
        data_key=data_key(),
        scheduler_enabled=False,
    )


async def enqueue_notices(ctx: AppContext, chats: list[int], chunk: int = 1000) -> None:
    params = {
        "program": "IT 사무지원 인턴십",
        "agency": "(사)청년일경험지원협회",
        "address": "서울특별시 중구 세종대로 110, 5층",
        "start": date(2026, 7, 1).isoformat(),
        "end": date(2026, 9, 30).isoformat(),
    }
    for offset in range(0, len(chats), chunk):
        async with ctx.db.session() as session:
            for chat_id in chats[offset : offset + chunk]:
                await outbox.enqueue(
                    session,
                    chat_id,
                    KIND,
                    "selection.notice_selected",
                    params=params,
                    dedupe_key=f"bench.roster.selected:{chat_id}",
                    entity="application",
                    entity_id=chat_id,
                )


async def _statuses(ctx: AppContext) -> Counter[str]:
    async with ctx.db.session() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return Counter({status: int(n) for status, n in rows.all()})


async def deliver(
    ctx: AppContext, server: PlaygroundServer, total: int, margin: float | None = None
) -> tuple[float, Counter[str]]:
    """Run the sender until every row is settled (or nothing moves for STALL seconds).

    ``margin`` None: the sender exactly as the bot builds it; else a LocalLimiter with that
    margin (an experiment)."""
    translator = Translator()
    if margin is None:
        sender = OutboxSender.for_api(ctx, PLAYGROUND_TOKEN, server.base_url, translator)
    else:
        settings = ctx.settings
        limiter = LocalLimiter(
            settings.outbox_global_per_second, settings.outbox_per_chat_per_second, margin=margin
        )
        bot = build_sender_bot(PLAYGROUND_TOKEN, server.base_url)
        sender = OutboxSender(ctx, bot, translator, limiter=limiter, owns_bot=True)
    started = time.perf_counter()
    task = asyncio.create_task(sender.run(), name="bench-outbox-sender")
    last_progress, last_done = time.perf_counter(), -1
    try:
        while True:
            await asyncio.sleep(1.0)
            counts = await _statuses(ctx)
            done = counts["sent"] + counts["failed"] + counts["skipped"]
            if done != last_done:
                last_progress, last_done = time.perf_counter(), done
            if done >= total or time.perf_counter() - last_progress > STALL:
                break
            if task.done():
                break
    finally:
        elapsed = time.perf_counter() - started
        sender.stop()
        await asyncio.wait_for(task, 60)
        await sender.close()
    return elapsed, await _statuses(ctx)


async def _sent_span(ctx: AppContext) -> tuple[int, float]:
    async with ctx.db.session() as session:
        first, last, n = (
            await session.execute(
                select(
                    func.min(OutboxMessage.sent_at),
                    func.max(OutboxMessage.sent_at),
                    func.count(),
                ).where(OutboxMessage.status == "sent")
            )
        ).one()
    span = (last - first).total_seconds() if first and last else 0.0
    return int(n), span


@dataclass
class Fanout:
    total: int
    elapsed: float
    enqueue_s: float
    counts: Counter[str]
    sent: int
    span: float
    per_chat: Counter[int]
    rejected_429: int

    @property
    def rate(self) -> float:
        """Steady rate: sends between the first and the last one."""
        return (self.sent - 1) / self.span if self.span > 0 else 0.0


async def fan_out(url: str | None, total: int, margin: float | None = None) -> Fanout:
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        workdir = Path(tmp)
        settings = settings_for(url or sqlite_url(workdir, "fanout.sqlite3"), workdir / "data")
        ctx = await open_context(settings)
        server = PlaygroundServer(PLAYGROUND_TOKEN, rate_limit=True, rate_limit_slack=0.0)
        await server.start()
        try:
            await _clear(ctx)
            chats = [FIRST_CHAT + i for i in range(total)]
            for chat_id in chats:
                server.register_user(chat_id, f"참여자{chat_id - FIRST_CHAT}")
            queued_at = time.perf_counter()
            await enqueue_notices(ctx, chats)
            enqueue_s = time.perf_counter() - queued_at
            elapsed, counts = await deliver(ctx, server, total, margin)
            sent, span = await _sent_span(ctx)
            per_chat = Counter(
                {
                    chat_id: sum(
                        1 for e in server.chats[chat_id].events if e.from_bot and e.event == "new"
                    )
                    for chat_id in chats
                }
            )
        finally:
            await server.stop()
            await ctx.db.dispose()
    return Fanout(
        total, elapsed, enqueue_s, counts, sent, span, per_chat, server.stats.rejected_429
    )


async def _clear(ctx: AppContext) -> None:
    """A given --database-url may hold an earlier run's rows: start from an empty outbox."""
    async with ctx.db.session() as session:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.kind == KIND))


async def run(url: str | None, total: int, quick: bool) -> None:
    result = await fan_out(url, total)
    report(result, quick)
    # what would fix a rate below target: the same sender with a narrower safety margin
    if result.rate < RATE_TARGET:
        probe = await fan_out(None, min(total, PROBE_NOTICES), margin=PROBE_MARGIN)
        figure(
            GROUP,
            f"margin_{PROBE_MARGIN:g}.throughput",
            probe.rate,
            "msg/s",
            at_least=RATE_TARGET,
            notes=(
                f"EXPERIMENT: OutboxSender with LocalLimiter(margin={PROBE_MARGIN}) instead of "
                f"{ratelimit.MARGIN}; {probe.sent} of {probe.total} delivered, "
                f"{probe.rejected_429} x 429, "
                f"{sum(n - 1 for n in probe.per_chat.values() if n > 1)} duplicates "
                f"(temp SQLite, strict playground)"
            ),
        )


def report(result: Fanout, quick: bool) -> None:
    rate = result.rate
    margin = getattr(ratelimit, "MARGIN", None)
    why = ""
    if rate < RATE_TARGET:
        why = "below target"
        if margin:
            ceiling = 30 / (1 + margin)
            why += (
                f": the sender spaces sends {margin:.0%} wider than the 30/s cap "
                f"(bot/scheduler/ratelimit.py MARGIN = {margin}), a ceiling of {ceiling:.1f} "
                f"msg/s; a margin of <= 6 % (ceiling >= 28.3/s) would meet the target "
                f"(see margin_{PROBE_MARGIN:g}.throughput)"
            )
    total = result.total
    figure(
        GROUP,
        "throughput",
        rate,
        "msg/s",
        at_least=RATE_TARGET,
        notes=(
            f"{result.sent} of {total} notices to {total} chats delivered; steady rate between "
            f"the first and last send ({result.span:.1f} s); {total / result.elapsed:.1f} msg/s "
            f"over the whole {result.elapsed:.1f} s run; playground: 30/s overall, 1/s per "
            "chat, slack 0" + ("; --quick" if quick else "") + (f"; {why}" if why else "")
        ),
    )
    figure(
        GROUP,
        "rejected_429",
        result.rejected_429,
        "responses",
        notes="429 Too Many Requests the playground answered (each waited out and retried)",
    )
    duplicates = sum(n - 1 for n in result.per_chat.values() if n > 1)
    figure(
        GROUP,
        "duplicates",
        duplicates,
        "messages",
        equal=0,
        notes="messages beyond the first in a chat",
    )
    unsettled = total - result.counts["sent"]
    no_message = sum(1 for n in result.per_chat.values() if n == 0)
    figure(
        GROUP,
        "lost",
        max(unsettled, no_message),
        "notices",
        equal=0,
        notes=(
            f"rows not marked sent: {unsettled} (statuses {dict(result.counts)}); chats "
            f"without the notice: {no_message}"
        ),
    )
    figure(
        GROUP,
        "enqueue",
        total / result.enqueue_s if result.enqueue_s else 0.0,
        "rows/s",
        notes=(
            f"outbox.enqueue of {total} rows in transactions of 1000: {result.enqueue_s:.1f} s"
        ),
    )
