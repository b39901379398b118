"""A load balancer for tests: what sits between Telegram and several webhook workers.

It forwards each POST to the next worker in turn (round robin) and answers with that worker's
status — 502 when the worker is down, as nginx or Caddy would. With ``duplicate=True`` it also
sends the very same request to every other worker at the same time: Telegram redelivering an
update to another worker while the first is still handling it.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

FORWARDED_HEADERS = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


@dataclass
class Forward:
    worker: int
    status: int  # 502: the worker did not answer


@dataclass
class RoundRobinProxy:
    upstreams: list[str]
    duplicate: bool = False
    # answer 502 *after* the worker handled the request, this many times: Telegram then redelivers
    fail_after_handling: int = 0
    forwards: list[Forward] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._turn = itertools.cycle(range(len(self.upstreams)))
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.port = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        self._http = aiohttp.ClientSession()

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _send(self, worker: int, path: str, body: bytes, headers: dict[str, str]) -> int:
        assert self._http is not None
        try:
            async with self._http.post(
                self.upstreams[worker] + path,
                data=body,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=10),
            ) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = 502
        self.forwards.append(Forward(worker, status))
        return status

    async def _forward(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {h: request.headers[h] for h in FORWARDED_HEADERS if h in request.headers}
        path = "/" + request.match_info["path"]
        first = next(self._turn)
        targets = range(len(self.upstreams)) if self.duplicate else [first]
        statuses = await asyncio.gather(*(self._send(w, path, body, headers) for w in targets))
        status = statuses[list(targets).index(first)]
        if status == 200 and self.fail_after_handling > 0:
            self.fail_after_handling -= 1
            status = 502
        return web.Response(status=status, text="{}" if status == 200 else "Bad Gateway")
