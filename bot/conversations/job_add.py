"""Adding jobs (직무) to a project-type program, one after another (a looping flow): 직무명
(unique in the program), 모집인원 → added; "➕ 다른 직무 추가" starts the next one, under the
job list. Started from the job list (``program_jobs``: 직무 추가)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from bot.forms.spec import Answer, Finish, Flow, Loop, Step, Turn
from bot.services import host_companies as hc
from bot.services.context import AppContext
from bot.services.host_companies import HEADCOUNT_RANGE

FATAL = frozenset({"roster.locked", "progreg.closed", "access.agency", "access.denied"})


class JobData(BaseModel):
    pid: int
    name: str = ""
    headcount: int | None = None


async def _name(turn: Turn[JobData], answer: Answer) -> str:
    return await hc.check_job_name(turn.ctx, turn.actor, turn.data.pid, answer.text or "")


def _count(turn: Turn[JobData], answer: Answer) -> int:
    return hc.clean_count(answer.text or "", *HEADCOUNT_RANGE)


async def _add(turn: Turn[JobData]) -> Finish:
    data = turn.data
    job = await hc.add_job(turn.ctx, turn.actor, data.pid, data.name, data.headcount or 0)
    return Finish(turn.t("progjob.added", name=job.name, n=job.headcount), exit="jobs")


def _ask(key: str) -> Any:
    return lambda turn: turn.t(f"progjob.ask_{key}", max=HEADCOUNT_RANGE[1])


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="job",
        model=JobData,
        items=(
            Step("name", _ask("name"), _name, "progjob.f.name", wrong_input="progreg.text_please"),
            Step(
                "headcount",
                _ask("headcount"),
                _count,
                "progjob.f.headcount",
                wrong_input="progreg.text_please",
            ),
        ),
        finish=_add,
        loop=Loop("progjob.btn_add_other", lambda data: JobData(pid=data.pid)),
        fatal=FATAL,
        back_exit="jobs",
    )
