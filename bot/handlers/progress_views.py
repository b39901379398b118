"""What /progress shows, from data to text and buttons (no I/O): the roster, a person's card and
the questions of its actions (수료, 조기 수료, 중도탈락 and its reason code)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.handlers.program_screens import close_row, header, pager
from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.selection import ProgressAct, ProgressCB
from bot.services.enrollment import DROPOUT_CODES, TRAINING_STATUSES, WORK_STATUSES, RosterRow
from bot.services.selection import PAGE_SIZE, ProgramSummary

Screen = tuple[str, InlineKeyboardMarkup]


def outcome(t: Texts, row: RosterRow) -> str:
    if row.outcome == "completed":
        return t("progress.outcome.completed")
    if row.outcome == "dropped":
        return t("progress.outcome.dropped", code=t(f"progress.drop_code.{row.dropout_code}"))
    return t("progress.outcome.none")


def roster_screen(
    t: Texts,
    summary: ProgramSummary,
    chunk: Sequence[RosterRow],
    page: int,
    pages: int,
    note: str | None = None,
) -> Screen:
    """The roster's page ``page`` of ``pages``: counts, one line and one button a person."""
    pid = summary.id
    lines = [
        header(t, summary),
        t(
            "progress.counts",
            running=summary.selected,
            completed=summary.completed,
            dropped=summary.dropped,
            end=t.date(summary.period_end),
        ),
        "",
    ]
    buttons: list[list[Button]] = []
    for index, row in enumerate(chunk, start=page * PAGE_SIZE + 1):
        lines.append(
            t(
                "progress.line",
                n=index,
                name=row.name,
                training=t(f"progress.training.{row.training_status}"),
                work=t(f"progress.work.{row.work_status}"),
                result=outcome(t, row),
            )
        )
        buttons.append(
            [(f"{index}. {row.name}", ProgressCB(pid=pid, act="person", aid=row.application_id))]
        )
    if pages > 1:
        buttons.append(pager(t, lambda p: ProgressCB(pid=pid, act="page", page=p), page, pages))
    if note:
        lines += ["", note]
    buttons.append(close_row(t))
    return "\n".join(lines), inline(buttons)


def card_screen(
    t: Texts, summary: ProgramSummary, row: RosterRow, note: str | None = None
) -> Screen:
    """A person's card; while they take part: training and work status, 수료, 중도탈락."""
    pid, aid = summary.id, row.application_id
    lines = [
        t(
            "progress.card",
            name=row.name,
            birth=t.date(row.birth_date),
            program=summary.name,
            where=row.assigned_to or t("assign.unassigned"),
            training=t(f"progress.training.{row.training_status}"),
            work=t(f"progress.work.{row.work_status}"),
            result=outcome(t, row),
            end=t.date(summary.period_end),
        )
    ]
    if row.outcome_reason:
        lines.append(t("progress.reason_line", reason=row.outcome_reason))
    if note:
        lines += ["", note]
    buttons: list[list[Button]] = []
    if row.state == "selected":
        buttons.append(
            [
                (
                    ("✓" if row.training_status == s else "") + t(f"progress.training_btn.{s}"),
                    ProgressCB(pid=pid, act="train", aid=aid, value=s),
                )
                for s in TRAINING_STATUSES
            ]
        )
        buttons.append(
            [
                (
                    ("✓" if row.work_status == s else "") + t(f"progress.work_btn.{s}"),
                    ProgressCB(pid=pid, act="work", aid=aid, value=s),
                )
                for s in WORK_STATUSES
            ]
        )
        buttons.append(
            [
                (t("progress.complete_button"), ProgressCB(pid=pid, act="askdone", aid=aid)),
                (t("progress.drop_button"), ProgressCB(pid=pid, act="drop", aid=aid)),
            ]
        )
    buttons.append([(t("selection.back_to_list"), ProgressCB(pid=pid, act="page", page=0))])
    return "\n".join(lines), inline(buttons)


# --- the card's questions: each with ◀ back to the card ------------------------------------------


def _with_back(t: Texts, cb: ProgressCB, rows: list[list[Button]]) -> InlineKeyboardMarkup:
    back = ProgressCB(pid=cb.pid, act=ProgressAct.PERSON, aid=cb.aid)
    return inline([*rows, [(t("progress.back_to_card"), back)]])


def _one(
    t: Texts, cb: ProgressCB, key: str, act: ProgressAct, value: str = ""
) -> InlineKeyboardMarkup:
    """A single button (``key``'s label doing ``act`` on the same person) and ◀ back."""
    button = ProgressCB(pid=cb.pid, act=act, aid=cb.aid, value=value)
    return _with_back(t, cb, [[(t(key), button)]])


def complete_question(t: Texts, cb: ProgressCB, name: str) -> Screen:
    text = t("progress.complete_question", name=name)
    return text, _one(t, cb, "progress.complete_yes", ProgressAct.COMPLETE)


def early_offer(t: Texts, cb: ProgressCB, refusal: str) -> Screen:
    """수료 refused before the end: 조기 수료 instead."""
    return refusal, _one(t, cb, "progress.early_button", ProgressAct.EARLY)


def drop_reasons(t: Texts, cb: ProgressCB, name: str) -> Screen:
    rows: list[list[Button]] = [
        [
            (
                t(f"progress.drop_code.{code}"),
                ProgressCB(pid=cb.pid, act=ProgressAct.CODE, aid=cb.aid, value=code),
            )
        ]
        for code in DROPOUT_CODES
    ]
    return t("progress.drop_ask", name=name), _with_back(t, cb, rows)


def drop_question(t: Texts, cb: ProgressCB, name: str) -> Screen:
    text = t("progress.drop_question", name=name, code=t(f"progress.drop_code.{cb.value}"))
    return text, _one(t, cb, "progress.drop_yes", ProgressAct.DODROP, cb.value)
