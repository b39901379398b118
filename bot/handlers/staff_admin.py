"""Account approvers (support center): /approvals, the request view, 승인 / 반려.

Requests arrive through the outbox with the buttons; /approvals lists whatever is still pending.
The first decision wins: a second approver is told who decided first.
"""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations import review_reason
from bot.conversations.join import render_form
from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.staff import AccountCB, ApprovalsCB
from bot.middlewares.access import center_router
from bot.services import staff_accounts as accounts
from bot.services.context import AppContext
from bot.services.identity import Actor

router = center_router("staff_admin")

PAGE = 8


def _decision_markup(t: Texts, request_id: int) -> InlineKeyboardMarkup:
    return inline(
        [
            [
                (t("staff.btn.approve"), AccountCB(action="approve", req=request_id)),
                (t("staff.btn.reject"), AccountCB(action="reject", req=request_id)),
            ]
        ]
    )


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


async def _list(t: Texts, ctx: AppContext, actor: Actor, page: int):
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


@router.callback_query(AccountCB.filter(F.action == "approve"))
async def approve(
    query: CallbackQuery, callback_data: AccountCB, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    view = await accounts.decide_request(ctx, actor, callback_data.req, approve=True)
    await query.answer(t("staff.approver.approved_short"))
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(t("staff.approver.approved", id=view.id, name=view.name))


@router.callback_query(AccountCB.filter(F.action == "reject"))
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
        code = f"staff.request_already_{view.status}"
        raise DomainError(code, who=view.decided_by_name or "-")
    await query.answer()
    if isinstance(query.message, Message):
        await review_reason.begin(
            query.message, state, ctx, t, actor, kind="reject", target=view.id
        )
