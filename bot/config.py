"""Configuration: one pydantic-settings class, loaded once in ``__main__`` and passed down.

A bad value stops the program with one line naming the variable (see ``load_settings``).
"""

from __future__ import annotations

import base64
import os
import re
import secrets
import sys
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org"
DATA_DIR = Path("data")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_base: str = TELEGRAM_API
    database_url: str = f"sqlite+aiosqlite:///{DATA_DIR / 'bot.sqlite3'}"
    redis_url: str | None = None
    center_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    timezone: str = "Asia/Seoul"
    data_key: SecretStr | None = None
    data_dir: Path = DATA_DIR
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # staff second factor: a verified code is valid for this many hours
    totp_valid_hours: int = Field(default=12, ge=1, le=24 * 7)
    # byte counting of portal text fields: UTF-8 (portal pages) or CP949 (older systems)
    byte_mode: Literal["utf-8", "cp949"] = "utf-8"
    program_year: int = Field(default=2026, ge=2020, le=2100)
    # ask participants for a resident registration number: None = as the year's rules file says
    collect_resident_number: bool | None = None
    # playground (used when no BOT_TOKEN is set)
    playground_host: str = "127.0.0.1"
    playground_port: int = Field(default=8081, ge=0, le=65535)
    # webhook mode (scale-out)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    # outbox delivery limits (Telegram: ~30 msg/s per bot, 1 msg/s per chat)
    outbox_global_per_second: float = Field(default=30, gt=0)
    outbox_per_chat_per_second: float = Field(default=1, gt=0)
    # scheduler
    weekly_reminder_cron: str = "0 9 * * mon"
    weekly_escalation_cron: str = "0 9 * * wed"
    daily_digest_cron: str = "30 8 * * *"
    nudge_cron: str = "0 10 * * *"
    scheduler_enabled: bool = True

    @field_validator("center_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return [int(p) for p in parts]
            except ValueError:
                raise ValueError("must be comma-separated Telegram user ids (numbers)") from None
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("timezone")
    @classmethod
    def _check_tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Seoul)") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_db(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("telegram_api_base", "webhook_url")
    @classmethod
    def _check_http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @field_validator("data_key")
    @classmethod
    def _check_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _decode_key(value.get_secret_value())
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def encryption_key(self) -> bytes:
        """The 32-byte AES key; generated into data_dir (mode 0600) on first use."""
        if self.data_key is not None:
            return _decode_key(self.data_key.get_secret_value())
        path = self.data_dir / "data.key"
        if path.exists():
            return _decode_key(path.read_text().strip())
        self.data_dir.mkdir(parents=True, exist_ok=True)
        encoded = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(encoded + "\n")
        return _decode_key(encoded)


def _decode_key(encoded: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(encoded.encode() + b"=" * (-len(encoded) % 4))
    except (ValueError, TypeError):
        raise ValueError("must be 32 bytes, base64 encoded") from None
    if len(raw) != 32:
        raise ValueError("must be 32 bytes, base64 encoded")
    return raw


def load_settings(**overrides: object) -> Settings:
    """Load settings; on a bad value print one line naming the variable and exit with status 2."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err["loc"] else "configuration"
        message = str(err["msg"]).removeprefix("Value error, ")
        print(f"configuration error: {name}: {message}", file=sys.stderr)
        raise SystemExit(2) from None


_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def check_webhook_settings(settings: Settings) -> str | None:
    """A configuration problem of webhook mode as ``NAME: message``, or None (here, not in
    ``bot.webhook``: checking it does not load aiohttp's web server)."""
    if settings.webhook_secret is not None and not _WEBHOOK_SECRET.fullmatch(
        settings.webhook_secret.get_secret_value()
    ):
        return "WEBHOOK_SECRET: must be 1-256 characters of A-Z, a-z, 0-9, _ and - (as Telegram)"
    return None
