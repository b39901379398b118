"""reply_markup validation with Telegram's error wording."""

from __future__ import annotations

from typing import Any

from .params import ApiError, Params, bad_request

INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
MAX_BUTTONS = 100


def _button_error(message: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {message}")


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_error('Field "text" must be of type String')
    actions = [a for a in INLINE_ACTIONS if a in button and button[a] is not None]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if "callback_data" in actions:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise _button_error('Field "callback_data" must be of type String')
        if not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in actions:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise bad_request("BUTTON_URL_INVALID")
    return {k: v for k, v in button.items() if v is not None}


def validate_inline_keyboard(markup: Any) -> dict[str, Any]:
    rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
    if not isinstance(rows, list):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    clean: list[list[dict[str, Any]]] = []
    count = 0
    for row in rows:
        if not isinstance(row, list):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        clean_row = [_inline_button(b) for b in row]
        count += len(clean_row)
        if clean_row:
            clean.append(clean_row)
    if count > MAX_BUTTONS:
        raise bad_request("REPLY_MARKUP_TOO_LONG")
    return {"inline_keyboard": clean}


def _reply_keyboard(markup: dict[str, Any]) -> dict[str, Any]:
    rows = markup.get("keyboard")
    if not isinstance(rows, list):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    clean: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request(
                'field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'
            )
        clean_row = []
        for button in row:
            if isinstance(button, str):
                button = {"text": button}
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    "can't parse keyboard button: KeyboardButton must be a String or an Object"
                )
            clean_row.append({k: v for k, v in button.items() if v is not None})
        if clean_row:
            clean.append(clean_row)
    placeholder = markup.get("input_field_placeholder")
    if isinstance(placeholder, str) and len(placeholder) > 64:
        raise bad_request("input field placeholder is too long")
    result = {k: v for k, v in markup.items() if v is not None}
    result["keyboard"] = clean
    return result


def parse_reply_markup(
    p: Params, *, inline_only: bool = False
) -> tuple[str, dict[str, Any]] | None:
    """Return (kind, markup) with kind inline | reply | remove | force_reply, or None."""
    markup = p.json("reply_markup", "reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return "inline", validate_inline_keyboard(markup)
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        return "reply", _reply_keyboard(markup)
    if markup.get("remove_keyboard"):
        return "remove", markup
    if markup.get("force_reply"):
        return "force_reply", markup
    raise bad_request("can't parse reply keyboard markup JSON object")
