"""Plain data shared by the playground server, its Bot API methods, the driver and the page."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Identity:
    """A demo person the web page offers (e.g. a participant, agency staff, a center operator)."""

    user_id: int
    first_name: str
    role_label: str = ""
    username: str | None = None
    language_code: str = "ko"
    totp_secret: str | None = None  # demo staff/center only: the page shows the current code


@dataclass
class UserInfo:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "ko"
    last_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_dict(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        chat["type"] = "private"
        return chat


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request as the bot made it (params normalised: JSON fields decoded)."""

    method: str
    params: dict[str, Any]
    ok: bool
    error_code: int | None = None
    description: str | None = None
    result: Any = None


@dataclass
class Stats:
    sent: int = 0
    rejected_429: int = 0
    per_method: Counter[str] = field(default_factory=Counter)


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # "document" | "photo"
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    file_path: str = ""

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass
class ChatMessage:
    """A message in a chat as a person sees it at one moment (a snapshot, not a live view)."""

    message_id: int
    from_bot: bool
    text: str | None
    buttons: list[list[str]]
    callback_data: dict[str, str]
    urls: dict[str, str]
    file_id: str | None
    file_name: str | None
    mime_type: str | None
    is_photo: bool
    deleted: bool
    edit_count: int
    raw: dict[str, Any]
    event: str = "new"  # "new" | "edit" | "delete"

    @property
    def is_document(self) -> bool:
        return self.file_id is not None and not self.is_photo

    @property
    def document(self) -> dict[str, Any] | None:
        return self.raw.get("document")

    @property
    def has_file(self) -> bool:
        return self.file_id is not None

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.raw.get("entities") or self.raw.get("caption_entities") or [])

    @property
    def contact(self) -> dict[str, Any] | None:
        return self.raw.get("contact")

    def line(self) -> str:
        """One transcript line: who, what, which buttons."""
        who = "bot" if self.from_bot else "user"
        tag = {"edit": " (edited)", "delete": " (deleted)"}.get(self.event, "")
        body = self.text if self.text is not None else ""
        if self.is_photo:
            body = f"[photo] {body}".strip()
        elif self.file_id:
            body = f"[document {self.file_name or '?'}] {body}".strip()
        elif self.contact:
            body = f"[contact {self.contact.get('phone_number')}]"
        text = f"#{self.message_id} {who}{tag}: {body}"
        if self.buttons:
            text += "\n      buttons: " + " | ".join(" · ".join(row) for row in self.buttons)
        return text


@dataclass
class StoredMessage:
    raw: dict[str, Any]
    from_bot: bool
    deleted: bool = False
    edit_count: int = 0

    @property
    def message_id(self) -> int:
        return int(self.raw["message_id"])

    def snapshot(self, event: str = "new") -> ChatMessage:
        raw = copy.deepcopy(self.raw)
        buttons: list[list[str]] = []
        data: dict[str, str] = {}
        urls: dict[str, str] = {}
        for row in (raw.get("reply_markup") or {}).get("inline_keyboard", []):
            buttons.append([b.get("text", "") for b in row])
            for b in row:
                if "callback_data" in b:
                    data.setdefault(b["text"], b["callback_data"])
                if "url" in b:
                    urls.setdefault(b["text"], b["url"])
        file: dict[str, Any] | None = None
        if raw.get("document"):
            file = raw["document"]
        elif raw.get("photo"):
            file = raw["photo"][-1]
        return ChatMessage(
            message_id=int(raw["message_id"]),
            from_bot=self.from_bot,
            text=raw.get("text", raw.get("caption")),
            buttons=buttons,
            callback_data=data,
            urls=urls,
            file_id=file["file_id"] if file else None,
            file_name=(file or {}).get("file_name"),
            mime_type=(file or {}).get("mime_type"),
            is_photo=bool(raw.get("photo")),
            deleted=self.deleted,
            edit_count=self.edit_count,
            raw=raw,
            event=event,
        )


@dataclass
class CallbackRecord:
    id: str
    user_id: int
    message_id: int
    data: str
    created: float
    answered: bool = False
    answer: dict[str, Any] | None = None
