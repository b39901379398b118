"""Configuration: defaults, parsing, and one-line refusals of bad values."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings, load_settings


def make(**kwargs: object) -> Settings:
    return Settings(_env_file=None, **kwargs)  # type: ignore[call-arg, arg-type]


def test_defaults() -> None:
    s = make()
    assert s.bot_token is None
    assert s.telegram_api_base == "https://api.telegram.org"
    assert s.database_url.startswith("sqlite+aiosqlite:///")
    assert s.timezone == "Asia/Seoul"
    assert s.center_user_ids == []


def test_center_ids_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CENTER_USER_IDS", "3001, 3002")
    assert make().center_user_ids == [3001, 3002]


def test_generated_key_is_private_and_stable(tmp_path: Path) -> None:
    s = make(data_dir=tmp_path)
    key = s.encryption_key()
    assert len(key) == 32
    mode = stat.S_IMODE(os.stat(tmp_path / "data.key").st_mode)
    assert mode == 0o600
    assert make(data_dir=tmp_path).encryption_key() == key


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("TIMEZONE", "Mars/Olympus", "TIMEZONE"),
        ("CENTER_USER_IDS", "12,abc", "CENTER_USER_IDS"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("DATA_KEY", "short", "DATA_KEY"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
    ],
)
def test_bad_value_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
    fragment: str,
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exc:
        load_settings(_env_file=None)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert fragment in err
    if name == "DATA_KEY":
        assert value not in err  # secrets are never echoed


def test_bad_value_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "TIMEZONE": "Nowhere/City", "DATABASE_URL": "sqlite+aiosqlite:///x.db"}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("configuration error: TIMEZONE:")
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
