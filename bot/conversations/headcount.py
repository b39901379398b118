"""Changing the head count (모집인원) of a host company or a job: one step, saved at once; the
list it came from follows. Started from a list's 인원 변경 button (``program_headcounts``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from bot.forms.spec import Answer, Finish, Flow, Step, Turn
from bot.services import host_companies as hc
from bot.services.context import AppContext
from bot.services.host_companies import HEADCOUNT_RANGE

FATAL = frozenset({"roster.locked", "progreg.closed", "access.agency", "access.denied"})


class HeadcountData(BaseModel):
    kind: Literal["company", "job"]
    item_id: int
    pid: int
    value: int | None = None


def _value(turn: Turn[HeadcountData], answer: Answer) -> int:
    return hc.clean_count(answer.text or "", *HEADCOUNT_RANGE)


async def _save(turn: Turn[HeadcountData]) -> Finish:
    data, raw = turn.data, str(turn.data.value)
    if data.kind == "job":
        await hc.set_job_headcount(turn.ctx, turn.actor, data.item_id, raw)
    else:
        await hc.set_company_headcount(turn.ctx, turn.actor, data.item_id, raw)
    return Finish(turn.t("hostco.headcount_saved"), exit="headcount_list")


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="headcount",
        model=HeadcountData,
        items=(
            Step(
                "value",
                lambda turn: turn.t("hostco.ask.new_headcount", max=HEADCOUNT_RANGE[1]),
                _value,
                "hostco.f.headcount",
                wrong_input="progreg.text_please",
            ),
        ),
        finish=_save,
        fatal=FATAL,
        back_exit="headcount_list",
    )
