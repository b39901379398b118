"""/newprogram: the program registration wizard (§ 프로그램등록), its summary and attachments.

| state              | input                                 | next                          |
|--------------------|---------------------------------------|-------------------------------|
| (none) /newprogram | staff, 일경험프로그램 permission        | field (type)                  |
| field type (new)   | 인턴형 / 프로젝트형 / ESG지원형 button  | field (name)                  |
| field name (new)   | text → draft saved (임시저장)           | field (next)                  |
| field <any>        | text / button → saved at once         | next field, or the summary    |
|                    | bad input → the refusal, same field   | field                         |
|                    | text where buttons are expected       | same question, with buttons   |
|                    | ◀ 이전                                 | previous field (edit: summary)|
| upload plan/train. | a PDF document → checked, merged      | upload training / attachments |
|                    | anything else → asked again           | upload                        |
| (summary buttons)  | edit / resume / attach / upload …     | they name the program         |

Modes (state data ``mode``): ``linear`` walks every applicable field in order (a new program),
``fill`` walks only the empty required ones (resuming a draft), ``edit`` changes one field and
returns to the summary. Recruitment mode (수시모집) and public listing are fixed: shown, not asked.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    Message,
)

from bot.domain.errors import DomainError
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.programs import ProgCB, WizChoiceCB
from bot.middlewares.access import center_router, staff_router
from bot.middlewares.refusals import refusal_text
from bot.services import attachments, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_registry import (
    COMPANY_TYPES,
    FIELD_BY_NAME,
    PROGRAM_TYPES,
    REGIONS,
    ProgramDetails,
)
from bot.storage.models import Program


def program_router(name: str, *, center: bool = False, permission: str | None = None) -> Router:
    return center_router(name) if center else staff_router(name, permission=permission)


router = program_router("program_wizard", permission="program")

NOT_COMMAND = ~F.text.startswith("/")  # commands go on to their own routers
SUMMARY_VALUE_CHARS = 60
MESSAGE_LIMIT = 4000


class ProgramWizard(StatesGroup):
    field = State()
    upload = State()


class AtField(Filter):
    """A step button counts only at its own step (older step buttons are stale)."""

    async def __call__(
        self, query: CallbackQuery, state: FSMContext, callback_data: WizChoiceCB
    ) -> bool:
        return (await state.get_data()).get("field") == callback_data.field


# --- showing values ----------------------------------------------------------------------


def type_label(t: Texts, program_type: str) -> str:
    return t(f"progreg.type.{program_type}")


def status_label(t: Texts, program: Program) -> str:
    if program.roster_locked_at is not None:
        return t("progreg.status.locked")
    return t(f"progreg.status.{program.status}")


def field_label(t: Texts, name: str) -> str:
    return t(f"progreg.field.{name}")


def bool_label(t: Texts, name: str, value: bool) -> str:
    key = f"progreg.bool.{name}.{int(value)}"
    return t(key) if t.has(key) else t(f"progreg.bool.{int(value)}")


def _short(text: str, limit: int = SUMMARY_VALUE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_value(t: Texts, name: str, value: Any, chars: int = SUMMARY_VALUE_CHARS) -> str:
    if program_registry.is_empty(value):
        required = FIELD_BY_NAME[name].required
        return t("progreg.value_missing") if required else t("progreg.value_none")
    kind = FIELD_BY_NAME[name].kind
    if kind == "type":
        return type_label(t, value)
    if kind == "bool":
        return bool_label(t, name, bool(value))
    if kind == "date":
        return t.date(value)
    if name == "total_recruitment":
        return t("progreg.unit_people", n=value)
    if name == "weekly_hours":
        return t("progreg.unit_hours", n=value)
    return _short(str(value), chars)


def fit_lines(lines: list[str], limit: int = MESSAGE_LIMIT) -> str:
    """Join whole lines up to ``limit`` characters (never cutting a tag or an HTML entity)."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit - 2:
            kept.append("…")
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def summary_lines(t: Texts, details: ProgramDetails, value_chars: int) -> list[str]:
    program = details.program
    lines = [
        t(
            "progreg.summary_title",
            name=program.name,
            status=status_label(t, program),
            type=type_label(t, program.type),
        ),
        t("progreg.summary_fixed"),
    ]
    for spec in program_registry.applicable_fields(program):
        if spec.name in ("type", "name"):
            continue
        value = show_value(t, spec.name, getattr(program, spec.name), value_chars)
        lines.append(t("progreg.summary_line", label=Raw(field_label(t, spec.name)), value=value))
    units = details.unit_total
    if program.type in COMPANY_TYPES:
        waiting = sum(1 for c in details.companies if c.insured_check == "pending")
        lines.append(
            t(
                "progreg.summary_companies",
                n=len(details.companies),
                sum=units,
                total=program.total_recruitment or 0,
                waiting=waiting,
            )
        )
    else:
        lines.append(t("progreg.summary_companies_plain", n=len(details.companies)))
        lines.append(
            t(
                "progreg.summary_jobs",
                n=len(details.jobs),
                sum=units,
                total=program.total_recruitment or 0,
            )
        )
    lines.append(
        t("progreg.summary_attachment_yes")
        if program.attachment_file_id
        else t("progreg.summary_attachment_no")
    )
    if program.reject_reason and program.status == "rejected":
        lines.append(t("progreg.summary_rejected", reason=program.reject_reason))
    missing = details.missing
    if program.roster_locked_at is not None:
        lines.append(t("progreg.summary_locked"))
    elif missing:
        labels = ", ".join(field_label(t, m) for m in missing)
        lines.append(t("progreg.summary_missing", fields=Raw(labels), count=len(missing)))
    elif program.status in ("draft", "rejected"):
        lines.append(t("progreg.summary_ready"))
    return lines


def summary_text(t: Texts, details: ProgramDetails, limit: int = MESSAGE_LIMIT) -> str:
    """The program at a glance; long values are shortened so the whole fits one message."""
    for value_chars in (SUMMARY_VALUE_CHARS, 30, 12):
        text = "\n".join(summary_lines(t, details, value_chars))
        if len(text) <= limit:
            return text
    return fit_lines(summary_lines(t, details, 12), limit)


def summary_keyboard(t: Texts, details: ProgramDetails) -> InlineKeyboardMarkup:
    program = details.program
    pid = program.id
    rows: list[list[Button]] = []
    if program.roster_locked_at is None and program.status != "closed":
        if program_registry.missing_fields(program):
            rows.append([(t("progreg.btn_resume"), ProgCB(action="resume", pid=pid))])
        rows.append([(t("progreg.btn_fields"), ProgCB(action="fields", pid=pid))])
        company_row: list[Button] = [
            (
                t("progreg.btn_companies", n=len(details.companies)),
                ProgCB(action="companies", pid=pid),
            )
        ]
        if program.type == "project":
            company_row.append(
                (t("progreg.btn_jobs", n=len(details.jobs)), ProgCB(action="jobs", pid=pid))
            )
        rows.append(company_row)
        rows.append([(t("progreg.btn_attach"), ProgCB(action="attach", pid=pid))])
    if program.attachment_file_id:
        rows.append([(t("progreg.btn_pdf"), ProgCB(action="pdf", pid=pid))])
    if program.status in ("draft", "rejected") and program.roster_locked_at is None:
        rows.append([(t("progreg.btn_submit"), ProgCB(action="submit", pid=pid))])
    return inline(rows)


async def send_summary(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, program_id: int
) -> None:
    details = await program_registry.get_details(ctx, actor, program_id)
    await message.answer(summary_text(t, details), reply_markup=summary_keyboard(t, details))


# --- questions: the buttons of an answered question go away ------------------------------


async def send_question(
    message: Message, state: FSMContext, text: str, markup: InlineKeyboardMarkup
) -> None:
    sent = await message.answer(text, reply_markup=markup)
    await state.update_data(qmsg=sent.message_id)


async def retire_question(message: Message, state: FSMContext) -> None:
    """Called when a question is answered by text: its step buttons would be stale."""
    qmsg = (await state.get_data()).get("qmsg")
    if qmsg and message.bot is not None:
        with contextlib.suppress(TelegramAPIError):
            await message.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=qmsg, reply_markup=None
            )


# --- asking one field --------------------------------------------------------------------


def _choice_rows(t: Texts, name: str, program: Program | None) -> list[list[Button]]:
    kind = FIELD_BY_NAME[name].kind
    if kind == "type":
        return [[(type_label(t, pt), WizChoiceCB(field=name, value=pt))] for pt in PROGRAM_TYPES]
    if kind == "region":
        buttons = [(r, WizChoiceCB(field=name, value=r)) for r in REGIONS]
        return [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    if kind == "bool":
        return [
            [
                (bool_label(t, name, True), WizChoiceCB(field=name, value="1")),
                (bool_label(t, name, False), WizChoiceCB(field=name, value="0")),
            ]
        ]
    return []


def expects_button(name: str) -> bool:
    return FIELD_BY_NAME[name].kind in ("type", "region", "bool")


async def ask(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
    *,
    name: str,
    mode: str,
    pid: int | None,
    program: Program | None = None,
    extra: str | None = None,
) -> None:
    """Ask for one field and remember where we are."""
    if pid is not None and program is None:
        program = (await program_registry.get_details(ctx, actor, pid)).program
    await state.set_state(ProgramWizard.field)
    data = await state.get_data()
    data.update({"pid": pid, "field": name, "mode": mode})
    await state.set_data(data)
    spec = FIELD_BY_NAME[name]
    parts = []
    if extra:
        parts.append(extra)
    if program is not None and program.status == "approved" and mode == "edit":
        parts.append(t("progreg.edit_after_approval"))
    params: dict[str, Any] = {}
    if spec.byte_limit is not None:
        params = {"limit": spec.byte_limit, "mode": ctx.settings.byte_mode.upper()}
    parts.append(t(f"progreg.ask.{name}", **params))
    current = getattr(program, name) if program is not None else None
    if mode == "edit" and not program_registry.is_empty(current):
        parts.append(t("progreg.current_value", value=show_value(t, name, current)))
    if mode != "edit" and name == "name":
        parts.append(t("progreg.draft_hint"))
    rows = _choice_rows(t, name, program)
    if name == "contact_name" and mode != "edit":
        rows.append([(t("progreg.use_agency"), WizChoiceCB(field=name, value="@agency"))])
    if not spec.required:
        label = t("progreg.clear") if mode == "edit" and current else t("progreg.skip")
        rows.append([(label, WizChoiceCB(field=name, value="-"))])
    has_back = mode == "edit" or name != "type"
    rows.append(nav_row(t, back=has_back))
    await send_question(message, state, "\n\n".join(parts), inline(rows))


async def _advance(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
    *,
    pid: int,
    after: str,
    mode: str,
) -> None:
    """After a saved answer: the next field (linear / fill) or the summary."""
    details = await program_registry.get_details(ctx, actor, pid)
    program = details.program
    nxt = None
    if mode == "linear":
        nxt = program_registry.next_field(program, after)
    elif mode == "fill":
        nxt = program_registry.next_field(program, after, only_empty=True)
    if nxt is None:
        await state.clear()
        if mode == "linear":
            await message.answer(t("progreg.linear_done"))
        await message.answer(summary_text(t, details), reply_markup=summary_keyboard(t, details))
        return
    await ask(message, state, ctx, actor, t, name=nxt, mode=mode, pid=pid, program=program)


async def _save(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
    raw: str | None,
) -> None:
    """Save the answer to the current field, or explain the refusal and ask again."""
    data = await state.get_data()
    name, mode, pid = data["field"], data.get("mode", "linear"), data.get("pid")
    if pid is None:  # creating: type, then name → the draft exists
        if name == "type":
            if raw not in PROGRAM_TYPES:
                await ask(message, state, ctx, actor, t, name="type", mode=mode, pid=None)
                return
            await state.update_data(ptype=raw)
            await ask(message, state, ctx, actor, t, name="name", mode=mode, pid=None)
            return
        try:
            pid = await program_registry.create_draft(ctx, actor, data.get("ptype", ""), raw or "")
        except DomainError as error:
            await ask(
                message,
                state,
                ctx,
                actor,
                t,
                name=name,
                mode=mode,
                pid=None,
                extra=refusal_text(t, error),
            )
            return
        await state.update_data(pid=pid)
        await message.answer(t("progreg.draft_saved"))
        await _advance(message, state, ctx, actor, t, pid=pid, after="name", mode=mode)
        return
    try:
        await program_registry.set_field(ctx, actor, pid, name, raw)
    except DomainError as error:
        if error.code in ("roster.locked", "progreg.closed", "access.agency", "access.denied"):
            await state.clear()
            raise
        await ask(
            message,
            state,
            ctx,
            actor,
            t,
            name=name,
            mode=mode,
            pid=pid,
            extra=refusal_text(t, error),
        )
        return
    await _advance(message, state, ctx, actor, t, pid=pid, after=name, mode=mode)


# --- handlers: starting ------------------------------------------------------------------


@router.message(Command("newprogram"))
async def new_program(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await state.clear()
    await message.answer(t("progreg.intro"))
    await ask(message, state, ctx, actor, t, name="type", mode="linear", pid=None)


@router.message(ProgramWizard.field, F.text, NOT_COMMAND)
async def field_text(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await retire_question(message, state)
    data = await state.get_data()
    name = data.get("field", "type")
    if expects_button(name):
        await ask(
            message,
            state,
            ctx,
            actor,
            t,
            name=name,
            mode=data.get("mode", "linear"),
            pid=data.get("pid"),
            extra=t("progreg.use_buttons"),
        )
        return
    await _save(message, state, ctx, actor, t, message.text or "")


@router.message(ProgramWizard.field, NOT_COMMAND)
async def field_other(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    """A sticker, a photo, an unknown command …: the same question again."""
    await retire_question(message, state)
    data = await state.get_data()
    await ask(
        message,
        state,
        ctx,
        actor,
        t,
        name=data.get("field", "type"),
        mode=data.get("mode", "linear"),
        pid=data.get("pid"),
        extra=t("progreg.text_please"),
    )


@router.callback_query(ProgramWizard.field, WizChoiceCB.filter(), AtField())
async def field_choice(
    query: CallbackQuery,
    callback_data: WizChoiceCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    await message.edit_reply_markup(reply_markup=None)
    value = callback_data.value
    data = await state.get_data()
    if value == "@agency":
        pid = data["pid"]
        try:
            await program_registry.use_agency_contact(ctx, actor, pid)
        except DomainError as error:
            await ask(
                message,
                state,
                ctx,
                actor,
                t,
                name="contact_name",
                mode=data["mode"],
                pid=pid,
                extra=refusal_text(t, error) + "\n" + t("progreg.agency_contact_manual"),
            )
            return
        await message.answer(t("progreg.agency_contact_used"))
        await _advance(
            message, state, ctx, actor, t, pid=pid, after="contact_homepage", mode=data["mode"]
        )
        return
    await _save(message, state, ctx, actor, t, None if value == "-" else value)


@router.callback_query(ProgramWizard.field, NavCB.filter(F.action == "back"))
async def field_back(
    query: CallbackQuery, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    await message.edit_reply_markup(reply_markup=None)
    data = await state.get_data()
    name, mode, pid = data.get("field", "type"), data.get("mode", "linear"), data.get("pid")
    if pid is None:
        await ask(message, state, ctx, actor, t, name="type", mode=mode, pid=None)
        return
    if mode == "edit":
        await state.clear()
        await send_summary(message, ctx, actor, t, pid)
        return
    program = (await program_registry.get_details(ctx, actor, pid)).program
    previous = program_registry.previous_field(program, name)
    if previous is None:
        await state.clear()
        await send_summary(message, ctx, actor, t, pid)
        return
    await ask(message, state, ctx, actor, t, name=previous, mode=mode, pid=pid, program=program)


# --- summary actions (they name the program, so they work from any state) ----------------


def _callback_message(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


@router.callback_query(ProgCB.filter(F.action == "fields"))
async def choose_field(
    query: CallbackQuery, callback_data: ProgCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await query.answer()
    message = _callback_message(query)
    if message is None:
        return
    details = await program_registry.get_details(ctx, actor, callback_data.pid)
    program = details.program
    buttons = [
        (field_label(t, s.name), ProgCB(action="edit", pid=program.id, arg=s.name))
        for s in program_registry.applicable_fields(program)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([(t("progreg.btn_back_summary"), ProgCB(action="open", pid=program.id))])
    await message.answer(t("progreg.choose_field", name=program.name), reply_markup=inline(rows))


@router.callback_query(ProgCB.filter(F.action == "edit"))
async def edit_field(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    await query.answer()
    message = _callback_message(query)
    if message is None or callback_data.arg not in FIELD_BY_NAME:
        return
    details = await program_registry.editable_details(ctx, actor, callback_data.pid)
    await state.clear()
    await ask(
        message,
        state,
        ctx,
        actor,
        t,
        name=callback_data.arg,
        mode="edit",
        pid=callback_data.pid,
        program=details.program,
    )


@router.callback_query(ProgCB.filter(F.action == "resume"))
async def resume(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    await query.answer()
    message = _callback_message(query)
    if message is None:
        return
    details = await program_registry.editable_details(ctx, actor, callback_data.pid)
    first = program_registry.next_field(details.program, None, only_empty=True)
    await state.clear()
    if first is None:
        await message.answer(summary_text(t, details), reply_markup=summary_keyboard(t, details))
        return
    await ask(
        message,
        state,
        ctx,
        actor,
        t,
        name=first,
        mode="fill",
        pid=callback_data.pid,
        program=details.program,
    )


# --- attachments -------------------------------------------------------------------------


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


async def show_attachments(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, pid: int
) -> None:
    details = await program_registry.get_details(ctx, actor, pid)
    st = await attachments.attachment_state(ctx, actor, pid)
    await message.answer(
        _attach_text(t, details.program, st),
        reply_markup=_attach_keyboard(t, details.program, st),
    )


@router.callback_query(ProgCB.filter(F.action == "attach"))
async def attach_menu(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    await query.answer()
    message = _callback_message(query)
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
    text = t(key)
    if extra:
        text = extra + "\n\n" + text
    await send_question(message, state, text, inline([nav_row(t, back=True)]))


@router.callback_query(ProgCB.filter(F.action == "upload"))
async def upload_start(
    query: CallbackQuery,
    callback_data: ProgCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    await query.answer()
    message = _callback_message(query)
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
        if error.code in ("roster.locked", "progreg.closed", "access.agency"):
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
    await message.answer(
        _attach_text(t, program, state_after),
        reply_markup=_attach_keyboard(t, program, state_after),
    )


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
    await query.answer()
    message = _callback_message(query)
    if message is None:
        return
    await message.edit_reply_markup(reply_markup=None)
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
