"""The review desk: /inbox (submitted applications, oldest first), the card, 인증 / 보류 / 반려.

Hold and return ask for a reason (``bot.conversations.review_reason``). Card buttons carry the
version they showed: a card someone else decided meanwhile answers "already decided by …".
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations import review_reason
from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.staff import HistoryCB, InboxCB, ReviewCB
from bot.middlewares.access import staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import review
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("review", permission="basic")

MESSAGE_LIMIT = 3900


# --- rendering ---------------------------------------------------------------------------


def state_label(t: Texts, state: str) -> str:
    key = f"staff.state.{state}"
    return t(key) if t.has(key) else state


def _answer_value(t: Texts, value: Any) -> str:
    if value is True:
        return t("staff.yes")
    if value is False:
        return t("staff.no")
    if value is None:
        return t("review.answer_unknown")
    return str(value)


def finding_text(t: Texts, code: str, params: dict[str, Any]) -> str:
    key = "review.finding." + code.removeprefix("elig.")
    if not t.has(key):
        return code
    return t(key, **{k: ("-" if v is None else v) for k, v in params.items()})


def render_card(t: Texts, card: review.Card, *, with_intro: bool = True) -> str:
    lines = [t("review.card.title", id=card.app_id, state=state_label(t, card.state))]
    program = card.program + (f" · {card.job}" if card.job else "")
    lines.append(t("review.card.program", program=program))
    identity = card.rrn_masked or t.date(card.birth_date)
    lines.append(t("review.card.applicant", name=card.applicant, identity=identity))
    lines.append(
        t(
            "review.card.contact",
            mobile=card.mobile or "-",
            email=card.email or "-",
            education=card.education or "-",
        )
    )
    channel = t(f"review.channel.{card.channel}") if card.channel in ("online", "offline") else ""
    lines.append(t("review.card.applied", date=t.date(card.applied_on), channel=channel))
    if card.answers:
        lines.append("")
        lines.append(t("review.card.answers"))
        for key, value in card.answers.items():
            label_key = f"review.answer.{key}"
            label = t(label_key) if t.has(label_key) else key
            lines.append(f"• {label}: {_answer_value(t, value)}")
    if card.failures:
        lines.append("")
        lines.append(t("review.card.failures"))
        lines += [f"❌ {finding_text(t, f.code, f.params)}" for f in card.failures]
    if card.needs_check:
        lines.append("")
        lines.append(t("review.card.needs_check"))
        lines += [f"⚠️ {finding_text(t, f.code, f.params)}" for f in card.needs_check]
    if card.notes:
        lines.append("")
        lines.append(t("review.card.notes"))
        lines += [f"ℹ️ {finding_text(t, f.code, f.params)}" for f in card.notes]
    lines.append("")
    if with_intro:
        lines.append(t("review.card.intro", text=card.self_intro or "-"))
    else:
        lines.append(t("review.card.intro_above"))
    lines.append(
        t("review.card.resume_attached") if card.resume_file_id else t("review.card.no_resume")
    )
    if card.last_reason and card.state in ("held", "returned"):
        lines.append(t("review.card.last_reason", reason=card.last_reason))
    if card.decided_by and card.state != "submitted":
        lines.append(t("review.card.decided", who=card.decided_by, at=t.date(card.decided_at)))
    return "\n".join(lines)


def card_markup(t: Texts, card: review.Card) -> InlineKeyboardMarkup:
    decisions: list[Button] = [
        (t(f"review.btn.{a}"), ReviewCB(action=a, app=card.app_id, v=card.version))
        for a in card.actions
    ]
    return inline(
        [
            decisions,
            [
                (t("review.btn.history"), HistoryCB(app=card.app_id)),
                (t("review.btn.inbox"), InboxCB(action="list")),
            ],
        ]
    )


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


async def send_card(
    bot: Bot, chat_id: int, ctx: AppContext, actor: Actor, t: Texts, card: review.Card
) -> None:
    """Résumé (document) first, then the card with its buttons as the latest message."""
    if card.resume_file_id:
        file = await review.resume_file(ctx, actor, card.app_id)
        if file is not None:
            await bot.send_document(
                chat_id,
                BufferedInputFile(file.content, filename=file.file_name),
                caption=t("review.resume_caption", id=card.app_id, name=card.applicant),
            )
    text = render_card(t, card)
    if len(text) > MESSAGE_LIMIT:
        intro = t("review.card.intro", text=card.self_intro or "-")
        for part in _chunks(intro, MESSAGE_LIMIT):
            await bot.send_message(chat_id, part, parse_mode=None)
        text = render_card(t, card, with_intro=False)[:MESSAGE_LIMIT]
    await bot.send_message(chat_id, text, reply_markup=card_markup(t, card))


def render_inbox(t: Texts, box: review.Inbox) -> tuple[str, InlineKeyboardMarkup]:
    if not box.total:
        text = t("review.inbox.empty")
        if box.held:
            text += "\n" + t("review.inbox.held", count=box.held)
        return text, inline([])
    lines = [t("review.inbox.title", total=box.total)]
    lines += [t("review.inbox.per_program", program=name, count=n) for name, n in box.per_program]
    if box.held:
        lines.append(t("review.inbox.held", count=box.held))
    if box.pages > 1:
        lines.append(t("review.inbox.page", page=box.page + 1, pages=box.pages))
    lines.append(t("review.inbox.pick"))
    rows: list[list[Button]] = [
        [
            (
                t(
                    "review.inbox.item",
                    id=i.app_id,
                    name=i.applicant,
                    program=i.program[:20],
                    date=t.date(i.applied_on),
                ),
                InboxCB(action="open", app=i.app_id),
            )
        ]
        for i in box.items
    ]
    paging: list[Button] = []
    if box.page > 0:
        paging.append((t("staff.page_prev"), InboxCB(action="list", page=box.page - 1)))
    if box.page < box.pages - 1:
        paging.append((t("staff.page_next"), InboxCB(action="list", page=box.page + 1)))
    rows.append(paging)
    return "\n".join(lines), inline(rows)


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
    """Someone decided first: say who, and show the card as it is now."""
    p = error.params
    text = t(
        "review.already_decided",
        who=p.get("who", "-"),
        at=p.get("at", "-"),
        state=state_label(t, str(p.get("state", ""))),
    )
    await query.answer(text[:200], show_alert=True)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(text)


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
    if isinstance(query.message, Message):
        await query.message.edit_text(
            render_card(t, decision.card)[:MESSAGE_LIMIT], reply_markup=None
        )
        await query.message.answer(
            t("review.done.certified", id=decision.app_id) + "\n" + t("review.next_hint"),
            reply_markup=inline([[(t("review.btn.next"), InboxCB(action="list"))]]),
        )


@router.callback_query(ReviewCB.filter(F.action.in_({"hold", "return"})))
async def ask_reason(
    query: CallbackQuery,
    callback_data: ReviewCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    card = await review.open_card(ctx, actor, callback_data.app)  # scope check (audited)
    if card.version != callback_data.v:
        try:
            raise await review.already_decided(ctx, card.app_id)
        except DomainError as error:
            await _conflict(query, bot, actor, ctx, t, error)
        return
    if callback_data.action not in card.actions:
        await query.answer(
            refusal_text(t, DomainError("app.bad_transition"))[:200], show_alert=True
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
            kind="hold" if callback_data.action == "hold" else "return",
            target=card.app_id,
            version=card.version,
        )
