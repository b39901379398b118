"""The attachments screen of a program (§ 첨부파일): the operating plan / proposal and the
training plan, each a PDF, merged into one file.

| state               | input                                  | next                          |
|---------------------|----------------------------------------|-------------------------------|
| (none)              | 첨부 button (names the program)          | the attachments screen        |
| (none)              | upload button (plan / training)        | ProgramWizard.upload          |
| upload plan/train.  | a PDF document → checked, merged       | upload training / attachments |
|                     | anything else → asked again            | upload                        |
|                     | ◀ 이전                                  | (cleared) attachments screen  |
"""

from __future__ import annotations

import io

from aiogram import Bot, F
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.conversations.program_common import (
    NOT_COMMAND,
    ask_text,
    program_router,
    retire_question,
    take_callback,
)
from bot.conversations.program_wizard import ProgramWizard
from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline
from bot.keyboards.programs import ProgCB
from bot.middlewares.refusals import refusal_text
from bot.services import attachments, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Program

router = program_router("program_attachments", permission="program")
# As FATAL, but access.denied re-asks for the file (it was so before the split).
UPLOAD_FATAL = ("roster.locked", "progreg.closed", "access.agency")


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


async def ask_upload(
    message: Message, state: FSMContext, t: Texts, program: Program, slot: str, extra: str = ""
) -> None:
    await state.set_state(ProgramWizard.upload)
    await state.set_data({"pid": program.id, "slot": slot})
    if slot == "plan":
        key = "progfile.ask_proposal" if program.type == "project" else "progfile.ask_plan"
    else:
        key = "progfile.ask_training"
    await ask_text(message, state, t, t(key), extra)


@router.callback_query(ProgCB.filter(F.action == "upload"))
async def upload_start(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query)
    if message is None or callback_data.arg not in attachments.SLOTS:
        return
    details = await program_registry.editable_details(ctx, actor, callback_data.pid)
    if callback_data.arg == "training" and details.program.training_required is False:
        raise DomainError("progfile.no_slot")
    await ask_upload(message, state, t, details.program, callback_data.arg)


@router.message(ProgramWizard.upload, F.document)
async def upload_document(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
    bot: Bot,
) -> None:
    await retire_question(message, state)
    data = await state.get_data()
    pid, slot = data["pid"], data["slot"]
    document = message.document
    assert document is not None
    details = await program_registry.get_details(ctx, actor, pid)
    try:
        attachments.check_size(document.file_size)
        buffer = io.BytesIO()
        await bot.download(document, destination=buffer)
        state_after = await attachments.store_part(
            ctx, actor, pid, slot, document.file_name or "", buffer.getvalue()
        )
    except DomainError as error:
        if error.code in UPLOAD_FATAL:
            await state.clear()
            raise
        await ask_upload(message, state, t, details.program, slot, refusal_text(t, error))
        return
    await message.answer(t("progfile.received", name=document.file_name or "PDF"))
    program = details.program
    if slot == "plan" and state_after.training_needed and state_after.training_pages is None:
        await ask_upload(message, state, t, program, "training")
        return
    await state.clear()
    await _answer_attachments(message, t, program, state_after)


@router.message(ProgramWizard.upload, NOT_COMMAND)
async def upload_other(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await retire_question(message, state)
    data = await state.get_data()
    details = await program_registry.get_details(ctx, actor, data["pid"])
    await ask_upload(message, state, t, details.program, data["slot"], t("progfile.send_pdf"))


@router.callback_query(ProgramWizard.upload, NavCB.filter(F.action == "back"))
async def upload_back(
    query: CallbackQuery, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query, retire=True)
    if message is None:
        return
    pid = (await state.get_data())["pid"]
    await state.clear()
    await show_attachments(message, ctx, actor, t, pid)


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
