"""Seeded generators of hostile input: texts, every media kind, forged callback data.

Everything takes a ``random.Random`` so a failing run is reproduced by its seed.
"""

from __future__ import annotations

import enum
import random
from typing import Any

from aiogram.filters.callback_data import CallbackData

import bot.handlers  # noqa: F401  (imports every CallbackData factory)
from bot.handlers.menu import ROLE_COMMANDS

COMMANDS = sorted({c for names in ROLE_COMMANDS.values() for c in names} | {"history", "otp"})
PIECES = [
    "<b>굵게</b>",
    "<script>alert(1)</script>",
    "<a href='javascript:x'>링크</a>",
    "&amp; &lt; & < >",
    "\x00",
    "\u202e\u202dRTL\u200f",
    "\u200b\u200c\u200d\ufeff",
    "🙂👨‍👩‍👧",
    "김청년",
    "010-1234-5678",
    "02-123-4567",
    "youth@example.com",
    "2000-05-17",
    "1999.12.31",
    "0",
    "-1",
    str(2**31),
    str(2**63),
    "9" * 30,
    "YWE-2026-000123-4",
    "YWE-2026-000123-X",
    "예",
    "아니오",
    "' OR 1=1 --",
    "%s %d {0} {name}",
    "\\n\\t",
    "\n",
    " ",
]
BOUNDARY_INTS = [0, 1, 2, 2**31 - 1, 2**31, 2**63, -1, -(2**31)]
BOUNDARY_STRS = ["", "x", "0", "-", "?", "@agency", ":", "가" * 40, "a" * 41, "1_0", " 1", "1.0"]


def text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return "가나다" * rng.randint(1700, 2000)  # 5,000+ characters
    if roll < 0.22:
        command = rng.choice(COMMANDS)
        tail = " " + rng.choice(PIECES) if rng.random() < 0.4 else ""
        return f"/{command}{tail}"
    parts = [rng.choice(PIECES) for _ in range(rng.randint(1, 4))]
    return "".join(parts) or "?"


def _file(rng: random.Random, kind: str) -> dict[str, Any]:
    n = rng.randint(1, 10**6)
    return {"file_id": f"{kind}-{n}", "file_unique_id": f"u{kind}{n}", "file_size": n}


def media(rng: random.Random) -> dict[str, Any]:
    """The fields of one non-text message of a random kind (valid Telegram objects)."""
    kind = rng.choice(MEDIA_KINDS)
    caption = {"caption": text(rng)[:1024]} if rng.random() < 0.4 else {}
    if kind == "photo":
        sizes = [{**_file(rng, "ph"), "width": 90, "height": 90}]
        return {"photo": sizes, **caption}
    if kind == "document":
        name = rng.choice(["이력서.pdf", "a.hwp", "x.exe", "<b>.pdf", "", "..\\..\\etc"])
        mime = rng.choice(["application/pdf", "text/plain", "application/x-msdownload"])
        return {"document": {**_file(rng, "doc"), "file_name": name, "mime_type": mime}, **caption}
    if kind == "sticker":
        return {
            "sticker": {
                **_file(rng, "st"),
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        }
    if kind in ("voice", "audio"):
        return {kind: {**_file(rng, kind), "duration": rng.randint(0, 600)}, **caption}
    if kind in ("video", "animation"):
        body = {**_file(rng, kind), "width": 320, "height": 240, "duration": 3}
        return {kind: body, **caption}
    if kind == "video_note":
        return {"video_note": {**_file(rng, "vn"), "length": 240, "duration": 3}}
    if kind == "location":
        return {"location": {"latitude": 37.5, "longitude": 127.0}}
    if kind == "venue":
        where = {"latitude": 37.5, "longitude": 127.0}
        return {"venue": {"location": where, "title": "<b>시청</b>", "address": "서울"}}
    if kind == "contact":
        who = rng.choice([None, 1, 1002, 2**40])
        contact: dict[str, Any] = {"phone_number": "+821012345678", "first_name": "남"}
        if who is not None:
            contact["user_id"] = who
        return {"contact": contact}
    if kind == "poll":
        options = [{"text": t, "voter_count": 0, "persistent_id": t} for t in ("a", "<b>b</b>")]
        poll = {
            "id": str(rng.randint(1, 10**9)),
            "question": "?",
            "options": options,
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
        return {"poll": poll}
    return {"dice": {"emoji": "🎲", "value": rng.randint(1, 6)}}


MEDIA_KINDS = [
    "photo",
    "document",
    "sticker",
    "voice",
    "audio",
    "video",
    "animation",
    "video_note",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
]


def _factories() -> list[type[CallbackData]]:
    found: list[type[CallbackData]] = []
    todo = list(CallbackData.__subclasses__())
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.append(cls)
    return sorted(found, key=lambda c: c.__prefix__)


FACTORIES = _factories()


def _value(rng: random.Random, annotation: Any, ids: list[int]) -> str:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        if rng.random() < 0.85:
            return str(rng.choice(list(annotation)).value)
        return rng.choice(BOUNDARY_STRS)
    if annotation is bool:
        return rng.choice(["1", "0", "true", "2", ""])
    if annotation is int:
        roll = rng.random()
        if roll < 0.5 and ids:
            return str(rng.choice(ids))
        if roll < 0.85:
            return str(rng.choice(BOUNDARY_INTS))
        return rng.choice(BOUNDARY_STRS)
    return rng.choice([*BOUNDARY_STRS, "waiting", "summary", "name", "1", "edu"])


def callback_data(rng: random.Random, ids: list[int]) -> str:
    """Forged data for a random factory: its prefix, then random and boundary field values
    (usually well-typed, sometimes not; sometimes a field too many or too few)."""
    if rng.random() < 0.05:
        return rng.choice(["", "x", ":" * 10, "nav", "가" * 20, "myapp:view:1:extra"])
    cls = rng.choice(FACTORIES)
    values = [_value(rng, info.annotation, ids) for info in cls.model_fields.values()]
    if rng.random() < 0.05 and values:
        values.pop()
    data = ":".join([cls.__prefix__, *values])
    return data.encode()[:64].decode(errors="ignore")
