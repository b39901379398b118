"""The "✅ 점검 완료" button of the weekly reminder: records who checked the week, and when."""

from __future__ import annotations

from datetime import date

from aiogram import F
from aiogram.types import CallbackQuery, Message

from bot.i18n import Texts
from bot.keyboards.reports import WeeklyCheckCB
from bot.middlewares.access import staff_router
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("weekly_check")


@router.callback_query(WeeklyCheckCB.filter(F.week.regexp(r"^\d{4}-\d{2}-\d{2}$")))
async def week_checked(
    query: CallbackQuery, callback_data: WeeklyCheckCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    try:
        week = date.fromisoformat(callback_data.week)
    except ValueError:
        await query.answer(t("weekly.bad_week"), show_alert=True)
        return
    from bot.services import reports  # the report services load on first use, not at start

    result = await reports.mark_week_checked(ctx, actor, callback_data.agency_id, week)
    at = t.date(result.checked_at.astimezone(ctx.settings.tz))
    if result.already:
        text = t("weekly.already_checked", name=result.checked_by, at=at)
        await query.answer(text[:200], show_alert=True)
    else:
        await query.answer()
        text = t(
            "weekly.checked", week=result.week_start.isoformat(), name=result.checked_by, at=at
        )
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text)
