"""/hours: staff record 사전직무교육 figures the reports need (hours attended per participant;
the training's planned hours, method, place and last day per program).

| input                                              | answer                          |
|----------------------------------------------------|---------------------------------|
| /hours                                             | how to use it                   |
| /hours <신청번호> <시간>                             | recorded (before → after)       |
| /hours plan <프로그램번호> <시간> | <방법> | <장소> | <종료일> | recorded                |
| anything else                                      | how to use it (nothing changes) |
Refusals (another agency, bad numbers) are clear Korean messages; nothing changes.
"""

from __future__ import annotations

from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.i18n import Texts
from bot.middlewares.access import staff_router
from bot.services import training_records
from bot.services.context import AppContext
from bot.services.identity import Actor

router = staff_router("training_hours")


@router.message(Command("hours"))
async def hours_command(
    message: Message, command: CommandObject, actor: Actor, ctx: AppContext, t: Texts
) -> None:
    words = (command.args or "").split(maxsplit=2)
    if len(words) == 2 and words[0].isdigit():
        hours = training_records.parse_hours(words[1])
        done = await training_records.set_attended_hours(ctx, actor, int(words[0]), hours)
        before = t("training.none") if done.before is None else str(done.before)
        await message.answer(
            t("training.hours_set", id=done.application_id, name=done.name,
              program=done.program, before=before, hours=done.hours)
        )  # fmt: skip
        return
    if len(words) == 3 and words[0].lower() == "plan" and words[1].isdigit():
        parts = [p.strip() for p in words[2].split("|")]
        if 1 <= len(parts) <= 4:
            parts += [""] * (4 - len(parts))
            hours = training_records.parse_hours(parts[0])
            plan = await training_records.set_training_plan(
                ctx, actor, int(words[1]), hours, parts[1], parts[2], parts[3]
            )
            none = t("training.none")
            await message.answer(
                t("training.plan_set", program=plan.program, hours=plan.hours,
                  method=plan.method or none, place=plan.place or none,
                  end=plan.end.isoformat() if plan.end else none)
            )  # fmt: skip
            return
    await message.answer(t("training.usage"))
