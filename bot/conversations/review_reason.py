"""The reason for a hold (보류), a return (반려) or an account rejection: quick picks or free text.

| state          | input                                    | next                               |
|----------------|------------------------------------------|------------------------------------|
| (card button)  | 보류 / 반려 (card), 반려 (request)        | reason                             |
| reason         | a quick-pick button (for this target)    | (cleared) decision made            |
| reason         | free text (≤ 500 characters)             | (cleared) decision made            |
| reason         | anything else / too long                 | reason, asked again                |
✖ 취소 and /cancel leave everything unchanged. A button of an older reason prompt (another card) is
stale: it names its target, and only the current target's buttons act.
"""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, with_nav
from bot.keyboards.staff import ReasonCB
from bot.middlewares.access import staff_or_center_router
from bot.middlewares.refusals import refusal_text
from bot.services import review, staff_accounts
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_or_center_router("review_reason")

# Quick picks per kind: locale keys ``review.pick.<kind>.<n>``.
QUICK_PICKS = {"hold": 4, "return": 4, "reject": 3}


class Reason(StatesGroup):
    text = State()


def pick_key(kind: str, index: int) -> str:
    return f"review.pick.{kind}.{index}"


async def begin(
    message: Message, state: FSMContext, t: Texts, *, kind: str, target: int, version: int = 0
) -> None:
    await state.set_state(Reason.text)
    await state.set_data({"kind": kind, "target": target, "version": version})
    rows: list[list[Button]] = [
        [(t(pick_key(kind, i)), ReasonCB(kind=kind, target=target, pick=i))]
        for i in range(QUICK_PICKS[kind])
    ]
    await message.answer(t(f"review.ask_reason.{kind}", id=target), reply_markup=with_nav(t, rows))


async def _apply(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts, reason: str
) -> None:
    data = await state.get_data()
    kind, target = data["kind"], int(data["target"])
    try:
        if kind == "reject":
            await staff_accounts.decide_request(ctx, actor, target, approve=False, reason=reason)
            text = t("staff.approver.rejected", id=target, reason=reason)
        else:
            decision = await review.decide(
                ctx, actor, target, kind, version=int(data["version"]), reason=reason
            )
            text = t(f"review.done.{decision.to_state}", id=target, reason=reason)
    except DomainError as error:
        if error.code.startswith(("text.", "staff.reason")):
            await message.answer(refusal_text(t, error))  # re-ask: the state stays
            return
        await state.clear()
        raise
    await state.clear()
    await message.answer(text + "\n" + t("review.next_hint"))


@router.callback_query(Reason.text, ReasonCB.filter())
async def quick_pick(
    query: CallbackQuery,
    callback_data: ReasonCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    data = await state.get_data()
    if (
        data.get("kind") != callback_data.kind
        or int(data.get("target") or 0) != callback_data.target
        or not 0 <= callback_data.pick < QUICK_PICKS.get(callback_data.kind, 0)
    ):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    if isinstance(query.message, Message):
        reason = t(pick_key(callback_data.kind, callback_data.pick))
        await _apply(query.message, actor, ctx, state, t, reason)  # a refusal answers the query
        await query.message.edit_reply_markup(reply_markup=None)
    await query.answer()


@router.message(Reason.text, F.text, ~F.text.startswith("/"))
async def typed(
    message: Message, actor: Actor, ctx: AppContext, state: FSMContext, t: Texts
) -> None:
    await _apply(message, actor, ctx, state, t, message.text or "")


@router.message(Reason.text)
async def not_text(message: Message, t: Texts) -> None:
    await message.answer(t("review.reason_expected"))
