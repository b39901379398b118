"""Account approvers (support center): /approvals, the request view, 승인 / 반려.

Requests arrive through the outbox with the buttons; /approvals lists whatever is still pending.
승인 and 반려 first ask to confirm on the card; after a decision the card shows the new status and
no buttons. The first decision wins: a second approver is told once (an alert) who decided first,
and their card is brought up to date.
"""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations import review_reason
from bot.conversations.join import render_form
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.spec import Turn
from bot.i18n import Texts
from bot.keyboards.common import Button, inline, with_home
from bot.keyboards.staff import AccountCB, ApprovalsCB
from bot.middlewares.access import center_router
from bot.services import staff_accounts as accounts
from bot.services.context import AppContext
from bot.services.identity import Actor

router = center_router("staff_admin")

PAGE = 8


def _decision_markup(
    t: Texts, request_id: int, confirm: str | None = None
) -> InlineKeyboardMarkup:
    """승인 / 반려; with ``confirm`` (approve | reject) that decision asks to confirm first."""
    if confirm is not None:
        go = "approve_ok" if confirm == "approve" else "reject_ok"
        return inline(
            [
                [
                    (t(f"staff.btn.{go}"), AccountCB(action=go, req=request_id)),
                    (t("staff.btn.decide_back"), AccountCB(action="back", req=request_id)),
                ]
            ]
        )
    return inline(
        [
            [
                (t("staff.btn.approve"), AccountCB(action="approve", req=request_id)),
                (t("staff.btn.reject"), AccountCB(action="reject", req=request_id)),
            ]
        ]
    )


async def show_request(
    query: CallbackQuery, t: Texts, view: accounts.RequestView, confirm: str | None = None
) -> None:
    """Edit the pressed request card to ``view`` (buttons only while it is pending)."""
    if not isinstance(query.message, Message):
        return
    markup = _decision_markup(t, view.id, confirm) if view.status == "pending" else None
    with contextlib.suppress(TelegramBadRequest):  # not modified
        await query.message.edit_text(render_request(t, view), reply_markup=markup)


def render_request(t: Texts, view: accounts.RequestView) -> str:
    form = {
        "name": view.name,
        "agency": view.agency,
        "project_name": view.project_name,
        "position": view.position,
        "email": view.email,
        "mobile": view.mobile,
        "phone": view.phone,
        "fax": view.fax,
        "is_project_manager": view.is_project_manager,
        "duties": view.duties,
        "permissions": view.permissions,
        "consent_info": view.consent_info,
        "pledge_name": t("staff.approver.pledge_attached") if view.pledge_file_id else None,
    }
    head = t(
        "staff.approver.title",
        id=view.id,
        status=t(f"staff.status.{view.status}"),
        at=t.date(view.created_at),
    )
    return head + "\n\n" + render_form(t, form)


async def _list(
    t: Texts, ctx: AppContext, actor: Actor, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    pending = await accounts.pending_requests(ctx, actor)
    if not pending:
        return t("staff.approver.none"), inline([])
    pages = max((len(pending) + PAGE - 1) // PAGE, 1)
    page = min(max(page, 0), pages - 1)
    rows: list[list[Button]] = [
        [
            (
                t("staff.approver.item", id=v.id, name=v.name, agency=v.agency[:20]),
                ApprovalsCB(action="open", req=v.id),
            )
        ]
        for v in pending[page * PAGE : (page + 1) * PAGE]
    ]
    paging: list[Button] = []
    if page > 0:
        paging.append((t("staff.page_prev"), ApprovalsCB(action="page", page=page - 1)))
    if page < pages - 1:
        paging.append((t("staff.page_next"), ApprovalsCB(action="page", page=page + 1)))
    rows.append(paging)
    text = t("staff.approver.list", count=len(pending), page=page + 1, pages=pages)
    return text, inline(rows)


@router.message(Command("approvals"))
async def approvals(message: Message, actor: Actor, ctx: AppContext, t: Texts) -> None:
    text, markup = await _list(t, ctx, actor, 0)
    await message.answer(text, reply_markup=markup)


@router.callback_query(ApprovalsCB.filter(F.action == "page"))
async def approvals_page(
    query: CallbackQuery, callback_data: ApprovalsCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    text, markup = await _list(t, ctx, actor, callback_data.page)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


@router.callback_query(ApprovalsCB.filter(F.action == "open"))
async def open_request(
    query: CallbackQuery,
    callback_data: ApprovalsCB,
    bot: Bot,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    view = await accounts.get_request(ctx, actor, callback_data.req)
    await query.answer()
    if view.pledge_file_id:
        file = await accounts.load_file(ctx, view.pledge_file_id)
        if file is not None:
            await bot.send_document(
                actor.telegram_id,
                BufferedInputFile(file.content, filename=file.file_name),
                caption=t("staff.approver.pledge_caption", id=view.id, name=view.name),
            )
    markup = _decision_markup(t, view.id) if view.status == "pending" else None
    await bot.send_message(actor.telegram_id, render_request(t, view), reply_markup=markup)


@router.callback_query(AccountCB.filter(F.action.in_({"approve", "reject", "back"})))
async def ask_to_confirm(
    query: CallbackQuery, callback_data: AccountCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    """승인 and 반려 are hard to undo: the card first asks to confirm (◀ 돌아가기 keeps it)."""
    view = await accounts.get_request(ctx, actor, callback_data.req)
    if view.status != "pending":
        await _already(query, t, view)
        return
    confirm = None if callback_data.action == "back" else callback_data.action
    await query.answer(t(f"staff.approver.confirm_{confirm}") if confirm else None)
    await show_request(query, t, view, confirm)


async def _already(query: CallbackQuery, t: Texts, view: accounts.RequestView) -> None:
    text = t(f"error.staff.request_already_{view.status}", who=view.decided_by_name or "-")
    await query.answer(text[:200], show_alert=True)
    await show_request(query, t, view)


@router.callback_query(AccountCB.filter(F.action == "approve_ok"))
async def approve(
    query: CallbackQuery, callback_data: AccountCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    try:
        view = await accounts.decide_request(ctx, actor, callback_data.req, approve=True)
    except DomainError as error:
        if not error.code.startswith("staff.request_already_"):
            raise
        await _already(query, t, await accounts.get_request(ctx, actor, callback_data.req))
        return
    await query.answer(t("staff.approver.approved_short"))
    await show_request(query, t, view)
    if isinstance(query.message, Message):
        await query.message.answer(
            t("staff.approver.approved", id=view.id, name=view.name), reply_markup=with_home(t)
        )


@router.callback_query(AccountCB.filter(F.action == "reject_ok"))
async def reject(
    query: CallbackQuery,
    callback_data: AccountCB,
    actor: Actor,
    ctx: AppContext,
    state: FSMContext,
    t: Texts,
) -> None:
    view = await accounts.get_request(ctx, actor, callback_data.req)
    if view.status != "pending":
        await _already(query, t, view)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await review_reason.begin(
            query.message,
            state,
            ctx,
            t,
            actor,
            kind="reject",
            target=view.id,
            card=query.message.message_id,
        )


async def card_after_reason(message: Message, turn: Turn[Any]) -> None:
    """An account rejected in the reason step: its card shows 반려 and loses its buttons."""
    data = turn.data
    if message.bot is None or data.card is None:
        return
    view = await accounts.get_request(turn.ctx, turn.actor, data.target)
    with contextlib.suppress(TelegramBadRequest):
        await message.bot.edit_message_text(
            render_request(turn.t, view), chat_id=turn.actor.telegram_id, message_id=data.card
        )


forms.EXITS["account_card"] = card_after_reason  # the reason flow's closing screen
