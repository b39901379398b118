"""Webhook delivery, as Telegram's Bot API server does it.

Once the bot has called ``setWebhook``, the playground POSTs each update to that URL (a JSON body,
plus the ``X-Telegram-Bot-Api-Secret-Token`` header when a secret was given) instead of keeping it
for ``getUpdates`` (which now answers 409). Like the Bot API server's webhook sender:

- the updates of one chat go one at a time and in order — the next leaves only after the webhook
  answered the previous one with 2xx; different chats go in parallel, up to ``max_connections``;
- a non-2xx answer, a timeout or a refused connection → the *same* update is sent again after a
  delay that doubles each time (``Retry-After`` is honoured): the bot sees redeliveries;
- an update leaves the queue only after a 2xx answer; ``getWebhookInfo`` reports the last error.

Unlike api.telegram.org, and like a local Bot API server (``--local``), plain ``http://`` is
accepted — here only for loopback hosts — so tests and a laptop need no TLS certificate.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections import deque
from dataclasses import dataclass
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp

from .params import bad_request

if TYPE_CHECKING:
    from .state import PlaygroundState

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET = re.compile(r"[A-Za-z0-9_-]*")


def check_webhook(url: str, secret_token: str | None, max_connections: int | None) -> int:
    """Validate setWebhook's arguments with Telegram's errors; return max_connections."""
    if url:
        parts = urlsplit(url)
        if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    if secret_token is not None:
        if len(secret_token) > 256:
            raise bad_request("secret token is too long")
        if not _SECRET.fullmatch(secret_token):
            raise bad_request("secret token contains unallowed characters")
    return min(max(max_connections or 40, 1), 100)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _queue_key(update: dict[str, Any]) -> int:
    """Which per-chat queue an update belongs to (the chat, else the sender, else its own)."""
    for kind, payload in update.items():
        if kind == "update_id" or not isinstance(payload, dict):
            continue
        message = payload.get("message") if kind == "callback_query" else payload
        chat = message.get("chat") if isinstance(message, dict) else None
        if isinstance(chat, dict) and "id" in chat:
            return int(chat["id"])
        sender = payload.get("from") or payload.get("user")
        if isinstance(sender, dict) and "id" in sender:
            return int(sender["id"])
    return -int(update["update_id"])


@dataclass
class DeliveryAttempt:
    update_id: int
    status: int | None  # the webhook's HTTP status; None for a timeout or connection error
    error: str | None  # None when the update was accepted (2xx)


class WebhookDelivery:
    def __init__(
        self,
        state: PlaygroundState,
        *,
        timeout: float = 10.0,
        first_retry: float = 0.05,
        max_retry: float = 2.0,
    ) -> None:
        self.state = state
        # Telegram waits about a minute and retries after 1 s, 2 s, 4 s …; shorter here so a test
        # sees a redelivery quickly. Tests may change these attributes.
        self.timeout = timeout
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.url = ""
        self.secret_token: str | None = None
        self.max_connections = 40
        self.attempts: list[DeliveryAttempt] = []
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self._kick = asyncio.Event()
        self._generation = 0
        self._queues: dict[int, deque[dict[str, Any]]] = {}
        self._loaded: set[int] = set()
        self._busy: set[int] = set()
        self._wake_at: dict[int, float] = {}
        self._delay: dict[int, float] = {}
        self._inflight: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None
        self._closed = False

    # ----- control (setWebhook / deleteWebhook / server stop) -------------------------------
    def configure(self, url: str, secret_token: str | None, max_connections: int = 40) -> None:
        """Start (url) or stop ("") delivering; queued updates are taken afresh from the queue."""
        self.url, self.secret_token, self.max_connections = url, secret_token, max_connections
        self._generation += 1
        self._queues.clear()
        self._loaded.clear()
        self._busy.clear()
        self._wake_at.clear()
        if url and not self._closed and (self._task is None or self._task.done()):
            self._task = asyncio.create_task(self._run(), name="playground-webhook")
        self._kick.set()

    def info(self) -> dict[str, Any]:
        """The webhook fields of getWebhookInfo."""
        result: dict[str, Any] = {}
        if self.url:
            result["max_connections"] = self.max_connections
        if self.last_error_date is not None:
            result["last_error_date"] = self.last_error_date
            result["last_error_message"] = self.last_error_message
        return result

    def delivered(self) -> list[int]:
        """update_ids the webhook accepted, in order of acceptance."""
        return [a.update_id for a in self.attempts if a.error is None]

    async def close(self) -> None:
        self._closed = True
        self.url = ""
        self._kick.set()
        for task in [*self._inflight, *([self._task] if self._task else [])]:
            task.cancel()
        for task in [*self._inflight, *([self._task] if self._task else [])]:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._http is not None:
            await self._http.close()
            self._http = None

    # ----- the sender ------------------------------------------------------------------------
    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self.url and not self._closed:
            self._kick.clear()
            self._load()
            now = loop.time()
            next_wake: float | None = None
            for key, queue in self._queues.items():
                if not queue or key in self._busy:
                    continue
                if len(self._busy) >= self.max_connections:
                    break
                wake_at = self._wake_at.get(key, 0.0)
                if wake_at > now:
                    next_wake = wake_at if next_wake is None else min(next_wake, wake_at)
                    continue
                self._busy.add(key)
                task = asyncio.create_task(self._deliver(key, queue[0], self._generation))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)
            self._listen_for_pushes()
            # A safety net: a getUpdates that was waiting when the webhook was set may hold the
            # queue's wake-up event; look again at least every half second.
            wait = 0.5 if next_wake is None else min(0.5, max(0.0, next_wake - now))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._kick.wait(), wait)

    def _load(self) -> None:
        for update in self.state.updates.pending:
            update_id = update["update_id"]
            if update_id not in self._loaded:
                self._loaded.add(update_id)
                self._queues.setdefault(_queue_key(update), deque()).append(update)

    def _listen_for_pushes(self) -> None:
        # UpdateQueue.push sets (and forgets) the event a waiting getUpdates left there; while a
        # webhook is set nobody polls, so that waiter is this loop.
        queue = self.state.updates
        if queue._event is None:
            queue._event = self._kick

    async def _deliver(self, key: int, update: dict[str, Any], generation: int) -> None:
        update_id = update["update_id"]
        headers = {"Content-Type": "application/json"}
        if self.secret_token:
            headers[SECRET_HEADER] = self.secret_token
        status: int | None = None
        error: str | None = None
        retry_after = 0.0
        if self._http is None:
            self._http = aiohttp.ClientSession()
        try:
            async with self._http.post(
                self.url,
                data=json.dumps(update, ensure_ascii=False).encode(),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as response:
                status = response.status
                await response.read()
                if not 200 <= status <= 299:
                    error = f"Wrong response from the webhook: {status} {response.reason}"
                    with contextlib.suppress(ValueError):
                        retry_after = float(response.headers.get("Retry-After", 0))
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientError as exc:
            error = f"Connection failed: {type(exc).__name__}"
        self.attempts.append(DeliveryAttempt(update_id, status, error))
        if error is None:
            queue = self.state.updates
            queue.pending = [u for u in queue.pending if u["update_id"] != update_id]
            queue.delivered_count += 1
        else:
            logger.info("playground: webhook refused update %s: %s", update_id, error)
            self.last_error_date, self.last_error_message = int(time.time()), error
        if generation == self._generation:
            self._busy.discard(key)
            if error is None:
                chat_queue = self._queues.get(key)
                if chat_queue and chat_queue[0] is update:
                    chat_queue.popleft()
                self._wake_at.pop(key, None)
                self._delay.pop(update_id, None)
            else:
                delay = min(self.max_retry, self._delay.get(update_id, self.first_retry / 2) * 2)
                self._delay[update_id] = delay
                self._wake_at[key] = asyncio.get_running_loop().time() + max(delay, retry_after)
        self._kick.set()
