"""A screen's own buttons, beyond next / back / skip: a step's options (choose, a page of them,
a multi-choice toggle and its "done"), a review's (proceed, finish, pick a field, jump, leave)
and editing one answer from it. The engine hands these over; no Telegram here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.errors import DomainError
from bot.forms import views
from bot.forms.screens import STOP, Act, Screen, maybe
from bot.forms.spec import Answer, Review, Step

if TYPE_CHECKING:
    from bot.forms.engine import Engine


async def act(engine: Engine, review: Review, act: Act, value: str) -> Screen | None:
    """A button of a review on show (its own: a forged or stale one acts on nothing)."""
    shown = {(b.act, b.value) for b in (await engine.screen()).buttons()}
    if (act, value) not in shown:
        return None
    if act is Act.PICK:
        engine.p.picking = True
    elif act is Act.JUMP:
        engine.p.back_to = None
        engine.go(value)
    elif act is Act.PROCEED:
        if review.on_proceed:
            await maybe(review.on_proceed(engine.turn))
        engine.p.passed.append(review.key)
        engine.p.back_to = None
        engine.go(engine.next_item())
    elif act is Act.EXIT:
        return Screen(end=True, exit=value)
    elif act is Act.FINISH and review.finish:
        try:
            done = await review.finish(engine.turn)
        except DomainError as error:
            return await engine.refused(error)
        if not done.end:
            return await engine.again_with(done.text)
        return await engine.finished(done, list(engine.turn.notes))
    return engine.with_notes(await engine.screen())


async def edit(engine: Engine, key: str) -> Screen | None:
    """Change one answer: from a review's list of fields, or a stop screen's deciding ones."""
    at = engine.p.at
    allowed = set(engine.p.stop) if at == STOP else set()
    if at != STOP and isinstance(review := engine.flow.item(at), Review):
        allowed = {s.key for s in views.fields(engine, review)}
    if key not in allowed:
        return None
    if at != STOP:
        engine.p.back_to = at
    engine.go(key)
    return await engine.screen()


async def step_act(engine: Engine, step: Step, act: Act, value: str) -> Screen | None:
    """A step's own buttons: an option, a page of options, a multi-choice "done"."""
    if act is Act.PAGE:
        if (act, value) not in {(b.act, b.value) for b in await views.page(engine, step)}:
            return None
        engine.p.page = int(value)
        screen = await engine.screen()
        screen.replace = True
        return screen
    if act is Act.DONE:
        return await engine.answer(step, Answer()) if step.multi else None
    hit = next((b for b in await views.options(engine, step) if b.value == value), None)
    if hit is None:
        return None
    if step.multi:  # a toggle: the list changes, the step stays
        chosen = list(getattr(engine.data, step.key) or [])
        chosen.remove(value) if value in chosen else chosen.append(value)
        setattr(engine.data, step.key, chosen)
        screen = await engine.screen()
        screen.replace = True
        return screen
    screen = await engine.answer(step, Answer(choice=value), pressed=True)
    screen.echo = screen.echo and hit.label
    return screen
