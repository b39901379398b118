"""Group 1 — update handling: N simulated participants against the real bot process.

The playground (a local Bot API server) runs in this process; ``python -m bot run`` runs as a
subprocess long-polling it over HTTP, on a fresh database seeded with ``python -m bot seed-demo``.
Each participant walks the application form the way tests/e2e/test_participant_apply.py does:
/start → consent → /programs → a program → eligibility answers → the form → submit. A step's
latency runs from the person's send/click to the bot message carrying the next prompt
(time.perf_counter around send → expect).

The framework floor: the same number of people, each sending as many text messages as the walk
has steps and waiting for each echo, against ``bench/echo_bot.py`` (bare aiogram, no database).
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.playground.driver import PlaygroundUser
from bot.playground.server import PlaygroundServer
from bot.runtime import PLAYGROUND_TOKEN

from .procs import Child, bot_env, data_key, is_postgres, run_to_end, sqlite_url
from .sqlcount import count_walk
from .update_figures import report_bot, report_counts, report_echo

STEP_TIMEOUT = 180.0  # seconds one step may wait under load (200 users queue for many seconds)
FIRST_USER_ID = 5_000_000
WARMUP_USER_ID = 4_999_999
LIGHT_USERS = 5
LIGHT_FIRST_ID = 5_900_000
PACED_FIRST_ID = 5_500_000

# The answers of an eligible person to the 2026 rules' questions after the birth date
# (tests/e2e/participant_steps.py ELIGIBLE_BUTTONS).
ELIGIBLE_BUTTONS = ["예", "아니요", "아니요", "아니요", "아니요", "아니요", "0", "0"]
ELIGIBLE_BUTTONS += ["아니요", "아니요", "아니요"]
INTRO = "데이터 분석을 배우고 싶어 지원합니다. 성실하게 참여하겠습니다."


@dataclass(frozen=True)
class Step:
    name: str
    kind: str  # send | click
    arg: str
    expect: str  # a substring of the bot message that ends the step


def application_walk() -> list[Step]:
    """Every update one participant sends, from /start to a submitted application."""
    steps = [
        Step("start", "send", "/start", "개인정보 수집·이용 동의"),
        Step("consent_required", "click", "✅ 필수 항목에 동의합니다", "선택 항목 동의"),
        Step("consent_optional", "click", "받지 않음", "동의 내용을 저장했습니다"),
        Step("programs", "send", "/programs", "모집 중인 일경험 프로그램"),
        Step("program_card", "click", "IT 사무지원", "🏢 운영기관"),  # the short card
        Step("apply", "click", "📝 신청하기", "생년월일을 입력해 주세요"),
        Step("birth_date", "send", "2000-05-17", "질문 2/"),
    ]
    last = len(ELIGIBLE_BUTTONS) - 1
    for index, label in enumerate(ELIGIBLE_BUTTONS):
        nxt = "참여 자격 요건을 충족합니다" if index == last else f"질문 {index + 3}/"
        steps.append(Step("eligibility_answer", "click", label, nxt))
    steps += [
        Step("form_start", "click", "신청서 작성 계속 ▶", "이름(실명)을 입력해 주세요"),
        Step("name", "send", "김청년", "휴대전화번호를 입력해 주세요"),
        Step("mobile", "send", "010-1234-5678", "이메일 주소를 입력해 주세요"),
        Step("email", "send", "youth@example.com", "최종학력을 골라 주세요"),
        Step("education", "click", "대학교 졸업", "자기소개를 입력해 주세요"),
        Step("self_intro", "send", INTRO, "이력서 파일을 보내 주세요 (선택)"),
        Step("skip_resume", "click", "건너뛰기", "신청 내용을 확인해 주세요"),
        Step("submit", "click", "✅ 제출하기", "신청이 접수되었습니다"),
    ]
    return steps


def echo_walk(length: int) -> list[Step]:
    return [Step("echo", "send", f"echo {i}", f"echo {i}") for i in range(length)]


@dataclass
class LoadResult:
    users: int
    updates: int = 0
    elapsed: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)

    @property
    def all_latencies(self) -> list[float]:
        return [v for values in self.latencies.values() for v in values]

    @property
    def throughput(self) -> float:
        return self.updates / self.elapsed if self.elapsed else 0.0


async def _act(person: PlaygroundUser, step: Step) -> None:
    if step.kind == "send":
        await person.send(step.arg)
    else:
        await person.click(step.arg)


async def walk(person: PlaygroundUser, steps: list[Step], result: LoadResult | None) -> None:
    for step in steps:
        started = time.perf_counter()
        try:
            await _act(person, step)
            await person.expect(step.expect, timeout=STEP_TIMEOUT)
        except AssertionError as error:
            if result is None:
                raise
            first_line = str(error).splitlines()[0][:300]
            result.failures.append(f"user {person.id} at {step.name}: {first_line}")
            return
        if result is not None:
            result.latencies[step.name].append((time.perf_counter() - started) * 1000)
            result.updates += 1


async def load(
    server: PlaygroundServer, users: int, steps: list[Step], first_id: int = FIRST_USER_ID
) -> LoadResult:
    """All ``users`` walk ``steps`` at once (each waits for the bot before its next step)."""
    people = [server.user(first_id + i, f"참여자{i}") for i in range(users)]
    result = LoadResult(users)
    started = time.perf_counter()
    await asyncio.gather(*(walk(p, steps, result) for p in people))
    result.elapsed = time.perf_counter() - started
    return result


async def paced_walk(
    person: PlaygroundUser, steps: list[Step], result: LoadResult, think: float, rng: random.Random
) -> None:
    """Like a person: a pause of about ``think`` seconds before each step."""
    for step in steps:
        await asyncio.sleep(think * rng.uniform(0.6, 1.4))
        await walk(person, [step], result)
        if result.failures and result.failures[-1].startswith(f"user {person.id} "):
            return


async def paced_load(
    server: PlaygroundServer, users: int, steps: list[Step], first_id: int, think: float
) -> LoadResult:
    people = [server.user(first_id + i, f"참여자{i}") for i in range(users)]
    result = LoadResult(users)
    rng = random.Random(12)
    started = time.perf_counter()
    await asyncio.gather(*(paced_walk(p, steps, result, think, rng) for p in people))
    result.elapsed = time.perf_counter() - started
    return result


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (from /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


@dataclass
class BotRun:
    load: LoadResult  # N users at once: saturation
    light: LoadResult = field(default_factory=lambda: LoadResult(0))  # a few: no queue
    paced: LoadResult | None = None  # N users at human pace
    think: float = 0.0
    cpu_share: float | None = None  # the process's CPU use during ``load``, share of one core
    rss_after_start_mb: float | None = None
    peak_rss_mb: float | None = None


async def measured(child: Child, run: Callable[[], Awaitable[LoadResult]]) -> BotRun:
    cpu_before = cpu_seconds(child.proc.pid)
    result = await run()
    cpu_after = cpu_seconds(child.proc.pid)
    share = None
    if cpu_before is not None and cpu_after is not None and result.elapsed:
        share = (cpu_after - cpu_before) / result.elapsed
    return BotRun(result, cpu_share=share)


@dataclass(frozen=True)
class Plan:
    users: int
    think: float  # seconds between a paced person's steps
    paced_steps: int  # how much of the walk the paced run covers


# --- the runs ------------------------------------------------------------------------------


async def run_echo(plan: Plan, messages: int, workdir: Path) -> BotRun:
    server = PlaygroundServer(PLAYGROUND_TOKEN)
    await server.start()
    env = bot_env("sqlite://", workdir, server.base_url, data_key())
    child = await Child.start(server, env, workdir, "-m", "bench.echo_bot")
    try:
        after_start = child.rss_mb()
        await walk(server.user(WARMUP_USER_ID, "준비"), echo_walk(3), None)
        light = await load(server, LIGHT_USERS, echo_walk(messages), LIGHT_FIRST_ID)
        run = await measured(child, lambda: load(server, plan.users, echo_walk(messages)))
        run.light, run.rss_after_start_mb = light, after_start
        run.peak_rss_mb = child.peak_rss_mb()
        return run
    finally:
        await child.stop()
        await server.stop()


async def run_bot(
    db_url: str,
    plan: Plan,
    workdir: Path,
    *,
    redis_url: str | None = None,
    profile: Path | None = None,
    id_base: int = 0,
) -> BotRun:
    """The real bot process (``python -m bot run``) on ``db_url`` (FSM in ``redis_url`` if given).

    People's ids start at ``id_base`` + the constants above, so runs sharing a database (a given
    --database-url) don't meet their earlier applications. With ``profile``, the bot runs under
    cProfile and writes its stats there at exit."""
    server = PlaygroundServer(PLAYGROUND_TOKEN)
    await server.start()
    env = bot_env(db_url, workdir / "data", server.base_url, data_key())
    if redis_url:
        env["REDIS_URL"] = redis_url
    await run_to_end(env, workdir, "-m", "bot", "seed-demo")
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    child = await Child.start(server, env, workdir, *profiler, "-m", "bot", "run")
    walk_steps = application_walk()
    try:
        after_start = child.rss_mb()
        # one walk first: imports, caches and the connection pool warm up outside the figures
        await walk(server.user(id_base + WARMUP_USER_ID, "준비"), walk_steps, None)
        light = await load(server, LIGHT_USERS, walk_steps, id_base + LIGHT_FIRST_ID)
        paced = await paced_load(
            server,
            plan.users,
            walk_steps[: plan.paced_steps],
            id_base + PACED_FIRST_ID,
            plan.think,
        )
        run = await measured(
            child, lambda: load(server, plan.users, walk_steps, id_base + FIRST_USER_ID)
        )
        run.light, run.paced, run.think = light, paced, plan.think
        run.rss_after_start_mb, run.peak_rss_mb = after_start, child.peak_rss_mb()
        if run.load.failures or light.failures or paced.failures:
            print(f"bot log tail (failed walks):\n{child.tail()}", file=sys.stderr)
        return run
    except BaseException:
        tail = child.tail()
        if tail:
            print(f"bot log tail:\n{tail}", file=sys.stderr)
        raise
    finally:
        await child.stop()
        await server.stop()


async def _redis_for_bench() -> str | None:
    """BENCH_REDIS_URL (default db 15), emptied; None when Redis does not answer."""
    import redis.asyncio as aioredis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = aioredis.from_url(url)
    try:
        await client.flushdb()
    except (OSError, aioredis.RedisError):
        return None
    finally:
        await client.aclose()
    return url


async def run_group(
    databases: list[tuple[str, str | None, str]], plan: Plan, profile: Path | None = None
) -> None:
    """``databases``: (label, url, note) — the bot runs once per database; url None: a new
    SQLite file. On PostgreSQL the FSM state is in Redis when Redis answers."""
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp:
        workdir = Path(tmp)
        (workdir / "echo").mkdir()
        echo = await run_echo(plan, len(application_walk()), workdir / "echo")
        report_echo(echo)
        for index, (label, url, note) in enumerate(databases):
            run_dir = workdir / label
            run_dir.mkdir()
            redis_url = await _redis_for_bench() if url and is_postgres(url) else None
            if redis_url:
                label, note = f"{label}_redis", f"{note} + FSM state in Redis"
            url = url or sqlite_url(run_dir, "bot.sqlite3")
            prof = (
                profile.with_name(f"{profile.stem}-{label}{profile.suffix}") if profile else None
            )
            run = await run_bot(
                url, plan, run_dir, redis_url=redis_url, profile=prof, id_base=index * 1_000_000
            )
            report_bot(label, run, echo, note, len(application_walk()))
        counts_dir = workdir / "counts"
        counts_dir.mkdir()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=PLAYGROUND_TOKEN,
            database_url=sqlite_url(counts_dir, "count.sqlite3"),
            data_dir=counts_dir / "data",
            data_key=data_key(),
            scheduler_enabled=False,
        )
        report_counts("sqlite", await count_walk(settings, application_walk()))
