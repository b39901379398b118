"""모집 마감일 on the staff program screen (📅 button), on the form engine: one step — a date
(2027-01-15, 2027.1.15, 2027년 1월 15일 …) or 「마감일 없음」 (rolling recruitment then runs until
the day before the program starts). A bad, past or too-late date is explained and asked again;
then the program screen shows again. ◀ 이전 goes back to it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from bot.domain.dates import parse_date
from bot.forms.spec import Answer, Finish, Flow, Option, Step, Turn
from bot.services.context import AppContext
from bot.services.recruit_until import set_recruit_until

PROGRAM = "program"  # the program screen (bot/conversations/program_views.py)
FATAL = frozenset(
    {"roster.locked", "progreg.closed", "progreg.not_found", "access.agency", "access.denied"}
)


class UntilData(BaseModel):
    pid: int
    until: date | None = None


def _parse(turn: Turn[UntilData], answer: Answer) -> date | None:
    return None if answer.choice == "none" else parse_date(answer.text or "")


async def _save(turn: Turn[UntilData]) -> Finish:
    t = turn.t
    saved = await set_recruit_until(turn.ctx, turn.actor, turn.data.pid, turn.data.until)
    text = t("recruit.saved", until=t.date(saved)) if saved else t("recruit.cleared")
    return Finish(text, exit=PROGRAM)


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="recruit_until",
        model=UntilData,
        items=(
            Step(
                "until",
                lambda turn: turn.t("recruit.ask"),
                _parse,
                "recruit.f_until",
                show=lambda turn: turn.t.date(turn.data.until) if turn.data.until else "",
                options=lambda turn: [Option("none", turn.t("recruit.none"))],
            ),
        ),
        finish=_save,
        fatal=FATAL,
        back_exit=PROGRAM,
    )
