"""The attachments screen of a program (§ 첨부파일): the operating plan / proposal and the
training plan, each a PDF, merged into one file. Uploading is the form flow of
``program_files`` (started by the screen's upload buttons); the merged PDF can be downloaded.
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations.program_common import program_router, take_callback
from bot.conversations.program_files import FilesData
from bot.domain.errors import DomainError
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.forms.spec import Turn
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.programs import ProgCB
from bot.services import attachments, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Program

router = program_router("program_attachments", permission="program")


def _attach_text(t: Texts, program: Program, st: attachments.AttachmentState) -> str:
    plan_key = "progfile.plan_proposal" if program.type == "project" else "progfile.plan_operating"
    lines = [
        t("progfile.title", name=program.name),
        t(
            "progfile.part_line",
            label=t(plan_key),
            state=t("progfile.pages", n=st.plan_pages) if st.plan_pages else t("progfile.missing"),
        ),
    ]
    if st.training_needed:
        lines.append(
            t(
                "progfile.part_line",
                label=t("progfile.plan_training"),
                state=t("progfile.pages", n=st.training_pages)
                if st.training_pages
                else t("progfile.missing"),
            )
        )
    else:
        lines.append(t("progfile.no_training"))
    if st.merged_pages:
        lines.append(t("progfile.merged", n=st.merged_pages))
    else:
        lines.append(t("progfile.not_merged"))
    if st.training_needed:
        lines.append(t("progfile.order_hint"))
    return "\n".join(lines)


def _attach_keyboard(
    t: Texts, program: Program, st: attachments.AttachmentState
) -> InlineKeyboardMarkup:
    pid = program.id
    plan_key = "progfile.btn_plan_proposal" if program.type == "project" else "progfile.btn_plan"
    rows: list[list[Button]] = [[(t(plan_key), ProgCB(action="upload", pid=pid, arg="plan"))]]
    if st.training_needed:
        rows.append(
            [(t("progfile.btn_training"), ProgCB(action="upload", pid=pid, arg="training"))]
        )
    if st.merged_file_id:
        rows.append([(t("progreg.btn_pdf"), ProgCB(action="pdf", pid=pid))])
    rows.append([(t("progreg.btn_back_summary"), ProgCB(action="open", pid=pid))])
    return inline(rows)


async def _answer_attachments(
    message: Message, t: Texts, program: Program, st: attachments.AttachmentState
) -> None:
    text, markup = _attach_text(t, program, st), _attach_keyboard(t, program, st)
    await message.answer(text, reply_markup=markup)


async def show_attachments(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, pid: int
) -> None:
    details = await program_registry.get_details(ctx, actor, pid)
    st = await attachments.attachment_state(ctx, actor, pid)
    await _answer_attachments(message, t, details.program, st)


@router.callback_query(ProgCB.filter(F.action == "attach"))
async def attach_menu(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    await state.clear()
    await show_attachments(message, ctx, actor, t, callback_data.pid)


@router.callback_query(ProgCB.filter(F.action == "upload"))
async def upload_start(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    """An upload button: the form flow of ``program_files`` (the training plan may follow)."""
    message = await take_callback(query)
    slot = callback_data.arg
    if message is None or slot not in attachments.SLOTS:
        return
    program = (await program_registry.editable_details(ctx, actor, callback_data.pid)).program
    if slot == "training" and program.training_required is False:
        raise DomainError("progfile.no_slot")
    st = await attachments.attachment_state(ctx, actor, program.id)
    missing = slot == "plan" and st.training_needed and st.training_pages is None
    data = FilesData(pid=program.id, ptype=program.type, slot=slot, training_missing=missing)
    await state.clear()
    await forms.begin(message, state, ctx, t, actor, FlowName.PROGRAM_FILES, data)


async def _to_screen(message: Message, turn: Turn[Any]) -> None:
    await show_attachments(message, turn.ctx, turn.actor, turn.t, turn.data.pid)


forms.EXITS["attachments"] = _to_screen  # after the uploads, and ◀ 이전 at the first one


async def send_merged_pdf(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, pid: int
) -> None:
    """Send the merged attachment (re-download), reusing Telegram's file id when known."""
    stored = await attachments.merged_file(ctx, actor, pid)
    caption = t("progfile.caption", name=stored.file_name)
    if stored.telegram_file_id:
        try:
            await message.answer_document(stored.telegram_file_id, caption=caption)
            return
        except TelegramAPIError:  # an id from another bot or server: upload again
            pass
    sent = await message.answer_document(
        BufferedInputFile(stored.content, filename=stored.file_name), caption=caption
    )
    if sent.document is not None:
        await attachments.remember_telegram_file_id(ctx, stored.id, sent.document.file_id)
