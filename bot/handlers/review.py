"""The review desk: /inbox (submitted applications, oldest first), the card, 인증 / 보류 / 반려.

Hold and return ask for a reason (``bot.conversations.review_reason``). Card buttons carry the
version they showed: a card someone else decided meanwhile answers "already decided by …".
"""

from __future__ import annotations

from typing import Any, Literal

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations import review_reason
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.spec import Turn
from bot.handlers.review_card import (
    finding_text,
    receipt_markup,
    refresh_card,
    render_inbox,
    send_card,
    state_label,
)
from bot.i18n import Texts
from bot.keyboards.staff import InboxCB, ReviewCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import review, review_undo
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("review", permission="basic")

__all__ = ["finding_text", "router", "state_label"]


# --- handlers ----------------------------------------------------------------------------


@router.message(Command("inbox"))
async def inbox_command(message: Message, actor: Actor, ctx: AppContext, t: Texts) -> None:
    text, markup = render_inbox(t, await review.inbox(ctx, actor))
    await message.answer(text, reply_markup=markup)


@router.callback_query(InboxCB.filter(F.action == "list"))
async def inbox_page(
    query: CallbackQuery, callback_data: InboxCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    text, markup = render_inbox(t, await review.inbox(ctx, actor, callback_data.page))
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


@router.callback_query(InboxCB.filter(F.action == "open"))
async def open_card(
    query: CallbackQuery,
    callback_data: InboxCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    card = await review.open_card(ctx, actor, callback_data.app)
    await query.answer()
    await send_card(bot, actor.telegram_id, ctx, actor, t, card)


async def _conflict(
    query: CallbackQuery, bot: Bot, actor: Actor, ctx: AppContext, t: Texts, error: DomainError
) -> None:
    """Someone decided first (or the card moved on): say so once, and show the card as it is."""
    p = error.params
    text = t(
        "review.already_decided",
        who=p.get("who", "-"),
        at=p.get("at", "-"),
        state=state_label(t, str(p.get("state", ""))),
    )
    await query.answer(text[:200], show_alert=True)
    if isinstance(query.message, Message):
        card = await review.open_card(ctx, actor, _app_of(query))
        await refresh_card(bot, actor.telegram_id, query.message.message_id, t, card)


def _app_of(query: CallbackQuery) -> int:
    return ReviewCB.unpack(query.data or "").app


async def _current(
    query: CallbackQuery, cb: ReviewCB, bot: Bot, actor: Actor, ctx: AppContext, t: Texts
) -> review.Card | None:
    """The card when the pressed one still shows its present version; else answered as stale."""
    card = await review.open_card(ctx, actor, cb.app)  # scope check (audited)
    if card.version != cb.v:
        try:
            raise await review.already_decided(ctx, card.app_id)
        except DomainError as error:
            await _conflict(query, bot, actor, ctx, t, error)
        return None
    return card


def _message_id(query: CallbackQuery) -> int | None:
    return query.message.message_id if isinstance(query.message, Message) else None


@router.callback_query(ReviewCB.filter(F.action == "certify"))
async def certify(
    query: CallbackQuery,
    callback_data: ReviewCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    try:
        decision = await review.decide(
            ctx, actor, callback_data.app, "certify", version=callback_data.v
        )
    except DomainError as error:
        if error.code != "review.already_decided":
            raise
        await _conflict(query, bot, actor, ctx, t, error)
        return
    await query.answer(t("review.done_short.certified"))
    await refresh_card(
        bot, actor.telegram_id, _message_id(query), t, decision.card, undo="certify"
    )
    await bot.send_message(
        actor.telegram_id,
        t("review.done.certified", id=decision.app_id) + "\n" + t("review.undo_hint"),
        reply_markup=receipt_markup(t),
    )


@router.callback_query(ReviewCB.filter(F.action.in_({"hold", "return", "return_ok", "back"})))
async def hold_or_return(
    query: CallbackQuery,
    callback_data: ReviewCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    """보류 asks for the reason; 반려 (final) first asks to confirm, then for the reason."""
    card = await _current(query, callback_data, bot, actor, ctx, t)
    if card is None:
        return
    action = callback_data.action
    if action == "back":
        await query.answer()
        await refresh_card(bot, actor.telegram_id, _message_id(query), t, card)
        return
    kind: Literal["hold", "return"] = "hold" if action == "hold" else "return"
    if kind not in card.actions:
        await query.answer(
            refusal_text(t, DomainError("app.bad_transition"))[:200], show_alert=True
        )
        return
    if action == "return":
        await query.answer(t("review.confirm_return_short"))
        await refresh_card(
            bot, actor.telegram_id, _message_id(query), t, card, confirm_return=True
        )
        return
    await query.answer()
    if isinstance(query.message, Message):
        await review_reason.begin(
            query.message,
            state,
            ctx,
            t,
            actor,
            kind=kind,
            target=card.app_id,
            version=card.version,
            card=query.message.message_id,
        )


@router.callback_query(ReviewCB.filter(F.action == "undo"))
async def take_back(
    query: CallbackQuery,
    callback_data: ReviewCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    try:
        decision = await review_undo.undo(ctx, actor, callback_data.app, version=callback_data.v)
    except DomainError as error:
        if error.code == "review.already_decided":
            await _conflict(query, bot, actor, ctx, t, error)
            return
        await query.answer(refusal_text(t, error)[:200], show_alert=True)
        card = await review.open_card(ctx, actor, callback_data.app)
        await refresh_card(bot, actor.telegram_id, _message_id(query), t, card)  # no 되돌리기
        return
    await query.answer(t("review.undone_short"))
    await refresh_card(bot, actor.telegram_id, _message_id(query), t, decision.card)
    await bot.send_message(
        actor.telegram_id,
        t(f"review.undone.{decision.from_state}", id=decision.app_id),
        reply_markup=receipt_markup(t),
    )


async def card_after_reason(message: Message, turn: Turn[Any]) -> None:
    """A hold or return decided in the reason step: the pressed card shows the new state."""
    data = turn.data
    if message.bot is None or data.card is None:
        return
    card = await review.open_card(turn.ctx, turn.actor, data.target)
    await refresh_card(
        message.bot, turn.actor.telegram_id, data.card, turn.t, card, undo=data.kind
    )


forms.EXITS["review_card"] = card_after_reason  # the reason flow's closing screen
