"""/offline (개별 신청): staff enter a paper application for a participant; it lands 인증.

The participant's own flows, composed: the program and its job, the person as staff type them
from the paper (the application form's name, resident number and mobile steps — the mobile
without Telegram's share-contact button, since it is someone else's number, and skippable), the
application date, the eligibility questions (``eligibility.py``, in staff's wording and checked
as of the application date, stopping at the first settled failure) and their result, the
education step, the paper consent, and the summary, which registers. Only the differences are
declared here. The participant can later open ``/start link_<token>`` (``offline_link.py``).

| step         | from                     | differs                                          |
|--------------|--------------------------|--------------------------------------------------|
| program      | staff only               | the agency's open programs (buttons)             |
| job_id       | application              | asked first, when the program has jobs           |
| name         | application              | 참여자의 성명                                      |
| rrn          | application              | sealed for this staff member until registering   |
| mobile       | application              | no share-contact button; 「건너뛰기」               |
| applied_on   | staff only               | 신청일 (typed date, not in the future) or 「오늘」  |
| <questions>  | eligibility              | ``offline.q.*`` wording, the application date    |
| result       | eligibility              | no 「다른 프로그램 보기」, no form intro            |
| education    | application              | —                                                |
| consent      | staff only               | 「서면 동의서를 받았습니다」                         |
| summary      | staff only               | 「등록」 → registered, the link                    |
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import BaseModel

from bot.conversations import application, eligibility
from bot.domain.errors import DomainError
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Finish, Flow, Option, Review, Step, Takes, Turn
from bot.services import form_rules, offline
from bot.services.context import AppContext

REGISTERED = "offline_registered"  # the front end's closing screen: the one-time link
FINAL_CODES = {"offline.program", "access.agency", "access.denied"}


class OfflineData(BaseModel):
    program_id: int = 0
    program_name: str = ""
    ptype: str = ""
    jobs: list[tuple[int, str]] = []
    job_id: int | None = None
    name: str = ""
    rrn_enc: str = ""  # sealed (offline.seal_resident_number), never the number itself
    rrn_masked: str = ""
    mobile: str = ""
    applied_on: str = ""  # ISO date
    elig: dict[str, Any] = {}
    education: str = ""  # a form_rules.EDUCATION code
    consent: bool = False
    app_id: int = 0  # once registered
    link_token: str = ""


def _applied_on(data: OfflineData) -> date | None:
    return date.fromisoformat(data.applied_on) if data.applied_on else None


VOICE = eligibility.Voice(
    question="offline.q",
    yes="staff.yes",
    no="staff.no",
    unknown="review.answer_unknown",
    ok="offline.eligible",
    fail="offline.not_eligible",
    answers_title="offline.answers_title",
    on=_applied_on,
)


def _type(turn: Turn[OfflineData], ptype: str) -> str:
    key = f"offline.type.{ptype}"
    return f" ({turn.t(key)})" if turn.t.has(key) else ""


async def _programs(turn: Turn[OfflineData]) -> list[Option]:
    found = await offline.programs(turn.ctx, turn.actor)
    return [Option(str(p.id), p.name + _type(turn, p.type)) for p in found]


async def _program(turn: Turn[OfflineData], answer: Answer) -> tuple[Any, ...]:
    wanted = answer.choice or ""
    found = await offline.programs(turn.ctx, turn.actor)
    program = next((p for p in found if str(p.id) == wanted), None)
    if program is None:
        raise DomainError("offline.program")
    jobs = await offline.jobs(turn.ctx, turn.actor, program.id)
    return program.id, program.name, program.type, [(j.id, j.name) for j in jobs]


def _store_program(turn: Turn[OfflineData], _: str, value: Any) -> None:
    data = turn.data
    data.program_id, data.program_name, data.ptype, data.jobs = value


def _forget_program(turn: Turn[OfflineData], _: str) -> None:
    data = turn.data
    data.program_id, data.program_name, data.ptype, data.jobs = 0, "", "", []


def _seal(turn: Turn[OfflineData], answer: Answer) -> tuple[str, str]:
    birth = form_rules.birth_date_of(turn.data.elig)
    sealed, masked = offline.seal_resident_number(turn.ctx, turn.actor, answer.text or "", birth)
    turn.say(
        turn.t("apply.rrn_saved" if answer.erased else "apply.rrn_saved_delete", masked=masked)
    )
    return sealed, masked


def _date(turn: Turn[OfflineData], answer: Answer) -> str:
    today = turn.ctx.today()
    if answer.choice == "today":
        return today.isoformat()
    return offline.clean_applied_on(answer.text or "", today).isoformat()


def _ask(key: str) -> Any:
    return lambda turn: turn.t(f"offline.ask_{key}", program=turn.data.program_name)


def _staff_steps(ctx: AppContext) -> dict[str, Step]:
    """The application form's steps, as staff type them for someone else."""
    form = {s.key: s for s in application.form_steps(ctx)}
    person = "person"
    steps = {
        "job_id": replace(
            form["job_id"], ask=_ask("job"), when=lambda data: bool(data.jobs), section=person
        ),
        "name": replace(form["name"], ask=_ask("name"), section=person),
        "mobile": replace(
            form["mobile"],
            ask=_ask("mobile"),
            takes=frozenset({Takes.TEXT}),
            contact_button=False,
            skip="offline.skip",
            section=person,
        ),
        "education": form["education"],
    }
    if "rrn" in form:  # (when the rules collect it) after the birth date, to match it
        steps["rrn"] = replace(form["rrn"], ask=_ask("rrn"), parse=_seal)
    return steps


def _summary(turn: Turn[OfflineData], shown: list[Step]) -> str:
    t, data = turn.t, turn.data
    lines = [t("offline.summary_title")]
    for step in shown:
        if step.applies(data):
            value = (step.show(turn) if step.show else getattr(data, step.key)) or "-"
            lines.append(t("apply.line", field=t(step.label), value=value))
        if step.key == "name":  # the birth date comes from the eligibility answers
            birth = t.date(form_rules.birth_date_of(data.elig))
            lines.append(t("apply.line", field=t("apply.f.birth_date"), value=birth))
    lines += [t("offline.summary_consent"), t("offline.elig_ok")]
    return "\n".join(lines)


async def _register(turn: Turn[OfflineData]) -> Finish:
    t, data = turn.t, turn.data
    form = {
        **data.model_dump(include={"program_id", "job_id", "name", "applied_on", "consent"}),
        **data.model_dump(include={"rrn_enc", "rrn_masked"}),
        "mobile": data.mobile or None,
        "education": form_rules.education_value(data.education),
        "answers": data.elig,
    }
    try:
        registered = await offline.register(turn.ctx, turn.actor, form)
    except DomainError as error:
        return Finish(refusal(t, error), end=error.code in FINAL_CODES)
    data.app_id, data.link_token = registered.app_id, registered.link_token
    return Finish("", exit=REGISTERED)  # the front end shows the number and the link


def flow(ctx: AppContext) -> Flow:
    staff = _staff_steps(ctx)
    person = "person"
    program = Step(
        "program",
        lambda turn: turn.t("offline.ask_program"),
        _program,
        "offline.f.program",
        show=lambda turn: turn.data.program_name,
        options=_programs,
        takes=frozenset(),
        resets=("job_id",),
        store=_store_program,
        forget=_forget_program,
        wrong_input="offline.use_buttons",
        section=person,
    )
    applied_on = Step(
        "applied_on",
        _ask("applied_on"),
        _date,
        "offline.f.applied_on",
        options=lambda turn: [
            Option("today", turn.t("offline.today", date=turn.t.date(turn.ctx.today())))
        ],
        section=person,
    )
    consent = Step(
        "consent",
        _ask("consent"),
        lambda turn, answer: True,
        "offline.f.consent",
        options=lambda turn: [Option("1", turn.t("offline.consent_yes"))],
        takes=frozenset(),
        wrong_input="offline.use_buttons",
        section="consent",
    )
    result = replace(
        eligibility.result_review(VOICE), proceed="offline.continue", on_proceed=None, exits=()
    )
    form = [step for key in ("rrn", "education") if (step := staff.get(key))]
    head = [program, staff["job_id"], staff["name"], staff["mobile"], applied_on]
    shown = [*head, *form]
    summary = Review(
        key="summary",
        text=lambda turn: _summary(turn, shown),
        sections=(person, "form"),
        jumps=(("apply.edit_elig", "result"),),
        finish=_register,
        finish_label=lambda turn: turn.t("offline.register"),
        hint="offline.summary_hint",
    )
    return Flow(
        name="offline",
        model=OfflineData,
        items=(*head, *eligibility.steps(ctx, VOICE), result, *form, consent, summary),
        progress={"elig": "elig.progress"},
        stop=eligibility.stop_rule(VOICE),
    )
