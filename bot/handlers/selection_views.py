"""What /select shows, from data to text and buttons (no I/O): the open screen's typed record,
the list (tabs, a page of toggles, bulk actions), an applicant's card, the over-recruitment
question, and the wording of refusals on the selection screens (/confirm uses it too)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aiogram.types import InlineKeyboardMarkup
from pydantic import BaseModel

from bot.domain.applications import ApplicationAction, allowed_actions
from bot.domain.errors import DomainError
from bot.handlers.program_screens import close_row, header, pager
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.selection import SelBulkCB, SelOneCB, SelOverCB, SelPageCB, SelToggleCB
from bot.middlewares.refusals import refusal_text
from bot.services.selection import PAGE_SIZE, ApplicantCard, PoolRow, ProgramSummary

INTRO_LIMIT = 600  # characters of the self-introduction on a card
DECISIONS = (ApplicationAction.SELECT, ApplicationAction.NOT_SELECT, ApplicationAction.UNSELECT)


class Pending(BaseModel):
    """An action waiting for the answer to "beyond the recruitment — go ahead?"."""

    ids: list[int]
    act: str
    card: int | None = None  # asked from this applicant's card


class SelectScreen(BaseModel):
    """The /select screen on show (typed FSM data)."""

    pid: int
    tab: str = "waiting"
    page: int = 0
    checked: list[int] = []
    pending: Pending | None = None


# --- the list -------------------------------------------------------------------------------


def pool_screen(
    t: Texts,
    summary: ProgramSummary,
    screen: SelectScreen,
    chunk: Sequence[PoolRow],
    *,
    count: int,
    pages: int,
    locked_at: datetime | None,
    note: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The list screen: ``chunk`` is the page ``screen.page`` of ``pages`` (``count`` people in
    the tab); ``screen.checked`` the toggled people on it."""
    pid, tab, page, checked = screen.pid, screen.tab, screen.page, screen.checked
    first = page * PAGE_SIZE + 1
    lines = [header(t, summary)]
    if summary.locked:
        lines.append(t("selection.locked_note", at=t.date(locked_at)))
    lines.append("")
    lines.append(t(f"selection.tab_title.{tab}", count=count))
    if not chunk:
        lines.append(t(f"selection.empty.{tab}"))
    for index, row in enumerate(chunk, start=first):
        lines.append(person_line(t, index, row))
    if checked:
        lines += ["", t("selection.checked_note", n=len(checked))]
    if note:
        lines += ["", note]

    buttons: list[list[Button]] = [_tabs(t, summary, tab)]
    for index, row in enumerate(chunk, start=first):
        mark = "☑" if row.application_id in checked else "☐"
        toggle: Button = (f"{mark} {row.name}", SelToggleCB(pid=pid, aid=row.application_id))
        card: Button = (
            t("selection.open_card", n=index),
            SelOneCB(pid=pid, aid=row.application_id, act="open"),
        )
        buttons.append([toggle, card] if not summary.locked else [card])
    if pages > 1:
        buttons.append(pager(t, lambda p: SelPageCB(pid=pid, tab=tab, page=p), page, pages))
    if chunk and not summary.locked:
        buttons += _bulk_rows(t, pid, tab, len(checked), all_checked=len(checked) == len(chunk))
    buttons.append(close_row(t))
    return "\n".join(lines), inline(buttons)


def person_line(t: Texts, index: int, row: PoolRow) -> str:
    shown = [f for f in row.flags if not (f == "nes_declared" and row.nes_declared is not None)]
    flags = "".join(t(f"selection.flag.{flag}") for flag in shown)
    return t(
        "selection.row",
        n=index,
        name=row.name,
        birth=t.date(row.birth_date),
        nes=nes_text(t, row),
        flags=flags,
    )


def _nes_key(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def nes_text(t: Texts, row: PoolRow) -> str:
    """예 / 아니요 as staff recorded it, else the applicant's own answer (marked), else 미입력."""
    if row.nes is None and row.nes_declared is not None:
        return t(f"selection.nes.{_nes_key(row.nes_declared)}_declared")
    return t(f"selection.nes.{_nes_key(row.nes)}")


def _tabs(t: Texts, summary: ProgramSummary, current: str) -> list[Button]:
    counts = {
        "waiting": summary.waiting,
        "selected": summary.selected,
        "not_selected": summary.not_selected,
    }
    row: list[Button] = []
    for tab, count in counts.items():
        label = t(f"selection.tab.{tab}", count=count)
        if tab == current:
            label = t("selection.tab_current", label=label)
        row.append((label, SelPageCB(pid=summary.id, tab=tab, page=0)))
    return row


def _bulk_rows(
    t: Texts, pid: int, tab: str, checked: int, *, all_checked: bool
) -> list[list[Button]]:
    toggle_all: Button = (
        t("selection.none_on_page") if all_checked else t("selection.all_on_page"),
        SelBulkCB(pid=pid, act="none" if all_checked else "all"),
    )
    if tab == "waiting":
        return [
            [
                toggle_all,
                (t("selection.bulk_nes_yes", n=checked), SelBulkCB(pid=pid, act="nes_y")),
                (t("selection.bulk_nes_no", n=checked), SelBulkCB(pid=pid, act="nes_n")),
            ],
            [
                (t("selection.bulk_select", n=checked), SelBulkCB(pid=pid, act="select")),
                (t("selection.bulk_not_select", n=checked), SelBulkCB(pid=pid, act="not_select")),
            ],
        ]
    return [
        [
            toggle_all,
            (t("selection.bulk_unselect", n=checked), SelBulkCB(pid=pid, act="unselect")),
        ]
    ]


# --- an applicant's card ----------------------------------------------------------------------


def card_screen(
    t: Texts,
    summary: ProgramSummary,
    card: ApplicantCard,
    back: SelPageCB,
    note: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The card: the applicant's details; 국민취업지원제도 예 / 아니요 and the decisions the
    applicant's state allows while the roster is open; ◀ back to ``back``."""
    pid, row = summary.id, card.row
    aid = row.application_id
    flags = [t(f"selection.flag_long.{flag}") for flag in row.flags]
    intro = (card.self_intro or "-").strip()
    if len(intro) > INTRO_LIMIT:
        intro = intro[:INTRO_LIMIT] + "…"
    lines = [
        header(t, summary),
        "",
        t(
            "selection.card",
            name=row.name,
            birth=t.date(row.birth_date),
            applied=t.date(card.applied_on),
            channel=t(f"selection.channel.{card.channel}"),
            education=card.education or "-",
            state=t(f"selection.state.{row.state}"),
            nes=nes_text(t, row),
            intro=intro,
        ),
    ]
    if flags:
        lines.append(t("selection.card_flags", flags=", ".join(flags)))
    if note:
        lines += ["", note]
    buttons: list[list[Button]] = []
    if not summary.locked:
        yes = ("✓ " if row.nes_shown is True else "") + t("selection.nes_yes_button")
        no = ("✓ " if row.nes_shown is False else "") + t("selection.nes_no_button")
        buttons.append(
            [
                (yes, SelOneCB(pid=pid, aid=aid, act="nes_y")),
                (no, SelOneCB(pid=pid, aid=aid, act="nes_n")),
            ]
        )
        allowed = allowed_actions(row.state, roster_locked=False)
        if decisions := [a for a in DECISIONS if a in allowed]:
            buttons.append(
                [
                    (t(f"selection.{a}_button"), SelOneCB(pid=pid, aid=aid, act=a))
                    for a in decisions
                ]
            )
    buttons.append([(t("selection.back_to_list"), back)])
    return "\n".join(lines), inline(buttons)


# --- the over-recruitment question, refusals ---------------------------------------------------


def over_question(t: Texts, pid: int, error: DomainError) -> tuple[str, InlineKeyboardMarkup]:
    """ "Beyond the recruitment — go ahead?" (``error`` is the ``selection.over_recruitment``)."""
    markup = inline(
        [
            [(t("selection.over_yes"), SelOverCB(pid=pid, ok=True))],
            [(t("selection.over_no"), SelOverCB(pid=pid, ok=False))],
        ]
    )
    return t("selection.over_question", **error.params), markup


def roster_refusal(t: Texts, error: DomainError) -> str:
    """A refusal on a selection screen (a locked roster has its own wording)."""
    if error.code == "roster.locked":
        return t("selection.locked_refusal")
    return refusal_text(t, error)
