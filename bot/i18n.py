"""Translations: every user-facing text lives in ``bot/locales/<lang>/*.toml``.

Keys are dotted (``start.participant``). Korean is the default and the fallback for a missing key.
Parameters are HTML-escaped unless wrapped in ``Raw`` (messages are sent with parse_mode=HTML).
Numbers and dates are formatted with Babel for the user's locale. Korean particles are written as
markers after the word they attach to (``{name}을(를)``, ``<b>{program}</b>(으)로``) and resolved
after the values are in (``bot.domain.josa``), so an inserted value always gets the right form.
"""

from __future__ import annotations

import html
import logging
import tomllib
from datetime import date, datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.josa import resolve as resolve_particles
from bot.domain.text import strip_controls

log = logging.getLogger(__name__)

DEFAULT_LANG = "ko"
LANGUAGES = ("ko", "en")


class Raw(str):
    """A parameter that is already safe HTML (e.g. a fragment built from other translations)."""


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str], source: str) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out, source)
        elif full in out:
            raise ValueError(f"translation key {full} defined twice (again in {source})")
        else:
            out[full] = str(value)


def load_catalogs() -> dict[str, dict[str, str]]:
    catalogs: dict[str, dict[str, str]] = {}
    root = resources.files("bot") / "locales"
    for lang in LANGUAGES:
        merged: dict[str, str] = {}
        folder = root / lang
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                text = entry.read_text(encoding="utf-8")
                _flatten("", tomllib.loads(text), merged, f"{lang}/{entry.name}")
        catalogs[lang] = merged
    return catalogs


def pick_language(stored: str | None, telegram_code: str | None) -> str:
    for code in (stored, (telegram_code or "")[:2].lower()):
        if code in LANGUAGES:
            return code
    return DEFAULT_LANG


class Translator:
    def __init__(
        self, catalogs: dict[str, dict[str, str]] | None = None, tz: str = "Asia/Seoul"
    ) -> None:
        self.catalogs = catalogs if catalogs is not None else load_catalogs()
        self.tz = ZoneInfo(tz)  # times are stored in UTC and shown in the program's zone

    def has(self, key: str) -> bool:
        return key in self.catalogs[DEFAULT_LANG]

    def get(self, lang: str, key: str, /, **params: Any) -> str:
        text = self.catalogs.get(lang, {}).get(key) or self.catalogs[DEFAULT_LANG].get(key)
        if text is None:
            log.error("missing translation key %s", key)
            return key
        safe = {k: v if isinstance(v, Raw) else _escape(v) for k, v in params.items()}
        try:
            return resolve_particles(text.format(**safe))
        except (KeyError, IndexError):
            log.error("translation %s/%s misses a parameter", lang, key)
            return text

    def bind(self, lang: str) -> Texts:
        return Texts(self, lang)


def _escape(value: Any) -> Any:
    if isinstance(value, str):  # control characters (NUL …) would make Telegram refuse the text
        return html.escape(strip_controls(value), quote=False)
    return value


class Texts:
    """The translator bound to one user's language: ``t("key", name=...)``."""

    def __init__(self, translator: Translator, lang: str) -> None:
        self.translator = translator
        self.lang = lang

    def __call__(self, key: str, /, **params: Any) -> str:
        return self.translator.get(self.lang, key, **params)

    def has(self, key: str) -> bool:
        return self.translator.has(key)

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return "-"
        # babel (~0.8 MiB) loads with the first date or number shown, not at start
        from babel.dates import format_date, format_datetime

        if isinstance(value, datetime):
            # naive values are UTC (as stored); shown in the program's time zone
            return format_datetime(
                value, "yyyy-MM-dd HH:mm", tzinfo=self.translator.tz, locale=self.lang
            )
        return format_date(value, "yyyy-MM-dd", locale=self.lang)

    def number(self, value: int | float) -> str:
        from babel.numbers import format_decimal  # on first use, as in date()

        return format_decimal(value, locale=self.lang)
