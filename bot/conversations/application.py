"""The application flow (참여신청) for one program: the eligibility check (``eligibility.py``:
the year's questions, stopping at a settled failure, then the result review), the form (name,
resident number when the rules say so, mobile — typed or shared — email, education, the job of
a project program, self-introduction, résumé) and the summary, which submits (인증대기). Also the
amend flow of a held (보류) application: the same flow started complete, at the summary.
The declaration below is the flow's table: ``flow()`` lists its items in order."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from bot.conversations import eligibility
from bot.domain.errors import DomainError
from bot.forms.screens import refusal
from bot.forms.spec import Answer, Finish, Flow, Option, Review, Step, Takes, Turn
from bot.i18n import Raw
from bot.services import applying, form_rules
from bot.services.catalogue import ProgramCard
from bot.services.context import AppContext
from bot.services.identity import Actor

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
FORM_KEYS = ("name", "mobile", "email", "education", "job_id", "self_intro", "resume_file_id")


class ApplicationData(BaseModel):
    program_id: int
    program_name: str = ""
    ptype: str = ""
    resume_required: bool = False
    jobs: list[tuple[int, str]] = []
    elig: dict[str, Any] = {}  # question key → ISO date / bool / int / None
    started: bool = False  # the form's intro was shown
    name: str = ""
    rrn_enc: str = ""
    rrn_masked: str = ""
    mobile: str = ""
    email: str = ""
    education: str = ""  # a form_rules.EDUCATION code
    job_id: int | None = None
    self_intro: str = ""
    resume_file_id: int | None = None
    resume_name: str = ""
    mode: Literal["new", "amend"] = "new"
    app_id: int | None = None
    reason: str = ""
    form_orig: dict[str, Any] = {}
    elig_orig: dict[str, Any] = {}

    def form(self) -> dict[str, Any]:
        return self.model_dump(include={*FORM_KEYS, "rrn_enc", "rrn_masked", "resume_name"})


def _text(clean: Any) -> Any:
    return lambda turn, answer: clean(answer.text or "")


def _seal(turn: Turn[ApplicationData], answer: Answer) -> tuple[str, str]:
    birth = form_rules.birth_date_of(turn.data.elig)
    sealed, masked = form_rules.seal_resident_number(
        turn.ctx, turn.actor, answer.text or "", birth
    )
    turn.say(
        turn.t("apply.rrn_saved" if answer.erased else "apply.rrn_saved_delete", masked=masked)
    )
    return sealed, masked


def _store_rrn(turn: Turn[ApplicationData], _: str, value: Any) -> None:
    turn.data.rrn_enc, turn.data.rrn_masked = value


def _forget_rrn(turn: Turn[ApplicationData], _: str) -> None:
    turn.data.rrn_enc = turn.data.rrn_masked = ""


def _education(turn: Turn[ApplicationData]) -> list[Option]:
    return [Option(code, turn.t(f"apply.edu.{code}")) for code in form_rules.EDUCATION]


def _choice(turn: Turn[ApplicationData], answer: Answer) -> str:
    if answer.choice not in form_rules.EDUCATION:
        raise DomainError("apply.missing", field="education")
    return answer.choice


def _jobs(turn: Turn[ApplicationData]) -> list[Option]:
    return [Option(str(jid), name) for jid, name in turn.data.jobs]


def _job_name(data: ApplicationData) -> str | None:
    return next((name for jid, name in data.jobs if jid == data.job_id), None)


def _job(turn: Turn[ApplicationData], answer: Answer) -> int:
    job_id = int(answer.choice or "") if (answer.choice or "").isdigit() else None
    if job_id not in {jid for jid, _ in turn.data.jobs}:
        raise DomainError("apply.job")
    return int(answer.choice or 0)


def _intro(turn: Turn[ApplicationData], answer: Answer) -> str:
    text, used = form_rules.clean_self_intro(answer.text or "")
    limit = turn.t.number(form_rules.SELF_INTRO_LIMIT)
    turn.say(turn.t("apply.intro_saved", used=turn.t.number(used), limit=limit))
    return text


async def _resume(turn: Turn[ApplicationData], answer: Answer) -> tuple[int, str]:
    ref = answer.file
    assert ref is not None
    name = ref.name or "resume"
    form_rules.check_resume(name, ref.size)
    content = await turn.files.read(ref)
    file_id = await applying.store_resume(turn.ctx, turn.actor, name, content, ref.id)
    await applying.discard_resume(turn.ctx, turn.actor, turn.data.resume_file_id)
    turn.say(turn.t("apply.resume_saved", name=name))
    return file_id, name


def _store_resume(turn: Turn[ApplicationData], _: str, value: Any) -> None:
    turn.data.resume_file_id, turn.data.resume_name = value


async def _skip_resume(turn: Turn[ApplicationData]) -> None:
    await applying.discard_resume(turn.ctx, turn.actor, turn.data.resume_file_id)
    turn.data.resume_file_id, turn.data.resume_name = None, ""


def _ask(key: str) -> Any:
    return lambda turn: turn.t(f"apply.ask.{key}")


def form_steps(ctx: AppContext) -> list[Step]:
    return list(_form_steps_for(form_rules.collects_resident_number(ctx)))


@cache
def _form_steps_for(with_rrn: bool) -> tuple[Step, ...]:  # built once, not per update
    t = "form"
    steps = [
        Step("name", _ask("name"), _text(form_rules.clean_name), "apply.f.name", section=t),
        Step(
            "rrn",
            _ask("rrn"),
            _seal,
            "apply.f.rrn",
            show=lambda turn: turn.data.rrn_masked,
            store=_store_rrn,
            forget=_forget_rrn,
            secret=True,
            section=t,
        ),
        Step(
            "mobile",
            _ask("mobile"),
            _text(form_rules.clean_mobile),
            "apply.f.mobile",
            takes=frozenset({Takes.TEXT, Takes.CONTACT}),
            contact_button=True,
            section=t,
        ),
        Step("email", _ask("email"), _text(form_rules.clean_email), "apply.f.email", section=t),
        Step(
            "education",
            _ask("education"),
            _choice,
            "apply.f.education",
            show=lambda turn: turn.data.education and turn.t(f"apply.edu.{turn.data.education}"),
            options=_education,
            takes=frozenset(),
            wrong_input="apply.use_buttons",
            section=t,
        ),
        Step(
            "job_id",
            _ask("job"),
            _job,
            "apply.f.job",
            show=lambda turn: _job_name(turn.data) or "",
            options=_jobs,
            takes=frozenset(),
            when=lambda data: form_rules.needs_job(data.ptype),
            wrong_input="apply.use_buttons",
            section=t,
        ),
        Step(
            "self_intro",
            lambda turn: turn.t(
                "apply.ask.self_intro", limit=turn.t.number(form_rules.SELF_INTRO_LIMIT)
            ),
            _intro,
            "apply.f.self_intro",
            section=t,
        ),
        Step(
            "resume",
            lambda turn: turn.t(
                "apply.ask.resume_required"
                if turn.data.resume_required
                else "apply.ask.resume_optional"
            ),
            _resume,
            "apply.f.resume",
            show=lambda turn: turn.data.resume_name,
            takes=frozenset({Takes.FILE}),
            skip="apply.skip",
            skippable=lambda data: not data.resume_required,
            on_skip=_skip_resume,
            store=_store_resume,
            forget=lambda turn, _: None,
            wrong_input="apply.send_file",
            section=t,
        ),
    ]
    return tuple(s for s in steps if with_rrn or s.key != "rrn")


def _summary(turn: Turn[ApplicationData], steps: list[Step]) -> str:
    t, data = turn.t, turn.data
    if data.mode == "amend":
        lines = [t("apply.amend_title", program=data.program_name, reason=data.reason or "-")]
    else:
        lines = [t("apply.summary_title", program=data.program_name)]
    for step in steps:
        if not step.applies(data):
            continue
        value = (step.show(turn) if step.show else getattr(data, step.key)) or t("apply.none")
        if step.key == "self_intro" and data.self_intro:
            intro = data.self_intro
            cut = intro if len(intro) <= 200 else intro[:200] + "…"
            limit = t.number(form_rules.SELF_INTRO_LIMIT)
            value = Raw(t("apply.intro_preview", text=cut, used=len(intro), limit=limit))
        lines.append(t("apply.line", field=t(step.label), value=value))
        if step.key == "name":  # the birth date comes from the eligibility answers
            birth = t.date(form_rules.birth_date_of(data.elig))
            lines.append(t("apply.line", field=t("apply.f.birth_date"), value=birth))
    return "\n".join([*lines, t("apply.elig_ok")])


def _changes(data: ApplicationData) -> dict[str, Any]:
    form, orig = data.form(), data.form_orig
    changes = {k: form.get(k) for k in FORM_KEYS if form.get(k) != orig.get(k)}
    if data.rrn_enc:
        changes.update(rrn_enc=data.rrn_enc, rrn_masked=data.rrn_masked)
    if data.elig != data.elig_orig:
        changes["elig"] = data.elig
    return changes


async def _submit(turn: Turn[ApplicationData]) -> Finish:
    t, data, ctx, actor = turn.t, turn.data, turn.ctx, turn.actor
    try:
        if data.mode == "amend" and data.app_id is not None:
            await applying.resubmit_application(ctx, actor, data.app_id, _changes(data))
            return Finish(t("apply.resubmitted", program=data.program_name, id=data.app_id))
        app = await applying.submit_application(
            ctx, actor, data.program_id, data.form(), data.elig
        )
    except DomainError as error:
        return Finish(refusal(t, error), end=error.code in FINAL_CODES)
    return Finish(
        t("apply.submitted", program=data.program_name, id=app.id, date=t.date(app.applied_on))
    )


def flow(ctx: AppContext) -> Flow:
    form = form_steps(ctx)
    summary = Review(
        key="summary",
        text=lambda turn: _summary(turn, form),
        sections=("form",),
        jumps=(("apply.edit_elig", "result"),),
        finish=_submit,
        hint="apply.summary_hint",
        finish_label=lambda turn: turn.t(
            "apply.resubmit" if turn.data.mode == "amend" else "apply.submit"
        ),
    )
    return Flow(
        name="apply",
        model=ApplicationData,
        items=(*eligibility.steps(ctx), eligibility.result_review(), *form, summary),
        progress={"elig": "elig.progress", "form": "apply.progress"},
        stop=eligibility.stop,
        stop_exits=(eligibility.TO_PROGRAMS,),
    )


def new_data(card: ProgramCard) -> ApplicationData:
    return ApplicationData(
        program_id=card.id,
        program_name=card.name,
        ptype=card.type,
        resume_required=card.resume_required,
        jobs=[(j.id, j.name) for j in card.open_jobs],
    )


async def amend_data(ctx: AppContext, actor: Actor, app_id: int) -> ApplicationData:
    """A held application's answers, to fix and resubmit (the flow starts at the summary)."""
    pre = await applying.amend_form(ctx, actor, app_id)
    form = pre.pop("form")
    data = ApplicationData(**pre, **form, mode="amend", app_id=app_id, started=True)
    data.form_orig, data.elig_orig = data.form(), dict(data.elig)
    return data
