"""The weekly report's figures as text and as a chart (the reminder's body and picture).

Plain text here (the outbox sender escapes the whole body once); the chart's strings are made
here and the picture is drawn off the event loop (``bot.services.charts.render``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.i18n import Raw, Texts
from bot.services.charts import FunnelChart, FunnelRow
from bot.storage.models import Agency
from bot.storage.queries import reports_weekly as w
from bot.storage.queries.reports import agency_label

SHOW = 5  # items shown per attention category
MAX_BODY = 3300  # the rest of the message needs room too (4096 at most)


def week_of(day: date) -> date:
    """The Monday of ``day``'s week: the key of a weekly report."""
    return day - timedelta(days=day.weekday())


def plain(t: Texts, key: str, **params: Any) -> str:
    """A catalogue line as plain text (not escaped here: the whole body is escaped once later)."""
    return t(key, **{k: Raw(v) if isinstance(v, str) else v for k, v in params.items()})


# --- the report --------------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyReport:
    agency: Agency
    week_start: date
    figures: list[w.ProgramFigures]
    attention: w.Attention


def render_body(t: Texts, report: WeeklyReport) -> str:
    lines = [plain(t, "weekly.line.programs_title")]
    if not report.figures:
        lines.append(plain(t, "weekly.line.no_programs"))
    budget = MAX_BODY // 2
    for index, fig in enumerate(report.figures):
        block = _program_block(t, fig)
        if sum(len(x) + 1 for x in lines) + len(block) > budget:
            left = len(report.figures) - index
            lines.append(plain(t, "weekly.line.more_programs", n=left))
            break
        lines.append(block)
    lines += ["", plain(t, "weekly.line.attention_title")]
    lines += _attention_lines(t, report.attention)
    body = "\n".join(lines)
    if len(body) > MAX_BODY:
        body = body[: MAX_BODY - 1].rsplit("\n", 1)[0] + "\n…"
    return body


def _program_block(t: Texts, fig: w.ProgramFigures) -> str:
    s = fig.states
    recruitment = str(fig.total_recruitment) if fig.total_recruitment else "-"
    return "\n".join(
        [
            plain(t, "weekly.line.program", name=fig.name, type=t(f"report.ptype.{fig.type}")),
            plain(
                t,
                "weekly.line.applications",
                applied=fig.applied,
                submitted=s["submitted"],
                held=s["held"],
                returned=s["returned"],
                withdrawn=s["withdrawn"],
                new=fig.new_this_week,
            ),
            plain(
                t,
                "weekly.line.selection",
                selected=fig.selected,
                recruitment=recruitment,
                waiting=s["certified"],
                not_selected=s["not_selected"],
            ),
            plain(
                t,
                "weekly.line.progress",
                completed=fig.completed,
                dropped=s["dropped"],
                surveys=fig.surveys,
                certificates=fig.certificates,
                cert_requested=fig.certificates_requested,
            ),
        ]
    )


def _attention_lines(t: Texts, found: w.Attention) -> list[str]:
    if found.empty:
        return [plain(t, "weekly.line.attention_none")]
    lines: list[str] = []

    def more(items: list[Any]) -> None:
        if len(items) > SHOW:
            lines.append(plain(t, "weekly.line.more_items", n=len(items) - SHOW))

    for key, late in (("waiting", found.waiting), ("held", found.held)):
        if late:
            lines.append(plain(t, f"weekly.line.{key}", n=len(late)))
            for item in late[:SHOW]:
                lines.append(
                    plain(
                        t,
                        "weekly.line.late_item",
                        id=item.application_id,
                        name=item.name,
                        program=item.program,
                        days=item.days,
                    )
                )
            more(late)
    if found.missing:
        lines.append(plain(t, "weekly.line.missing", n=len(found.missing)))
        for gap in found.missing[:SHOW]:
            fields = ", ".join(t(f"report.field.{name}") for name in gap.fields)
            lines.append(
                plain(
                    t, f"weekly.line.missing_{gap.what}", id=gap.ref, name=gap.label, fields=fields
                )
            )
        more(found.missing)
    if found.headcounts:
        lines.append(plain(t, "weekly.line.headcount", n=len(found.headcounts)))
        for mismatch in found.headcounts[:SHOW]:
            lines.append(
                plain(
                    t,
                    f"weekly.line.headcount_{mismatch.kind}",
                    program=mismatch.program,
                    total=mismatch.total,
                    counted=mismatch.counted,
                )
            )
        more(found.headcounts)
    return lines


def funnel_rows(figures: list[w.ProgramFigures]) -> list[FunnelRow]:
    return [FunnelRow(f.name, (f.applied, f.certified, f.selected, f.completed)) for f in figures]


def chart(t: Texts, report: WeeklyReport) -> FunnelChart:
    """What the picture shows, as plain data (drawn in a worker: ``charts.render``)."""
    stages = tuple(
        t(f"weekly.stage.{s}") for s in ("applied", "certified", "selected", "completed")
    )
    title = t(
        "weekly.chart_title",
        agency=agency_label(report.agency),
        week=report.week_start.isoformat(),
    )
    return FunnelChart(title, stages, funnel_rows(report.figures), t("weekly.line.no_programs"))
