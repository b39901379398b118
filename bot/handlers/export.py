"""/export: the agency's data as xlsx or csv — the flow is ``bot/conversations/export.py`` on
the form engine; here only the command (staff asking for full numbers are refused, audited)."""

from __future__ import annotations

from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.conversations.export import ExportData
from bot.forms import telegram as forms
from bot.forms.registry import FlowName
from bot.i18n import Texts
from bot.middlewares.access import staff_or_center_router
from bot.services import exports
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_or_center_router("export")
UNMASKED_ARGS = frozenset({"rrn", "full", "unmasked", "주민번호", "전체번호"})


@router.message(Command("export"))
async def start_export(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    await state.clear()
    if (command.args or "").strip().lower() in UNMASKED_ARGS:
        await exports.check_unmasked_allowed(ctx, actor)  # staff: refused and audited
    if actor.is_center:
        data = ExportData(center=True, agencies=await exports.active_agencies(ctx))
    else:
        assert actor.agency_id is not None
        name = await exports.agency_name(ctx, actor.agency_id)
        data = ExportData(agency=actor.agency_id, agencies=[(actor.agency_id, name)])
    await forms.begin(message, state, ctx, t, actor, FlowName.EXPORT, data)
