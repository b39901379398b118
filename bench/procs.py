"""Subprocesses (the real bot, the echo bot) and databases (temp SQLite, the PostgreSQL ``bench``
database) for the benchmarks."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import secrets
import signal
import sys
from pathlib import Path

from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN

PG_SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
PG_DEFAULT = f"{PG_SERVER}/test"  # the test suite's database: we never touch it
PG_BENCH_DB = os.environ.get("BENCH_PG_DB", "bench")  # another name: a database of your own
ROOT = Path(__file__).resolve().parent.parent  # children run in a temp dir: find bench/ here


def data_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def sqlite_url(directory: Path, name: str) -> str:
    return f"sqlite+aiosqlite:///{directory / name}"


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def postgres_reachable(url: str = PG_DEFAULT) -> bool:
    import asyncpg

    try:
        conn = await asyncio.wait_for(asyncpg.connect(_plain(url)), 3)
    except Exception:
        return False
    await conn.close()
    return True


def bench_database_url() -> str:
    return f"{PG_SERVER}/{PG_BENCH_DB}"


async def fresh_bench_database() -> str:
    """(Re)create the database ``bench`` on the local server (not ``test``: the suite drops its
    schema) and return its URL."""
    import asyncpg

    conn = await asyncpg.connect(_plain(f"{PG_SERVER}/postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{PG_BENCH_DB}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{PG_BENCH_DB}"')
    finally:
        await conn.close()
    return bench_database_url()


def bot_env(db_url: str, data_dir: Path, api_base: str, key: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "REDIS_", "WEBHOOK_"))
    }
    env.update(
        BOT_TOKEN=PLAYGROUND_TOKEN,
        TELEGRAM_API_BASE=api_base,
        DATABASE_URL=db_url,
        DATA_DIR=str(data_dir),
        DATA_KEY=key,
        SCHEDULER_ENABLED="false",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


async def run_to_end(env: dict[str, str], cwd: Path, *args: str, timeout: float = 120) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}:\n{text[-2000:]}")
    return text


class Child:
    """A long-running subprocess polling the playground; its output goes to a log file."""

    def __init__(self, proc: asyncio.subprocess.Process, log: Path) -> None:
        self.proc = proc
        self.log = log

    @classmethod
    async def start(
        cls,
        server: PlaygroundServer,
        env: dict[str, str],
        cwd: Path,
        *args: str,
        ready_timeout: float = 60,
    ) -> Child:
        log = cwd / f"{args[-2 if args[-1] == 'run' else -1].replace('.', '_')}.log"
        with log.open("wb") as out:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, *args, env=env, cwd=cwd, stdout=out, stderr=out
            )
        child = cls(proc, log)
        await child.wait_polling(server, ready_timeout)
        return child

    async def wait_polling(self, server: PlaygroundServer, timeout: float) -> None:
        """Ready = its first getUpdates reached the playground."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        seen = server.updates.polls_started
        while server.updates.polls_started <= seen:
            if self.proc.returncode is not None:
                raise RuntimeError(f"process exited {self.proc.returncode}:\n{self.tail()}")
            if loop.time() > deadline:
                raise RuntimeError(f"process did not start polling in {timeout}s:\n{self.tail()}")
            await asyncio.sleep(0.05)

    def tail(self, chars: int = 3000) -> str:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace")[-chars:]
        return ""

    def peak_rss_mb(self) -> float | None:
        """VmHWM (the resident set's high-water mark) of the process, in MiB."""
        return self._status_mb("VmHWM:")

    def rss_mb(self) -> float | None:
        """VmRSS (the resident set now) of the process, in MiB."""
        return self._status_mb("VmRSS:")

    def _status_mb(self, field: str) -> float | None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return None

    async def stop(self) -> int:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.proc.wait(), 30)
        except TimeoutError:
            self.proc.kill()
            return await self.proc.wait()
