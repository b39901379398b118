"""A review's buttons (the summary of a flow: proceed, finish, pick a field, jump, leave) and
editing one answer from it. The engine hands these over; no Telegram here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.errors import DomainError
from bot.forms import views
from bot.forms.screens import STOP, Act, Screen, maybe
from bot.forms.spec import Review

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
