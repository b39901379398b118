"""/dashboard (support center): the national funnel with its picture, the agencies that need
attention (one tap → that agency's reports) and the national xlsx (one row per agency and
program)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram import F
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.reports import ReportCB
from bot.middlewares.access import center_router
from bot.services.context import AppContext
from bot.services.identity import Actor

if TYPE_CHECKING:  # the report services (charts, figures, xlsx) load on first use
    from bot.services.dashboard import Dashboard

router = center_router("dashboard")
SHOW = 10  # agencies listed (and given a button)


def render(t: Texts, board: Dashboard, today: str) -> str:
    from bot.services.dashboard import STAGES

    f = board.funnel
    types = "\n".join(
        t(
            "dashboard.type_line",
            type=t(f"report.ptype.{kind}"),
            **{k: c[k] for k in STAGES},
        )
        for kind, c in board.by_type.items()
    )
    lines = [
        t("dashboard.agency_line", name=a.name, items=" · ".join(a.items(t)))
        for a in board.attention[:SHOW]
    ] or [t("dashboard.none")]
    if len(board.attention) > SHOW:
        lines.append(t("dashboard.more", n=len(board.attention) - SHOW))
    return t(
        "dashboard.title", date=today, agencies=board.agencies, programs=board.programs,
        applied=f["applied"], certified=f["certified"], selected=f["selected"],
        completed=f["completed"], dropped=f["dropped"], types=types, n=len(board.attention),
        attention="\n".join(lines),
    )  # fmt: skip


@router.message(Command("dashboard"))
async def dashboard_command(message: Message, actor: Actor, ctx: AppContext, t: Texts) -> None:
    from bot.services import charts, dashboard

    board = await dashboard.dashboard(ctx, actor, t)
    (png,) = await charts.render([board.chart])
    await message.answer_photo(BufferedInputFile(png, "dashboard.png"))
    rows: list[list[Button]] = [
        [(a.name, ReportCB(act="menu", agency=a.agency_id))] for a in board.attention[:SHOW]
    ]
    rows.append([(t("dashboard.national_button"), ReportCB(act="nat"))])
    await message.answer(render(t, board, ctx.today().isoformat()), reply_markup=inline(rows))


@router.callback_query(ReportCB.filter(F.act == "nat"))
async def national_file(query: CallbackQuery, actor: Actor, ctx: AppContext, t: Texts) -> None:
    from bot.services import dashboard

    file, rows = await dashboard.national_xlsx(ctx, actor, t)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer_document(
            BufferedInputFile(file.content, file.file_name),
            caption=t("dashboard.done", rows=rows),
        )
