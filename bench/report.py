"""Figures as JSON lines, percentiles, and where the figures came from (the machine)."""

from __future__ import annotations

import json
import math
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    """One measured figure. ``target`` is readable ("< 250"), in the figure's unit; ``met`` is
    None when the figure has no target (it is there to explain the others)."""

    group: str
    name: str
    value: Any
    unit: str | None = None
    target: str | None = None
    met: bool | None = None
    notes: str = ""


def emit(figure: Figure) -> None:
    print(json.dumps(asdict(figure), ensure_ascii=False), flush=True)


def figure(
    group: str,
    name: str,
    value: Any,
    unit: str | None = None,
    *,
    below: float | None = None,
    at_least: float | None = None,
    equal: float | None = None,
    notes: str = "",
) -> Figure:
    """Build and print a figure; the target is one of ``below`` / ``at_least`` / ``equal``."""
    target: str | None = None
    met: bool | None = None
    if isinstance(value, float):
        value = round(value, 3)
    if below is not None:
        target, met = f"< {below:g}", value is not None and value < below
    elif at_least is not None:
        target, met = f">= {at_least:g}", value is not None and value >= at_least
    elif equal is not None:
        target, met = f"== {equal:g}", value == equal
    result = Figure(group, name, value, unit, target, met, notes)
    emit(result)
    return result


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count() or 0,
        "cpu": cpu_model(),
        "python": sys.version.split()[0],
        "platform": platform.platform(terse=True),
    }


def emit_machine() -> None:
    info = machine()
    figure("machine", "nproc", info["nproc"], "cpus")
    figure("machine", "cpu", info["cpu"])
    figure("machine", "python", info["python"], notes=info["platform"])
    emit_load("start")


def emit_load(when: str) -> None:
    """The 1-minute load average: above nproc, other processes competed for the CPU and the
    figures around it are pessimistic."""
    load = os.getloadavg()[0]
    busy = load > (os.cpu_count() or 1)
    figure(
        "machine",
        f"loadavg.{when}",
        round(load, 2),
        notes="other work competed for the CPU: figures pessimistic" if busy else "",
    )
