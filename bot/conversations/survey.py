"""The satisfaction survey (만족도 조사) on the form engine — by the participant, or by staff on
their behalf (수기 작성).

The questions are data (``bot/domain/rules/survey.toml``): one step per question, in its order —
a scale (1–5 in one row of buttons; typing the number counts) or free text (an optional one
offers 건너뛰기) — then the summary (✏ 답 고치기 · ✅ 제출하기). Every answer is saved as it is
given, so /survey resumes at the first open question, also after a restart. One submission per
person and program. The entry points (/survey, the start buttons) are in
``bot/handlers/survey.py``.
"""

from __future__ import annotations

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.domain.survey import Survey, SurveyKind, SurveyQuestion
from bot.forms.spec import Answer, Finish, Flow, Option, Review, Step, Takes, Turn
from bot.services import survey
from bot.services.context import AppContext

SUBMITTED = "survey_submitted"  # the front end's closing screen (the certificate button)
SUMMARY_TEXT_LIMIT = 120
Value = int | str | None


class SurveyData(BaseModel):
    aid: int  # the application whose survey this is
    staff: bool = False  # entered by staff (수기 작성)
    program: str = ""
    participant: str = ""
    answers: dict[str, Value] = {}  # question key (survey.toml) → answer; None: skipped


def _store(turn: Turn[SurveyData], key: str, value: Value) -> None:
    turn.data.answers[key] = value


def _forget(turn: Turn[SurveyData], key: str) -> None:
    turn.data.answers.pop(key, None)


def _shown(turn: Turn[SurveyData], key: str) -> str:
    value = turn.data.answers.get(key)
    return turn.t("survey.skipped") if value is None else str(value)


async def _save(turn: Turn[SurveyData], key: str, value: object) -> Value:
    target = await survey.save_answer(turn.ctx, turn.actor, turn.data.aid, key, value)
    saved: Value = target.answers.get(key)
    return saved


def _question(definition: Survey, q: SurveyQuestion) -> Step:
    key = q.key

    def ask(turn: Turn[SurveyData]) -> str:
        if q.kind is SurveyKind.SCALE:
            hint = turn.t("survey.scale_hint", min=definition.scale_min, max=definition.scale_max)
        else:
            hint = turn.t("survey.text_hint", limit=q.max_chars)
        return turn.t(f"survey.q.{key}") + "\n" + hint

    def scale(turn: Turn[SurveyData]) -> list[Option]:
        current = turn.data.answers.get(key)
        return [Option(str(v), ("✓" if current == v else "") + str(v)) for v in definition.scale]

    async def parse(turn: Turn[SurveyData], answer: Answer) -> Value:
        if q.kind is SurveyKind.TEXT:
            return await _save(turn, key, answer.text or "")
        choice = answer.choice or ""
        if not choice.isdigit():
            raise DomainError(
                "survey.scale_range", min=definition.scale_min, max=definition.scale_max
            )
        return await _save(turn, key, int(choice))

    async def skip(turn: Turn[SurveyData]) -> None:
        _store(turn, key, await _save(turn, key, None))

    is_scale = q.kind is SurveyKind.SCALE
    return Step(
        key,
        ask,
        parse,
        f"survey.q_short.{key}",
        show=lambda turn: _shown(turn, key),
        options=scale if is_scale else None,
        one_row=is_scale,
        takes=frozenset() if is_scale else frozenset({Takes.TEXT}),
        wrong_input="survey.use_buttons" if is_scale else "forms.text_please",
        skip=None if q.required else "survey.skip",
        on_skip=None if q.required else skip,
        store=_store,
        forget=_forget,
    )


def _summary(turn: Turn[SurveyData]) -> str:
    t = turn.t
    lines = [t("survey.review_title")]
    for n, q in enumerate(survey.survey().questions, start=1):
        shown = _shown(turn, q.key)
        if len(shown) > SUMMARY_TEXT_LIMIT:
            shown = shown[:SUMMARY_TEXT_LIMIT] + "…"
        lines.append(t("survey.review_line", n=n, text=t(f"survey.q_short.{q.key}"), value=shown))
    return "\n".join(lines)


async def _submit(turn: Turn[SurveyData]) -> Finish:
    target = await survey.submit(turn.ctx, turn.actor, turn.data.aid)
    if turn.data.staff:
        return Finish(
            turn.t(
                "survey.submitted_staff",
                name=target.participant_name,
                program=target.program_name,
            )
        )
    return Finish("", exit=SUBMITTED)  # the closing message offers the certificate


def flow(ctx: AppContext) -> Flow:
    definition = survey.survey()
    return Flow(
        name="survey",
        model=SurveyData,
        items=(
            *(_question(definition, q) for q in definition.questions),
            Review(
                "summary",
                _summary,
                sections=("main",),
                edit="picker",
                edit_label="survey.edit",
                finish=_submit,
                finish_label=lambda turn: turn.t("survey.submit"),
                hint="survey.review_question",
            ),
        ),
        progress={"main": "survey.progress"},
        fatal=frozenset({"survey.already_submitted", "survey.not_found", "survey.not_completed"}),
    )
