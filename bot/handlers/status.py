"""/status and /withdraw: the participant's applications, what happens next, taking one back, and
the amend button (``MyAppCB``) that staff decisions send with a hold."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations import application
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.handlers.catalogue import MESSAGE_LIMIT, chunks, ptype_label, short
from bot.i18n import Texts
from bot.keyboards.common import Button, inline, with_home
from bot.keyboards.participant import MyAppCB, WithdrawCB
from bot.middlewares.refusals import refuse_button
from bot.services import applying
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.participant_status import ApplicationView, my_status

router = Router(name="participant_status")


def render_item(t: Texts, view: ApplicationView) -> str:
    lines = [
        t(
            "status.item",
            id=view.id,
            program=view.program_name,
            ptype=ptype_label(t, view.program_type),
            state=t(f"status.state.{view.state}"),
            date=t.date(view.applied_on),
        )
    ]
    if view.job_name:
        lines.append(t("status.job", job=view.job_name))
    if view.reason and view.state in ("held", "returned", "not_selected", "dropped"):
        lines.append(t("status.reason", reason=view.reason))
    nxt = f"status.next.{view.state}"
    if view.state == "selected" and view.roster_locked:
        nxt = "status.next.selected_locked"
    lines.append(t(nxt, phone=view.contact_phone or "-"))
    return "\n".join(lines)


def item_buttons(t: Texts, view: ApplicationView) -> list[list[Button]]:
    rows: list[list[Button]] = []
    name = short(view.program_name, 24)
    if view.can_amend:
        rows.append([(t("status.amend", program=name), MyAppCB(action="amend", app_id=view.id))])
    if view.can_withdraw:
        rows.append(
            [(t("status.withdraw", program=name), MyAppCB(action="withdraw", app_id=view.id))]
        )
    return rows


@router.message(Command("status"))
async def status(message: Message, ctx: AppContext, actor: Actor, t: Texts) -> None:
    mine = await my_status(ctx, actor)
    if not mine.applications:
        await message.answer(t("status.none"), reply_markup=with_home(t))
        return
    blocks = [t("status.title")]
    if mine.rrn_masked:
        blocks.append(t("status.rrn", masked=mine.rrn_masked))
    rows: list[list[Button]] = []
    for view in mine.applications:
        blocks.append("\n" + render_item(t, view))
        rows += item_buttons(t, view)
    texts = chunks(blocks)
    for text in texts[:-1]:
        await message.answer(text)
    await message.answer(texts[-1], reply_markup=with_home(t, rows))


@router.message(Command("withdraw"))
async def withdraw(message: Message, ctx: AppContext, actor: Actor, t: Texts) -> None:
    mine = await my_status(ctx, actor)
    open_ones = [v for v in mine.applications if v.can_withdraw]
    if not open_ones:
        await message.answer(t("withdraw.none"))
        return
    rows: list[list[Button]] = [
        [(short(v.program_name), MyAppCB(action="withdraw", app_id=v.id))] for v in open_ones
    ]
    await message.answer(t("withdraw.choose"), reply_markup=inline(rows))


async def _find(ctx: AppContext, actor: Actor, app_id: int, action: str) -> ApplicationView:
    """One of the caller's applications; another's is refused (audited) like a stale button."""
    mine = await my_status(ctx, actor)
    found = next((v for v in mine.applications if v.id == app_id), None)
    if found is None:
        await applying.check_owner(ctx, actor, app_id, action)
        raise DomainError("myapp.not_yours")
    return found


@router.callback_query(MyAppCB.filter(F.action == "view"))
async def view(
    query: CallbackQuery, callback_data: MyAppCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    found = await _find(ctx, actor, callback_data.app_id, "application.view")
    if not isinstance(query.message, Message):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    await query.answer()
    rows = item_buttons(t, found)
    text = render_item(t, found)[:MESSAGE_LIMIT]
    await query.message.answer(text, reply_markup=inline(rows) if rows else None)


@router.callback_query(MyAppCB.filter(F.action == "amend"))
async def amend(
    query: CallbackQuery,
    callback_data: MyAppCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = query.message
    if not isinstance(message, Message):
        await query.answer()
        return
    form = await forms.current(state)
    if form is not None and form.data.get("app_id") == callback_data.app_id:
        await query.answer(t("catalogue.in_progress"), show_alert=True)
        return
    try:
        data = await application.amend_data(ctx, actor, callback_data.app_id)
        await forms.begin(message, state, ctx, t, actor, FlowName.APPLY, data, complete=True)
    except DomainError as error:
        await refuse_button(query, t, error)
        return
    await query.answer()


@router.callback_query(MyAppCB.filter(F.action == "withdraw"))
async def ask_withdraw(
    query: CallbackQuery, callback_data: MyAppCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    found = await _find(ctx, actor, callback_data.app_id, "application.withdraw")
    if not isinstance(query.message, Message):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    if not found.can_withdraw:
        key = "withdraw.already" if found.state == "withdrawn" else "withdraw.not_now"
        await query.answer(t(key, phone=found.contact_phone or "-")[:200], show_alert=True)
        return
    await query.answer()
    rows: list[list[Button]] = [
        [
            (t("withdraw.yes"), WithdrawCB(app_id=found.id, confirm=True)),
            (t("withdraw.no"), WithdrawCB(app_id=found.id, confirm=False)),
        ]
    ]
    await query.message.answer(
        t("withdraw.confirm", program=found.program_name), reply_markup=inline(rows)
    )


@router.callback_query(WithdrawCB.filter())
async def confirm_withdraw(
    query: CallbackQuery, callback_data: WithdrawCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = query.message
    if not isinstance(message, Message):
        await query.answer()
        return
    if not callback_data.confirm:
        await query.answer()
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(t("withdraw.kept"))
        return
    try:
        done = await applying.withdraw_application(ctx, actor, callback_data.app_id)
    except DomainError as error:
        await refuse_button(query, t, error)
        return
    await query.answer()
    await message.edit_reply_markup(reply_markup=None)
    await message.answer(t("withdraw.done" if done else "withdraw.already"))
