"""The weekly picture: a per-program funnel (applied → certified → selected → completed) as PNG.

A matplotlib ``Figure`` on the Agg canvas (no display, no pyplot global state) with the Korean
font of ``bot.services.fonts``, so Hangul labels render as glyphs rather than boxes. Labels come
from the caller (locales).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.services.fonts import korean_font_path

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

COLORS = ("#9ecae1", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True)
class FunnelRow:
    label: str  # the program's name
    values: tuple[int, int, int, int]  # applied, certified, selected, completed


@cache
def _font() -> FontProperties:
    from matplotlib import font_manager  # matplotlib loads on first chart: fast bot start-up

    path = korean_font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def funnel_png(
    title: str, stages: tuple[str, str, str, str], rows: list[FunnelRow], empty_text: str
) -> bytes:
    """Grouped horizontal bars, one group per program, one bar per stage (value labels)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = _font()
    height = 1.6 + 0.9 * max(1, len(rows))
    fig = Figure(figsize=(8, height), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_title(title, fontproperties=font, fontsize=13, loc="left")
    if not rows:
        ax.text(0.5, 0.5, empty_text, ha="center", va="center", fontproperties=font, fontsize=12)
        ax.set_axis_off()
    else:
        bar = 0.8 / len(stages)
        for s, (stage, color) in enumerate(zip(stages, COLORS, strict=True)):
            ys = [i + s * bar for i in range(len(rows))]
            values = [row.values[s] for row in rows]
            bars = ax.barh(ys, values, height=bar * 0.95, color=color, label=stage)
            ax.bar_label(bars, padding=2, fontsize=8)
        ax.set_yticks([i + 0.4 - bar / 2 for i in range(len(rows))])
        ax.set_yticklabels(
            [textwrap.shorten(r.label, 24, placeholder="…") for r in rows], fontproperties=font
        )
        ax.invert_yaxis()
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(prop=font, loc="lower right", fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_xlim(0, max(1, max(max(r.values) for r in rows)) * 1.15)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
