"""Less central Bot API methods a bot may still call: copies, forwards, pins, bot profile text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api_messages import MAX_CAPTION, chat_param, format_text
from .html_entities import utf16_len
from .markup import parse_reply_markup
from .params import Params, bad_request

if TYPE_CHECKING:
    from .chats import Chat
    from .models import StoredMessage
    from .state import PlaygroundState

_CONTENT = ("text", "entities", "document", "photo", "contact", "caption", "caption_entities")
_PROFILE = {"name": 64, "description": 512, "short_description": 120}


def _source(srv: PlaygroundState, p: Params, missing: str) -> StoredMessage:
    raw_chat = p.int("from_chat_id", error="chat not found")
    source_chat: Chat = srv.chat_for_bot(raw_chat, check_blocked=False)
    message = source_chat.find(p.int("message_id", error="message identifier is not specified"))
    if message is None:
        raise bad_request(missing)
    return message


async def copy_message(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    source = _source(srv, p, "message to copy not found")
    fields = {k: v for k, v in source.raw.items() if k in _CONTENT}
    if p.has("caption") and "text" not in fields:
        text, entities = format_text(
            srv, p, p.str("caption") or "", mode_key="parse_mode", entities_key="caption_entities"
        )
        if utf16_len(text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        fields["caption"] = text or None
        fields["caption_entities"] = entities or None
    message = srv.post_bot_message(chat, fields, parse_reply_markup(p))
    return {"message_id": message.message_id}


async def forward_message(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    source = _source(srv, p, "message to forward not found")
    fields: dict[str, Any] = {k: v for k, v in source.raw.items() if k in _CONTENT}
    sender = source.raw["from"]
    fields["forward_origin"] = {"type": "user", "sender_user": sender, "date": source.raw["date"]}
    return srv.post_bot_message(chat, fields, None).raw


async def pin_chat_message(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    message = chat.find(p.int("message_id", error="message identifier is not specified"))
    if message is None:
        raise bad_request("message to pin not found")
    chat.pinned = message.message_id
    chat.notify()
    return True


async def unpin_chat_message(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    chat.pinned = None
    chat.notify()
    return True


def _profile_setter(field: str) -> Any:
    async def setter(srv: PlaygroundState, p: Params) -> Any:
        value = p.str(field) or ""
        if len(value) > _PROFILE[field]:
            raise bad_request(f"bot {field.replace('_', ' ')} is too long")
        srv.profile[(field, p.str("language_code") or "")] = value
        return True

    return setter


def _profile_getter(field: str) -> Any:
    async def getter(srv: PlaygroundState, p: Params) -> Any:
        value = srv.profile.get((field, p.str("language_code") or ""), "")
        if field == "name" and not value:
            value = srv.bot_first_name
        return {field: value}

    return getter


METHODS = {
    "copyMessage": copy_message,
    "forwardMessage": forward_message,
    "pinChatMessage": pin_chat_message,
    "unpinChatMessage": unpin_chat_message,
    "unpinAllChatMessages": unpin_chat_message,
    "setMyName": _profile_setter("name"),
    "getMyName": _profile_getter("name"),
    "setMyDescription": _profile_setter("description"),
    "getMyDescription": _profile_getter("description"),
    "setMyShortDescription": _profile_setter("short_description"),
    "getMyShortDescription": _profile_getter("short_description"),
}
