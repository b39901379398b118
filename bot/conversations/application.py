"""The application form (참여신청) for one program, after the eligibility check; also the amend
flow of a held (보류) application.

| state      | input                                           | next                         |
|------------|-------------------------------------------------|------------------------------|
| name       | text → checked (≤ 50 chars)                     | rrn* · mobile                |
| rrn*       | text → message deleted, checked, sealed         | mobile                       |
| mobile     | text → a mobile number (example on refusal)     | email                        |
| email      | text → checked                                  | education                    |
| education  | button (free text → asked again with buttons)   | job (project type) · intro   |
| job        | button: the program's open jobs                 | self_intro                   |
| self_intro | text → ≤ limit, saved as used/limit             | resume                       |
| resume     | PDF/DOCX/HWP/HWPX ≤ 20 MB · 건너뛰기 (optional)   | summary                      |
| summary    | ✏ a field → that step → summary · ✏ 자격 답변     | … · eligibility result       |
|            | 제출하기 → submitted (인증대기) / resubmitted     | (cleared)                    |
* only when the year's rules (or ``COLLECT_RESIDENT_NUMBER``) say so. ◀ 이전 goes one step back
(the first step back to the eligibility result; once the summary was reached, to the summary).
Data (besides eligibility's): ``form`` (field → value; the resident number only sealed as
``rrn_enc`` + ``rrn_masked``), ``field``, ``form_done``, ``ptype``, ``resume_required``, ``jobs``;
amend: ``mode="amend"``, ``app_id``, ``reason``, ``form_orig``, ``elig_orig``.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.conversations import eligibility
from bot.conversations.eligibility import NOT_COMMAND, Live, close_step, send_step, step_message
from bot.domain.errors import DomainError
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, NavCB, inline, nav_row
from bot.keyboards.participant import ApplyCB
from bot.middlewares.refusals import refusal_text
from bot.services import applying, catalogue, form_rules
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="application")


class Apply(StatesGroup):
    name = State()
    rrn = State()
    mobile = State()
    email = State()
    education = State()
    job = State()
    self_intro = State()
    resume = State()
    summary = State()


FIELD_STATES = {
    name: getattr(Apply, name)
    for name in ("name", "rrn", "mobile", "email", "education", "job", "self_intro", "resume")
}
TEXT_FIELDS = {
    "name": form_rules.clean_name,
    "mobile": form_rules.clean_mobile,
    "email": form_rules.clean_email,
}
# refusals at submit that end the flow (nothing the form can fix)
FINAL_CODES = {
    "apply.duplicate",
    "apply.closed",
    "apply.locked",
    "apply.full",
    "apply.no_consent",
    "catalogue.not_found",
    "amend.not_held",
    "app.bad_transition",
    "myapp.not_yours",
}


def fields(ctx: AppContext, data: dict[str, Any]) -> list[str]:
    names = ["name"]
    if form_rules.collects_resident_number(ctx):
        names.append("rrn")
    names += ["mobile", "email", "education"]
    if form_rules.needs_job(data.get("ptype", "")):
        names.append("job")
    return [*names, "self_intro", "resume"]


def _job_name(data: dict[str, Any], job_id: Any) -> str | None:
    return next((name for jid, name in data.get("jobs") or [] if jid == job_id), None)


def _shown(t: Texts, data: dict[str, Any], field: str) -> str:
    form = data.get("form") or {}
    value: Any = {
        "rrn": form.get("rrn_masked"),
        "education": form.get("education") and t(f"apply.edu.{form['education']}"),
        "job": _job_name(data, form.get("job_id")),
        "resume": form.get("resume_name"),
    }.get(field, form.get(field))
    return str(value) if value else t("apply.none")


# --- asking -------------------------------------------------------------------------------------


async def ask_field(message: Message, state: FSMContext, ctx: AppContext, t: Texts, field: str):
    data = await state.get_data()
    await state.set_state(FIELD_STATES[field])
    await state.update_data(field=field)
    rows: list[list[Button]] = []
    if field == "self_intro":
        text = t("apply.ask.self_intro", limit=t.number(form_rules.SELF_INTRO_LIMIT))
    elif field == "resume":
        required = data.get("resume_required")
        text = t("apply.ask.resume_required" if required else "apply.ask.resume_optional")
        if not required:
            rows.append([(t("apply.skip"), ApplyCB(action="skip", field="resume"))])
    else:
        text = t(f"apply.ask.{field}")
    if field == "education":
        codes = list(form_rules.EDUCATION)
        rows += [
            [(t(f"apply.edu.{c}"), ApplyCB(action="edu", field=field, value=c)) for c in pair]
            for pair in (codes[i : i + 2] for i in range(0, len(codes), 2))
        ]
    if field == "job":
        rows += [
            [(name, ApplyCB(action="job", field=field, value=str(jid)))]
            for jid, name in data.get("jobs") or []
        ]
    if data.get("form_done") and field not in ("rrn",) and (data.get("form") or {}):
        text += "\n" + t("apply.current", value=_shown(t, data, field))
    await send_step(message, state, text, inline([*rows, nav_row(t, back=True)]))


async def _next(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    data = await state.get_data()
    if data.get("form_done"):
        await show_summary(message, state, ctx, t)
        return
    names = fields(ctx, data)
    position = names.index(data["field"]) + 1
    if position < len(names):
        await ask_field(message, state, ctx, t, names[position])
    else:
        await state.update_data(form_done=True)
        await show_summary(message, state, ctx, t)


async def _save(state: FSMContext, **values: Any) -> None:
    data = await state.get_data()
    await state.update_data(form={**(data.get("form") or {}), **values})


async def after_eligibility(message: Message, state: FSMContext, ctx: AppContext, t: Texts):
    """Called by the eligibility result's "continue": the form (first time) or its summary."""
    data = await state.get_data()
    if data.get("form_done"):
        await show_summary(message, state, ctx, t)
        return
    try:
        card = await catalogue.program_card(ctx, data["program_id"])
        if card.closed_reason:
            raise DomainError(card.closed_reason)
    except DomainError as error:
        await state.clear()
        await message.answer(refusal_text(t, error))
        return
    await state.update_data(
        ptype=card.type,
        resume_required=card.resume_required,
        jobs=[[j.id, j.name] for j in card.open_jobs],
    )
    await message.answer(t("apply.start", program=card.name))
    await ask_field(message, state, ctx, t, fields(ctx, await state.get_data())[0])


async def begin_amend(
    message: Message, state: FSMContext, ctx: AppContext, t: Texts, actor: Actor, app_id: int
) -> None:
    """Open a held application's answers at the summary, to fix and resubmit."""
    pre = await applying.amend_form(ctx, actor, app_id)
    await state.set_state(Apply.summary)
    await state.set_data(
        {
            **pre,
            "mode": "amend",
            "app_id": app_id,
            "form_orig": dict(pre["form"]),
            "elig_orig": dict(pre["elig"]),
            "form_done": True,
        }
    )
    await show_summary(message, state, ctx, t)


async def show_summary(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    data = await state.get_data()
    await state.set_state(Apply.summary)
    program = data.get("program_name", "")
    if data.get("mode") == "amend":
        lines = [t("apply.amend_title", program=program, reason=data.get("reason") or "-")]
    else:
        lines = [t("apply.summary_title", program=program)]
    birth = form_rules.birth_date_of(data.get("elig") or {})
    names = fields(ctx, data)
    for field in names:
        value = _shown(t, data, field)
        if field == "name":  # the birth date comes from the eligibility answers
            lines.append(t("apply.line", field=t("apply.f.name"), value=value))
            value, field = t.date(birth), "birth_date"
        if field == "self_intro" and (intro := (data.get("form") or {}).get("self_intro")):
            cut = intro if len(intro) <= 200 else intro[:200] + "…"
            value = t(
                "apply.intro_preview",
                text=cut,
                used=len(intro),
                limit=t.number(form_rules.SELF_INTRO_LIMIT),
            )
            lines.append(t("apply.line", field=t("apply.f.self_intro"), value=Raw(value)))
            continue
        lines.append(t("apply.line", field=t(f"apply.f.{field}"), value=value))
    lines.append(t("apply.elig_ok"))
    lines.append(t("apply.summary_hint"))
    edit = [
        (
            t("apply.edit", field=t(f"apply.f.{f}")),
            ApplyCB(action="edit", field="summary", value=f),
        )
        for f in names
    ]
    rows: list[list[Button]] = [edit[i : i + 2] for i in range(0, len(edit), 2)]
    rows.append([(t("apply.edit_elig"), ApplyCB(action="elig", field="summary"))])
    submit = "apply.resubmit" if data.get("mode") == "amend" else "apply.submit"
    rows.append([(t(submit), ApplyCB(action="submit", field="summary"))])
    await send_step(message, state, "\n".join(lines), inline([*rows, nav_row(t)]))


# --- answers ------------------------------------------------------------------------------------


@router.message(Live(Apply.name, Apply.mobile, Apply.email), F.text, NOT_COMMAND)
async def text_field(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    field = (await state.get_data())["field"]
    try:
        value = TEXT_FIELDS[field](message.text or "")
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask_field(message, state, ctx, t, field)
        return
    await _save(state, **{field: value})
    await _next(message, state, ctx, t)


@router.message(Live(Apply.self_intro), F.text, NOT_COMMAND)
async def self_intro(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    try:
        text, used = form_rules.clean_self_intro(message.text or "")
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask_field(message, state, ctx, t, "self_intro")
        return
    await _save(state, self_intro=text)
    limit = t.number(form_rules.SELF_INTRO_LIMIT)
    await message.answer(t("apply.intro_saved", used=t.number(used), limit=limit))
    await _next(message, state, ctx, t)


@router.message(Live(Apply.rrn), F.text, NOT_COMMAND)
async def resident_number(
    message: Message, state: FSMContext, ctx: AppContext, t: Texts, actor: Actor
) -> None:
    # the number must not stay in the chat: delete first, then check (never echo it back)
    raw = message.text or ""
    deleted = True
    try:
        await message.delete()
    except TelegramBadRequest:
        deleted = False
    birth = form_rules.birth_date_of((await state.get_data()).get("elig") or {})
    try:
        sealed, masked = form_rules.seal_resident_number(ctx, actor, raw, birth)
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask_field(message, state, ctx, t, "rrn")
        return
    await _save(state, rrn_enc=sealed, rrn_masked=masked)
    await message.answer(
        t("apply.rrn_saved" if deleted else "apply.rrn_saved_delete", masked=masked)
    )
    await _next(message, state, ctx, t)


@router.callback_query(Live(Apply.education), ApplyCB.filter(F.action == "edu"))
async def education(
    query: CallbackQuery, callback_data: ApplyCB, state: FSMContext, ctx: AppContext, t: Texts
) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    if callback_data.value not in form_rules.EDUCATION:
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    await query.answer()
    await close_step(message, state, t(f"apply.edu.{callback_data.value}"))
    await _save(state, education=callback_data.value)
    await _next(message, state, ctx, t)


@router.callback_query(Live(Apply.job), ApplyCB.filter(F.action == "job"))
async def job(
    query: CallbackQuery, callback_data: ApplyCB, state: FSMContext, ctx: AppContext, t: Texts
) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    job_id = int(callback_data.value) if callback_data.value.isdigit() else None
    name = _job_name(await state.get_data(), job_id)
    if name is None:
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    await query.answer()
    await close_step(message, state, name)
    await _save(state, job_id=job_id)
    await _next(message, state, ctx, t)


@router.message(Live(Apply.resume), F.document)
async def resume(
    message: Message, state: FSMContext, ctx: AppContext, t: Texts, actor: Actor, bot: Bot
) -> None:
    document = message.document
    assert document is not None
    name = document.file_name or "resume"
    try:
        form_rules.check_resume(name, document.file_size)
        content = await bot.download(document)
        assert content is not None
        file_id = await applying.store_resume(ctx, actor, name, content.read(), document.file_id)
    except DomainError as error:
        await message.answer(refusal_text(t, error))
        await ask_field(message, state, ctx, t, "resume")
        return
    form = (await state.get_data()).get("form") or {}
    await applying.discard_resume(ctx, actor, form.get("resume_file_id"))
    await _save(state, resume_file_id=file_id, resume_name=name)
    await message.answer(t("apply.resume_saved", name=name))
    await _next(message, state, ctx, t)


@router.callback_query(Live(Apply.resume), ApplyCB.filter(F.action == "skip"))
async def skip_resume(
    query: CallbackQuery, state: FSMContext, ctx: AppContext, t: Texts, actor: Actor
) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    data = await state.get_data()
    if data.get("resume_required"):
        await query.answer(t("fallback.stale_button"), show_alert=True)
        return
    await query.answer()
    await close_step(message, state, t("apply.skip"))
    await applying.discard_resume(ctx, actor, (data.get("form") or {}).get("resume_file_id"))
    await _save(state, resume_file_id=None, resume_name="")
    await _next(message, state, ctx, t)


@router.callback_query(Live(*FIELD_STATES.values()), NavCB.filter(F.action == "back"))
async def back(query: CallbackQuery, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    await query.answer()
    await close_step(message, state)
    data = await state.get_data()
    if data.get("form_done"):
        await show_summary(message, state, ctx, t)
        return
    names = fields(ctx, data)
    position = names.index(data["field"]) if data.get("field") in names else 0
    if position == 0:
        await eligibility.show_result(message, state, ctx, t)
    else:
        await ask_field(message, state, ctx, t, names[position - 1])


@router.message(Live(*FIELD_STATES.values()), NOT_COMMAND)
async def field_bad_input(message: Message, state: FSMContext, ctx: AppContext, t: Texts) -> None:
    """Anything a step cannot take (text where a button is expected, a photo…): ask again."""
    field = (await state.get_data()).get("field", "name")
    hint = {
        "education": "apply.use_buttons",
        "job": "apply.use_buttons",
        "resume": "apply.send_file",
    }.get(field, "apply.text_please")
    await message.answer(t(hint))
    await ask_field(message, state, ctx, t, field)


# --- summary ------------------------------------------------------------------------------------


@router.callback_query(Live(Apply.summary), ApplyCB.filter(F.field == "summary"))
async def summary_action(
    query: CallbackQuery,
    callback_data: ApplyCB,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
    actor: Actor,
) -> None:
    message = await step_message(query, state, t)
    if message is None:
        return
    data = await state.get_data()
    action = callback_data.action
    if action == "edit" and callback_data.value in fields(ctx, data):
        await query.answer()
        await close_step(message, state)
        await ask_field(message, state, ctx, t, callback_data.value)
    elif action == "elig":
        await query.answer()
        await close_step(message, state)
        await eligibility.show_result(message, state, ctx, t)
    elif action == "submit":
        await query.answer()
        await _submit(message, state, ctx, t, actor, data)
    else:
        await query.answer(t("fallback.stale_button"), show_alert=True)


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    form, orig = data.get("form") or {}, data.get("form_orig") or {}
    keys = ("name", "mobile", "email", "education", "job_id", "self_intro", "resume_file_id")
    changes = {k: form.get(k) for k in keys if form.get(k) != orig.get(k)}
    if form.get("rrn_enc"):
        changes.update(rrn_enc=form["rrn_enc"], rrn_masked=form.get("rrn_masked"))
    if (data.get("elig") or {}) != (data.get("elig_orig") or {}):
        changes["elig"] = data.get("elig") or {}
    return changes


async def _submit(
    message: Message,
    state: FSMContext,
    ctx: AppContext,
    t: Texts,
    actor: Actor,
    data: dict[str, Any],
) -> None:
    program = data.get("program_name", "")
    try:
        if data.get("mode") == "amend":
            await applying.resubmit_application(ctx, actor, data["app_id"], _changes(data))
            text = t("apply.resubmitted", program=program)
        else:
            form = data.get("form") or {}
            app = await applying.submit_application(
                ctx, actor, data["program_id"], form, data.get("elig") or {}
            )
            text = t("apply.submitted", program=program, date=t.date(app.applied_on))
    except DomainError as error:
        await close_step(message, state)
        await message.answer(refusal_text(t, error))
        if error.code in FINAL_CODES:
            await state.clear()
        else:
            await show_summary(message, state, ctx, t)
        return
    await close_step(message, state)
    await state.clear()
    await message.answer(text)


@router.message(Live(Apply.summary), NOT_COMMAND)
async def summary_bad_input(message: Message, state: FSMContext, ctx: AppContext, t: Texts):
    await message.answer(t("apply.use_buttons"))
    await show_summary(message, state, ctx, t)
