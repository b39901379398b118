"""What the engine hands a front end: screens of buttons, and the stored progress of a flow."""

from __future__ import annotations

import inspect
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel

from bot.domain.errors import DomainError

STOP = "!stop"
DONE = "!done"  # a looping flow after a finish: "again" or leave
SEQ_LIMIT = 2**31 - 1


class Act(StrEnum):
    CHOOSE = "c"
    SKIP = "s"
    BACK = "b"
    EDIT = "e"
    PICK = "p"
    JUMP = "j"
    PROCEED = "n"
    FINISH = "f"
    EXIT = "x"
    AGAIN = "a"
    PAGE = "g"  # value: the page of a step's options
    DONE = "d"  # a multi-choice step's "done"


class Progress(BaseModel):
    flow: str
    at: str
    seq: int = 0
    answered: list[str] = []
    passed: list[str] = []
    back_to: str | None = None
    stop: list[str] = []
    done: str = ""  # the finish text shown at DONE
    shown: str = ""  # which screen ``seq`` numbers (the same step asked again keeps it)
    picking: bool = False
    page: int = 0  # the page of the step's options on show
    prompt: int | None = None  # the front end's message of the screen on show
    prompt_open: bool = False  # it still has buttons
    reply_keyboard: bool = False  # a contact-sharing keyboard is on show
    hint: str = ""  # the hint under the prompt's text (removed when its buttons go)
    data: dict[str, Any] = {}


@dataclass(frozen=True)
class Button:
    label: str
    act: Act
    value: str = ""


@dataclass
class Screen:
    text: str = ""
    rows: list[list[Button]] = field(default_factory=list)
    back: bool = False
    cancel: bool = True
    contact: str | None = None  # label of a "share my contact" button
    notes: list[str] = field(default_factory=list)
    end: bool = False  # the flow is over (its state goes)
    exit: str | None = None  # leave for this front-end screen
    echo: str | None = None  # what the pressed button chose (shown on its message)
    files: tuple[Any, ...] = ()  # spec.Attachment: sent at the end, before the text
    replace: bool = False  # shown in place of the pressed screen (another page of options)
    alert: str | None = None  # a refusal of a pressed button, also as a pop-up
    hint: str = ""  # how to use the buttons: under the text while they are live, gone with them

    def buttons(self) -> list[Button]:
        return [b for row in self.rows for b in row]


def refusal(t: Any, error: DomainError) -> str:
    key = f"error.{error.code}"
    return str(
        t(key, **error.params) if t.has(key) else t("error.generic_refusal", code=error.code)
    )


def plain(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def pack(buttons: list[Button], width: int = 22) -> list[list[Button]]:
    """Short labels share a row (at most 3, ~``width`` characters), long ones get their own."""
    rows: list[list[Button]] = []
    for button in buttons:
        row = rows[-1] if rows else None
        used = sum(len(b.label) for b in row) if row else 0
        if row is not None and len(row) < 3 and used + len(button.label) <= width:
            row.append(button)
        else:
            rows.append([button])
    return rows


Item = TypeVar("Item")
Made = TypeVar("Made")


def paginate(items: Sequence[Item], page: int, size: int) -> tuple[Sequence[Item], int, int]:
    """(the items of ``page``, that page clamped to the first and last ones, how many pages);
    ``size`` items a page, at least one page. Every paged list uses it: a flow step's options
    (/export's agencies), the staff program screens, /reports' agencies."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


def page_row(
    page: int, pages: int, prev: str, next_: str, make: Callable[[str, int], Made]
) -> list[Made]:
    """The ◀ n/m ▶ row under a page: ``make(label, page)`` builds each button (the middle one,
    "n/m", shows the page itself); no ◀ on the first page, no ▶ on the last."""
    row = [make(f"{page + 1}/{pages}", page)]
    if page > 0:
        row.insert(0, make(prev, page - 1))
    if page + 1 < pages:
        row.append(make(next_, page + 1))
    return row


async def maybe(value: Any) -> Any:
    """A declaration's callback may be sync or async."""
    return await value if inspect.isawaitable(value) else value
