"""One update, one unit of work: one read at the start, at most one write at the end.

Registered on the Dispatcher after aiogram's user-context middleware and *before* its FSM
middleware, so that aiogram's own ``get_state`` is already served from memory:

- **read** (one transaction): was this update finished already (``inbox``: then it is a
  redelivery and is skipped), who sent it (role, agency, language: ``services.identity``), and
  — with FSM state in the database — the person's FSM state and data;
- the handlers run; FSM reads and writes stay in memory (``storage.fsm.BufferedStorage``);
  services keep their own transactions;
- **write** (one transaction, only when there is something to write): the FSM record if it
  changed, the inbox "finished" mark, the user row's refresh if it was stale. A crash before it
  leaves the update unfinished, and it is handled again from the same FSM state at the next start
  (the services' guards answer a replayed change as already done).

A handler that fails: FSM changes of the failed step are dropped (the person repeats it from where
they were), the update is still marked finished (the error handler tells them; a replay would only
fail again).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.types import TelegramObject, User
from sqlalchemy.exc import DBAPIError

from bot.i18n import Translator, pick_language
from bot.services.context import AppContext
from bot.services.identity import Visitor, identify, touch_user
from bot.storage import inbox
from bot.storage.fsm import (
    CURRENT,
    DATA_COLUMN,
    KEY_BUILDER,
    STATE_COLUMN,
    BufferedStorage,
    Unit,
    read_record,
    write_record,
)
from bot.storage.inbox import FINISHED_COLUMN

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboxRef:
    """Given by ``bot.updates`` to ``feed_update``: the update is in the inbox."""

    bot_id: int
    update_id: int


class UnitOfWorkMiddleware(BaseMiddleware):
    def __init__(
        self,
        ctx: AppContext,
        translator: Translator,
        fsm: FSMContextMiddleware,
        storage: BufferedStorage,
    ) -> None:
        self.ctx = ctx
        self.translator = translator
        self.fsm = fsm
        self.storage = storage

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        ref: InboxRef | None = data.pop("inbox", None)
        bot: Bot = data["bot"]
        context = self.fsm.resolve_event_context(bot, data)
        unit = Unit(context.key if context is not None else None)
        tg_user: User | None = data.get("event_from_user")
        person = tg_user if tg_user is not None and not tg_user.is_bot else None
        try:
            visitor, finished = await self._open(unit, ref, person)
        except DBAPIError as exc:  # a connection the database dropped (a restart): once more
            if not exc.connection_invalidated:
                raise
            log.warning("database connection lost (%s); reading again", type(exc.orig).__name__)
            visitor, finished = await self._open(unit, ref, person)
        if finished is not None:
            log.info("update %s already handled; skipped", ref.update_id if ref else "?")
            return None
        if visitor is not None and person is not None:
            data["actor"] = visitor.actor
            lang = pick_language(visitor.actor.language, person.language_code)
            data["t"] = self.translator.bind(lang)
        token = CURRENT.set(unit)
        try:
            result = await handler(event, data)
        except Exception:  # not a cancellation: a stopped update stays unfinished, for replay
            unit.dirty = False  # the failed step's FSM changes are dropped
            await self._close(unit, ref, person, visitor)
            raise
        finally:
            CURRENT.reset(token)
        await self._close(unit, ref, person, visitor)
        return result

    async def _open(
        self, unit: Unit, ref: InboxRef | None, person: User | None
    ) -> tuple[Visitor | None, Any]:
        """The one read: who this is, the inbox mark, the FSM record (``unit`` is loaded)."""
        visitor: Visitor | None = None
        finished: Any = None
        fsm_key = KEY_BUILDER.build(unit.key) if unit.key is not None else None
        sql_fsm = fsm_key is not None and self.storage.in_sql
        async with self.ctx.db.statement() as session:
            if person is not None:  # the usual case: everything in one statement
                also: tuple[Any, ...] = (FINISHED_COLUMN,) if ref is not None else ()
                also += (STATE_COLUMN, DATA_COLUMN) if sql_fsm else ()
                params: dict[str, Any] = (
                    inbox.key_params(ref.bot_id, ref.update_id) if ref is not None else {}
                )
                params.update({"b_fsm": fsm_key} if sql_fsm else {})
                visitor = await identify(
                    session,
                    self.ctx,
                    person.id,
                    person.first_name,
                    person.username,
                    also,
                    params,
                )
                finished = visitor.also[0] if ref is not None else None
                if sql_fsm:
                    fsm_state, fsm_data = visitor.also[-2:]
                    unit.load(fsm_state, dict(fsm_data or {}))
            else:
                finished = (
                    await inbox.finished_at(session, ref.bot_id, ref.update_id)
                    if ref is not None
                    else None
                )
                if sql_fsm and fsm_key is not None:
                    unit.load(*await read_record(session, fsm_key))
        return visitor, finished

    async def _close(
        self, unit: Unit, ref: InboxRef | None, person: User | None, visitor: Visitor | None
    ) -> None:
        await self.storage.flush_outside_sql(unit)
        sql_fsm = unit.dirty and self.storage.in_sql and unit.key is not None
        touch = visitor.touch if visitor is not None else {}
        if not (sql_fsm or ref is not None or touch):
            return
        # the usual case, only the inbox mark, is one statement: it commits on its own
        only_mark = ref is not None and not sql_fsm and not touch
        opened = self.ctx.db.statement() if only_mark else self.ctx.db.connection()
        async with opened as conn:
            if sql_fsm and unit.key is not None:
                await write_record(conn, KEY_BUILDER.build(unit.key), unit.state, unit.data)
            if ref is not None:
                await inbox.finish(conn, ref.bot_id, ref.update_id)
            if touch and person is not None:
                await touch_user(conn, person.id, touch)
