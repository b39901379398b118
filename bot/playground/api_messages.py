"""Bot API methods that put, change or remove messages in a chat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .chats import Chat
from .files import MAX_PHOTO, MAX_UPLOAD, document_dict, image_size, photo_sizes
from .html_entities import EntityParseError, parse_html, trim_text, utf16_len
from .markup import parse_reply_markup
from .models import StoredFile, StoredMessage
from .params import ApiError, Params, Upload, bad_request

if TYPE_CHECKING:
    from .state import PlaygroundState

MAX_TEXT = 4096
MAX_CAPTION = 1024
CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice upload_document "
    "choose_sticker find_location record_video_note upload_video_note".split()
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def format_text(
    srv: PlaygroundState, p: Params, text: str, *, mode_key: str, entities_key: str
) -> tuple[str, list[dict[str, Any]]]:
    """Apply parse_mode (or explicit entities) the way Telegram does, then trim."""
    mode = (p.str(mode_key) or "").strip()
    entities: list[dict[str, Any]] = []
    if mode:
        if mode.lower() == "html":
            try:
                text, entities = parse_html(text, strict_ampersand=srv.strict_html_ampersand)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif mode.lower() in {"markdown", "markdownv2"}:
            raise bad_request(f"unsupported parse_mode {mode!r}: the playground accepts only HTML")
        else:
            raise bad_request("unsupported parse_mode")
    else:
        given = p.json(entities_key, "message entities")
        if isinstance(given, list):
            entities = [e for e in given if isinstance(e, dict)]
    return trim_text(text, entities)


def _message_fields(text: str, entities: list[dict[str, Any]], key: str) -> dict[str, Any]:
    fields: dict[str, Any] = {key: text}
    if entities:
        fields["entities" if key == "text" else "caption_entities"] = entities
    return fields


def _reply_to(chat: Chat, p: Params) -> dict[str, Any] | None:
    reply = p.json("reply_parameters", "reply parameters") or {}
    message_id = reply.get("message_id") if isinstance(reply, dict) else None
    if message_id is None:
        message_id = p.int("reply_to_message_id")
    if message_id is None:
        return None
    target = chat.find(int(message_id))
    if target is None:
        allow = reply.get("allow_sending_without_reply") if isinstance(reply, dict) else None
        if allow or p.bool("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return {k: v for k, v in target.raw.items() if k != "reply_to_message"}


def chat_param(srv: PlaygroundState, p: Params, *, check_blocked: bool = True) -> Chat:
    if not p.has("chat_id"):
        raise bad_request("chat_id is empty")
    try:
        chat_id = p.int("chat_id")
    except ApiError:
        raise bad_request("chat not found") from None
    return srv.chat_for_bot(chat_id, check_blocked=check_blocked)


def _target(srv: PlaygroundState, p: Params, missing: str) -> tuple[Chat, StoredMessage]:
    if p.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = chat_param(srv, p)
    message_id = p.int("message_id", error="message identifier is not specified")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = chat.find(message_id)
    if message is None:
        raise bad_request(missing)
    return chat, message


async def send_message(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    raw_text = p.str("text") or ""
    if not raw_text.strip():
        raise bad_request("message text is empty")
    text, entities = format_text(srv, p, raw_text, mode_key="parse_mode", entities_key="entities")
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    markup = parse_reply_markup(p)
    p.json("link_preview_options", "link preview options")
    fields = _message_fields(text, entities, "text")
    fields["reply_to_message"] = _reply_to(chat, p)
    return srv.post_bot_message(chat, fields, markup).raw


def _caption(srv: PlaygroundState, p: Params) -> dict[str, Any]:
    raw = p.str("caption") or ""
    if not raw:
        return {}
    text, entities = format_text(
        srv, p, raw, mode_key="parse_mode", entities_key="caption_entities"
    )
    if utf16_len(text) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return _message_fields(text, entities, "caption") if text else {}


def _input_file(srv: PlaygroundState, p: Params, kind: str) -> StoredFile:
    given = p.upload(kind)
    if given is None:
        raise bad_request(f"there is no {kind} in the request")
    if isinstance(given, Upload):
        if len(given.content) > MAX_UPLOAD:
            raise ApiError(413, "Request Entity Too Large")
        if not given.content:
            raise bad_request("file must be non-empty")
        if kind == "photo":
            size = image_size(given.content)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            if len(given.content) > MAX_PHOTO:
                raise bad_request("PHOTO_SAVE_FILE_INVALID")
            width, height = size
            if width + height > 10000 or max(width, height) > 20 * max(1, min(width, height)):
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            return srv.files.add("photo", given.content)
        mime = given.content_type
        if mime in (None, "application/octet-stream"):
            mime = None
        return srv.files.add("document", given.content, file_name=given.filename, mime_type=mime)
    stored = srv.files.get(given)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind != kind:
        raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
    return stored


async def send_document(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    stored = _input_file(srv, p, "document")
    fields: dict[str, Any] = {"document": document_dict(stored), **_caption(srv, p)}
    markup = parse_reply_markup(p)
    fields["reply_to_message"] = _reply_to(chat, p)
    return srv.post_bot_message(chat, fields, markup).raw


async def send_photo(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    stored = _input_file(srv, p, "photo")
    fields: dict[str, Any] = {"photo": photo_sizes(stored), **_caption(srv, p)}
    markup = parse_reply_markup(p)
    fields["reply_to_message"] = _reply_to(chat, p)
    return srv.post_bot_message(chat, fields, markup).raw


def _apply_edit(
    chat: Chat, message: StoredMessage, changes: dict[str, Any], markup: dict[str, Any] | None
) -> Any:
    raw = message.raw
    new = {**raw, **changes}
    for key, value in changes.items():
        if value is None:
            new.pop(key, None)
    if markup and markup.get("inline_keyboard"):
        new["reply_markup"] = markup
    else:
        new.pop("reply_markup", None)
    keys = ("text", "entities", "caption", "caption_entities", "reply_markup")
    if all(raw.get(k) == new.get(k) for k in keys):
        raise bad_request(NOT_MODIFIED)
    raw.clear()
    raw.update(new)
    chat.edited(message)
    return raw


def _edit_markup(p: Params) -> dict[str, Any] | None:
    parsed = parse_reply_markup(p, inline_only=True)
    return parsed[1] if parsed else None


async def edit_message_text(srv: PlaygroundState, p: Params) -> Any:
    chat, message = _target(srv, p, "message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    raw_text = p.str("text") or ""
    if not raw_text.strip():
        raise bad_request("message text is empty")
    if "text" not in message.raw:
        raise bad_request("there is no text in the message to edit")
    text, entities = format_text(srv, p, raw_text, mode_key="parse_mode", entities_key="entities")
    if not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    changes = {"text": text, "entities": entities or None}
    return _apply_edit(chat, message, changes, _edit_markup(p))


async def edit_message_caption(srv: PlaygroundState, p: Params) -> Any:
    chat, message = _target(srv, p, "message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    if "document" not in message.raw and "photo" not in message.raw:
        raise bad_request("there is no caption in the message to edit")
    caption = _caption(srv, p)
    changes = {
        "caption": caption.get("caption"),
        "caption_entities": caption.get("caption_entities"),
    }
    return _apply_edit(chat, message, changes, _edit_markup(p))


async def edit_message_reply_markup(srv: PlaygroundState, p: Params) -> Any:
    chat, message = _target(srv, p, "message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return _apply_edit(chat, message, {}, _edit_markup(p))


async def delete_message(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p, check_blocked=False)
    message_id = p.int("message_id", error="message identifier is not specified")
    message = chat.find(message_id)
    if message is None:
        raise bad_request("message to delete not found")
    chat.delete(message)
    return True


async def delete_messages(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p, check_blocked=False)
    ids = p.json("message_ids", "message identifiers")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message identifiers are not specified")
    for message_id in ids:
        message = chat.find(int(message_id))
        if message is not None:
            chat.delete(message)
    return True


async def send_chat_action(srv: PlaygroundState, p: Params) -> Any:
    chat = chat_param(srv, p)
    action = p.str("action") or ""
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.actions.append(action)
    return True


METHODS = {
    "sendMessage": send_message,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "sendChatAction": send_chat_action,
}
