"""The engine: walks a :class:`~bot.forms.spec.Flow` one input at a time. No Telegram here.

A flow's position is a :class:`Progress` (pydantic, JSON in the FSM data): the item being asked
(``at``), the steps answered, the reviews passed, where an edit returns to (``back_to``), the
stop rule's deciding answers, and ``seq``, the number of the screen on show — a button carries
it, so a button of an older screen (stale, or the second press of a double tap) acts on nothing.

Every call returns the next :class:`Screen` (text, buttons, notes to say first); the front end
renders it. The rules, in one place:
- next item = the first applicable step not answered (or review not passed), in the flow's
  order; after an edit from a review it is that review once nothing before it is missing;
- back = the previous applicable item (or the review the edit came from);
- an answer that makes other steps inapplicable forgets their answers;
- the stop rule is checked after every answer; it settles the outcome at once and offers to
  change the deciding answers;
- typed text equal to a shown button's label is that button.
"""

from __future__ import annotations

from typing import Any

from bot.domain.errors import DomainError
from bot.forms import buttons, views
from bot.forms.screens import DONE, STOP, Act, Progress, Screen, maybe, plain, refusal
from bot.forms.spec import Again, Answer, Finish, Flow, Review, Step, Takes, Turn

__all__ = ["DONE", "STOP", "Act", "Engine", "Progress", "Screen", "refusal"]


class Engine:
    """One flow, one person, one input: built per update from the stored progress."""

    def __init__(self, flow: Flow, progress: Progress, turn: Turn[Any]) -> None:
        self.flow = flow
        self.p = progress
        self.turn = turn
        self.t = turn.t

    @classmethod
    def start(
        cls,
        flow: Flow,
        turn: Turn[Any],
        *,
        complete: bool = False,
        answered: list[str] | None = None,
        pick: bool = False,
    ) -> Engine:
        """A new run. ``complete``: every applicable step counts as answered (amending);
        ``answered``: these steps were answered before (resuming a saved draft); ``pick``: at
        the review, its list of fields is open (change one answer)."""
        progress = Progress(flow=flow.name, at=flow.items[0].key)
        engine = cls(flow, progress, turn)
        if complete:
            progress.answered = [s.key for s in flow.steps if s.applies(turn.data)]
            progress.passed = [i.key for i in flow.items[:-1] if isinstance(i, Review)]
        elif answered:
            progress.answered = [s.key for s in flow.steps if s.key in answered]
        progress.at = engine.next_item()
        progress.picking = pick and isinstance(flow.item(progress.at), Review)
        return engine

    @property
    def data(self) -> Any:
        return self.turn.data

    # ----- where we are ------------------------------------------------------------------------
    def applicable(self, section: tuple[str, ...] | None = None) -> list[Step]:
        return [
            s
            for s in self.flow.steps
            if s.applies(self.data) and (section is None or s.section in section)
        ]

    def next_item(self) -> str:
        back_to = self.p.back_to
        limit = self.flow.index(back_to) if back_to else len(self.flow.items)
        for index, item in enumerate(self.flow.items):
            if isinstance(item, Step):
                if not item.applies(self.data) or item.key in self.p.answered:
                    continue
            elif item.key in self.p.passed:
                continue
            if index > limit:
                break
            return item.key
        return back_to or self.flow.items[-1].key

    def previous(self) -> str | None:
        if self.p.back_to:
            return self.p.back_to
        index = self.flow.index(self.p.at)
        for item in reversed(self.flow.items[:index]):
            if isinstance(item, Review) or item.applies(self.data):
                return item.key
        return None

    def go(self, key: str) -> None:
        self.p.at = key
        self.p.picking = False
        self.p.page = 0
        if key in self.p.passed:
            self.p.passed.remove(key)

    # ----- screens -----------------------------------------------------------------------------
    async def screen(self) -> Screen:
        if self.p.at == STOP:
            return views.stop_screen(self)
        if self.p.at == DONE:
            return views.done_screen(self)
        item = self.flow.item(self.p.at)
        if isinstance(item, Review):
            return (
                views.picker_screen(self, item)
                if self.p.picking
                else views.review_screen(self, item)
            )
        return await views.step_screen(self, item)

    def skippable(self, step: Step) -> bool:
        return step.skip is not None and (step.skippable is None or step.skippable(self.data))

    def shown(self, step: Step) -> str:
        value = step.show(self.turn) if step.show else getattr(self.data, step.key, None)
        return str(value) if value not in (None, "") else self.t("forms.none")

    async def again(self) -> Screen:
        """The next round of a looping flow: fresh data, nothing answered."""
        assert self.flow.loop is not None
        self.turn.data = self.flow.loop.fresh(self.data)
        self.p.answered, self.p.passed, self.p.stop, self.p.back_to = [], [], [], None
        self.p.done = ""
        self.go(self.next_item())
        return await self.screen()

    # ----- input -------------------------------------------------------------------------------
    async def message(self, answer: Answer) -> Screen:
        """Typed text, a file or a contact, at whatever screen is on show."""
        shown = await self.screen()
        if answer.text is not None:
            typed = plain(answer.text)
            step = self.flow.item(self.p.at) if self.p.at not in (STOP, DONE) else None
            every = await views.options(self, step) if isinstance(step, Step) else []  # all pages
            hit = next(
                (b for b in [*shown.buttons(), *every] if plain(b.label) == typed and typed), None
            )
            if hit is not None:
                return await self.press(hit.act, hit.value) or shown
        item = None if self.p.at in (STOP, DONE) else self.flow.item(self.p.at)
        if not isinstance(item, Step):
            return await self.again_with(self.t("forms.use_buttons"))
        if answer.contact is not None and Takes.CONTACT in item.takes:
            if answer.contact.user_id != self.turn.actor.telegram_id:
                return await self.again_with(self.t("forms.contact_not_own"))
            return await self.answer(item, Answer(text=answer.contact.phone))
        kind = None
        if answer.file is not None:
            kind = Takes.PHOTO if answer.file.photo else Takes.FILE
        elif answer.text is not None:
            kind = Takes.TEXT
        if kind is None or kind not in item.takes:
            return await self.again_with(self.t(item.wrong_input))
        return await self.answer(item, answer)

    async def press(self, act: Act, value: str = "") -> Screen | None:
        """A button of the screen on show; None when it is not one of them (stale)."""
        at = self.p.at
        if act is Act.AGAIN and self.flow.loop and at in (STOP, DONE):
            return await self.again()
        item = None if at in (STOP, DONE) else self.flow.item(at)
        if isinstance(item, Step) and act in (Act.CHOOSE, Act.PAGE, Act.DONE):
            return await buttons.step_act(self, item, act, value)
        if act is Act.SKIP and isinstance(item, Step) and self.skippable(item):
            if item.on_skip:
                await maybe(item.on_skip(self.turn))
            else:
                item.forget(self.turn, item.key)
            self._mark(item)
            return await self._settle(item, await self._after_answer(echo=self.t(item.skip or "")))
        if act is Act.BACK and isinstance(item, Step):
            previous = self.previous()
            if previous is None and self.flow.back_exit:
                return Screen(end=True, exit=self.flow.back_exit)
            if previous is None:
                return None
            self.go(previous)
            return await self.screen()
        if act is Act.EDIT:
            return await buttons.edit(self, value)
        if isinstance(item, Review):
            return await buttons.act(self, item, act, value)
        if act is Act.EXIT and at == STOP and value in {e.target for e in self.flow.stop_exits}:
            return Screen(end=True, exit=value)
        return None

    def _mark(self, step: Step) -> None:
        if step.key not in self.p.answered:
            self.p.answered.append(step.key)

    async def answer(self, step: Step, answer: Answer, *, pressed: bool = False) -> Screen:
        try:
            value = await maybe(step.parse(self.turn, answer))
        except Again:
            return self.with_notes(await self.screen())
        except DomainError as error:
            screen = await self.refused(error)
            if pressed or step.multi:
                screen.alert = refusal(self.t, error)
            return screen
        step.store(self.turn, step.key, value)
        self._mark(step)
        for key in self.turn.filled:  # answered by the same answer (a block from a record)
            if key not in self.p.answered:
                self.p.answered.append(key)
        self.turn.filled.clear()
        for key in step.resets:  # they depend on this answer: asked again
            if key in self.p.answered:
                self.p.answered.remove(key)
        echo = None if step.secret else self.shown(step)
        return await self._settle(step, await self._after_answer(echo=echo))

    async def _settle(self, step: Step, screen: Screen) -> Screen:
        """A flow without a final review (``Flow.finish``) ends once nothing is left to ask;
        a refusal asks the last answer again (a fatal one ends the flow)."""
        finish = self.flow.finish
        if finish is None or self.p.at == STOP or not self._complete():
            return screen
        try:
            done = await finish(self.turn)
        except DomainError as error:
            self.p.answered.remove(step.key)
            self.go(step.key)
            again = await self.refused(error)
            again.notes = [*screen.notes, *again.notes]
            return again
        return await self.finished(done, [*screen.notes, *self.turn.notes], echo=screen.echo)

    async def finished(self, done: Finish, notes: list[str], echo: str | None = None) -> Screen:
        """The flow's finish said ``done``: the end — or, for a looping flow, the next round
        offered (``DONE``)."""
        if self.flow.loop is None:
            return Screen(
                notes=notes, text=done.text, end=True, exit=done.exit, files=done.files, echo=echo
            )
        self.turn.notes.clear()
        self.p.at, self.p.done = DONE, done.text
        again = await self.screen()
        again.notes, again.exit, again.echo = notes, done.exit, echo
        return again

    def _complete(self) -> bool:
        steps = all(s.key in self.p.answered for s in self.applicable())
        return steps and all(
            i.key in self.p.passed for i in self.flow.items if isinstance(i, Review)
        )

    async def _after_answer(self, echo: str | None = None) -> Screen:
        for step in self.flow.steps:  # answers whose condition no longer holds are dropped
            if step.key in self.p.answered and not step.applies(self.data):
                step.forget(self.turn, step.key)
                self.p.answered.remove(step.key)
        stop = self.flow.stop(self.turn) if self.flow.stop else None
        if stop is not None:
            self.p.stop = list(stop.steps)
            self.p.at = STOP
        else:
            self.p.stop = []
            self.go(self.next_item())
        screen = self.with_notes(await self.screen())
        screen.echo = echo
        return screen

    def with_notes(self, screen: Screen) -> Screen:
        screen.notes = [*self.turn.notes, *screen.notes]
        self.turn.notes.clear()
        return screen

    async def refused(self, error: DomainError) -> Screen:
        """A refusal: the same screen again — or, for a fatal one, the end of the flow."""
        if error.code in self.flow.fatal:
            return Screen(notes=self.turn.notes, text=refusal(self.t, error), end=True)
        return await self.again_with(refusal(self.t, error))

    async def again_with(self, note: str) -> Screen:
        """The same screen again, after a note (a refusal: nothing changed)."""
        self.turn.say(note)
        return self.with_notes(await self.screen())
