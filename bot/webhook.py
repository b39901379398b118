"""Webhook mode: an aiohttp server that takes Telegram's updates, and ``/healthz``.

Chosen by the runtime when ``WEBHOOK_URL`` is set; the handlers are the same Dispatcher as in
polling mode. Several worker processes can serve one bot behind a load balancer:

- **secret**: Telegram sends ``X-Telegram-Bot-Api-Secret-Token`` with every update; a missing or
  wrong one gets 401 and nothing is handled. ``WEBHOOK_SECRET`` when set, otherwise one derived
  from the bot token — the same in every worker without configuring anything.
- **setWebhook** is idempotent: every worker sets the same URL, secret and update types at start
  (a 429 while several start together is waited out by the request middleware). A worker that
  stops does *not* delete the webhook — the others keep serving.
- **record, then 200, then handle** (``bot.updates.pipeline``): the update is recorded in the
  shared inbox, queued behind the same person's earlier updates (fleet-wide with Redis), and
  only then answered 200 — so Telegram's next update of that person, whichever worker gets it,
  queues behind this one. A worker that dies after the 200 leaves the update unfinished in the
  inbox; the next worker to start handles it. A redelivery (after a timeout, a 5xx, a restart)
  is recorded once and, finished, never handled again. An update whose handling *failed* is
  finished too — the error handler has told the person, who repeats the step.
- **/healthz** answers 200 when the database (and Redis, when configured) answer, else 503, for
  the orchestrator's health checks and the load balancer.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
from typing import Any, Protocol
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from sqlalchemy import text

from bot.config import Settings
from bot.services.context import AppContext
from bot.storage.engine import Database
from bot.updates.pipeline import UpdatePipeline

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
HEALTH_TIMEOUT = 3.0
QUEUE_WAIT = 20.0  # at most this long does the 200 wait for the person's earlier updates


class _Pingable(Protocol):
    async def ping(self) -> Any: ...


def webhook_secret(settings: Settings, token: str) -> str:
    """WEBHOOK_SECRET, or a stable secret derived from the bot token (same in every worker)."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    return hashlib.sha256(f"youth-work-bot webhook:{token}".encode()).hexdigest()


def webhook_path(url: str) -> str:
    """The path this server listens on: the path of the public WEBHOOK_URL."""
    return urlsplit(url).path or "/"


class WebhookServer:
    def __init__(
        self,
        ctx: AppContext,
        pipeline: UpdatePipeline,
        *,
        secret: str,
        path: str,
        redis: _Pingable | None = None,
    ) -> None:
        self.ctx = ctx
        self.pipeline = pipeline
        self.secret = secret
        self.path = path
        self.redis = redis
        self.port = 0
        self._runner: web.AppRunner | None = None

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(self.path, self._receive)
        app.router.add_get(HEALTH_PATH, self._health)
        return app

    async def start(self, host: str, port: int) -> None:
        # shutdown_timeout: updates being handled may finish before the process exits.
        self._runner = web.AppRunner(self.build_app(), shutdown_timeout=10.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("webhook server on %s:%s%s", host, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.pipeline.drain(10)

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not secrets.compare_digest(given.encode(), self.secret.encode()):
            log.warning("webhook request from %s refused: wrong secret token", request.remote)
            return web.Response(status=401, text="Unauthorized")
        try:
            update = await request.json()
        except ValueError:
            return web.Response(status=400, text="Bad Request: not JSON")
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.Response(status=400, text="Bad Request: not an update")
        try:
            await self.pipeline.record([update])
        except Exception:  # the database is away: a 500 makes Telegram deliver it again later
            log.exception("update %s could not be recorded", update["update_id"])
            return web.Response(status=500, text="Internal Server Error")
        locked = self.pipeline.schedule(update)
        with contextlib.suppress(TimeoutError):  # recorded: it is handled even if we answer now
            await asyncio.wait_for(locked.wait(), QUEUE_WAIT)
        return web.json_response({})

    async def _health(self, request: web.Request) -> web.Response:
        checks = {"database": await _check(_ping(self.ctx.db))}
        if self.redis is not None:
            checks["redis"] = await _check(self.redis.ping())
        healthy = all(value == "ok" for value in checks.values())
        return web.json_response(
            {"status": "ok" if healthy else "unavailable", **checks},
            status=200 if healthy else 503,
        )


async def _check(probe: Any) -> str:
    try:
        await asyncio.wait_for(probe, HEALTH_TIMEOUT)
    except Exception as exc:  # any failure means "not healthy"; the reason goes to the log
        log.warning("health check failed: %r", exc)
        return "unavailable"
    return "ok"


async def probe_health(settings: Settings) -> dict[str, str]:
    """``python -m bot health`` (the container's health check): in webhook mode the running
    worker's /healthz; with long polling, which serves no HTTP, whether the database and Redis
    answer."""
    if settings.webhook_url:
        host = settings.webhook_host
        host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        url = f"http://{host}:{settings.webhook_port}{HEALTH_PATH}"
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.get(url, timeout=aiohttp.ClientTimeout(total=HEALTH_TIMEOUT * 2)) as reply,
            ):
                body = await reply.json()
                return {str(k): str(v) for k, v in body.items()}
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            return {"status": "unavailable", "worker": f"no answer from {url}: {exc!r}"}
    db = Database(settings.database_url)
    try:
        checks = {"database": await _check(_ping(db))}
    finally:
        await db.dispose()
    if settings.redis_url:
        import redis.asyncio as aioredis  # only a fleet has Redis

        client = aioredis.from_url(settings.redis_url)  # type: ignore[no-untyped-call]
        try:
            checks["redis"] = await _check(client.ping())
        finally:
            await client.aclose()
    healthy = all(value == "ok" for value in checks.values())
    return {"status": "ok" if healthy else "unavailable", **checks}


async def _ping(db: Database) -> None:
    async with db.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


async def start_webhook(ctx: AppContext, pipeline: UpdatePipeline, token: str) -> WebhookServer:
    """Serve updates on WEBHOOK_HOST:WEBHOOK_PORT, then point Telegram at WEBHOOK_URL."""
    settings = ctx.settings
    assert settings.webhook_url is not None
    secret = webhook_secret(settings, token)
    dp, bot = pipeline.dp, pipeline.bot
    storage_redis = getattr(dp.storage, "redis", None)
    server = WebhookServer(
        ctx, pipeline, secret=secret, path=webhook_path(settings.webhook_url), redis=storage_redis
    )
    await server.start(settings.webhook_host, settings.webhook_port)
    try:
        # Same arguments from every worker: setting it again changes nothing (idempotent).
        await bot.set_webhook(
            settings.webhook_url,
            secret_token=secret,
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,
        )
    except BaseException:
        await server.stop()
        raise
    log.info("webhook set to %s", settings.webhook_url)
    return server
