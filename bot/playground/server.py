"""The playground: a local Telegram Bot API server (plus a web chat page) for the bot and tests.

Usage (tests, in the test's own event loop)::

    server = PlaygroundServer("123:TEST")
    await server.start()
    bot = Bot("123:TEST", session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))
    person = server.user(1001, "김민지")
    await person.send("/start")
    reply = await person.expect("환영")
    await server.stop()
"""

from __future__ import annotations

import json
import logging
from importlib import resources
from typing import Any

from aiohttp import web

from . import ui
from .api import dispatch
from .files import MAX_UPLOAD
from .models import ApiCall, ChatMessage, Identity, Stats
from .params import ApiError, Params, Upload
from .state import PlaygroundState

__all__ = ["ApiCall", "ChatMessage", "Identity", "PlaygroundServer", "Stats"]

logger = logging.getLogger(__name__)


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(payload, ensure_ascii=False),
        status=status,
        content_type="application/json",
    )


class PlaygroundServer(PlaygroundState):
    def __init__(
        self,
        token: str,
        *,
        rate_limit: bool = False,
        global_per_second: int = 30,
        per_chat_per_second: int = 1,
        bot_user_id: int = 7000000001,
        bot_username: str = "youth_work_bot",
        identities: list[Identity] | None = None,
        bot_first_name: str = "청년일경험 도우미",
        strict_html_ampersand: bool = True,
        rate_limit_slack: float = 0.0,
    ) -> None:
        super().__init__(
            token,
            rate_limit=rate_limit,
            global_per_second=global_per_second,
            per_chat_per_second=per_chat_per_second,
            bot_user_id=bot_user_id,
            bot_username=bot_username,
            identities=identities,
            bot_first_name=bot_first_name,
            strict_html_ampersand=strict_html_ampersand,
            rate_limit_slack=rate_limit_slack,
        )
        self.closing = False
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0

    # ----- lifecycle -----------------------------------------------------------------------
    def build_app(self) -> web.Application:
        # Room for a 50 MB upload plus the multipart envelope; larger bodies get Telegram's 413.
        app = web.Application(client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._bot_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        app.router.add_get("/", self._page)
        ui.add_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._runner = web.AppRunner(self.build_app(), shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._host = host
        self._port = self._runner.addresses[0][1]
        logger.info("playground listening on %s (chat page %s)", self.base_url, self.page_url)

    async def stop(self) -> None:
        self.closing = True
        await self.webhook_delivery.close()
        self.updates.close()
        for chat in self.chats.values():
            chat.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        host = "127.0.0.1" if self._host in ("0.0.0.0", "::", "") else self._host
        return f"http://{host}:{self._port}"

    @property
    def page_url(self) -> str:
        return self.base_url + "/"

    # ----- HTTP handlers -------------------------------------------------------------------
    async def _bot_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json(ApiError(401, "Unauthorized").payload(), 401)
        try:
            params = await self._read_params(request)
        except ApiError as error:
            return _json(error.payload(), error.error_code)
        status, payload = await dispatch(self, request.match_info["method"], params)
        return _json(payload, status)

    async def _read_params(self, request: web.Request) -> Params:
        values: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise ApiError(400, "Bad Request: can't parse JSON encoded request") from None
                if not isinstance(body, dict):
                    raise ApiError(400, "Bad Request: JSON object expected")
                values.update(body)
            else:
                try:
                    form = await request.post()
                except web.HTTPRequestEntityTooLarge:
                    raise ApiError(413, "Request Entity Too Large") from None
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        content = value.file.read()
                        uploads[key] = Upload(value.filename, value.content_type, content)
                    else:
                        values[key] = value
        return Params(values, uploads)

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _json(ApiError(401, "Unauthorized").payload(), 401)
        stored = self.files.by_path.get(request.match_info["path"])
        if stored is None:
            return _json(ApiError(404, "Not Found").payload(), 404)
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )

    async def _page(self, request: web.Request) -> web.Response:
        page = resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")
        return web.Response(text=page, content_type="text/html", charset="utf-8")
