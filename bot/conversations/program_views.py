"""The staff program screen: the summary of a program and its buttons (labels of fields and
values: ``program_labels``)."""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup, Message

from bot.conversations.program_labels import MESSAGE_LIMIT, SUMMARY_VALUE_CHARS, show_value
from bot.conversations.program_labels import field_label as field_label
from bot.conversations.program_labels import fit_lines as fit_lines
from bot.conversations.program_labels import status_label as status_label
from bot.conversations.program_labels import type_label as type_label
from bot.forms import telegram as forms
from bot.forms.spec import Turn
from bot.i18n import Raw, Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.programs import ProgCB
from bot.services import program_fields, program_registry
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_fields import COMPANY_TYPES
from bot.services.program_registry import ProgramDetails


def summary_lines(t: Texts, details: ProgramDetails, value_chars: int) -> list[str]:
    program = details.program
    lines = [
        t(
            "progreg.summary_title",
            name=program.name,
            status=status_label(t, program),
            type=type_label(t, program.type),
        ),
        t("progreg.summary_fixed"),
    ]
    unasked = set(program_fields.unanswered_fields(program))
    for spec in program_fields.applicable_fields(program):
        if spec.name in ("type", "name"):
            continue
        raw = getattr(program, spec.name)
        value: str = show_value(t, spec.name, raw, value_chars)
        if spec.name in unasked and not program_fields.is_empty(raw):  # a default taken
            value = Raw(t("progreg.value_default", value=value))
        lines.append(t("progreg.summary_line", label=Raw(field_label(t, spec.name)), value=value))
    units = details.unit_total
    if program.type in COMPANY_TYPES:
        waiting = sum(1 for c in details.companies if c.insured_check == "pending")
        lines.append(
            t(
                "progreg.summary_companies",
                n=len(details.companies),
                sum=units,
                total=program.total_recruitment or 0,
                waiting=waiting,
            )
        )
    else:
        lines.append(t("progreg.summary_companies_plain", n=len(details.companies)))
        lines.append(
            t(
                "progreg.summary_jobs",
                n=len(details.jobs),
                sum=units,
                total=program.total_recruitment or 0,
            )
        )
    lines.append(
        t("progreg.summary_attachment_yes")
        if program.attachment_file_id
        else t("progreg.summary_attachment_no")
    )
    if program.reject_reason and program.status == "rejected":
        lines.append(t("progreg.summary_rejected", reason=program.reject_reason))
    missing = details.missing
    if program.roster_locked_at is not None:
        lines.append(t("progreg.summary_locked"))
    elif missing:
        labels = ", ".join(field_label(t, m) for m in missing)
        lines.append(t("progreg.summary_missing", fields=Raw(labels), count=len(missing)))
    elif program.status in ("draft", "rejected"):
        lines.append(t("progreg.summary_ready"))
    return lines


def summary_text(t: Texts, details: ProgramDetails, limit: int = MESSAGE_LIMIT) -> str:
    """The program at a glance; long values are shortened so the whole fits one message."""
    for value_chars in (SUMMARY_VALUE_CHARS, 30, 12):
        text = "\n".join(summary_lines(t, details, value_chars))
        if len(text) <= limit:
            return text
    return fit_lines(summary_lines(t, details, 12), limit)


def summary_keyboard(t: Texts, details: ProgramDetails) -> InlineKeyboardMarkup:
    program = details.program
    pid = program.id
    rows: list[list[Button]] = []
    if program.roster_locked_at is None and program.status != "closed":
        if program_fields.unanswered_fields(program):
            rows.append([(t("progreg.btn_resume"), ProgCB(action="resume", pid=pid))])
        rows.append([(t("progreg.btn_fields"), ProgCB(action="fields", pid=pid))])
        company_row: list[Button] = [
            (
                t("progreg.btn_companies", n=len(details.companies)),
                ProgCB(action="companies", pid=pid),
            )
        ]
        if program.type == "project":
            company_row.append(
                (t("progreg.btn_jobs", n=len(details.jobs)), ProgCB(action="jobs", pid=pid))
            )
        rows.append(company_row)
        rows.append([(t("progreg.btn_attach"), ProgCB(action="attach", pid=pid))])
        until = program.recruit_until
        label = t("recruit.btn_set", until=until.isoformat()) if until else t("recruit.btn")
        rows.append([(label, ProgCB(action="until", pid=pid))])
    if program.attachment_file_id:
        rows.append([(t("progreg.btn_pdf"), ProgCB(action="pdf", pid=pid))])
    if program.status in ("draft", "rejected") and program.roster_locked_at is None:
        rows.append([(t("progreg.btn_submit"), ProgCB(action="submit", pid=pid))])
    return inline(rows)


async def answer_summary(message: Message, t: Texts, details: ProgramDetails) -> None:
    await message.answer(summary_text(t, details), reply_markup=summary_keyboard(t, details))


async def send_summary(
    message: Message, ctx: AppContext, actor: Actor, t: Texts, program_id: int
) -> None:
    await answer_summary(message, t, await program_registry.get_details(ctx, actor, program_id))


async def _to_program(message: Message, turn: Turn[Any]) -> None:
    await send_summary(message, turn.ctx, turn.actor, turn.t, turn.data.pid)


forms.EXITS["program"] = _to_program  # the program screen, after a flow about the program
