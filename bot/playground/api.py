"""Bot API dispatch: method lookup, injected failures, flood limits, call recording."""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from . import api_extra, api_messages, api_misc, groups
from .models import ApiCall
from .params import ApiError, Params
from .ratelimit import SENDING_METHODS

if TYPE_CHECKING:
    from .state import PlaygroundState

logger = logging.getLogger(__name__)

Handler = Callable[["PlaygroundState", Params], Awaitable[Any]]
METHODS: dict[str, Handler] = {
    **api_messages.METHODS,
    **api_misc.METHODS,
    **api_extra.METHODS,
    **groups.METHODS,
}
# Telegram treats method names case-insensitively.
_BY_LOWER: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler) for name, handler in METHODS.items()
}


def _chat_id(p: Params) -> int | None:
    try:
        return p.int("chat_id")
    except ApiError:
        return None


OUTAGE_ERRORS = {"500": "Internal Server Error", "502": "Bad Gateway"}
HANG_SECONDS = 30.0  # a "timeout" outage holds the call this long (the caller gives up first)


async def _outage(srv: PlaygroundState, name: str) -> ApiError | None:
    kind = srv.in_outage(name)
    if kind == "timeout":
        await asyncio.sleep(HANG_SECONDS)
        return ApiError(504, "Gateway Timeout")
    return ApiError(int(kind), OUTAGE_ERRORS[kind]) if kind in OUTAGE_ERRORS else None


async def dispatch(srv: PlaygroundState, method: str, p: Params) -> tuple[int, dict[str, Any]]:
    """Run one Bot API call; return (HTTP status, JSON body) exactly as Telegram would."""
    found = _BY_LOWER.get(method.lower())
    name = found[0] if found else method
    srv.stats.per_method[name] += 1
    try:
        if found is None:
            logger.warning("playground: Bot API method %s is not implemented", method)
            raise ApiError(404, "Not Found")
        failure = srv.take_failure(name) or await _outage(srv, name)
        if failure is not None:
            raise failure
        sending = name.lower() in SENDING_METHODS
        if sending:
            srv.limiter.check(_chat_id(p))
        result = await found[1](srv, p)
        if sending:
            srv.limiter.add(_chat_id(p))
            srv.stats.sent += 1
    except ApiError as error:
        if error.error_code == 429:
            srv.stats.rejected_429 += 1
        srv.calls.append(ApiCall(name, p.normalized(), False, error.error_code, error.description))
        return error.error_code, error.payload()
    srv.calls.append(ApiCall(name, p.normalized(), True, result=copy.deepcopy(result)))
    return 200, {"ok": True, "result": result}
