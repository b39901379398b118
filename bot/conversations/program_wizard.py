"""The program registration wizard (§ 프로그램등록) on the form engine: one step per field of
the field table (``bot.services.program_fields.FIELDS``, in its order), then a review of every
field. The declaration is ``flow()``; the field table says what is asked, when and how it is
checked.

- type, then the name: the draft exists from here on (임시저장), every later answer is saved at
  once, so a draft can be resumed from /myprograms — which asks every step not answered yet
  (``program_fields.unanswered_fields``), optional ones included, in this order;
- the fields of the 프로젝트형 and of 사전직무교육 are asked only when they apply;
- optional fields have 건너뛰기; 「우리 기관 정보로 채우기」 fills the 운영기관 block at once;
- the review shows every field, the fixed 수시모집 / 노출 included; ✏️ 항목 수정 lists them
  (the program screen's ✏️ 항목 수정 opens that list), ✅ 입력 완료 goes to the program screen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from bot.conversations.program_labels import bool_label, field_label, fit_lines, show_value
from bot.domain.errors import DomainError
from bot.forms.screens import refusal
from bot.forms.spec import Again, Answer, Finish, Flow, Option, Review, Step, Takes, Turn
from bot.i18n import Raw
from bot.services import program_registry
from bot.services.context import AppContext
from bot.services.program_fields import (
    ALL_TYPES,
    CONTACT_BLOCK,
    FIELDS,
    PROGRAM_TYPES,
    REGIONS,
    FieldSpec,
    applies,
    parse_field,
)
from bot.storage.models import Program

PROGRAM = "program"  # the program screen (bot/conversations/program_views.py)
FATAL = frozenset({"roster.locked", "progreg.closed", "access.agency", "access.denied"})
BUTTONS = ("type", "region", "bool")  # kinds answered with a button


class ProgramData(BaseModel):
    """The program as the wizard knows it (every answer is saved to the program at once)."""

    pid: int | None = None  # None until the name is given (then the draft exists)
    status: str = "draft"
    type: str = ""
    name: str = ""
    total_recruitment: int | None = None
    period_start: date | None = None
    period_end: date | None = None
    schedule: str | None = None
    weekly_hours: int | None = None
    allowance: str | None = None
    job_description: str | None = None
    mentoring: str | None = None
    completion_benefit: str | None = None
    proposal_text: str | None = None
    work_address: str | None = None
    region: str | None = None
    selection_criteria: str | None = None
    resume_required: bool | None = None
    training_required: bool | None = None
    training_institution: str | None = None
    training_contact: str | None = None
    training_email: str | None = None
    training_phone: str | None = None
    training_start: date | None = None
    training_content: str | None = None
    training_homepage: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_fax: str | None = None
    contact_homepage: str | None = None
    internal_notes: str | None = None


def data_of(program: Program) -> ProgramData:
    values = {spec.name: getattr(program, spec.name) for spec in FIELDS}
    return ProgramData(pid=program.id, status=program.status, **values)


# --- one field ---------------------------------------------------------------------------


def _ask(spec: FieldSpec) -> Any:
    def ask(turn: Turn[ProgramData]) -> str:
        t, data = turn.t, turn.data
        params: dict[str, Any] = {}
        if spec.byte_limit is not None:
            params = {"limit": spec.byte_limit, "mode": turn.ctx.settings.byte_mode.upper()}
        parts = [t(f"progreg.ask.{spec.name}", **params)]
        if data.status == "approved":
            parts.insert(0, t("progreg.edit_after_approval"))
        if spec.name == "name" and data.pid is None:
            parts.append(t("progreg.draft_hint"))
        return "\n\n".join(parts)

    return ask


def _options(spec: FieldSpec) -> Any:
    def options(turn: Turn[ProgramData]) -> list[Option]:
        t = turn.t
        if spec.kind == "type":
            return [Option(pt, t(f"progreg.type.{pt}")) for pt in PROGRAM_TYPES]
        if spec.kind == "region":
            return [Option(region, region) for region in REGIONS]
        if spec.kind == "bool":
            return [Option(v, bool_label(t, spec.name, v == "1")) for v in ("1", "0")]
        if spec.name == "contact_name":
            return [Option("@agency", t("progreg.use_agency"))]
        return []

    return options


async def _agency_contact(turn: Turn[ProgramData]) -> Any:
    """「우리 기관 정보로 채우기」: the 운영기관 block from the agency record, all at once."""
    data, t = turn.data, turn.t
    assert data.pid is not None
    try:
        await program_registry.use_agency_contact(turn.ctx, turn.actor, data.pid)
    except DomainError as error:
        if error.code in FATAL:
            raise
        turn.say(refusal(t, error) + "\n" + t("progreg.agency_contact_manual"))
        raise Again from None
    program = (await program_registry.get_details(turn.ctx, turn.actor, data.pid)).program
    for name in CONTACT_BLOCK:
        setattr(data, name, getattr(program, name))
    turn.fill(*CONTACT_BLOCK)
    turn.say(t("progreg.agency_contact_used"))
    return program.contact_name


def _parse(spec: FieldSpec) -> Any:
    async def parse(turn: Turn[ProgramData], answer: Answer) -> Any:
        data, ctx, actor = turn.data, turn.ctx, turn.actor
        if answer.choice == "@agency":
            return await _agency_contact(turn)
        raw = answer.choice if answer.choice is not None else (answer.text or "")
        if data.pid is not None:
            return await program_registry.set_field(ctx, actor, data.pid, spec.name, raw)
        value = parse_field(spec, raw, ctx.settings.byte_mode)
        if spec.name == "name":  # 임시저장: the draft exists from here on
            data.pid = await program_registry.create_draft(ctx, actor, data.type, value)
            turn.say(turn.t("progreg.draft_saved"))
        return value

    return parse


def _clear(spec: FieldSpec) -> Any:
    async def clear(turn: Turn[ProgramData]) -> None:
        assert turn.data.pid is not None
        await program_registry.set_field(turn.ctx, turn.actor, turn.data.pid, spec.name, None)
        setattr(turn.data, spec.name, None)

    return clear


def _when(spec: FieldSpec) -> Any:
    if spec.types == ALL_TYPES and not spec.training:
        return None
    return lambda data: applies(spec, data.type, data.training_required)


def _step(spec: FieldSpec) -> Step:
    button = spec.kind in BUTTONS
    return Step(
        spec.name,
        _ask(spec),
        _parse(spec),
        f"progreg.field.{spec.name}",
        show=lambda turn: show_value(turn.t, spec.name, getattr(turn.data, spec.name)),
        options=_options(spec) if button or spec.name == "contact_name" else None,
        takes=frozenset() if button else frozenset({Takes.TEXT}),
        when=_when(spec),
        skip=None if spec.required else "progreg.skip",
        on_skip=None if spec.required else _clear(spec),
        wrong_input="progreg.use_buttons" if button else "progreg.text_please",
    )


# --- the review --------------------------------------------------------------------------


def summary(turn: Turn[ProgramData]) -> str:
    """Every field that applies, with its value — the fixed ones and the defaults too."""
    t, data = turn.t, turn.data
    lines = [t("progreg.review_title", name=data.name), t("progreg.summary_fixed")]
    for spec in FIELDS:
        if spec.name != "name" and applies(spec, data.type, data.training_required):
            value = show_value(t, spec.name, getattr(data, spec.name))
            label = Raw(field_label(t, spec.name))
            lines.append(t("progreg.summary_line", label=label, value=value))
    return fit_lines(lines)


async def _done(turn: Turn[ProgramData]) -> Finish:
    return Finish(turn.t("progreg.linear_done"), exit=PROGRAM)


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="program",
        model=ProgramData,
        items=(
            *(_step(spec) for spec in FIELDS),
            Review(
                "summary",
                summary,
                sections=("main",),
                edit="picker",
                edit_label="progreg.btn_fields",
                pick_text="progreg.pick",
                finish=_done,
                finish_label=lambda turn: turn.t("progreg.btn_done"),
            ),
        ),
        progress={"main": "progreg.progress"},
        fatal=FATAL,
    )
