"""The review card and the inbox as text and buttons (bot.handlers.review acts on them).

A card's buttons are the decisions its state allows; right after 인증 or 보류 it also offers
되돌리기 (for ``bot.domain.undo.UNDO_WINDOW``); 반려 first turns the row into a confirmation.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup

from bot.domain.undo import UNDOABLE
from bot.i18n import Texts
from bot.keyboards.common import Button, home_row, inline
from bot.keyboards.staff import HistoryCB, InboxCB, ReviewCB
from bot.services import review
from bot.services.context import AppContext
from bot.services.identity import Actor

MESSAGE_LIMIT = 3900


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


def card_markup(
    t: Texts, card: review.Card, *, undo: str | None = None, confirm_return: bool = False
) -> InlineKeyboardMarkup:
    """The decisions ``card``'s state allows; ``undo`` = the decision just made (되돌리기);
    ``confirm_return``: the 반려 row asks to confirm instead."""
    app, v = card.app_id, card.version
    if confirm_return:
        decisions: list[Button] = [
            (t("review.btn.return_confirm"), ReviewCB(action="return_ok", app=app, v=v)),
            (t("review.btn.back"), ReviewCB(action="back", app=app, v=v)),
        ]
    else:
        decisions = [
            (t(f"review.btn.{a}"), ReviewCB(action=a, app=app, v=v)) for a in card.actions
        ]
        if undo in UNDOABLE:
            decisions.append((t("review.btn.undo"), ReviewCB(action="undo", app=app, v=v)))
    return inline(
        [
            decisions,
            [
                (t("review.btn.history"), HistoryCB(app=card.app_id)),
                (t("review.btn.inbox"), InboxCB(action="list")),
            ],
        ]
    )


def card_text(t: Texts, card: review.Card) -> str:
    text = render_card(t, card)
    if len(text) > MESSAGE_LIMIT:  # the introduction went in its own message(s)
        text = render_card(t, card, with_intro=False)[:MESSAGE_LIMIT]
    return text


async def refresh_card(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    t: Texts,
    card: review.Card,
    *,
    undo: str | None = None,
    confirm_return: bool = False,
) -> None:
    """Edit the pressed card to ``card``'s present state and the buttons that state allows."""
    if message_id is None:
        return
    with contextlib.suppress(TelegramBadRequest):  # deleted, too old, or not modified
        await bot.edit_message_text(
            card_text(t, card),
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=card_markup(t, card, undo=undo, confirm_return=confirm_return),
        )


def receipt_markup(t: Texts) -> InlineKeyboardMarkup:
    return inline([[(t("review.btn.next"), InboxCB(action="list")), *home_row(t)]])


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
