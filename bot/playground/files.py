"""Files the bot and the people exchanged: ids like Telegram's, content kept in memory."""

from __future__ import annotations

import hashlib
import mimetypes
import secrets
import struct
from typing import Any

from .models import StoredFile

MAX_UPLOAD = 50 * 1024 * 1024  # what a bot may upload
MAX_DOWNLOAD = 20 * 1024 * 1024  # what getFile hands out
MAX_PHOTO = 10 * 1024 * 1024


def image_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG, GIF or WebP image; None when it is not one of those."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        width, height = struct.unpack(">II", content[16:24])
        return width, height
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        width, height = struct.unpack("<HH", content[6:10])
        return width, height
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP" and len(content) >= 30:
        chunk = content[12:16]
        if chunk == b"VP8X":
            width = int.from_bytes(content[24:27], "little") + 1
            height = int.from_bytes(content[27:30], "little") + 1
            return width, height
        if chunk == b"VP8 ":
            width, height = struct.unpack("<HH", content[26:30])
            return width & 0x3FFF, height & 0x3FFF
        if chunk == b"VP8L" and len(content) >= 25:
            bits = int.from_bytes(content[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        return None
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(content):
        if content[i] != 0xFF:
            return None
        marker = content[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (length,) = struct.unpack(">H", content[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", content[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def _image_mime(content: bytes) -> str:
    if content.startswith(b"\x89PNG"):
        return "image/png"
    if content.startswith(b"GIF8"):
        return "image/gif"
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "image/webp"
    return "image/jpeg"


class FileStore:
    def __init__(self) -> None:
        self.by_id: dict[str, StoredFile] = {}
        self.by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def add(
        self,
        kind: str,
        content: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        self._counter += 1
        prefix = "AgAC" if kind == "photo" else "BQAC"
        file_id = prefix + secrets.token_urlsafe(48)
        unique = "AQAD" + hashlib.sha256(file_id.encode()).hexdigest()[:12]
        width = height = 0
        if kind == "photo":
            width, height = image_size(content) or (0, 0)
            mime_type = _image_mime(content)
            ext = ".jpg"
        else:
            if mime_type is None and file_name:
                mime_type = mimetypes.guess_type(file_name)[0]
            ext = "." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name else ""
        folder = "photos" if kind == "photo" else "documents"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique,
            kind=kind,
            content=content,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
            file_path=f"{folder}/file_{self._counter}{ext}",
        )
        self.by_id[file_id] = stored
        self.by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self.by_id.get(file_id)


def document_dict(f: StoredFile) -> dict[str, Any]:
    doc: dict[str, Any] = {"file_id": f.file_id, "file_unique_id": f.file_unique_id}
    if f.file_name:
        doc["file_name"] = f.file_name
    if f.mime_type:
        doc["mime_type"] = f.mime_type
    doc["file_size"] = f.size
    return doc


def photo_sizes(f: StoredFile) -> list[dict[str, Any]]:
    return [
        {
            "file_id": f.file_id,
            "file_unique_id": f.file_unique_id,
            "file_size": f.size,
            "width": f.width,
            "height": f.height,
        }
    ]
