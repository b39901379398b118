"""The figures of group 1 (``bench.updates``): throughput, CPU per update against the echo floor,
latency at once / at human pace / with a few people, memory, SQL per kind of step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .report import figure, percentile

if TYPE_CHECKING:
    from .sqlcount import Counts
    from .updates import BotRun

GROUP = "updates"
P99_TARGET_MS = 300.0
CPU_TARGET_MS = {"sqlite": 8.0, "postgres": 6.0}
SATURATION_TARGET = 120.0
RSS_ROOM_MB = 30.0
STATEMENTS_TARGET, TRANSACTIONS_TARGET = 8.0, 3.0


def cpu_per_update(run: BotRun) -> float | None:
    if run.cpu_share is None or not run.load.throughput:
        return None
    return run.cpu_share / run.load.throughput * 1000


def _p99(label: str, name: str, values: list[float], note: str, target: bool) -> None:
    figure(
        GROUP,
        f"{label}.{name}",
        percentile(values, 99),
        "ms",
        below=P99_TARGET_MS if target else None,
        notes=(
            f"{note}: {len(values)} steps, p50 {percentile(values, 50):.0f} ms, "
            f"p95 {percentile(values, 95):.0f} ms, max {max(values, default=0):.0f} ms"
        ),
    )


def report_latency(label: str, run: BotRun, *, targets: bool) -> None:
    users = run.load.users
    little = users / run.load.throughput * 1000 if run.load.throughput else 0
    _p99(
        label,
        "latency_p99_at_once",
        run.load.all_latencies,
        f"{users} users at once, no think time (a queue: users / throughput = {little:.0f} ms)",
        False,
    )
    if run.paced is not None:
        _p99(
            label,
            "latency_p99_human_pace",
            run.paced.all_latencies,
            f"{run.paced.users} users at human pace (~{run.think:.0f} s between steps)",
            targets,
        )
    _p99(
        label,
        "latency_p99_few",
        run.light.all_latencies,
        f"{run.light.users} users at once: the reply time without a queue",
        targets,
    )


def report_memory(label: str, run: BotRun, echo: BotRun | None) -> None:
    floor = echo.rss_after_start_mb if echo is not None else None
    room = f"echo bot {floor:.0f} MiB + {RSS_ROOM_MB:.0f}" if floor else "no echo figure"
    value = run.rss_after_start_mb
    figure(
        GROUP,
        f"{label}.rss_after_start",
        value,
        "MiB",
        below=floor + RSS_ROOM_MB + 0.01 if floor else None,
        notes=f"VmRSS once polling (target: {room}, same run)",
    )
    figure(GROUP, f"{label}.peak_rss", run.peak_rss_mb, "MiB", notes="VmHWM after the runs")


def report_echo(run: BotRun) -> None:
    result = run.load
    figure(
        GROUP,
        "echo.throughput",
        result.throughput,
        "updates/s",
        notes=(
            f"framework floor: bare aiogram echo bot, {result.users} users x "
            f"{result.updates // max(result.users, 1)} messages, {result.elapsed:.1f} s; "
            f"echo process CPU {run.cpu_share or 0:.0%} of one core"
        ),
    )
    figure(GROUP, "echo.cpu_per_update", cpu_per_update(run), "ms", notes="the floor")
    report_latency("echo", run, targets=False)
    report_memory("echo", run, None)


def report_bot(label: str, run: BotRun, echo: BotRun | None, note: str, steps: int) -> None:
    result = run.load
    figure(
        GROUP,
        f"{label}.saturation",
        result.throughput,
        "updates/s",
        at_least=SATURATION_TARGET if label == "sqlite" else None,
        notes=(
            f"{result.users} participants x {steps} updates at once, no think time (/start to a "
            f"submitted application), {result.elapsed:.1f} s; {note}; bot process CPU "
            f"{run.cpu_share or 0:.0%} of one core"
        ),
    )
    cpu = cpu_per_update(run)
    floor = cpu_per_update(echo) if echo is not None else None
    figure(
        GROUP,
        f"{label}.cpu_per_update",
        cpu,
        "ms",
        below=CPU_TARGET_MS.get(label.split("_")[0]),
        notes=(
            "CPU time of the bot process per update (the steadiest figure on a busy machine)"
            + (f"; {cpu / floor:.1f}x the echo floor ({floor:.2f} ms)" if cpu and floor else "")
        ),
    )
    report_latency(label, run, targets=True)
    for name, values in result.latencies.items():
        figure(
            GROUP,
            f"{label}.step.{name}.p95",
            percentile(values, 95),
            "ms",
            notes=f"at once: p50 {percentile(values, 50):.0f} ms, n={len(values)}",
        )
    failures = result.failures + run.light.failures + (run.paced.failures if run.paced else [])
    figure(
        GROUP,
        f"{label}.failed_walks",
        len(failures),
        "users",
        equal=0,
        notes="; ".join(failures[:3]),
    )
    report_memory(label, run, echo)


def report_counts(label: str, counts: Counts) -> None:
    for kind in ("command", "button", "text"):
        statements, transactions, n = counts.mean(kind)
        figure(
            GROUP,
            f"{label}.sql.{kind}",
            round(statements, 2),
            "statements/update",
            notes=f"{transactions:.2f} transactions/update, {n} updates of the walk",
        )
    statements, transactions, n = counts.mean()
    figure(
        GROUP,
        f"{label}.sql.statements",
        round(statements, 2),
        "statements/update",
        below=STATEMENTS_TARGET + 0.01,
        notes=f"the whole walk, {n} updates (one read + the services' own + one closing write)",
    )
    figure(
        GROUP,
        f"{label}.sql.transactions",
        round(transactions, 2),
        "transactions/update",
        below=TRANSACTIONS_TARGET + 0.01,
        notes="the whole walk",
    )
