"""모집 마감일 on the staff program screen (📅 button of the summary): a date, or none (rolling
recruitment then runs until the day before the program starts).

| state          | input                          | next                                 |
|----------------|--------------------------------|--------------------------------------|
| (summary) 📅    | the button                     | asking                               |
| asking         | a date (YYYY-MM-DD, 2027.1.5 …) | (cleared) saved, the summary again  |
| asking         | 마감일 없음                      | (cleared) cleared, the summary again |
| asking         | a bad date / a past one        | asking (the refusal says why)        |
"""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations.program_views import send_summary
from bot.domain.dates import parse_date
from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import NavCB, inline
from bot.keyboards.programs import ProgCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.recruit_until import set_recruit_until

router = staff_router("recruit_until")


class RecruitUntil(StatesGroup):
    asking = State()


@router.callback_query(ProgCB.filter(F.action == "until"))
async def ask(query: CallbackQuery, callback_data: ProgCB, state: FSMContext, t: Texts) -> None:
    await query.answer()
    if not isinstance(query.message, Message):
        return
    await state.set_state(RecruitUntil.asking)
    await state.set_data({"pid": callback_data.pid})
    await query.message.answer(
        t("recruit.ask"),
        reply_markup=inline(
            [
                [(t("recruit.none"), ProgCB(action="until_none", pid=callback_data.pid))],
                [(t("nav.cancel"), NavCB(action="cancel"))],
            ]
        ),
    )


async def _save(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts, text: str
) -> None:
    pid = int((await state.get_data()).get("pid") or 0)
    try:
        value = parse_date(text) if text else None
        saved = await set_recruit_until(ctx, actor, pid, value)
    except DomainError as error:
        if error.code.startswith(("date.", "recruit.")):
            await message.answer(refusal_text(t, error))  # asked again: the state stays
            return
        await state.clear()
        raise
    await state.clear()
    await message.answer(
        t("recruit.saved", until=t.date(saved)) if saved else t("recruit.cleared")
    )
    await send_summary(message, ctx, actor, t, pid)


@router.message(RecruitUntil.asking, F.text, ~F.text.startswith("/"))
async def typed(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await _save(message, actor, ctx, state, t, message.text or "")


@router.callback_query(RecruitUntil.asking, ProgCB.filter(F.action == "until_none"))
async def none(
    query: CallbackQuery, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _save(query.message, actor, ctx, state, t, "")


@router.message(RecruitUntil.asking)
async def not_text(message: Message, t: Texts) -> None:
    await message.answer(t("recruit.ask"))
