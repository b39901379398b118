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
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bot.config import Settings
from bot.i18n import Translator
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN, open_context
from bot.scheduler.outbox_sender import OutboxSender
from bot.services import outbox
from bot.services.context import AppContext
from bot.storage.models import OutboxMessage

from .procs import data_key, sqlite_url
from .report import figure

GROUP = "fanout"
RATE_TARGET = 28.0
FIRST_CHAT = 6_000_000
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
                    "roster.selected",
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
    ctx: AppContext, server: PlaygroundServer, total: int
) -> tuple[float, Counter[str]]:
    """Run the sender until every row is settled (or nothing moves for STALL seconds)."""
    sender = OutboxSender.for_api(ctx, PLAYGROUND_TOKEN, server.base_url, Translator())
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


async def run(url: str | None, total: int, quick: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        workdir = Path(tmp)
        settings = settings_for(url or sqlite_url(workdir, "fanout.sqlite3"), workdir / "data")
        ctx = await open_context(settings)
        server = PlaygroundServer(PLAYGROUND_TOKEN, rate_limit=True, rate_limit_slack=0.0)
        await server.start()
        try:
            chats = [FIRST_CHAT + i for i in range(total)]
            for chat_id in chats:
                server.register_user(chat_id, f"참여자{chat_id - FIRST_CHAT}")
            queued_at = time.perf_counter()
            await enqueue_notices(ctx, chats)
            enqueue_s = time.perf_counter() - queued_at
            elapsed, counts = await deliver(ctx, server, total)
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
    report(total, quick, elapsed, enqueue_s, counts, sent, span, per_chat, server)


def report(
    total: int,
    quick: bool,
    elapsed: float,
    enqueue_s: float,
    counts: Counter[str],
    sent: int,
    span: float,
    per_chat: Counter[int],
    server: PlaygroundServer,
) -> None:
    rate = (sent - 1) / span if span > 0 else 0.0
    from bot.scheduler import ratelimit

    margin = getattr(ratelimit, "MARGIN", None)
    why = ""
    if rate < RATE_TARGET:
        why = "below target"
        if margin:
            ceiling = 30 / (1 + margin)
            why += (
                f": the sender spaces sends {margin:.0%} wider than the 30/s cap "
                f"(bot/scheduler/ratelimit.py MARGIN = {margin}), a ceiling of {ceiling:.1f} "
                f"msg/s; a margin of <= 6 % (ceiling >= 28.3/s) would meet the target"
            )
    figure(
        GROUP,
        "throughput",
        rate,
        "msg/s",
        at_least=RATE_TARGET,
        notes=(
            f"{sent} of {total} notices to {total} chats delivered; steady rate between the "
            f"first and last send ({span:.1f} s); {total / elapsed:.1f} msg/s over the whole "
            f"{elapsed:.1f} s run; playground: 30/s overall, 1/s per chat, slack 0"
            + ("; --quick" if quick else "")
            + (f"; {why}" if why else "")
        ),
    )
    figure(
        GROUP,
        "rejected_429",
        server.stats.rejected_429,
        "responses",
        notes="429 Too Many Requests the playground answered (each waited out and retried)",
    )
    duplicates = sum(n - 1 for n in per_chat.values() if n > 1)
    figure(
        GROUP,
        "duplicates",
        duplicates,
        "messages",
        equal=0,
        notes="messages beyond the first in a chat",
    )
    unsettled = total - counts["sent"]
    no_message = sum(1 for n in per_chat.values() if n == 0)
    figure(
        GROUP,
        "lost",
        max(unsettled, no_message),
        "notices",
        equal=0,
        notes=(
            f"rows not marked sent: {unsettled} (statuses {dict(counts)}); chats without the "
            f"notice: {no_message}"
        ),
    )
    figure(
        GROUP,
        "enqueue",
        total / enqueue_s if enqueue_s else 0.0,
        "rows/s",
        notes=f"outbox.enqueue of {total} rows in transactions of 1000: {enqueue_s:.1f} s",
    )
