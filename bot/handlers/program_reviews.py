"""/programreviews (support center): approve or reject submitted programs, confirm insured counts.

The queue lists programs waiting for approval and approved programs with host companies whose
insured-count check (피보험자수) waits. A program's review card shows everything, including what
participants never see (internal notes, host-company contacts), with buttons to confirm or reject
each pending check, download the merged attachment, approve or reject (the reason:
``bot/conversations/program_reject.py``, a form-engine flow).
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations import program_reject
from bot.conversations.program_attachments import send_merged_pdf
from bot.conversations.program_common import callback_message, program_router, take_callback
from bot.conversations.program_reject import ProgramRejectData
from bot.conversations.program_views import fit_lines, summary_text, type_label
from bot.domain.errors import DomainError
from bot.domain.identifiers import format_brn
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.programs import ReviewCB, ReviewPageCB
from bot.middlewares.refusals import refusal_text
from bot.services import host_companies, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor

router = program_router("program_reviews", center=True)

PAGE_SIZE = 8
CHECK_BUTTONS = 20
MESSAGE_LIMIT = 4000


async def _show_queue(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, page: int
) -> None:
    items = await program_registry.review_queue(ctx, actor)
    if not items:
        await message.answer(t("progreview.queue_empty"))
        return
    pages = (len(items) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    rows: list[list[Button]] = []
    for item in items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
        key = "progreview.item_pending" if item.status == "pending" else "progreview.item_checks"
        rows.append(
            [
                (
                    t(
                        key,
                        name=Raw(item.name),
                        agency=Raw(item.agency_name),
                        type=type_label(t, item.type),
                        checks=item.pending_checks,
                    ),
                    ReviewCB(action="open", pid=item.program_id),
                )
            ]
        )
    nav: list[Button] = []
    if page > 0:
        nav.append((t("myprog.prev_page"), ReviewPageCB(page=page - 1)))
    if page + 1 < pages:
        nav.append((t("myprog.next_page"), ReviewPageCB(page=page + 1)))
    rows.append(nav)
    pending = sum(1 for i in items if i.status == "pending")
    checks = sum(i.pending_checks for i in items)
    await message.answer(
        t("progreview.queue_title", programs=pending, checks=checks, page=page + 1, pages=pages),
        reply_markup=inline(rows),
    )


@router.message(Command("programreviews"))
async def review_queue(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await state.clear()
    await _show_queue(message, ctx, actor, t, 0)


@router.callback_query(ReviewPageCB.filter())
async def review_page(
    query: CallbackQuery, callback_data: ReviewPageCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is not None:
        await _show_queue(message, ctx, actor, t, callback_data.page)


async def show_card(message: Message, ctx: AppContext, actor: Actor, t: Texts, pid: int) -> None:
    details = await program_registry.get_details(ctx, actor, pid)
    program = details.program
    header = t("progreview.card_agency", agency=details.agency_name)
    await message.answer(header + "\n" + summary_text(t, details, MESSAGE_LIMIT - len(header)))
    lines = [t("progreview.companies_title", n=len(details.companies))]
    rows: list[list[Button]] = []
    for company in details.companies:
        lines.append(
            t(
                "progreview.company_line",
                name=company.name,
                brn=format_brn(company.brn) if company.brn else t("hostco.overseas_flag"),
                insured="-" if company.insured_count is None else company.insured_count,
                check=t(f"hostco.check.{company.insured_check}"),
                contact=company.contact_name or "-",
                phone=company.contact_phone or "-",
                headcount="-" if company.headcount is None else company.headcount,
            )
        )
        if company.insured_check == "pending" and len(rows) < CHECK_BUTTONS:
            rows.append(
                [
                    (
                        t("progreview.btn_check_ok", name=Raw(company.name)),
                        ReviewCB(action="ok", pid=pid, cid=company.id),
                    ),
                    (
                        t("progreview.btn_check_no"),
                        ReviewCB(action="no", pid=pid, cid=company.id),
                    ),
                ]
            )
    if program.internal_notes:
        lines.append(t("progreview.internal_notes", notes=program.internal_notes[:1000]))
    if program.attachment_file_id:
        rows.append([(t("progreg.btn_pdf"), ReviewCB(action="pdf", pid=pid))])
    if program.status == "pending":
        rows.append(
            [
                (t("progreview.btn_approve"), ReviewCB(action="approve", pid=pid)),
                (t("progreview.btn_reject"), ReviewCB(action="reject", pid=pid)),
            ]
        )
    rows.append([(t("progreview.btn_queue"), ReviewPageCB(page=0))])
    await message.answer(fit_lines(lines), reply_markup=inline(rows))


@router.callback_query(ReviewCB.filter(F.action == "open"))
async def open_card(
    query: CallbackQuery,
    callback_data: ReviewCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is not None:
        await state.clear()
        await show_card(message, ctx, actor, t, callback_data.pid)


@router.callback_query(ReviewCB.filter(F.action.in_({"ok", "no"})))
async def decide_check(
    query: CallbackQuery, callback_data: ReviewCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = callback_message(query)
    confirm = callback_data.action == "ok"
    company, changed = await host_companies.decide_insured_check(
        ctx, actor, callback_data.cid, confirm=confirm
    )
    key = "progreview.check_confirmed" if confirm else "progreview.check_rejected"
    await query.answer(t(key, name=Raw(company.name))[:200])
    if message is not None and changed:
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(t(key, name=company.name))
        await show_card(message, ctx, actor, t, callback_data.pid)


@router.callback_query(ReviewCB.filter(F.action == "pdf"))
async def review_pdf(
    query: CallbackQuery, callback_data: ReviewCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is not None:
        await send_merged_pdf(message, ctx, actor, t, callback_data.pid)


@router.callback_query(ReviewCB.filter(F.action == "approve"))
async def approve(
    query: CallbackQuery, callback_data: ReviewCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = callback_message(query)
    try:
        outcome = await program_registry.approve(ctx, actor, callback_data.pid)
    except DomainError as error:
        await query.answer()
        if message is not None:
            await message.answer(refusal_text(t, error))
        return
    await query.answer()
    if message is None:
        return
    if outcome.changed:
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(t("progreview.approved"))
    else:
        await message.answer(t("progreview.already", status=t(f"progreg.status.{outcome.status}")))


@router.callback_query(ReviewCB.filter(F.action == "reject"))
async def reject_start(
    query: CallbackQuery,
    callback_data: ReviewCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    data = ProgramRejectData(pid=callback_data.pid)
    await forms.begin(message, state, ctx, t, actor, FlowName.PROGRAM_REJECT, data)


async def _to_card(message: Message, turn: Turn[Any]) -> None:
    await show_card(message, turn.ctx, turn.actor, turn.t, turn.data.pid)


forms.EXITS[program_reject.CARD] = _to_card  # the reason's ◀ 이전
