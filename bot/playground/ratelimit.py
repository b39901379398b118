"""Telegram's flood limits as sliding one-second windows: all chats together and per chat."""

from __future__ import annotations

import math
import time
from collections import deque

from .params import ApiError

# Methods that put a new message into a chat; edits, answers and chat actions are not counted.
SENDING_METHODS = frozenset(
    {
        "sendmessage",
        "senddocument",
        "sendphoto",
        "sendaudio",
        "sendvideo",
        "sendvoice",
        "sendanimation",
        "sendsticker",
        "sendvideonote",
        "sendmediagroup",
        "sendcontact",
        "sendlocation",
        "sendvenue",
        "sendpoll",
        "senddice",
        "copymessage",
        "forwardmessage",
    }
)
WINDOW = 1.0


class RateLimiter:
    def __init__(
        self,
        *,
        enabled: bool,
        global_per_second: int,
        per_chat_per_second: int,
        slack: float = 0.0,
    ):
        self.enabled = enabled
        # Seconds of arrival jitter forgiven: a send counts for WINDOW - slack, not WINDOW.
        self.slack = slack
        self.global_per_second = global_per_second
        self.per_chat_per_second = per_chat_per_second
        self._all: deque[float] = deque()
        self._chats: dict[int, deque[float]] = {}

    def configure(
        self,
        enabled: bool,
        global_per_second: int | None = None,
        per_chat_per_second: int | None = None,
        slack: float | None = None,
    ) -> None:
        self.enabled = enabled
        if slack is not None:
            self.slack = slack
        if global_per_second is not None:
            self.global_per_second = global_per_second
        if per_chat_per_second is not None:
            self.per_chat_per_second = per_chat_per_second
        self._all.clear()
        self._chats.clear()

    def _retry_after(self, window: deque[float], limit: int, now: float) -> int:
        # The window frees up when its oldest counted send leaves it.
        span = WINDOW - self.slack
        wait = window[-limit] + span - now if len(window) >= limit else 0.0
        return max(1, math.ceil(wait))

    def _trim(self, chat_id: int | None, now: float) -> deque[float]:
        span = WINDOW - self.slack
        while self._all and self._all[0] <= now - span:
            self._all.popleft()
        chat = self._chats.setdefault(chat_id or 0, deque())
        while chat and chat[0] <= now - span:
            chat.popleft()
        return chat

    def check(self, chat_id: int | None, now: float | None = None) -> None:
        """Raise the 429 Telegram would give if one more send now would exceed a limit."""
        if not self.enabled:
            return
        now = time.monotonic() if now is None else now
        chat = self._trim(chat_id, now)
        if len(self._all) >= self.global_per_second:
            retry = self._retry_after(self._all, self.global_per_second, now)
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        if chat_id is not None and len(chat) >= self.per_chat_per_second:
            retry = self._retry_after(chat, self.per_chat_per_second, now)
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)

    def add(self, chat_id: int | None, now: float | None = None) -> None:
        """Count one send that went through."""
        if not self.enabled:
            return
        now = time.monotonic() if now is None else now
        chat = self._trim(chat_id, now)
        self._all.append(now)
        if chat_id is not None:
            chat.append(now)
