"""Role and second-factor gates, attached to whole routers.

    router = staff_router("inbox")            # approved staff (any agency; services check which)
    router = staff_router("wizard", permission="program")
    router = center_router("certificates")    # support-center operators only
    router = staff_or_center_router("history")

A caller without the role gets a refusal (and the attempt is audited); staff or center operators
without a fresh second factor are asked for their code first: enrolment (QR + key) when they
have none, a code when it has expired (``bot.handlers.totp``; the stopped action is carried
out after the code, in the state it interrupted: ``bot.forms.resume``). Service functions still
check role and agency themselves: the gate is the first line, not the only one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Router
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.i18n import Texts
from bot.services import audit
from bot.services.context import AppContext
from bot.services.identity import Actor, Role
from bot.services.second_factor import FactorStatus, factor_status

STAFF_ROLES = frozenset({Role.STAFF, Role.HEAD})
CENTER_ROLES = frozenset({Role.CENTER})

# What to do when the second factor is missing or expired: the last entry is used — enrolment or
# "send your code", appended by ``bot.handlers.totp`` (``_explain`` only explains: the fallback).
SecondFactorPrompt = Callable[
    [TelegramObject, Actor, FactorStatus, Texts, dict[str, Any]], Awaitable[None]
]


async def _explain(
    event: TelegramObject, actor: Actor, status: FactorStatus, t: Texts, data: dict[str, Any]
) -> None:
    await _reply(event, t(f"access.factor_{status.value}"))


second_factor_prompt: list[SecondFactorPrompt] = [_explain]


async def _reply(event: TelegramObject, text: str) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(text[:200], show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text)


class AccessGate(BaseMiddleware):
    def __init__(self, roles: frozenset[Role], permission: str | None = None) -> None:
        self.roles = roles
        self.permission = permission

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        actor: Actor | None = data.get("actor")
        t: Texts = data["t"]
        ctx: AppContext = data["ctx"]
        if actor is None or actor.role not in self.roles:
            await self._refuse(ctx, actor, event, data, "role")
            participant = actor is not None and actor.role is Role.PARTICIPANT
            await _reply(event, t("staff.need_account" if participant else "access.denied"))
            return None
        if self.permission and actor.is_staff and self.permission not in actor.permissions:
            await self._refuse(ctx, actor, event, data, f"permission:{self.permission}")
            await _reply(event, t("access.no_permission"))
            return None
        status = await factor_status(ctx, actor.telegram_id)
        if status is not FactorStatus.OK:
            await second_factor_prompt[-1](event, actor, status, t, data)
            return None
        return await handler(event, data)

    @staticmethod
    async def _refuse(
        ctx: AppContext, actor: Actor | None, event: TelegramObject, data: dict[str, Any], why: str
    ) -> None:
        if actor is None:
            return
        handler = data.get("handler")
        name = getattr(getattr(handler, "callback", None), "__qualname__", "?")
        what = event.data if isinstance(event, CallbackQuery) else getattr(event, "text", None)
        async with ctx.db.session() as session:
            audit.record(
                session,
                actor,
                "access.refused",
                "handler",
                name,
                reason=why,
                after={"input": (what or "")[:64]},
                refused=True,
            )


def _gated(name: str, roles: frozenset[Role], permission: str | None = None) -> Router:
    router = Router(name=name)
    gate = AccessGate(roles, permission)
    router.message.middleware(gate)
    router.callback_query.middleware(gate)
    return router


def staff_router(name: str, *, permission: str | None = None) -> Router:
    return _gated(name, STAFF_ROLES, permission)


def center_router(name: str) -> Router:
    return _gated(name, CENTER_ROLES)


def staff_or_center_router(name: str, *, permission: str | None = None) -> Router:
    return _gated(name, STAFF_ROLES | CENTER_ROLES, permission)
