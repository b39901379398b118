"""Drive seeded random updates through the real Dispatcher and check every one of them.

    fuzzer = Fuzzer(flows, rng, attacker, secrets=[...], group=group)
    await fuzzer.run(steps)

Each step is a text (HTML, NUL, RTL and zero-width marks, 5,000+ characters, commands), a media
message of any kind, a press of one of the bot's own buttons, a forged callback for any
CallbackData prefix with random and boundary values, an edit of an earlier message, or a message,
command or button press in a group. After every step:

- no exception escaped and nothing was logged as an error (the error handler logs what it catches);
- the update was answered: a private message or edit got a reply (or its deletion), every button
  press got ``answerCallbackQuery``, a group command got its one pointer;
- nothing the bot sent in response contains one of ``secrets`` (another person's or agency's data).
"""

from __future__ import annotations

import copy
import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.playground.chats import Chat
from bot.playground.driver import PlaygroundUser
from tests.flows.harness import Flows, FlowUser
from tests.fuzz import inputs

WEIGHTS = {"text": 30, "media": 12, "button": 22, "forged": 22, "edit": 6, "group": 8}


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def logged_errors() -> Iterator[_Errors]:
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


@dataclass
class Fuzzer:
    flows: Flows
    rng: random.Random
    attacker: FlowUser
    secrets: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    group: Chat | None = None
    log: list[str] = field(default_factory=list)

    async def run(self, steps: int) -> None:
        with logged_errors() as errors:
            for number in range(steps):
                kind = self.rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
                before = len(self.flows.session.requests)
                started = time.monotonic()
                description = await getattr(self, f"_{kind}")()
                self.log.append(f"{number}: {description}")
                sent = self.flows.session.requests[before:]
                self._check_no_leak(sent, description)
                if errors.records:
                    shown = "; ".join(r.getMessage()[:300] for r in errors.records)
                    texts = [str(getattr(r, "text", ""))[:800] for r in sent]
                    raise AssertionError(f"{self._where()}\nerror logged: {shown}\nsent: {texts}")
                assert time.monotonic() - started < 20, f"{self._where()}\nstep took too long"

    def _where(self) -> str:
        return "fuzz steps (last is the failing one):\n  " + "\n  ".join(self.log[-12:])

    # ----- the steps -----------------------------------------------------------------------
    async def _text(self) -> str:
        text = inputs.text(self.rng)
        await self._private({"text": text, **_entities(text)}, f"text {text[:60]!r}")
        return f"text {text[:80]!r}"

    async def _media(self) -> str:
        fields = inputs.media(self.rng)
        what = next(iter(fields))
        await self._private(fields, f"media {what}")
        return f"media {what} {str(fields)[:80]}"

    async def _button(self) -> str:
        buttons = [
            (m, b["callback_data"])
            for m in self.attacker.chat.visible()
            if m.from_bot
            for row in (m.raw.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
            if "callback_data" in b
        ]
        if not buttons:
            return await self._text()
        message, data = buttons[-1] if self.rng.random() < 0.5 else self.rng.choice(buttons)
        await self._press(self.attacker, data, message)
        return f"button {data!r}"

    async def _forged(self) -> str:
        data = inputs.callback_data(self.rng, self.ids)
        await self._press(self.attacker, data, None)
        return f"forged {data!r}"

    async def _edit(self) -> str:
        mine = [m for m in self.attacker.chat.visible() if not m.from_bot and "text" in m.raw]
        if not mine:
            return await self._text()
        target = self.rng.choice(mine)
        text = inputs.text(self.rng)
        before = self._chat_requests(self.attacker.chat.id)
        self.attacker.server.edit_user_message(
            self.attacker.chat, target.message_id, {"text": text}
        )
        await self.flows.pump()
        assert self._chat_requests(self.attacker.chat.id) > before, (
            f"{self._where()}\nedit of #{target.message_id} to {text[:60]!r} was not answered"
        )
        return f"edit #{target.message_id} → {text[:60]!r}"

    async def _group(self) -> str:
        if self.group is None:
            return await self._text()
        member = PlaygroundUser(self.attacker.server, self.group)
        member.sender = self.attacker.chat.user  # type: ignore[assignment]
        roll = self.rng.random()
        before = self._chat_requests(self.group.id)
        if roll < 0.5:
            text = "/" + self.rng.choice(inputs.COMMANDS)
            member._post({"text": text, **_entities(text)})
            await self.flows.pump()
            sent = self._chat_requests(self.group.id) - before
            assert sent == 1, f"{self._where()}\ngroup command {text} got {sent} answers"
            return f"group {text}"
        if roll < 0.8 or not self.group.visible():
            text = inputs.text(self.rng)
            member._post({"text": text[:4096]})
            await self.flows.pump()
            return f"group text {text[:40]!r}"
        data = inputs.callback_data(self.rng, self.ids)
        await self._press(member, data, self.group.visible()[-1])
        return f"group press {data!r}"

    # ----- helpers ---------------------------------------------------------------------------
    def _chat_requests(self, chat_id: int) -> int:
        return sum(
            1
            for r in self.flows.session.requests
            if str(getattr(r, "chat_id", "")) == str(chat_id)
        )

    async def _private(self, fields: dict[str, Any], what: str) -> None:
        before = self._chat_requests(self.attacker.chat.id)
        self.attacker.server.post_user_message(self.attacker.chat, copy.deepcopy(fields))
        await self.flows.pump()
        assert self._chat_requests(self.attacker.chat.id) > before, (
            f"{self._where()}\n{what} was not answered"
        )

    async def _press(self, who: PlaygroundUser, data: str, message: Any) -> None:
        if message is None:
            visible = [m for m in who.chat.visible() if m.from_bot]
            if not visible:
                return
            message = visible[-1]
        record = who.server.press_callback(who.chat, message, data, who.sender)
        await self.flows.pump()
        assert record.answered, f"{self._where()}\npress {data!r} was not answered"

    def _check_no_leak(self, sent: list[Any], what: str) -> None:
        for request in sent:
            shown = " ".join(
                str(getattr(request, name, "") or "")
                for name in ("text", "caption", "reply_markup")
            )
            for secret in self.secrets:
                assert secret not in shown, f"{self._where()}\n{what} showed {secret!r}: {shown}"


def _entities(text: str) -> dict[str, Any]:
    from bot.playground.state import command_entities

    found = command_entities(text)
    return {"entities": found} if found else {}
