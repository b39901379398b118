"""Delivers outbox rows (see ``bot.services.outbox``) within Telegram's limits, exactly once.

    claim (one UPDATE; SKIP LOCKED on PostgreSQL) → a queue per chat → one worker per chat:
        wait for the budget (bot.scheduler.ratelimit) → send → mark sent at once
          429 retry_after → pause the whole budget, give the chat's rows back for later
          network / 5xx    → give back with exponential backoff; failed after MAX_ATTEMPTS
          403 unreachable  → User.blocked_at; the row and the person's waiting rows held until
                             they next write (never started the bot, or blocked it), then sent
                             with the time they were meant for
          400 and others   → a few quick retries (a chat still starting), then failed

Exactly once: a row is sent only while this worker holds its claim (renewed before sending when
the lease is half gone), the send and the "sent" mark run shielded from cancellation, and
unsent claims are given back at shutdown. A process killed outright leaves its claims to expire
after ``LEASE``; only a message whose API call was in flight at that instant can then go twice.

The sender has its own Bot session: the interactive session's request middleware waits out 429s
and retries network errors by itself, which would hide them from the budget and the retry
bookkeeping here. Only its text fallbacks (plain text on a markup error, splitting over-long
messages) are kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message
from sqlalchemy import update

from bot.i18n import Translator
from bot.keyboards.common import button
from bot.keyboards.registry import pack_button_data
from bot.scheduler.ratelimit import DeliveryLimiter, WindowGuard, acquire, build_limiter
from bot.services import outbox
from bot.services.context import AppContext
from bot.storage.models import OutboxMessage, StoredFile, User
from bot.telegram.resilience import ResilientRequests, strip_html
from bot.telegram.response_models import PinnedResponses

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # network errors and 5xx
MAX_REFUSED_ATTEMPTS = 4  # other refusals (400 …): 1 + 2 + 4 s of retries, then failed
BACKOFF_BASE = 1.0  # seconds; doubles per attempt
BACKOFF_MAX = 300.0
MAX_CAPTION = 1024
REQUEST_TIMEOUT = 30  # well inside the lease


def render_markup(
    translator: Translator, lang: str, payload: dict[str, Any]
) -> InlineKeyboardMarkup | None:
    rows = payload.get("buttons")
    if not rows:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                button(translator.get(lang, b["key"], **b.get("params", {})), pack_button_data(b))
                for b in row
            ]
            for row in rows
        ]
    )


def build_sender_bot(token: str, api_base: str) -> Bot:
    """A Bot of its own: text fallbacks only, no waiting on 429 nor retrying (done here)."""
    session = AiohttpSession(
        api=TelegramAPIServer.from_base(api_base, is_local=False), timeout=REQUEST_TIMEOUT
    )
    session.middleware(PinnedResponses())
    session.middleware(ResilientRequests(budget=0, flood_attempts=1))
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def backoff(attempts: int) -> float:
    return min(BACKOFF_MAX, BACKOFF_BASE * float(2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Outcome:
    kind: str  # sent | lost_claim | held | failed | blocked | retry
    retry_at: datetime | None = None


class OutboxSender:
    def __init__(
        self,
        ctx: AppContext,
        bot: Bot,
        translator: Translator,
        *,
        limiter: DeliveryLimiter | None = None,
        worker_id: str | None = None,
        owns_bot: bool = False,
    ) -> None:
        settings = ctx.settings
        self.ctx = ctx
        self.bot = bot
        self.translator = translator
        self.limiter = limiter or build_limiter(
            settings.outbox_global_per_second, settings.outbox_per_chat_per_second
        )
        self.worker_id = (
            worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        )
        self.guard = WindowGuard(
            settings.outbox_global_per_second, settings.outbox_per_chat_per_second
        )
        self.owns_bot = owns_bot
        self.lease = outbox.LEASE
        self.poll_interval = 0.25
        # about two seconds of budget in hand; at most ~5 s of one chat's rows per claim
        self.batch = max(20, int(settings.outbox_global_per_second * 2))
        self.per_chat_claim = max(1, round(settings.outbox_per_chat_per_second * 5))
        self._queues: dict[int, deque[OutboxMessage]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._inflight: set[asyncio.Task[Outcome]] = set()
        self._stop = asyncio.Event()

    @classmethod
    def for_api(
        cls, ctx: AppContext, token: str, api_base: str, translator: Translator
    ) -> OutboxSender:
        """The sender of a running bot: its own session; a Redis budget when REDIS_URL is set."""
        settings = ctx.settings
        limiter = build_limiter(
            settings.outbox_global_per_second,
            settings.outbox_per_chat_per_second,
            redis_url=settings.redis_url,
            namespace=f"outbox:{token.split(':', 1)[0]}",
        )
        bot = build_sender_bot(token, api_base)
        return cls(ctx, bot, translator, limiter=limiter, owns_bot=True)

    # ----- the loop ------------------------------------------------------------------------
    async def run(self) -> None:
        try:
            while not self._stop.is_set():
                claimed = 0
                if self.queued() < self.batch:
                    try:
                        claimed = await self._claim_shielded()
                    except Exception:
                        log.exception("outbox: claiming rows failed; trying again shortly")
                if claimed == 0:
                    try:
                        await asyncio.wait_for(self._stop.wait(), self.poll_interval)
                    except TimeoutError:
                        pass
                else:
                    await asyncio.sleep(0)
        finally:
            await self._shutdown()

    async def _claim_shielded(self) -> int:
        """A claim that commits is always queued, even when we are cancelled meanwhile; the
        shutdown then gives the rows back instead of leaving them to the lease."""
        claim = asyncio.ensure_future(self.claim())
        try:
            return await asyncio.shield(claim)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception):
                await claim
            raise

    def stop(self) -> None:
        self._stop.set()

    async def close(self) -> None:
        await self.limiter.close()
        if self.owns_bot:
            await self.bot.session.close()

    def queued(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def claim(self) -> int:
        """Claim due rows (skipping chats this worker is busy with) and hand them to workers."""
        rows = await outbox.claim_due(
            self.ctx.db,
            self.worker_id,
            limit=self.batch - self.queued(),
            lease=self.lease,
            exclude_chats=list(self._queues),
        )
        excess: list[int] = []
        taken: dict[int, int] = {}
        for row in rows:
            taken[row.chat_id] = taken.get(row.chat_id, 0) + 1
            if taken[row.chat_id] > self.per_chat_claim:
                excess.append(row.id)  # one chat must not fill the whole batch
                continue
            self._queues.setdefault(row.chat_id, deque()).append(row)
            if row.chat_id not in self._workers:
                self._workers[row.chat_id] = asyncio.create_task(
                    self._chat_worker(row.chat_id), name=f"outbox-chat-{row.chat_id}"
                )
        if excess:
            await outbox.release(self.ctx.db, excess, self.worker_id, at=outbox.wall_now())
        return len(rows) - len(excess)

    async def _shutdown(self) -> None:
        workers = list(self._workers.values())
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if self._inflight:  # sends already under way finish and are marked
            await asyncio.wait(list(self._inflight), timeout=REQUEST_TIMEOUT + 5)
        unsent = [row.id for queue in self._queues.values() for row in queue]
        self._queues.clear()
        self._workers.clear()
        if unsent:
            try:
                await outbox.release(self.ctx.db, unsent, self.worker_id, at=outbox.wall_now())
            except Exception:  # their lease expires instead
                log.exception("outbox: could not give back %d claimed rows", len(unsent))

    async def _chat_worker(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while queue and not self._stop.is_set():
                await acquire(self.limiter, chat_id)
                if self._stop.is_set() or not queue:
                    break
                row = queue.popleft()
                task = asyncio.create_task(self._deliver(row))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)
                outcome = await asyncio.shield(task)
                if outcome.kind == "retry" and queue:
                    # keep the chat's order: its later rows wait for the retried one
                    rest = [r.id for r in queue]
                    queue.clear()
                    at = outcome.retry_at or outbox.wall_now()
                    await outbox.release(self.ctx.db, rest, self.worker_id, at=at)
                elif outcome.kind == "blocked" and queue:
                    rest = [r.id for r in queue]
                    queue.clear()
                    await outbox.hold_claimed(self.ctx.db, rest, self.worker_id, outbox.BLOCKED)
        except Exception:
            log.exception("outbox: worker for chat %s stopped", chat_id)
            rest = [r.id for r in queue]
            queue.clear()
            await outbox.release(self.ctx.db, rest, self.worker_id, at=outbox.wall_now())
        finally:
            if not queue:
                self._queues.pop(chat_id, None)
            self._workers.pop(chat_id, None)

    # ----- one row -------------------------------------------------------------------------
    async def _deliver(self, row: OutboxMessage) -> Outcome:
        try:
            return await self._deliver_unsafe(row)
        except Exception as exc:
            log.exception("outbox %s to %s: unexpected error", row.id, row.chat_id)
            await outbox.finish(
                self.ctx.db, [row.id], self.worker_id, "failed", f"{type(exc).__name__}: {exc}"
            )
            return Outcome("failed")

    async def _deliver_unsafe(self, row: OutboxMessage) -> Outcome:
        db, worker = self.ctx.db, self.worker_id
        claimed_at = row.claimed_at or outbox.wall_now()
        if outbox.wall_now() - claimed_at > self.lease / 2 and not await outbox.renew_claim(
            db, row.id, worker
        ):
            log.warning("outbox %s: claim lost to another instance; not sending", row.id)
            return Outcome("lost_claim")
        async with db.session() as session:
            user = await session.get(User, row.chat_id)
            file_id = row.payload.get("file_id")
            file = await session.get(StoredFile, file_id) if file_id else None
        if user is not None and user.blocked_at is not None:
            await outbox.hold_claimed(db, [row.id], worker, outbox.BLOCKED)
            return Outcome("held")
        attempts = row.attempts + 1
        try:
            message = await self._guarded_send(
                row, (user.language if user else None) or "ko", file
            )
        except TelegramRetryAfter as exc:
            await self.limiter.pause(exc.retry_after)
            at = outbox.wall_now() + timedelta(seconds=exc.retry_after)
            log.warning("outbox %s: flood wait %ss", row.id, exc.retry_after)
            await outbox.release(db, [row.id], worker, at=at, error=exc.message)
            return Outcome("retry", at)
        except TelegramForbiddenError as exc:
            await outbox.hold_claimed(db, [row.id], worker, exc.message)
            held = await outbox.mark_blocked(self.ctx, row.chat_id)
            log.info("outbox: %s unreachable (403); %d more rows held", row.chat_id, held)
            return Outcome("blocked")
        except (TelegramNetworkError, TelegramServerError) as exc:
            if attempts >= MAX_ATTEMPTS:
                log.error("outbox %s: giving up after %d attempts: %s", row.id, attempts, exc)
                await outbox.finish(db, [row.id], worker, "failed", str(exc), attempts=attempts)
                return Outcome("failed")
            at = outbox.wall_now() + timedelta(seconds=backoff(attempts))
            await outbox.release(db, [row.id], worker, at=at, error=str(exc), attempts=attempts)
            return Outcome("retry", at)
        except TelegramAPIError as exc:
            # 400 and the like: mostly permanent, but "chat not found" also happens for a person
            # who is just starting the bot — a few quick retries, then give up
            if attempts < MAX_REFUSED_ATTEMPTS:
                log.warning("outbox %s to %s refused, retrying: %s", row.id, row.chat_id, exc)
                at = outbox.wall_now() + timedelta(seconds=backoff(attempts))
                await outbox.release(
                    db, [row.id], worker, at=at, error=exc.message, attempts=attempts
                )
                return Outcome("retry", at)
            log.error("outbox %s to %s refused: %s", row.id, row.chat_id, exc.message)
            await outbox.finish(db, [row.id], worker, "failed", exc.message, attempts=attempts)
            return Outcome("failed")
        if not await outbox.mark_sent(db, row.id, worker, message.message_id, attempts=attempts):
            log.error("outbox %s: sent, but the claim was gone when marking it", row.id)
        if file is not None and file.telegram_file_id is None:
            await self._remember_file_id(file.id, message)
        return Outcome("sent")

    async def _guarded_send(
        self, row: OutboxMessage, lang: str, file: StoredFile | None
    ) -> Message:
        await self.guard.enter(row.chat_id)
        try:
            return await self._send(row, lang, file)
        finally:
            self.guard.exit(row.chat_id)

    async def _send(self, row: OutboxMessage, lang: str, file: StoredFile | None) -> Message:
        payload: dict[str, Any] = row.payload
        text = self.translator.get(lang, payload["key"], **payload.get("params", {}))
        if row.held_at is not None:  # it waited for the person: say when it was meant for
            when = row.created_at.astimezone(self.ctx.settings.tz).strftime("%Y-%m-%d %H:%M")
            text = self.translator.get(lang, "outbox.delayed", when=when) + "\n\n" + text
        markup = render_markup(self.translator, lang, payload)
        if file is None:
            return await self.bot.send_message(row.chat_id, text, reply_markup=markup)
        extra: dict[str, Any] = {"caption": text, "reply_markup": markup}
        if len(strip_html(text)) > MAX_CAPTION:  # Telegram refuses longer captions
            extra.update(caption=strip_html(text)[: MAX_CAPTION - 1] + "…", parse_mode=None)
        media: Any = file.telegram_file_id or BufferedInputFile(
            file.content, filename=file.file_name
        )
        if payload.get("photo"):
            return await self.bot.send_photo(row.chat_id, media, **extra)
        return await self.bot.send_document(row.chat_id, media, **extra)

    async def _remember_file_id(self, stored_id: int, message: Message) -> None:
        """Send the same file to the next recipient by id instead of uploading it again."""
        tg_id = (
            message.photo[-1].file_id
            if message.photo
            else message.document.file_id
            if message.document
            else None
        )
        if tg_id is None:
            return
        async with self.ctx.db.session() as session:
            await session.execute(
                update(StoredFile).where(StoredFile.id == stored_id).values(telegram_file_id=tg_id)
            )
