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

import inspect
from typing import Any

from bot.domain.errors import DomainError
from bot.forms.screens import DONE, STOP, Act, Button, Progress, Screen, pack, plain, refusal
from bot.forms.spec import Answer, Flow, Review, Step, Takes, Turn

__all__ = ["DONE", "STOP", "Act", "Engine", "Progress", "Screen", "refusal"]


async def _maybe(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


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
    ) -> Engine:
        """A new run. ``complete``: every applicable step counts as answered (amending);
        ``answered``: these steps were answered before (resuming a saved draft)."""
        progress = Progress(flow=flow.name, at=flow.items[0].key)
        engine = cls(flow, progress, turn)
        if complete:
            progress.answered = [s.key for s in flow.steps if s.applies(turn.data)]
            progress.passed = [i.key for i in flow.items[:-1] if isinstance(i, Review)]
        elif answered:
            progress.answered = [s.key for s in flow.steps if s.key in answered]
        progress.at = engine._next_item()
        return engine

    @property
    def data(self) -> Any:
        return self.turn.data

    # ----- where we are ------------------------------------------------------------------------
    def _applicable(self, section: tuple[str, ...] | None = None) -> list[Step]:
        return [
            s
            for s in self.flow.steps
            if s.applies(self.data) and (section is None or s.section in section)
        ]

    def _next_item(self) -> str:
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

    def _previous(self) -> str | None:
        if self.p.back_to:
            return self.p.back_to
        index = self.flow.index(self.p.at)
        for item in reversed(self.flow.items[:index]):
            if isinstance(item, Review) or item.applies(self.data):
                return item.key
        return None

    def _go(self, key: str) -> None:
        self.p.at = key
        self.p.picking = False
        self.p.page = 0
        if key in self.p.passed:
            self.p.passed.remove(key)

    # ----- screens -----------------------------------------------------------------------------
    def screen(self) -> Screen:
        if self.p.at == STOP:
            return self._stop_screen()
        if self.p.at == DONE:
            return Screen(self.p.done, self._loop_row(), cancel=False)
        item = self.flow.item(self.p.at)
        if isinstance(item, Review):
            return self._picker(item) if self.p.picking else self._review(item)
        return self._step_screen(item)

    def _progress(self, step: Step) -> str:
        key = self.flow.progress.get(step.section)
        if key is None:
            return ""
        tops = [s.key for s in self._applicable((step.section,)) if s.follows is None]
        anchor = step.follows or step.key
        number = tops.index(anchor) + 1 if anchor in tops else len(tops)
        text = self.t(key, n=number, total=len(tops))
        return text + (self.t("forms.follow_up") if step.follows else "") + "\n"

    def options(self, step: Step) -> list[Button]:
        options = step.options(self.turn) if step.options else []
        return [Button(o.label, Act.CHOOSE, o.value) for o in options]

    def _step_screen(self, step: Step) -> Screen:
        text = self._progress(step) + step.ask(self.turn)
        if step.key in self.p.answered and not step.secret:
            text += "\n" + self.t("forms.current", value=self.shown(step))
        rows = pack(self._page(step))
        if self._skippable(step):
            rows.append([Button(self.t(step.skip or ""), Act.SKIP)])
        contact = self.t("forms.share_contact") if step.contact_button else None
        back = self._previous() is not None or self.flow.back_exit is not None
        return Screen(text, rows, back=back, contact=contact)

    def _page(self, step: Step) -> list[Button]:
        """The options on show: all of them, or one page and the ◀ n/m ▶ row."""
        options = self.options(step)
        if not step.page or len(options) <= step.page:
            return options
        pages = -(-len(options) // step.page)
        page = min(self.p.page, pages - 1)
        shown = options[page * step.page : (page + 1) * step.page]
        turn = [Button(f"{page + 1}/{pages}", Act.PAGE, str(page))]
        if page > 0:
            turn.insert(0, Button(self.t("forms.page_prev"), Act.PAGE, str(page - 1)))
        if page + 1 < pages:
            turn.append(Button(self.t("forms.page_next"), Act.PAGE, str(page + 1)))
        return [*shown, *turn]

    def _skippable(self, step: Step) -> bool:
        return step.skip is not None and (step.skippable is None or step.skippable(self.data))

    def shown(self, step: Step) -> str:
        value = step.show(self.turn) if step.show else getattr(self.data, step.key, None)
        return str(value) if value not in (None, "") else self.t("forms.none")

    def _fields(self, review: Review) -> list[Step]:
        return [s for s in self._applicable(review.sections)]

    def _review(self, review: Review) -> Screen:
        rows: list[list[Button]] = []
        fields = self._fields(review)
        if review.edit == "buttons":
            edits = [
                Button(self.t(review.edit_label, field=self.t(s.label)), Act.EDIT, s.key)
                for s in fields
            ]
            rows += [edits[i : i + 2] for i in range(0, len(edits), 2)]
        elif fields:
            rows.append([Button(self.t(review.edit_label), Act.PICK)])
        rows += [[Button(self.t(label), Act.JUMP, key)] for label, key in review.jumps]
        if review.proceed and (review.can_proceed is None or review.can_proceed(self.turn)):
            rows.insert(0, [Button(self.t(review.proceed), Act.PROCEED)])
        if review.exits and (review.exits_when is None or review.exits_when(self.turn)):
            rows += [[Button(self.t(e.label), Act.EXIT, e.target)] for e in review.exits]
        if review.finish and review.finish_label:
            rows.append([Button(review.finish_label(self.turn), Act.FINISH)])
        return Screen(review.text(self.turn), rows)

    def _picker(self, review: Review) -> Screen:
        rows = [[Button(self.t(s.label), Act.EDIT, s.key)] for s in self._fields(review)]
        rows.append([Button(self.t(review.pick_back), Act.JUMP, review.key)])
        return Screen(self.t(review.pick_text), rows)

    def _stop_screen(self) -> Screen:
        stop = self.flow.stop(self.turn) if self.flow.stop else None
        text = stop.text if stop else ""
        rows = []
        for key in self.p.stop:
            step = self.flow.item(key)
            label = self.t("forms.change_answer", field=self.t(step_label(step)))
            rows.append([Button(label, Act.EDIT, key)])
        rows += self._loop_row()
        rows += [[Button(self.t(e.label), Act.EXIT, e.target)] for e in self.flow.stop_exits]
        return Screen(text, rows)

    def _loop_row(self) -> list[list[Button]]:
        loop = self.flow.loop
        return [[Button(self.t(loop.label), Act.AGAIN)]] if loop else []

    def again(self) -> Screen:
        """The next round of a looping flow: fresh data, nothing answered."""
        assert self.flow.loop is not None
        self.turn.data = self.flow.loop.fresh(self.data)
        self.p.answered, self.p.passed, self.p.stop, self.p.back_to = [], [], [], None
        self.p.done = ""
        self._go(self._next_item())
        return self.screen()

    # ----- input -------------------------------------------------------------------------------
    async def message(self, answer: Answer) -> Screen:
        """Typed text, a file or a contact, at whatever screen is on show."""
        shown = self.screen()
        if answer.text is not None:
            typed = plain(answer.text)
            step = self.flow.item(self.p.at) if self.p.at != STOP else None
            every = self.options(step) if isinstance(step, Step) else []  # all pages
            hit = next(
                (b for b in [*shown.buttons(), *every] if plain(b.label) == typed and typed), None
            )
            if hit is not None:
                return await self.press(hit.act, hit.value) or shown
        item = None if self.p.at in (STOP, DONE) else self.flow.item(self.p.at)
        if not isinstance(item, Step):
            return self._again(self.t("forms.use_buttons"))
        if answer.contact is not None and Takes.CONTACT in item.takes:
            if answer.contact.user_id != self.turn.actor.telegram_id:
                return self._again(self.t("forms.contact_not_own"))
            return await self._answer(item, Answer(text=answer.contact.phone))
        kind = None
        if answer.file is not None:
            kind = Takes.PHOTO if answer.file.photo else Takes.FILE
        elif answer.text is not None:
            kind = Takes.TEXT
        if kind is None or kind not in item.takes:
            return self._again(self.t(item.wrong_input))
        return await self._answer(item, answer)

    async def press(self, act: Act, value: str = "") -> Screen | None:
        """A button of the screen on show; None when it is not one of them (stale)."""
        at = self.p.at
        if act is Act.AGAIN and self.flow.loop and at in (STOP, DONE):
            return self.again()
        item = None if at in (STOP, DONE) else self.flow.item(at)
        if act is Act.CHOOSE and isinstance(item, Step):
            hit = next((b for b in self.options(item) if b.value == value), None)
            if hit is None:
                return None
            screen = await self._answer(item, Answer(choice=value))
            screen.echo = hit.label
            return screen
        if act is Act.SKIP and isinstance(item, Step) and self._skippable(item):
            await _maybe(
                item.on_skip(self.turn) if item.on_skip else item.forget(self.turn, item.key)
            )
            self._mark(item)
            return await self._settle(item, self._after_answer(echo=self.t(item.skip or "")))
        if act is Act.PAGE and isinstance(item, Step) and value.isdigit() and item.page:
            if (act, value) not in {(b.act, b.value) for b in self._page(item)}:
                return None
            self.p.page = int(value)
            screen = self.screen()
            screen.replace = True
            return screen
        if act is Act.BACK and isinstance(item, Step):
            previous = self._previous()
            if previous is None and self.flow.back_exit:
                return Screen(end=True, exit=self.flow.back_exit)
            if previous is None:
                return None
            self._go(previous)
            return self.screen()
        if act is Act.EDIT:
            return self._edit(value)
        if isinstance(item, Review):
            return await self._review_act(item, act, value)
        if act is Act.EXIT and at == STOP and value in {e.target for e in self.flow.stop_exits}:
            return Screen(end=True, exit=value)
        return None

    async def _review_act(self, review: Review, act: Act, value: str) -> Screen | None:
        shown = {(b.act, b.value) for b in self.screen().buttons()}
        if (act, value) not in shown:
            return None
        if act is Act.PICK:
            self.p.picking = True
        elif act is Act.JUMP:
            self.p.back_to = None
            self._go(value)
        elif act is Act.PROCEED:
            if review.on_proceed:
                await _maybe(review.on_proceed(self.turn))
            self.p.passed.append(review.key)
            self.p.back_to = None
            self._go(self._next_item())
        elif act is Act.EXIT:
            return Screen(end=True, exit=value)
        elif act is Act.FINISH and review.finish:
            try:
                done = await review.finish(self.turn)
            except DomainError as error:
                return self._refused(error)
            if not done.end:
                return self._again(done.text)
            if self.flow.loop is None:
                return Screen(
                    notes=self.turn.notes,
                    text=done.text,
                    end=True,
                    exit=done.exit,
                    files=done.files,
                )
            self.p.at, self.p.done = DONE, done.text
            screen = self._with_notes(self.screen())
            screen.exit = done.exit
            return screen
        return self._with_notes(self.screen())

    def _edit(self, key: str) -> Screen | None:
        at = self.p.at
        allowed = set(self.p.stop) if at == STOP else set()
        if at != STOP and isinstance(review := self.flow.item(at), Review):
            allowed = {s.key for s in self._fields(review)}
        if key not in allowed:
            return None
        if at != STOP:
            self.p.back_to = at
        self._go(key)
        return self.screen()

    def _mark(self, step: Step) -> None:
        if step.key not in self.p.answered:
            self.p.answered.append(step.key)

    async def _answer(self, step: Step, answer: Answer) -> Screen:
        try:
            value = await _maybe(step.parse(self.turn, answer))
        except DomainError as error:
            return self._refused(error)
        step.store(self.turn, step.key, value)
        self._mark(step)
        return await self._settle(
            step, self._after_answer(echo=None if step.secret else self.shown(step))
        )

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
            self._go(step.key)
            again = self._refused(error)
            again.notes = [*screen.notes, *again.notes]
            return again
        notes = [*screen.notes, *self.turn.notes]
        return Screen(
            notes=notes,
            text=done.text,
            end=True,
            exit=done.exit,
            files=done.files,
            echo=screen.echo,
        )

    def _complete(self) -> bool:
        steps = all(s.key in self.p.answered for s in self._applicable())
        return steps and all(
            i.key in self.p.passed for i in self.flow.items if isinstance(i, Review)
        )

    def _after_answer(self, echo: str | None = None) -> Screen:
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
            self._go(self._next_item())
        screen = self._with_notes(self.screen())
        screen.echo = echo
        return screen

    def _with_notes(self, screen: Screen) -> Screen:
        screen.notes = [*self.turn.notes, *screen.notes]
        self.turn.notes.clear()
        return screen

    def _refused(self, error: DomainError) -> Screen:
        """A refusal: the same screen again — or, for a fatal one, the end of the flow."""
        if error.code in self.flow.fatal:
            return Screen(notes=self.turn.notes, text=refusal(self.t, error), end=True)
        return self._again(refusal(self.t, error))

    def _again(self, note: str) -> Screen:
        """The same screen again, after a note (a refusal: nothing changed)."""
        self.turn.say(note)
        return self._with_notes(self.screen())


def step_label(item: Step | Review) -> str:
    return item.label if isinstance(item, Step) else item.key
