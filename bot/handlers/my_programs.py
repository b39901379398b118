"""/myprograms: the agency's programs — open one (its summary), download its PDF, submit it.

Submitting (등록 신청) is refused until every required field, the attachment and the host
companies / jobs are there and the head counts add up to the total; the answer lists what is
missing or shows the difference. Center operators are then asked to approve.
"""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.conversations.program_attachments import send_merged_pdf
from bot.conversations.program_common import program_router, take_callback
from bot.conversations.program_views import field_label, send_summary, status_label, type_label
from bot.domain.errors import DomainError
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.programs import MyProgPageCB, ProgCB
from bot.middlewares.refusals import refusal_text
from bot.services import program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor

router = program_router("my_programs")

PAGE_SIZE = 8


async def _show_list(message: Message, ctx: AppContext, actor: Actor, t: Texts, page: int) -> None:
    programs, total = await program_registry.list_agency_programs(
        ctx, actor, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    if total == 0:
        await message.answer(t("myprog.empty"))
        return
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(page, pages - 1)
    rows: list[list[Button]] = [
        [
            (
                t(
                    "myprog.item",
                    name=Raw(p.name),
                    type=type_label(t, p.type),
                    status=status_label(t, p),
                ),
                ProgCB(action="open", pid=p.id),
            )
        ]
        for p in programs
    ]
    nav: list[Button] = []
    if page > 0:
        nav.append((t("myprog.prev_page"), MyProgPageCB(page=page - 1)))
    if page + 1 < pages:
        nav.append((t("myprog.next_page"), MyProgPageCB(page=page + 1)))
    rows.append(nav)
    await message.answer(
        t("myprog.title", total=total, page=page + 1, pages=pages), reply_markup=inline(rows)
    )


@router.message(Command("myprograms"))
async def my_programs(message: Message, ctx: AppContext, actor: Actor, t: Texts) -> None:
    await _show_list(message, ctx, actor, t, 0)


@router.callback_query(MyProgPageCB.filter())
async def my_programs_page(
    query: CallbackQuery, callback_data: MyProgPageCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is not None:
        await _show_list(message, ctx, actor, t, max(callback_data.page, 0))


@router.callback_query(ProgCB.filter(F.action == "open"))
async def open_program(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is not None:
        await state.clear()
        await send_summary(message, ctx, actor, t, callback_data.pid)


@router.callback_query(ProgCB.filter(F.action == "pdf"))
async def download_pdf(
    query: CallbackQuery, callback_data: ProgCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is not None:
        await send_merged_pdf(message, ctx, actor, t, callback_data.pid)


@router.callback_query(ProgCB.filter(F.action == "submit"))
async def submit_program(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = query.message
    if not isinstance(message, Message):
        await query.answer()
        return
    try:
        outcome = await program_registry.submit(ctx, actor, callback_data.pid)
    except DomainError as error:
        await query.answer()
        await message.answer(_submit_refusal(t, error))
        return
    await query.answer()
    await state.clear()
    if not outcome.changed:
        await message.answer(t(f"myprog.already_{outcome.status}"))
        return
    await message.answer(t("myprog.submitted"))


def _submit_refusal(t: Texts, error: DomainError) -> str:
    if error.code == "progreg.incomplete":
        labels = "\n".join(f"• {field_label(t, f)}" for f in error.params.get("fields", []))
        return t("myprog.incomplete", fields=labels)
    text = refusal_text(t, error)
    if error.code == "recruit.sum_mismatch":
        diff = int(error.params.get("diff", 0))
        hint = "myprog.sum_hint_short" if diff > 0 else "myprog.sum_hint_over"
        text += "\n" + t(hint, n=abs(diff))
    return text
