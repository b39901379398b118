"""Charts as PNG: a per-program funnel (applied → certified → selected → completed) and the
report pictures (the same grouped bars with any stages).

A matplotlib ``Figure`` on the Agg canvas (no display, no pyplot global state) with the Korean
font of ``bot.services.fonts``, so Hangul labels render as glyphs rather than boxes. Labels come
from the caller (locales).

Drawing takes ~45 ms of CPU per chart, so callers on the event loop use :func:`render`: the
charts are drawn in worker processes (all cores but one, spawned on first use; a thread if
processes are not available), and replies to people keep flowing while the Monday job draws 500
of them.
"""

from __future__ import annotations

import asyncio
import atexit
import io
import logging
import os
import textwrap
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.services.fonts import korean_font_path

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

COLORS = ("#9ecae1", "#6baed6", "#3182bd", "#08519c", "#fd8d3c", "#a1d99b")
BATCH = 25  # charts per call into the worker
FEW = 2  # this many or fewer: a thread (no worker start-up for a reply)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FunnelRow:
    label: str  # the program's name
    values: tuple[int, ...]  # one per stage: applied, certified, selected, completed


@dataclass(frozen=True)
class FunnelChart:
    """Everything a picture needs, as plain (picklable) data."""

    title: str
    stages: tuple[str, ...]
    rows: list[FunnelRow]
    empty_text: str


@cache
def _font() -> FontProperties:
    from matplotlib import font_manager  # matplotlib loads on first chart: fast bot start-up

    path = korean_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def funnel_png(
    title: str, stages: tuple[str, ...], rows: list[FunnelRow], empty_text: str
) -> bytes:
    """Grouped horizontal bars, one group per program, one bar per stage (value labels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = _font()
    height = 1.6 + 0.9 * max(1, len(rows))
    fig = Figure(figsize=(8, height), dpi=100)
    FigureCanvasAgg(fig)
    # fixed margins instead of tight_layout (which lays the figure out twice: ~40 % of the time)
    fig.subplots_adjust(left=0.3, right=0.97, top=1 - 0.9 / height, bottom=0.2 / height)
    ax = fig.add_subplot()
    fig.text(0.02, 1 - 0.3 / height, title, fontproperties=font, fontsize=13, va="center")
    if not rows:
        ax.text(0.5, 0.5, empty_text, ha="center", va="center", fontproperties=font, fontsize=12)
        ax.set_axis_off()
    else:
        bar = 0.8 / len(stages)
        for s, (stage, color) in enumerate(zip(stages, COLORS, strict=False)):
            ys = [i + s * bar for i in range(len(rows))]
            values = [row.values[s] for row in rows]
            bars = ax.barh(ys, values, height=bar * 0.95, color=color, label=stage)
            ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_yticks([i + 0.4 - bar / 2 for i in range(len(rows))])
        ax.set_yticklabels(
            [textwrap.shorten(r.label, 24, placeholder="…") for r in rows], fontproperties=font
        )
        ax.invert_yaxis()
        ax.set_xticks([])  # the bars carry their values
        ax.legend(
            prop=font, loc="lower right", bbox_to_anchor=(1, 1), ncols=len(stages), frameon=False
        )
        ax.spines[["top", "right", "bottom"]].set_visible(False)
        ax.set_xlim(0, max(1, max(max(r.values) for r in rows)) * 1.15)
    out = io.BytesIO()
    fig.savefig(out, format="png", pil_kwargs={"compress_level": 1})
    return out.getvalue()


def draw(chart: FunnelChart) -> bytes:
    return funnel_png(chart.title, chart.stages, chart.rows, chart.empty_text)


def draw_many(charts: list[FunnelChart]) -> list[bytes]:
    return [draw(chart) for chart in charts]


_pool: list[Executor] = []


def workers() -> int:
    """Chart processes: all cores but one (that one answers people), at least one, at most 4."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def _executor() -> Executor:
    if not _pool:
        # multiprocessing (~0.5 MiB) loads with the first worker, not with every bot's start
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            pool: Executor = ProcessPoolExecutor(
                max_workers=workers(), mp_context=multiprocessing.get_context("spawn")
            )
        except (OSError, NotImplementedError, ValueError):  # no processes here: a thread
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")
        _pool.append(pool)
        atexit.register(pool.shutdown, wait=False, cancel_futures=True)
    return _pool[0]


async def render(charts: list[FunnelChart]) -> list[bytes]:
    """The PNGs of ``charts``, drawn off the event loop (in batches, in order): one or two (a
    reply) in a thread, more (the Monday job) in the worker process, which costs a few seconds
    to start but keeps the job's CPU away from the replies."""
    loop = asyncio.get_running_loop()
    if len(charts) <= FEW:
        return await asyncio.to_thread(draw_many, charts)
    from concurrent.futures.process import BrokenProcessPool  # with the worker (_executor)

    out: list[bytes] = []
    for start in range(0, len(charts), BATCH):
        batch = charts[start : start + BATCH]
        try:
            out += await loop.run_in_executor(_executor(), draw_many, batch)
        except (BrokenProcessPool, OSError) as exc:  # the worker died: a thread takes over
            log.warning("chart worker unavailable (%s); drawing in a thread", exc)
            _pool[:] = [ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")]
            out += await loop.run_in_executor(_pool[0], draw_many, batch)
    return out
