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
| (summary buttons)  | fields / edit / resume                | they name the program         |

The summary itself is drawn by ``program_views``; attachments (``ProgramWizard.upload``) live in
``program_attachments``; host companies and jobs in ``host_company`` / ``program_jobs``.

Modes (state data ``mode``): ``linear`` walks every applicable field in order (a new program),
``fill`` walks only the empty required ones (resuming a draft), ``edit`` changes one field and
returns to the summary. Recruitment mode (수시모집) and public listing are fixed: shown, not asked.
"""

from __future__ import annotations

from typing import Any

from aiogram import F
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations.program_common import (
    NOT_COMMAND,
    end_if_fatal,
    program_router,
    retire_question,
    send_question,
    take_callback,
)
from bot.conversations.program_views import (
    answer_summary,
    bool_label,
    field_label,
    send_summary,
    show_value,
    type_label,
)
from bot.conversations.program_views import summary_text as summary_text  # tests import it here
from bot.domain.errors import DomainError
from bot.i18n import Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.programs import ProgCB, WizChoiceCB
from bot.middlewares.refusals import refusal_text
from bot.services import program_fields, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_fields import FIELD_BY_NAME, PROGRAM_TYPES, REGIONS
from bot.storage.models import Program

router = program_router("program_wizard", permission="program")


class ProgramWizard(StatesGroup):
    field = State()
    upload = State()  # the attachments screen (program_attachments)


class AtField(Filter):
    """A step button counts only at its own step (older step buttons are stale)."""

    async def __call__(
        self, query: CallbackQuery, state: FSMContext, callback_data: WizChoiceCB
    ) -> bool:
        return (await state.get_data()).get("field") == callback_data.field


# --- asking one field --------------------------------------------------------------------


def _choice_rows(t: Texts, name: str, program: Program | None) -> list[list[Button]]:
    kind = FIELD_BY_NAME[name].kind
    if kind == "type":
        return [[(type_label(t, pt), WizChoiceCB(field=name, value=pt))] for pt in PROGRAM_TYPES]
    if kind == "region":
        buttons: list[Button] = [(r, WizChoiceCB(field=name, value=r)) for r in REGIONS]
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
    if mode == "edit" and not program_fields.is_empty(current):
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


async def _ask_again(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts, extra: str
) -> None:
    """The current field's question again, with ``extra`` (a refusal, a hint) above it."""
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
        extra=extra,
    )


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
        nxt = program_fields.next_field(program, after)
    elif mode == "fill":
        nxt = program_fields.next_field(program, after, only_empty=True)
    if nxt is None:
        await state.clear()
        if mode == "linear":
            await message.answer(t("progreg.linear_done"))
        await answer_summary(message, t, details)
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
            await _ask_again(message, state, ctx, actor, t, refusal_text(t, error))
            return
        await state.update_data(pid=pid)
        await message.answer(t("progreg.draft_saved"))
        await _advance(message, state, ctx, actor, t, pid=pid, after="name", mode=mode)
        return
    try:
        await program_registry.set_field(ctx, actor, pid, name, raw)
    except DomainError as error:
        await end_if_fatal(state, error)
        await _ask_again(message, state, ctx, actor, t, refusal_text(t, error))
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
    if expects_button((await state.get_data()).get("field", "type")):
        await _ask_again(message, state, ctx, actor, t, t("progreg.use_buttons"))
        return
    await _save(message, state, ctx, actor, t, message.text or "")


@router.message(ProgramWizard.field, NOT_COMMAND)
async def field_other(
    message: Message, state: FSMContext, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    """A sticker, a photo, an unknown command …: the same question again."""
    await retire_question(message, state)
    await _ask_again(message, state, ctx, actor, t, t("progreg.text_please"))


@router.callback_query(ProgramWizard.field, WizChoiceCB.filter(), AtField())
async def field_choice(
    query: CallbackQuery,
    callback_data: WizChoiceCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    message = await take_callback(query, retire=True)
    if message is None:
        return
    value = callback_data.value
    data = await state.get_data()
    if value == "@agency":
        pid = data["pid"]
        try:
            await program_registry.use_agency_contact(ctx, actor, pid)
        except DomainError as error:
            manual = refusal_text(t, error) + "\n" + t("progreg.agency_contact_manual")
            await _ask_again(message, state, ctx, actor, t, manual)
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
    message = await take_callback(query, retire=True)
    if message is None:
        return
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
    previous = program_fields.previous_field(program, name)
    if previous is None:
        await state.clear()
        await send_summary(message, ctx, actor, t, pid)
        return
    await ask(message, state, ctx, actor, t, name=previous, mode=mode, pid=pid, program=program)


# --- summary actions (they name the program, so they work from any state) ----------------


@router.callback_query(ProgCB.filter(F.action == "fields"))
async def choose_field(
    query: CallbackQuery, callback_data: ProgCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    message = await take_callback(query)
    if message is None:
        return
    details = await program_registry.get_details(ctx, actor, callback_data.pid)
    program = details.program
    buttons = [
        (field_label(t, s.name), ProgCB(action="edit", pid=program.id, arg=s.name))
        for s in program_fields.applicable_fields(program)
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
    message = await take_callback(query)
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
    message = await take_callback(query)
    if message is None:
        return
    details = await program_registry.editable_details(ctx, actor, callback_data.pid)
    first = program_fields.next_field(details.program, None, only_empty=True)
    await state.clear()
    if first is None:
        await answer_summary(message, t, details)
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
