"""Request parameters and error replies, read the way the Bot API reads them.

Telegram accepts the same parameters as a query string, a JSON body, a urlencoded form or a
multipart form; in the form variants every value is a string and objects arrive as JSON text, so
every accessor here coerces from either shape.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from typing import Any

# Parameters whose form value is JSON text; decoded when the call is recorded for tests.
JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "link_preview_options",
        "reply_parameters",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "menu_button",
        "message_ids",
    }
)
INT_FIELDS = frozenset({"chat_id", "message_id", "offset", "limit", "timeout", "cache_time"})


class ApiError(Exception):
    """A Bot API refusal: becomes {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(message: str) -> ApiError:
    return ApiError(400, f"Bad Request: {message}")


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str | None
    content: bytes


class Params:
    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None):
        self.values = values
        self.uploads = uploads or {}

    def has(self, name: str) -> bool:
        value = self.values.get(name)
        return (value is not None and value != "") or name in self.uploads

    def str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def int(self, name: builtins.str, *, error: builtins.str | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        try:
            return int(value)
        except (TypeError, ValueError):
            if error is not None:
                raise bad_request(error) from None
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: builtins.str) -> bool:
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        return str(value).strip().lower() in {"true", "1"} if value is not None else False

    def json(self, name: builtins.str, what: builtins.str) -> Any:
        """A JSON object/array parameter; ``what`` names it in Telegram's parse error."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {what} JSON object") from None
        return value

    def upload(self, name: builtins.str) -> Upload | builtins.str | None:
        """An InputFile: an uploaded part (directly or via attach://) or a file_id/URL string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.str(name)
        if value is None or value == "":
            return None
        if value.startswith("attach://"):
            return self.uploads.get(value[len("attach://") :])
        return value

    def normalized(self) -> dict[builtins.str, Any]:
        result: dict[str, Any] = {}
        for key, value in self.values.items():
            if isinstance(value, str) and key in JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            elif isinstance(value, str) and key in INT_FIELDS:
                try:
                    value = int(value)
                except ValueError:
                    pass
            elif isinstance(value, str) and value.startswith("attach://"):
                upload = self.uploads.get(value[len("attach://") :])
                if upload is not None:
                    value = {"file_name": upload.filename, "size": len(upload.content)}
            result[key] = value
        for key, upload in self.uploads.items():
            if not any(v == f"attach://{key}" for v in self.values.values()):
                result.setdefault(key, {"file_name": upload.filename, "size": len(upload.content)})
        return result
