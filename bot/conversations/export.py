"""/export on the form engine: the agency's data as xlsx or csv (staff: their agency; center:
all or one agency, full resident numbers only with a reason, audited).

The declaration below is the flow's table: scope (center) → format → dataset (csv) → masking
(center) → reason (unmasked); the file is made as soon as nothing is left to ask.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel

from bot.domain.errors import DomainError
from bot.forms.spec import Answer, Attachment, Finish, Flow, Option, Step, Turn
from bot.services import exports
from bot.services.context import AppContext

AGENCY_PAGE = 8  # agencies a page (also /reports' scope screen)
ALL = "all"


class ExportData(BaseModel):
    center: bool = False
    agencies: list[tuple[int, str]] = []  # the center's choice of agencies
    agency: int | None = None  # staff: their own; center: the chosen one (None: all)
    fmt: Literal["", "xlsx", "csv"] = ""
    dataset: str = ""  # one of exports.DATASETS (csv)
    masking: Literal["", "masked", "unmasked"] = ""
    reason: str = ""


def _scope_label(turn: Turn[ExportData]) -> str:
    data = turn.data
    if data.agency is None:
        return turn.t("export.all_agencies") if data.center else ""
    return next((name for aid, name in data.agencies if aid == data.agency), str(data.agency))


def _scopes(turn: Turn[ExportData]) -> list[Option]:
    agencies = [Option(str(aid), name) for aid, name in turn.data.agencies]
    return [Option(ALL, turn.t("export.all_agencies")), *agencies]


def _agency(turn: Turn[ExportData], answer: Answer) -> int | None:
    if answer.choice == ALL:
        return None
    agency = int(answer.choice or "") if (answer.choice or "").isdigit() else 0
    if agency not in {aid for aid, _ in turn.data.agencies}:
        raise DomainError("export.unknown_agency")
    return agency


def _pick(values: Sequence[str]) -> Callable[[Turn[Any], Answer], str]:
    def parse(turn: Turn[Any], answer: Answer) -> str:
        if answer.choice not in values:
            raise DomainError("export.bad_choice")
        return str(answer.choice)

    return parse


def _options(keys: dict[str, str]) -> Callable[[Turn[Any]], list[Option]]:
    return lambda turn: [Option(value, turn.t(key)) for value, key in keys.items()]


FORMATS = {"xlsx": "export.format_xlsx", "csv": "export.format_csv"}
MASKING = {"masked": "export.masked", "unmasked": "export.unmasked"}
DATASETS = {name: f"export.dataset.{name}" for name in exports.DATASETS}


def _label(keys: dict[str, str], field: str) -> Callable[[Turn[Any]], str]:
    return lambda turn: turn.t(keys[value]) if (value := getattr(turn.data, field)) else ""


async def _masking(turn: Turn[ExportData], answer: Answer) -> str:
    value = _pick(tuple(MASKING))(turn, answer)
    if value == "unmasked":
        await exports.check_unmasked_allowed(turn.ctx, turn.actor)  # refused and audited
    return value


def _reason(turn: Turn[ExportData], answer: Answer) -> str:
    reason = " ".join((answer.text or "").split())
    if len(reason) < exports.REASON_MIN:
        raise DomainError("export.reason_needed", min=exports.REASON_MIN)
    return reason


async def _deliver(turn: Turn[ExportData]) -> Finish:
    data, t = turn.data, turn.t
    unmasked = data.masking == "unmasked"
    file = await exports.export_data(
        turn.ctx,
        turn.actor,
        t,
        agency_id=data.agency,
        fmt=data.fmt,
        dataset=data.dataset or None,
        unmasked=unmasked,
        reason=data.reason if unmasked else None,
    )
    what = t(DATASETS[data.dataset]) if data.dataset else t("export.all_sheets")
    caption = t("export.file_caption", scope=file.scope, what=what, date=turn.ctx.today())
    text = t("export.done", scope=file.scope, rows=file.rows)
    if unmasked:
        text += "\n\n" + t("export.done_unmasked", reason=data.reason)
    return Finish(text, files=(Attachment(file.file_name, file.content, caption),))


def flow(ctx: AppContext) -> Flow:
    buttons_only: Any = {"takes": frozenset(), "wrong_input": "forms.use_buttons"}
    return Flow(
        name="export",
        model=ExportData,
        items=(
            Step(
                "agency",
                lambda turn: turn.t("export.choose_scope"),
                _agency,
                "export.f.scope",
                show=_scope_label,
                options=_scopes,
                when=lambda data: data.center,
                page=AGENCY_PAGE,
                **buttons_only,
            ),
            Step(
                "fmt",
                lambda turn: turn.t("export.choose_format", scope=_scope_label(turn)),
                _pick(tuple(FORMATS)),
                "export.f.format",
                show=_label(FORMATS, "fmt"),
                options=_options(FORMATS),
                **buttons_only,
            ),
            Step(
                "dataset",
                lambda turn: turn.t("export.choose_dataset"),
                _pick(tuple(DATASETS)),
                "export.f.dataset",
                show=_label(DATASETS, "dataset"),
                options=_options(DATASETS),
                when=lambda data: data.fmt == "csv",
                **buttons_only,
            ),
            Step(
                "masking",
                lambda turn: turn.t("export.choose_masking"),
                _masking,
                "export.f.masking",
                show=_label(MASKING, "masking"),
                options=_options(MASKING),
                when=lambda data: data.center,
                **buttons_only,
            ),
            Step(
                "reason",
                lambda turn: turn.t("export.ask_reason"),
                _reason,
                "export.f.reason",
                when=lambda data: data.masking == "unmasked",
            ),
        ),
        finish=_deliver,
    )
