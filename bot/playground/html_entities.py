"""Telegram's HTML parse_mode, validated the way Telegram validates it.

A port of tdlib's ``parse_html`` (td/telegram/MessageEntity.cpp): it walks the UTF-8 bytes, so the
"byte offset" in error messages matches what Telegram reports for the same input.  The one
deliberate difference is ``strict_ampersand``: Telegram passes a bare ``&`` (or an entity without
``;``) through as text, but a bot that relies on that is one ``html.escape`` away from a real bug,
so the playground refuses it unless told otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ALLOWED_TAGS = frozenset(
    "a b strong i em s strike del u ins tg-spoiler tg-emoji span pre code blockquote".split()
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
}
_NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_SPACES = b" \t\r\n\v\f\0"
# tdlib's sort priority when two entities start at the same offset with the same length.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(error)`` is tdlib's message."""


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int  # UTF-16 offset in the result text
    begin: int  # byte position in the result


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit Telegram measures text and entities in."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _decode_entity(data: bytes, pos: int, *, strict: bool) -> tuple[int, int]:
    """Return (code point, position after the entity); code 0 when it is not an entity."""
    n = len(data)

    def at(k: int) -> int:
        return data[k] if k < n else 0

    end = pos + 1
    res = 0
    if at(pos + 1) == ord("#"):
        end += 1
        if at(pos + 2) == ord("x"):
            end += 1
            while chr(at(end)) in "0123456789abcdefABCDEF" and at(end):
                res = res * 16 + int(chr(at(end)), 16)
                end += 1
        else:
            while ord("0") <= at(end) <= ord("9"):
                res = res * 10 + at(end) - ord("0")
                end += 1
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while chr(at(end)).isascii() and chr(at(end)).isalpha() and at(end):
            end += 1
        name = data[pos + 1 : end]
        if name not in _NAMED:
            return 0, pos
        res = ord(_NAMED[name])
    if at(end) == ord(";"):
        return res, end + 1
    if strict:
        return 0, pos
    return res, end


def _checked_link(url: str) -> str:
    """A rough LinkManager::get_checked_link: invalid links silently produce no entity."""
    url = url.strip()
    if not url or any(c.isspace() for c in url):
        return ""
    lower = url.lower()
    for scheme in ("http://", "https://", "tg://", "ton://"):
        if lower.startswith(scheme):
            return url if len(url) > len(scheme) else ""
    if "://" in url or ":" in url.split("/", 1)[0]:
        return ""
    host = url.split("/", 1)[0]
    return "http://" + url if "." in host and not host.startswith(".") else ""


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, Bot API entity dicts) or raise EntityParseError."""
    if "\0" in text:
        raise EntityParseError("Text must not contain null bytes")
    data = text.encode("utf-8", "surrogatepass")
    n = len(data)

    def at(k: int) -> int:
        return data[k] if k < n else 0

    def is_space(c: int) -> bool:
        return c in _SPACES

    out = bytearray()
    utf16 = 0
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    i = 0
    while i < n:
        c = data[i]
        if c == ord("&"):
            code, after = _decode_entity(data, i, strict=strict_ampersand)
            if code:
                utf16 += 1 + (code > 0xFFFF)
                out += chr(code).encode("utf-8", "surrogatepass")
                i = after
                continue
            if strict_ampersand:
                raise EntityParseError(f"Character entity expected at byte offset {i}")
        if c != ord("<"):
            if c & 0xC0 != 0x80:
                utf16 += 1 + (c >= 0xF0)
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if at(i) != ord("/"):
            while not is_space(at(i)) and at(i) != ord(">"):
                i += 1
            if at(i) == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in ALLOWED_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument, i = _parse_attributes(data, i, tag, begin)
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
                )
            stack.append(_Open(tag, argument, utf16, len(out)))
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
            while not is_space(at(i)) and at(i) != ord(">"):
                i += 1
            end_tag = data[begin + 2 : i].decode("utf-8", "replace").lower()
            while is_space(at(i)) and at(i) != 0:
                i += 1
            if at(i) != ord(">"):
                raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
            top = stack[-1]
            if end_tag and end_tag != top.tag:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {begin}, expected "</{top.tag}>", '
                    f'found "</{end_tag}>"'
                )
            if utf16 > top.offset:
                _close_entity(entities, top, utf16, bytes(out[top.begin :]))
            stack.pop()
        i += 1  # past '>'
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    try:
        result = out.decode("utf-8")
    except UnicodeDecodeError:
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, check for "
            "unmatched surrogate code units"
        ) from None
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))
    return result, entities


def _parse_attributes(data: bytes, i: int, tag: str, begin: int) -> tuple[str, int]:
    """Read the attributes of a start tag at data[i]; return (argument, index of '>')."""
    n = len(data)

    def at(k: int) -> int:
        return data[k] if k < n else 0

    def is_space(c: int) -> bool:
        return c in _SPACES

    argument = ""
    while at(i) != ord(">"):
        while at(i) != 0 and is_space(at(i)):
            i += 1
        if at(i) == ord(">"):
            break
        name_begin = i
        while not is_space(at(i)) and at(i) not in b"=>/\"'":
            i += 1
        name = data[name_begin:i].decode("utf-8", "replace")
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
            )
        while at(i) != 0 and is_space(at(i)):
            i += 1
        if at(i) != ord("="):
            if at(i) == 0:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            if tag == "blockquote" and name == "expandable":
                argument = "1"
            continue
        i += 1
        while at(i) != 0 and is_space(at(i)):
            i += 1
        if at(i) == 0:
            raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
        if at(i) not in (ord("'"), ord('"')):
            token_begin = i
            while chr(at(i)).isascii() and (chr(at(i)).isalnum() or at(i) in b".-") and at(i):
                i += 1
            value = data[token_begin:i].decode("ascii").lower()
            if not is_space(at(i)) and at(i) != ord(">"):
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {token_begin}"
                )
        else:
            quote = at(i)
            i += 1
            raw = bytearray()
            while at(i) != quote and at(i) != 0:
                if at(i) == ord("&"):
                    code, after = _decode_entity(data, i, strict=False)
                    if code:
                        raw += chr(code).encode("utf-8", "surrogatepass")
                        i = after
                        continue
                raw.append(at(i))
                i += 1
            if at(i) == quote:
                i += 1
            value = raw.decode("utf-8", "replace")
        if at(i) == 0:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[9:]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[3:]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
        elif tag == "blockquote" and name == "expandable":
            argument = "1"
    return argument, i


def _close_entity(entities: list[dict[str, Any]], top: _Open, utf16: int, inner: bytes) -> None:
    offset, length = top.offset, utf16 - top.offset
    tag, arg = top.tag, top.argument
    last = entities[-1] if entities else None
    same_span = last is not None and last["offset"] == offset and last["length"] == length
    if tag in _SIMPLE or tag == "span":
        entities.append({"type": _SIMPLE.get(tag, "spoiler"), "offset": offset, "length": length})
    elif tag == "tg-emoji":
        if not arg.isdigit() or int(arg) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        entities.append(
            {"type": "custom_emoji", "offset": offset, "length": length, "custom_emoji_id": arg}
        )
    elif tag == "a":
        url = _checked_link(arg or inner.decode("utf-8", "replace"))
        if url:
            entities.append({"type": "text_link", "offset": offset, "length": length, "url": url})
    elif tag == "pre":
        if same_span and last is not None and last["type"] == "code" and last.get("language"):
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag == "code":
        if same_span and last is not None and last["type"] == "pre" and arg:
            last["language"] = arg
        else:
            entity = {"type": "code", "offset": offset, "length": length}
            if arg:
                entity["language"] = arg  # dropped at the end unless a <pre> claims it
            entities.append(entity)
    elif tag == "blockquote":
        kind = "expandable_blockquote" if arg else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})


_TRIM = " \t\r\n\v\f"


def trim_text(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Drop leading/trailing whitespace and clip the entities, as Telegram does before storing."""
    stripped_left = text.lstrip(_TRIM)
    left = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip(_TRIM)
    total = utf16_len(result)
    kept = []
    for entity in entities:
        start = max(entity["offset"] - left, 0)
        end = min(entity["offset"] + entity["length"] - left, total)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return result, kept
