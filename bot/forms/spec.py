"""What a flow is made of, as data: steps, review screens, stop rules — no Telegram types.

A flow's declaration (``bot/conversations/<flow>.py``) is a :class:`Flow`: its typed data (a
pydantic model), its items in order (:class:`Step` asks one thing, :class:`Review` shows what was
given and offers to change it, continue or finish) and an optional stop rule. The engine
(:mod:`bot.forms.engine`) walks it; a front end (:mod:`bot.forms.telegram`) renders its screens
and turns people's input into :class:`Answer` values. How to declare one: ``docs/FORMS.md``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from bot.i18n import Texts
    from bot.services.context import AppContext
    from bot.services.identity import Actor

D = TypeVar("D", bound=BaseModel)


class Takes(StrEnum):
    """Input a step accepts besides its buttons (a press of a shown option always counts)."""

    TEXT = "text"
    FILE = "file"  # a document
    PHOTO = "photo"
    CONTACT = "contact"


@dataclass(frozen=True)
class FileRef:
    """A file the person sent (document or photo), as the front end knows it."""

    id: str
    name: str | None
    size: int | None
    mime: str | None = None
    photo: bool = False


@dataclass(frozen=True)
class Contact:
    phone: str
    user_id: int | None  # whose contact it is (None: typed in by hand, not the sender's)


@dataclass(frozen=True)
class Answer:
    """One input: typed text, a pressed option (its value), a file or a shared contact."""

    text: str | None = None
    choice: str | None = None
    file: FileRef | None = None
    contact: Contact | None = None
    erased: bool = False  # the front end deleted the message (secret steps)


@dataclass(frozen=True)
class Option:
    value: str
    label: str


class Files(Protocol):
    async def read(self, ref: FileRef) -> bytes: ...


@dataclass
class Turn(Generic[D]):
    """What a declaration's callbacks see: the flow's data and the person's context."""

    data: D
    t: Texts
    ctx: AppContext
    actor: Actor
    files: Files
    notes: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        """A message shown before the next screen (an acknowledgement, a hint)."""
        self.notes.append(text)

    def fill(self, *keys: str) -> None:
        """Called by ``parse``: these other steps were answered by the same answer (a block
        filled at once from a record); they count as answered, their values set by ``parse``."""
        self.filled.extend(keys)


class Again(Exception):
    """Raised by ``parse``: show the step again without an error — the input refined it (a
    search term typed at a list step, "show all")."""


Text = Callable[[Turn[Any]], str]
Check = Callable[[Any], bool]  # over the flow's data


def _store(turn: Turn[Any], key: str, value: Any) -> None:
    setattr(turn.data, key, value)


def _forget(turn: Turn[Any], key: str) -> None:
    model = type(turn.data)
    setattr(turn.data, key, model.model_fields[key].get_default(call_default_factory=True))


@dataclass(frozen=True)
class Step:
    """One question. ``parse`` turns an :class:`Answer` into a value or raises ``DomainError``
    (the refusal is shown and the same step is asked again, nothing changes)."""

    key: str
    ask: Text
    parse: Callable[[Turn[Any], Answer], Any]  # may be async
    label: str  # locale key of the field's name (summary, edit buttons, progress)
    show: Text | None = None  # the value as the summary shows it (None: the raw value)
    options: Callable[[Turn[Any]], Sequence[Option] | Awaitable[Sequence[Option]]] | None = None
    multi: str | None = None  # toggles: the options are ☑/☐, this locale key is "done"
    takes: frozenset[Takes] = frozenset({Takes.TEXT})
    when: Check | None = None  # asked only when this holds (over the data)
    follows: str | None = None  # a follow-up of that step: numbered with it, not counted
    resets: tuple[str, ...] = ()  # steps asked again once this one is answered (they depend)
    skip: str | None = None  # locale key of the "skip" button (optional step)
    skippable: Check | None = None  # offer it only when this holds
    on_skip: Callable[[Turn[Any]], Any] | None = None  # may be async; default: forget
    store: Callable[[Turn[Any], str, Any], None] = _store
    forget: Callable[[Turn[Any], str], None] = _forget
    section: str = "main"
    secret: bool = False  # the front end deletes the message before parsing; never echoed
    contact_button: bool = False  # offer the front end's "share my contact" button
    wrong_input: str = "forms.text_please"  # locale key when the input is of the wrong kind
    page: int = 0  # options shown a page at a time (◀ ▶), 0: all; typing any label still counts
    one_row: bool = False  # the options share one row (a 1–5 scale), however many they are

    def applies(self, data: Any) -> bool:
        return self.when is None or self.when(data)


@dataclass(frozen=True)
class Attachment:
    """A file the flow hands the person at its end (an export, a report)."""

    name: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Finish:
    """What a review's finish did: the closing text, whether the flow ends, and a front-end
    screen to show after it (``exit``, e.g. the list the new item was added to)."""

    text: str
    end: bool = True
    exit: str | None = None
    files: tuple[Attachment, ...] = ()  # sent before the text


@dataclass(frozen=True)
class Exit:
    """A button that leaves the flow for another screen of the front end (e.g. the catalogue)."""

    label: str  # locale key
    target: str  # a name the front end maps to its screen


@dataclass(frozen=True)
class Review:
    """A screen that shows what was given: continue past it, change answers, or finish.

    ``edit="buttons"`` shows one ✏ button per applicable step of ``sections``; ``"picker"`` one
    「change」 button that lists them. ``jumps``: buttons to other reviews (label key, review key).
    """

    key: str
    text: Text
    sections: tuple[str, ...]
    edit: str = "buttons"  # buttons | picker
    edit_label: str = "forms.edit"  # "✏ {field}" (buttons) or the picker button's text
    pick_text: str = "forms.pick"  # the picker's question
    pick_back: str = "forms.pick_back"  # its button back to the review
    proceed: str | None = None  # locale key of the continue button
    can_proceed: Callable[[Turn[Any]], bool] | None = None
    on_proceed: Callable[[Turn[Any]], Any] | None = None  # may be async; may say()
    finish: Callable[[Turn[Any]], Awaitable[Finish]] | None = None
    finish_label: Text | None = None
    jumps: tuple[tuple[str, str], ...] = ()
    exits: tuple[Exit, ...] = ()
    exits_when: Callable[[Turn[Any]], bool] | None = None  # show the exits only then
    section: str = "main"
    hint: str | None = None  # locale key: how to use the buttons (shown only while they are live)


@dataclass(frozen=True)
class Stop:
    """The flow's outcome is settled: which rule and why (rendered), the answers that decided."""

    text: str
    steps: tuple[str, ...]


Item = Step | Review


@dataclass(frozen=True)
class Loop:
    """After a finish (or a stop) the flow offers to go round again: "다른 참여기업 추가".

    ``fresh(data)`` is the next round's data (what the rounds share, e.g. the program)."""

    label: str  # locale key of the button
    fresh: Callable[[Any], BaseModel]


RESUME = "resume"  # the exit that carries out an interrupted action (``bot/forms/resume.py``)
STALE_AFTER = timedelta(minutes=30)  # an interrupted action older than this is not carried out


class Interrupted(BaseModel):
    """An action another flow stopped (the second factor, the consents): the message or button
    press and the FSM state it arrived in. The interrupting flow keeps it in its data (field
    ``kept``) and ends with ``Finish(exit=RESUME)``: the state is restored and the action carried
    out, once."""

    kind: str = ""  # "message" | "callback_query" | "": nothing to carry out
    sealed: str = ""  # the event as Telegram sent it, sealed (it may hold personal data)
    state: str | None = None  # the FSM state it interrupted (restored first)
    data: dict[str, Any] = {}
    at: datetime | None = None

    def due(self, now: datetime) -> bool:
        """There is an action to carry out, and it is recent enough to be what is wanted."""
        return bool(self.kind) and self.at is not None and now - self.at <= STALE_AFTER


@dataclass(frozen=True)
class Flow:
    name: str
    model: type[BaseModel]
    items: tuple[Item, ...]
    progress: dict[str, str] = field(default_factory=dict)  # section → locale key (n, total)
    stop: Callable[[Turn[Any]], Stop | None] | None = None  # checked after every answer
    stop_exits: tuple[Exit, ...] = ()
    loop: Loop | None = None
    fatal: frozenset[str] = frozenset()  # refusal codes that end the flow (nothing to fix)
    back_exit: str | None = None  # ◀ 이전 on the first step leaves for this front-end screen
    # a flow without a final review: finished as soon as nothing is left to ask (a refusal
    # asks the last answer again)
    finish: Callable[[Turn[Any]], Awaitable[Finish]] | None = None

    def __post_init__(self) -> None:
        keys = [item.key for item in self.items]
        if len(keys) != len(set(keys)):
            raise ValueError(f"flow {self.name}: duplicate keys")

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def index(self, key: str) -> int:
        return next(i for i, item in enumerate(self.items) if item.key == key)

    @property
    def steps(self) -> list[Step]:
        return [item for item in self.items if isinstance(item, Step)]
