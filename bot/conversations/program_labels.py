"""How a program's fields read (labels of types, statuses, fields and values), as the wizard's
review and the program screen show them. Pure: no Telegram types."""

from __future__ import annotations

from typing import Any

from bot.i18n import Texts
from bot.services import program_fields
from bot.services.program_fields import FIELD_BY_NAME
from bot.storage.models import Program

SUMMARY_VALUE_CHARS = 60
MESSAGE_LIMIT = 4000


def type_label(t: Texts, program_type: str) -> str:
    return t(f"progreg.type.{program_type}")


def status_label(t: Texts, program: Program) -> str:
    if program.roster_locked_at is not None:
        return t("progreg.status.locked")
    return t(f"progreg.status.{program.status}")


def field_label(t: Texts, name: str) -> str:
    return t(f"progreg.field.{name}")


def bool_label(t: Texts, name: str, value: bool) -> str:
    key = f"progreg.bool.{name}.{int(value)}"
    return t(key) if t.has(key) else t(f"progreg.bool.{int(value)}")


def _short(text: str, limit: int = SUMMARY_VALUE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(t: Texts, name: str, value: Any, chars: int = SUMMARY_VALUE_CHARS) -> str:
    if program_fields.is_empty(value):
        required = FIELD_BY_NAME[name].required
        return t("progreg.value_missing") if required else t("progreg.value_none")
    kind = FIELD_BY_NAME[name].kind
    if kind == "type":
        return type_label(t, value)
    if kind == "bool":
        return bool_label(t, name, bool(value))
    if kind == "date":
        return t.date(value)
    if name == "total_recruitment":
        return t("progreg.unit_people", n=value)
    if name == "weekly_hours":
        return t("progreg.unit_hours", n=value)
    return _short(str(value), chars)


def fit_lines(lines: list[str], limit: int = MESSAGE_LIMIT) -> str:
    """Join whole lines up to ``limit`` characters (never cutting a tag or an HTML entity)."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit - 2:
            kept.append("…")
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)
