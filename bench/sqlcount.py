"""SQL statements and transactions per update, by kind of step (command, button, text).

Counted in-process (the bot's runtime in this event loop, against the playground): every
statement and transaction begun is attributed to the asyncio task running it, and each update is
handled in a task named ``update:<id>`` (``bot.updates.pipeline``). Used by ``bench updates``
and by tests/e2e/test_statement_counts.py — a count is deterministic, a time is not.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN, BotRuntime
from bot.services.context import open_context
from bot.services.demo import seed_demo
from bot.storage.models import UpdateInbox


class StatementCounter:
    """Statements and transactions per task name while attached."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine.sync_engine
        self.statements: Counter[str] = Counter()
        self.transactions: Counter[str] = Counter()

    @staticmethod
    def _task() -> str:
        try:
            task = asyncio.current_task()
        except RuntimeError:
            return "?"
        return task.get_name() if task is not None else "?"

    def _statement(self, *_: Any) -> None:
        self.statements[self._task()] += 1

    def _begin(self, *_: Any) -> None:
        self.transactions[self._task()] += 1

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "begin", self._begin)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "begin", self._begin)

    def of_update(self, update_id: int) -> tuple[int, int]:
        name = f"update:{update_id}"
        return self.statements[name], self.transactions[name]


def kind_of(update: dict[str, Any]) -> str:
    if "callback_query" in update:
        return "button"
    text = (update.get("message") or {}).get("text") or ""
    return "command" if text.startswith("/") else "text"


@dataclass
class Counts:
    per_kind: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, statements: int, transactions: int) -> None:
        self.per_kind[kind].append((statements, transactions))

    def mean(self, kind: str | None = None) -> tuple[float, float, int]:
        values = (
            [v for vs in self.per_kind.values() for v in vs]
            if kind is None
            else self.per_kind[kind]
        )
        n = max(len(values), 1)
        return sum(s for s, _ in values) / n, sum(t for _, t in values) / n, len(values)


async def _finished(runtime: BotRuntime, bot_id: int, update_id: int) -> None:
    for _ in range(500):
        async with runtime.ctx.db.session() as session:
            row = await session.scalar(
                select(UpdateInbox.finished_at).where(
                    UpdateInbox.bot_id == bot_id, UpdateInbox.update_id == update_id
                )
            )
        if row is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"update {update_id} never finished")


async def count_walk(settings: Settings, steps: list[Any], person_id: int = 5_800_001) -> Counts:
    """One participant walks ``steps`` (bench.updates.Step) against an in-loop bot; the counts of
    each step's update, by kind. The database of ``settings`` is migrated and seeded here."""
    playground = PlaygroundServer(PLAYGROUND_TOKEN)
    await playground.start()
    ctx = await open_context(settings)
    runtime: BotRuntime | None = None
    counts = Counts()
    try:
        await seed_demo(ctx)
        runtime = BotRuntime(ctx, PLAYGROUND_TOKEN, playground.base_url)
        await runtime.start()
        person = playground.user(person_id, "세는청년")
        queue = playground.updates
        with StatementCounter(ctx.db.engine) as counter:
            for step in steps:
                update_id = queue.next_id
                if step.kind == "send":
                    await person.send(step.arg)
                else:
                    await person.click(step.arg)
                await person.expect(step.expect, timeout=30)
                await _finished(runtime, playground.bot_user_id, update_id)
                update = {"message": {"text": step.arg}}
                kind = "button" if step.kind == "click" else kind_of(update)
                counts.add(kind, *counter.of_update(update_id))
    finally:
        if runtime is not None:
            with contextlib.suppress(Exception):
                await runtime.stop()
        await ctx.db.dispose()
        await playground.stop()
    return counts
