"""Routing updates to the form engine: one router for every flow, each flow behind its gate.

A message goes to the flow named by the person's FSM state (``form:<flow>:<item>``), a button to
the flow named in its ``FormCB``; commands never do (they stay commands in any flow).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, F, Router
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import TelegramObject

from bot.forms.registry import FlowName, gate_of
from bot.forms.telegram import PREFIX, FormCB, on_button, on_message
from bot.middlewares.access import AccessGate


class InForm(Filter):
    """In a flow (the state is read when the update is handled, after the per-user lock): gives
    the flow's name to the flow's gate (``FlowGates``)."""

    async def __call__(self, event: TelegramObject, state: FSMContext) -> bool | dict[str, Any]:
        current = await state.get_state() or ""
        if not current.startswith(PREFIX):
            return False
        try:
            return {"form_flow": FlowName(current[len(PREFIX) :].split(":", 1)[0])}
        except ValueError:  # a flow that no longer exists: left to the routers after this one
            return False


class FlowGates(BaseMiddleware):
    """The access gate (role, permission, second factor) of the flow an update is for."""

    def __init__(self) -> None:
        self.gates: dict[FlowName, AccessGate] = {}
        for name in FlowName:
            roles, permission = gate_of(name)
            if roles:
                self.gates[name] = AccessGate(frozenset(roles), permission)

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        pressed = data.get("callback_data")
        name = pressed.flow if isinstance(pressed, FormCB) else data["form_flow"]
        gate = self.gates.get(name)
        return await (handler(event, data) if gate is None else gate(handler, event, data))


def router() -> Router:
    """Every flow's messages and buttons: one router (one filter check per update, where a
    router per flow cost twenty), each flow behind its own gate."""
    made = Router(name="forms")
    gates = FlowGates()
    made.message.middleware(gates)
    made.callback_query.middleware(gates)
    made.message.register(on_message, InForm(), ~F.text.startswith("/"))
    made.callback_query.register(on_button, FormCB.filter())
    return made
