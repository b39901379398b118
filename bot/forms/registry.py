"""Every flow on the engine, by name (the name is in the FSM state and in callback data)."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from bot.forms.spec import Flow
from bot.services.context import AppContext


class FlowName(StrEnum):
    APPLY = "apply"


def _builders() -> dict[FlowName, Callable[[AppContext], Flow]]:
    from bot.conversations import application

    return {FlowName.APPLY: application.flow}


def flow_of(name: FlowName, ctx: AppContext) -> Flow:
    return _builders()[name](ctx)


def all_flows(ctx: AppContext) -> list[Flow]:
    return [build(ctx) for build in _builders().values()]
