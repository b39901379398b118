"""The screens of reviews, pickers, stop and done — built from a flow's declaration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.forms.screens import Act, Button, Screen
from bot.forms.spec import Review, Step

if TYPE_CHECKING:
    from bot.forms.engine import Engine


def fields(engine: Engine, review: Review) -> list[Step]:
    return [s for s in engine.applicable(review.sections)]


def review_screen(engine: Engine, review: Review) -> Screen:
    t, turn = engine.t, engine.turn
    rows: list[list[Button]] = []
    steps = fields(engine, review)
    if review.edit == "buttons":
        edits = [Button(t(review.edit_label, field=t(s.label)), Act.EDIT, s.key) for s in steps]
        rows += [edits[i : i + 2] for i in range(0, len(edits), 2)]
    elif steps:
        rows.append([Button(t(review.edit_label), Act.PICK)])
    rows += [[Button(t(label), Act.JUMP, key)] for label, key in review.jumps]
    if review.proceed and (review.can_proceed is None or review.can_proceed(turn)):
        rows.insert(0, [Button(t(review.proceed), Act.PROCEED)])
    if review.exits and (review.exits_when is None or review.exits_when(turn)):
        rows += [[Button(t(e.label), Act.EXIT, e.target)] for e in review.exits]
    if review.finish and review.finish_label:
        rows.append([Button(review.finish_label(turn), Act.FINISH)])
    return Screen(review.text(turn), rows)


def picker_screen(engine: Engine, review: Review) -> Screen:
    t = engine.t
    rows = [[Button(t(s.label), Act.EDIT, s.key)] for s in fields(engine, review)]
    rows.append([Button(t(review.pick_back), Act.JUMP, review.key)])
    return Screen(t(review.pick_text), rows)


def loop_row(engine: Engine) -> list[list[Button]]:
    loop = engine.flow.loop
    return [[Button(engine.t(loop.label), Act.AGAIN)]] if loop else []


def stop_screen(engine: Engine) -> Screen:
    flow, t = engine.flow, engine.t
    stop = flow.stop(engine.turn) if flow.stop else None
    rows = []
    for key in engine.p.stop:
        step = flow.item(key)
        label = step.label if isinstance(step, Step) else step.key
        rows.append([Button(t("forms.change_answer", field=t(label)), Act.EDIT, key)])
    rows += loop_row(engine)
    rows += [[Button(t(e.label), Act.EXIT, e.target)] for e in flow.stop_exits]
    return Screen(stop.text if stop else "", rows)


def done_screen(engine: Engine) -> Screen:
    return Screen(engine.p.done, loop_row(engine), cancel=False)
