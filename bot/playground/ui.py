"""Small JSON endpoints behind the web chat page; they go through the same driver as tests."""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .models import StoredMessage

if TYPE_CHECKING:
    from .driver import PlaygroundUser
    from .server import PlaygroundServer

_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="spoiler">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
}


def entities_to_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Render Telegram text + entities (UTF-16 offsets) as safe HTML for the page."""
    units = text.encode("utf-16-le", "surrogatepass")
    total = len(units) // 2
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        kind = entity.get("type")
        if kind == "text_link":
            url = str(entity.get("url", ""))
            safe = url if url.startswith(("http://", "https://", "tg://")) else "#"
            pair = (f'<a href="{html.escape(safe)}" target="_blank" rel="noopener">', "</a>")
        elif kind in _TAGS:
            pair = _TAGS[kind]
        else:
            continue
        opens.setdefault(entity["offset"], []).append(pair[0])
        closes.setdefault(entity["offset"] + entity["length"], []).insert(0, pair[1])
    bounds = sorted({0, total, *opens, *closes})
    out: list[str] = []
    for index, bound in enumerate(bounds):
        out.extend(closes.get(bound, []))
        out.extend(opens.get(bound, []))
        if index + 1 < len(bounds):
            chunk = units[bound * 2 : bounds[index + 1] * 2]
            out.append(html.escape(chunk.decode("utf-16-le", "surrogatepass")))
    return "".join(out)


def render_message(message: StoredMessage) -> dict[str, Any]:
    raw = message.raw
    text = raw.get("text", raw.get("caption")) or ""
    entities = raw.get("entities") or raw.get("caption_entities") or []
    rendered: dict[str, Any] = {
        "message_id": message.message_id,
        "from_bot": message.from_bot,
        "html": entities_to_html(text, entities),
        "edited": message.edit_count > 0,
        "date": raw.get("date"),
        "buttons": [
            [
                {"text": b.get("text", ""), "callback": "callback_data" in b, "url": b.get("url")}
                for b in row
            ]
            for row in (raw.get("reply_markup") or {}).get("inline_keyboard", [])
        ],
    }
    file = raw.get("document") or (raw.get("photo") or [None])[-1]
    if file:
        rendered["file"] = {
            "url": f"/ui/file/{file['file_id']}",
            "name": file.get("file_name") or "photo.jpg",
            "mime": file.get("mime_type"),
            "size": file.get("file_size"),
            "is_photo": "photo" in raw,
        }
    if raw.get("contact"):
        rendered["contact"] = raw["contact"]
    return rendered


def add_routes(app: web.Application, server: PlaygroundServer) -> None:
    def person(data: Any) -> PlaygroundUser:
        try:
            user_id = int(data.get("user_id"))
        except (TypeError, ValueError):
            raise web.HTTPBadRequest(text="user_id must be a number") from None
        for identity in server.identities:
            if identity.user_id == user_id:
                return server.identity_user(identity)
        name = str(data.get("first_name") or "") or f"사용자{user_id}"
        return server.user(user_id, name)

    def state(who: PlaygroundUser) -> dict[str, Any]:
        chat = who.chat
        board = chat.reply_keyboard
        return {
            "version": chat.version,
            "user": chat.user.to_dict(),
            "blocked": chat.blocked,
            "messages": [render_message(m) for m in chat.visible()],
            "reply_keyboard": board["keyboard"] if board else None,
            "placeholder": (board or {}).get("input_field_placeholder"),
            "toasts": chat.toasts[-5:],
            "commands": server.effective_commands(chat.id, chat.user.language_code),
        }

    async def identities(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "bot": server.bot_user,
                "identities": [
                    {
                        "user_id": i.user_id,
                        "first_name": i.first_name,
                        "role_label": i.role_label,
                        "has_code": i.totp_secret is not None,
                    }
                    for i in server.identities
                ],
            }
        )

    async def code(request: web.Request) -> web.Response:
        """The demo identity's current authenticator code (only identities given a secret)."""
        import pyotp

        who = person(request.query).id
        secret = next((i.totp_secret for i in server.identities if i.user_id == who), None)
        if secret is None:
            raise web.HTTPNotFound(text="no demo authenticator for this user")
        step = 30
        left = step - int(time.time()) % step
        return web.json_response({"code": pyotp.TOTP(secret).now(), "seconds_left": left})

    async def chat_state(request: web.Request) -> web.Response:
        who = person(request.query)
        since = int(request.query.get("since", "-1"))
        wait = min(float(request.query.get("wait", "0")), 25.0)
        if who.chat.version == since and wait > 0 and not server.closing:
            await who.chat.wait_change(wait)
        return web.json_response(state(who))

    async def send(request: web.Request) -> web.Response:
        data = await request.json()
        who = person(data)
        text = str(data.get("text", ""))
        if text.strip():
            await who.send(text)
        return web.json_response(state(who))

    async def click(request: web.Request) -> web.Response:
        data = await request.json()
        who = person(data)
        try:
            query_id = await who.click(str(data["label"]), message_id=int(data["message_id"]))
        except AssertionError as error:
            return web.json_response({"error": str(error)}, status=409)
        return web.json_response({"query_id": query_id, **state(who)})

    async def press(request: web.Request) -> web.Response:
        data = await request.json()
        who = person(data)
        try:
            await who.press(str(data["label"]))
        except AssertionError as error:
            return web.json_response({"error": str(error)}, status=409)
        return web.json_response(state(who))

    async def contact(request: web.Request) -> web.Response:
        data = await request.json()
        who = person(data)
        await who.send_contact(str(data.get("phone_number") or "+821012345678"))
        return web.json_response(state(who))

    async def block(request: web.Request) -> web.Response:
        data = await request.json()
        who = person(data)
        who.block() if data.get("blocked") else who.unblock()
        return web.json_response(state(who))

    async def upload(request: web.Request) -> web.Response:
        form = await request.post()
        who = person(form)
        part = form.get("file")
        if not isinstance(part, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        content = part.file.read()
        mime = part.content_type or "application/octet-stream"
        if form.get("as_photo") and mime.startswith("image/"):
            await who.send_photo(content)
        else:
            await who.send_document(part.filename, content, mime)
        return web.json_response(state(who))

    async def file(request: web.Request) -> web.Response:
        stored = server.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        headers = {}
        if stored.kind != "photo":
            name = stored.file_name or "file"
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
        mime = stored.mime_type or ("image/jpeg" if stored.kind == "photo" else None)
        return web.Response(
            body=stored.content,
            content_type=mime or "application/octet-stream",
            headers=headers,
        )

    app.router.add_get("/ui/identities", identities)
    app.router.add_get("/ui/chat", chat_state)
    app.router.add_get("/ui/code", code)
    app.router.add_post("/ui/send", send)
    app.router.add_post("/ui/click", click)
    app.router.add_post("/ui/press", press)
    app.router.add_post("/ui/contact", contact)
    app.router.add_post("/ui/block", block)
    app.router.add_post("/ui/upload", upload)
    app.router.add_get("/ui/file/{file_id}", file)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
