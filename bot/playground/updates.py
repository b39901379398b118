"""The bot's update queue with getUpdates semantics: offset confirmation and long polling."""

from __future__ import annotations

import asyncio
from typing import Any

from .params import ApiError

# What Telegram delivers when allowed_updates was never given (or given as an empty list).
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)


class UpdateQueue:
    def __init__(self, first_update_id: int = 100_000_001) -> None:
        self.pending: list[dict[str, Any]] = []
        self.next_id = first_update_id
        self.allowed: frozenset[str] | None = None
        self.delivered_count = 0
        self.polls_started = 0  # getUpdates requests seen; tests wait for the bot's first
        self._generation = 0
        self._event: asyncio.Event | None = None
        self._closed = False

    def is_allowed(self, kind: str) -> bool:
        if self.allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self.allowed

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update; like Telegram, types the bot did not ask for are dropped."""
        if not self.is_allowed(kind):
            return None
        update = {"update_id": self.next_id, kind: payload}
        self.next_id += 1
        self.pending.append(update)
        self._wake()
        return update

    def drop_pending(self) -> None:
        self.pending.clear()

    def close(self) -> None:
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    def confirm(self, offset: int) -> None:
        if offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        elif offset < 0:
            self.pending = self.pending[offset:]

    async def get(
        self,
        *,
        offset: int,
        limit: int,
        timeout: float,
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        self.polls_started += 1
        if allowed_updates is not None:
            # Like Telegram, this filters updates created from now on, not those already queued.
            self.allowed = frozenset(allowed_updates) or None
        self.confirm(offset)
        # A newer getUpdates ends an older one that is still waiting, as on Telegram.
        self._generation += 1
        generation = self._generation
        self._wake()
        limit = min(max(limit, 1), 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, min(timeout, 50.0))
        while not self.pending and not self._closed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            if self._event is None:
                self._event = asyncio.Event()
            try:
                await asyncio.wait_for(self._event.wait(), remaining)
            except TimeoutError:
                break
            if generation != self._generation and not self._closed:
                raise ApiError(409, CONFLICT)
        result = self.pending[:limit]
        self.delivered_count += len(result)
        return result
