"""Bot API methods about the bot itself, updates, callbacks, files, commands and chats."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

from .files import MAX_DOWNLOAD
from .params import ApiError, Params, bad_request
from .state import CALLBACK_TTL
from .webhook import check_webhook

if TYPE_CHECKING:
    from .state import PlaygroundState

QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)


async def get_me(srv: PlaygroundState, p: Params) -> Any:
    return {
        **srv.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(srv: PlaygroundState, p: Params) -> Any:
    if srv.webhook.get("url"):
        raise ApiError(409, WEBHOOK_ACTIVE)
    allowed = p.json("allowed_updates", "allowed updates")
    return await srv.updates.get(
        offset=p.int("offset") or 0,
        limit=p.int("limit") or 100,
        timeout=float(p.int("timeout") or 0),
        allowed_updates=allowed if isinstance(allowed, list) else None,
    )


async def set_webhook(srv: PlaygroundState, p: Params) -> Any:
    url = p.str("url") or ""
    secret = p.str("secret_token")
    max_connections = check_webhook(url, secret, p.int("max_connections"))  # http: loopback only
    if p.bool("drop_pending_updates"):
        srv.updates.drop_pending()
    allowed = p.json("allowed_updates", "allowed updates")
    if isinstance(allowed, list):
        srv.updates.allowed = frozenset(allowed) or None
    srv.webhook = {"url": url, "secret_token": secret}
    srv.webhook_delivery.configure(url, secret, max_connections)  # POSTs updates (webhook.py)
    return True


async def delete_webhook(srv: PlaygroundState, p: Params) -> Any:
    if p.bool("drop_pending_updates"):
        srv.updates.drop_pending()
    srv.webhook = {"url": ""}
    srv.webhook_delivery.configure("", None)
    return True


async def get_webhook_info(srv: PlaygroundState, p: Params) -> Any:
    info: dict[str, Any] = {
        "url": srv.webhook.get("url", ""),
        "has_custom_certificate": False,
        "pending_update_count": len(srv.updates.pending),
    }
    if srv.updates.allowed is not None:
        info["allowed_updates"] = sorted(srv.updates.allowed)
    info.update(srv.webhook_delivery.info())
    return info


async def ok_true(srv: PlaygroundState, p: Params) -> Any:
    return True


async def answer_callback_query(srv: PlaygroundState, p: Params) -> Any:
    record = srv.callbacks.get(p.str("callback_query_id") or "")
    if record is None or record.answered or time.monotonic() - record.created > CALLBACK_TTL:
        raise bad_request(QUERY_TOO_OLD)
    text = p.str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    record.answered = True
    record.answer = {
        "text": text,
        "show_alert": p.bool("show_alert"),
        "url": p.str("url"),
        "cache_time": p.int("cache_time") or 0,
    }
    chat = srv.chats.get(record.user_id)
    if chat is not None:
        if text:
            chat.toasts.append({"query_id": record.id, **record.answer})
        chat.notify()
    return True


async def get_file(srv: PlaygroundState, p: Params) -> Any:
    stored = srv.files.get(p.str("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": stored.file_path,
    }


def _scope_key(srv: PlaygroundState, p: Params) -> tuple[str, int, int, str]:
    scope = p.json("scope", "BotCommandScope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("unsupported bot command scope type")
    kind = scope["type"]
    chat_id = user_id = 0
    if kind in {"chat", "chat_administrators", "chat_member"}:
        raw_chat = scope.get("chat_id")
        try:
            chat_id = int(raw_chat) if raw_chat is not None else 0
        except (TypeError, ValueError):
            chat_id = 0
        if chat_id not in srv.chats:
            raise bad_request("chat not found")
    if kind == "chat_member":
        user_id = int(scope.get("user_id") or 0)
    language = p.str("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return kind, chat_id, user_id, language


async def set_my_commands(srv: PlaygroundState, p: Params) -> Any:
    commands = p.json("commands", "commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    clean = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name = str(command.get("command", "")).lstrip("/")
        description = str(command.get("description", ""))
        if not _COMMAND_NAME.fullmatch(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        clean.append({"command": name, "description": description})
    key = _scope_key(srv, p)
    if clean:
        srv.commands[key] = clean
    else:
        srv.commands.pop(key, None)
    return True


async def get_my_commands(srv: PlaygroundState, p: Params) -> Any:
    return srv.commands.get(_scope_key(srv, p), [])


async def delete_my_commands(srv: PlaygroundState, p: Params) -> Any:
    srv.commands.pop(_scope_key(srv, p), None)
    return True


def _menu_button(p: Params) -> dict[str, Any]:
    button = p.json("menu_button", "menu button") or {"type": "default"}
    kinds = {"default", "commands", "web_app"}
    if not isinstance(button, dict) or button.get("type") not in kinds:
        raise bad_request("unsupported menu button type")
    return button


async def set_chat_menu_button(srv: PlaygroundState, p: Params) -> Any:
    button = _menu_button(p)
    if p.has("chat_id"):
        srv.chat_for_bot(p.int("chat_id"), check_blocked=False).menu_button = button
    else:
        srv.default_menu_button = button
    return True


async def get_chat_menu_button(srv: PlaygroundState, p: Params) -> Any:
    if p.has("chat_id"):
        chat = srv.chat_for_bot(p.int("chat_id"), check_blocked=False)
        return chat.menu_button or srv.default_menu_button
    return srv.default_menu_button


async def get_chat(srv: PlaygroundState, p: Params) -> Any:
    if not p.has("chat_id"):
        raise bad_request("chat_id is empty")
    try:
        chat = srv.chat_for_bot(p.int("chat_id"), check_blocked=False)
    except ApiError:
        raise bad_request("chat not found") from None
    info = chat.user.chat_dict()
    info.update(
        {
            "accent_color_id": chat.id % 7,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        }
    )
    return info


METHODS = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "logOut": ok_true,
    "close": ok_true,
    "answerCallbackQuery": answer_callback_query,
    "getFile": get_file,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "getChat": get_chat,
}
