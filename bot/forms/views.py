"""The screens of steps, reviews, pickers, stop and done — built from a flow's declaration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.forms.screens import Act, Button, Screen, maybe, pack, page_row, paginate
from bot.forms.spec import Review, Step

if TYPE_CHECKING:
    from bot.forms.engine import Engine


def _progress(engine: Engine, step: Step) -> str:
    key = engine.flow.progress.get(step.section)
    if key is None:
        return ""
    tops = [s.key for s in engine.applicable((step.section,)) if s.follows is None]
    anchor = step.follows or step.key
    number = tops.index(anchor) + 1 if anchor in tops else len(tops)
    text = engine.t(key, n=number, total=len(tops))
    return text + (engine.t("forms.follow_up") if step.follows else "") + "\n"


async def options(engine: Engine, step: Step) -> list[Button]:
    """Every option of the step (all pages); a toggle's label shows whether it is on."""
    options = await maybe(step.options(engine.turn)) if step.options else []
    chosen = set(getattr(engine.data, step.key, None) or []) if step.multi else set()
    return [
        Button(
            ("☑ " if o.value in chosen else "☐ ") + o.label if step.multi else o.label,
            Act.CHOOSE,
            o.value,
        )
        for o in options
    ]


async def step_screen(engine: Engine, step: Step) -> Screen:
    text = _progress(engine, step) + step.ask(engine.turn)
    if step.key in engine.p.answered and not step.secret and not step.multi:
        text += "\n" + engine.t("forms.current", value=engine.shown(step))
    buttons = await page(engine, step)
    single = step.multi or step.page
    rows = [[b] for b in buttons if b.act is not Act.PAGE] if single else pack(buttons)
    if step.one_row and buttons:
        rows = [buttons]
    if paging := [b for b in buttons if b.act is Act.PAGE]:
        rows.append(paging)
    if step.multi:
        rows.append([Button(engine.t(step.multi), Act.DONE)])
    if engine.skippable(step):
        rows.append([Button(engine.t(step.skip or ""), Act.SKIP)])
    contact = engine.t("forms.share_contact") if step.contact_button else None
    back = engine.previous() is not None or engine.flow.back_exit is not None
    return Screen(text, rows, back=back, contact=contact)


async def page(engine: Engine, step: Step) -> list[Button]:
    """The options on show: all of them, or one page and the ◀ n/m ▶ row."""
    every = await options(engine, step)
    if not step.page or len(every) <= step.page:
        return every
    shown, page, pages = paginate(every, engine.p.page, step.page)
    prev, next_ = engine.t("forms.page_prev"), engine.t("forms.page_next")
    turn = page_row(page, pages, prev, next_, lambda label, p: Button(label, Act.PAGE, str(p)))
    return [*shown, *turn]


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
    return Screen(review.text(turn), rows, hint=t(review.hint) if review.hint else "")


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
