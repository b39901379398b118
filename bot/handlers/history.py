"""/history <application id>: who changed the application's status, when, from → to, and why.

For staff of the application's agency and for the center; anyone else is refused (audited).
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.domain.ids import is_id
from bot.handlers.review import state_label
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.staff import HistoryCB
from bot.middlewares.access import staff_or_center_router
from bot.services import review
from bot.services.context import AppContext
from bot.services.identity import Actor

router: Router = staff_or_center_router("history")

PAGE = 10


def _action_label(t: Texts, action: str) -> str:
    key = f"history.action.{action}"
    return t(key) if t.has(key) else action


def render_history(t: Texts, h: review.History, page: int) -> tuple[str, InlineKeyboardMarkup]:
    pages = max((len(h.entries) + PAGE - 1) // PAGE, 1)
    page = min(max(page, 0), pages - 1)
    lines = [
        t(
            "history.title",
            id=h.app_id,
            program=h.program,
            name=h.applicant,
            state=state_label(t, h.state),
        )
    ]
    if not h.entries:
        lines.append(t("history.empty"))
    for e in h.entries[page * PAGE : (page + 1) * PAGE]:
        source = state_label(t, e.from_state) if e.from_state else "-"
        lines.append(
            t(
                "history.entry",
                at=t.date(e.at),
                action=_action_label(t, e.action),
                source=source,
                target=state_label(t, e.to_state),
                who=e.who,
            )
        )
        if e.reason:
            lines.append(t("history.reason", reason=e.reason))
    if pages > 1:
        lines.append(t("review.inbox.page", page=page + 1, pages=pages))
    paging: list[Button] = []
    if page > 0:
        paging.append((t("staff.page_prev"), HistoryCB(app=h.app_id, page=page - 1)))
    if page < pages - 1:
        paging.append((t("staff.page_next"), HistoryCB(app=h.app_id, page=page + 1)))
    return "\n".join(lines), inline([paging])


@router.message(Command("history"))
async def history_command(
    message: Message, command: CommandObject, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    arg = (command.args or "").strip().lstrip("#")
    if not (arg.isascii() and arg.isdigit() and is_id(int(arg))):
        await message.answer(t("history.usage"))
        return
    text, markup = render_history(t, await review.history(ctx, actor, int(arg)), 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(HistoryCB.filter(F.page >= 0))
async def history_page(
    query: CallbackQuery, callback_data: HistoryCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    text, markup = render_history(
        t, await review.history(ctx, actor, callback_data.app), callback_data.page
    )
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)
