"""The eligibility check (참여자격 확인: form 101 + the year's rules) — the first section of the
application flow (``application.py``).

One step per question of ``bot/domain/rules/<year>.toml``, in its order, worded by
``elig.q.<key>``; a question with ``ask_if`` is a follow-up, asked only after "yes" and numbered
with its parent (질문 3/12 · 추가 질문), so the total stays put. The check stops at the first
answer that settles a failure (an age outside 15–34, insured work of 30 h a week or more, …):
it names the rule and offers to change that answer. All answered → the result review
(continue to the form, or change an answer).

| step       | input                                            | stored in ``data.elig``      |
|------------|--------------------------------------------------|------------------------------|
| yes / no   | 예 · 아니요 (· 잘 모르겠어요) — button or typed  | True / False / None          |
| number     | 0–3 buttons or a typed number in range           | int                          |
| date       | 2001-03-15 · 2001.03.15 · 2001/3/15 · 20010315 · 2001년 3월 15일 | ISO date   |

The same steps serve staff entering a paper application (``offline_application.py``): a
:class:`Voice` says whose check it is — the questions' wording, the answer buttons, the result's
words and the date the rules apply on. The participant's own is :data:`OWN`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.eligibility import DECIDED_BY, EligibilityQuestion, QuestionKind, YearRules
from bot.domain.errors import DomainError
from bot.forms.spec import Answer, Exit, Option, Review, Step, Stop, Takes, Turn
from bot.services import form_rules

TO_PROGRAMS = Exit("elig.to_programs", "programs")


def _today(data: Any) -> date | None:
    return None


@dataclass(frozen=True)
class Voice:
    """Whose check it is: locale keys of its wording, and the date its rules apply on."""

    question: str = "elig.q"  # prefix of the questions' texts (elig.q.<key>)
    yes: str = "elig.a.yes"
    no: str = "elig.a.no"
    unknown: str = "elig.a.unknown"
    ok: str = "elig.result_ok"
    fail: str = "elig.result_fail"
    answers_title: str = "elig.answers_title"
    on: Callable[[Any], date | None] = _today  # over the data; None: today


OWN = Voice()  # the participant's own check


def answer_label(t: Any, question: EligibilityQuestion, value: Any, voice: Voice = OWN) -> str:
    if question.kind is QuestionKind.YES_NO:
        return str(t({True: voice.yes, False: voice.no, None: voice.unknown}[value]))
    if question.kind is QuestionKind.NUMBER:
        return str(t.number(value))
    return str(value)


def _step(question: EligibilityQuestion, voice: Voice) -> Step:
    key, kind = question.key, question.kind

    def options(turn: Turn[Any]) -> list[Option]:
        t = turn.t
        if kind is QuestionKind.YES_NO:
            shown = [Option("1", t(voice.yes)), Option("0", t(voice.no))]
            return shown + ([Option("?", t(voice.unknown))] if question.allow_unknown else [])
        if kind is QuestionKind.NUMBER and question.max is not None and question.max <= 20:
            low = question.min or 0
            return [Option(str(n), str(n)) for n in range(low, low + 4)]
        return []

    def parse(turn: Turn[Any], answer: Answer) -> Any:
        if kind is QuestionKind.YES_NO:
            if answer.choice not in {"1", "0", "?"}:
                raise DomainError("elig.answer_invalid", key=key, kind=kind.value)
            return {"1": True, "0": False, "?": None}[answer.choice]
        return form_rules.parse_answer(question, answer.choice or answer.text or "")

    def store(turn: Turn[Any], _: str, value: Any) -> None:
        turn.data.elig[key] = value

    def forget(turn: Turn[Any], _: str) -> None:
        turn.data.elig.pop(key, None)

    condition = question.ask_if
    return Step(
        key=key,
        ask=lambda turn: turn.t(f"{voice.question}.{key}"),
        parse=parse,
        label=f"elig.short.{key}",
        show=lambda turn: answer_label(turn.t, question, turn.data.elig.get(key), voice),
        options=options,
        takes=frozenset() if kind is QuestionKind.YES_NO else frozenset({Takes.TEXT}),
        when=(lambda data: data.elig.get(condition) is True) if condition else None,
        follows=condition,
        store=store,
        forget=forget,
        section="elig",
        wrong_input="elig.use_buttons" if kind is QuestionKind.YES_NO else "elig.text_please",
    )


# the steps of a rules object in a voice (rules are cached and immutable): built once, not per
# update
_STEPS: dict[tuple[int, Voice], tuple[YearRules, tuple[Step, ...]]] = {}


def steps(ctx: Any, voice: Voice = OWN) -> list[Step]:
    rules = form_rules.year_rules(ctx)
    key = (id(rules), voice)
    hit = _STEPS.get(key)
    if hit is None or hit[0] is not rules:
        hit = _STEPS[key] = (rules, tuple(_step(q, voice) for q in rules.questions))
    return list(hit[1])


def _answer_lines(turn: Turn[Any], keys: list[str], voice: Voice) -> list[str]:
    rules = form_rules.year_rules(turn.ctx)
    answers = turn.data.elig
    return [
        turn.t(
            "elig.answer_line",
            question=turn.t(f"elig.short.{key}"),
            answer=answer_label(turn.t, rules.question(key), answers.get(key), voice),
        )
        for key in keys
        if key in answers
    ]


def stop_rule(voice: Voice = OWN) -> Callable[[Turn[Any]], Stop | None]:
    def stop(turn: Turn[Any]) -> Stop | None:
        """The first settled failure: which rule, the answers it rests on, how to change them."""
        elig = turn.data.elig
        failures = form_rules.settled_failures(turn.ctx, elig, voice.on(turn.data))
        if not failures:
            return None
        t = turn.t
        keys = [k for f in failures for k in DECIDED_BY.get(f.code, ()) if k in elig]
        lines = [t("elig.result_title", program=turn.data.program_name), t(voice.fail)]
        lines += ["❌ " + t(f.code, **f.params) for f in failures]
        lines += [t("elig.stop_answers"), *_answer_lines(turn, keys, voice), t("elig.stop_hint")]
        return Stop("\n".join(lines), tuple(dict.fromkeys(keys)))

    return stop


stop = stop_rule()


def _result(turn: Turn[Any], voice: Voice) -> str:
    t = turn.t
    result = form_rules.check_eligibility(turn.ctx, turn.data.elig, voice.on(turn.data))
    lines = [t("elig.result_title", program=turn.data.program_name)]
    if result.eligible:
        lines.append(t(voice.ok))
    else:
        lines.append(t(voice.fail))
        lines += ["❌ " + t(f.code, **f.params) for f in result.failures]
        lines.append(t("elig.fix_hint"))
    if result.notes:
        lines.append(t("elig.notes_title"))
        lines += ["ℹ️ " + t(n.code, **n.params) for n in result.notes]
    lines += [t("elig.checks"), t(voice.answers_title)]
    keys = [q.key for q in form_rules.year_rules(turn.ctx).questions]
    lines += _answer_lines(turn, keys, voice)
    return "\n".join(lines)


def eligible(turn: Turn[Any], voice: Voice = OWN) -> bool:
    return form_rules.check_eligibility(turn.ctx, turn.data.elig, voice.on(turn.data)).eligible


def result_review(voice: Voice = OWN) -> Review:
    """The result: continue to the form when eligible, change an answer, or (not eligible,
    the participant's own) look at other programs."""
    return Review(
        key="result",
        text=lambda turn: _result(turn, voice),
        sections=("elig",),
        edit="picker",
        edit_label="elig.change",
        pick_text="elig.change_which",
        pick_back="elig.back_to_result",
        proceed="elig.continue",
        can_proceed=lambda turn: eligible(turn, voice),
        on_proceed=lambda turn: turn.data.started or _start_form(turn),  # type: ignore[func-returns-value]
        exits=(TO_PROGRAMS,),
        exits_when=lambda turn: not eligible(turn, voice),
    )


def _start_form(turn: Turn[Any]) -> None:
    turn.data.started = True
    turn.say(turn.t("apply.start", program=turn.data.program_name))
