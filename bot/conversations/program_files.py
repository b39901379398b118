"""Uploading a program's attachments (§ 첨부파일) on the form engine: the operating plan (or,
for a 프로젝트형, the proposal) and — with 사전직무교육 — the training plan, each a PDF; after
the plan the training plan is asked when it is still missing. Each file is checked and stored
at once, and the parts are merged (①→②); then the attachments screen shows again. A refused
file (not a PDF, encrypted, corrupt, too big) is explained and asked again; ◀ 이전 at the first
step goes back to the attachments screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from pydantic import BaseModel

from bot.forms.spec import Answer, Finish, Flow, Step, Takes, Turn
from bot.services import attachments
from bot.services.attachments import Slot
from bot.services.context import AppContext

SCREEN = "attachments"  # the attachments screen (bot/conversations/program_attachments.py)
FATAL = frozenset({"roster.locked", "progreg.closed", "access.agency"})


class FilesData(BaseModel):
    pid: int
    ptype: str
    slot: str  # the upload started with: plan | training
    training_missing: bool = False  # the training plan is asked after the plan
    plan: str = ""  # the file names received
    training: str = ""


def _upload(slot: Slot) -> Callable[[Turn[FilesData], Answer], Awaitable[str]]:
    async def parse(turn: Turn[FilesData], answer: Answer) -> str:
        data, t = turn.data, turn.t
        assert answer.file is not None
        attachments.check_size(answer.file.size)
        content = await turn.files.read(answer.file)
        name = answer.file.name or ""
        after = await attachments.store_part(turn.ctx, turn.actor, data.pid, slot, name, content)
        if slot == "plan":
            data.training_missing = after.training_needed and after.training_pages is None
        turn.say(t("progfile.received", name=name or "PDF"))
        return name or "PDF"

    return parse


def _ask_plan(turn: Turn[FilesData]) -> str:
    project = turn.data.ptype == "project"
    return turn.t("progfile.ask_proposal" if project else "progfile.ask_plan")


async def _back(turn: Turn[FilesData]) -> Finish:
    return Finish("", exit=SCREEN)


def flow(ctx: AppContext) -> Flow:
    pdf = frozenset({Takes.FILE})
    return Flow(
        name="program_files",
        model=FilesData,
        items=(
            Step(
                "plan",
                _ask_plan,
                _upload("plan"),
                "progfile.plan_operating",
                takes=pdf,
                when=lambda data: data.slot == "plan",
                wrong_input="progfile.send_pdf",
            ),
            Step(
                "training",
                lambda turn: turn.t("progfile.ask_training"),
                _upload("training"),
                "progfile.plan_training",
                takes=pdf,
                when=lambda data: data.slot == "training" or data.training_missing,
                wrong_input="progfile.send_pdf",
            ),
        ),
        finish=_back,
        fatal=FATAL,
        back_exit=SCREEN,
    )
