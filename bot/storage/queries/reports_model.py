"""The plain data of the weekly report: which states count as what, the per-program figures and
the kinds of "data that needs a look" (``queries.reports_weekly`` fills them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# states that count as "selected at some point" (선발 인원)
SELECTED_STATES = ("selected", "completed", "dropped")
# states that passed certification (인증 → 선발대기 and beyond)
CERTIFIED_STATES = ("certified", "selected", "not_selected", "completed", "dropped")
# applications staff are still working on (drafts and final states aside)
ACTIVE_STATES = ("submitted", "held", "certified", "selected", "completed")
WAITING_DAYS = 3
HELD_DAYS = 7

PROGRAM_REQUIRED = (
    "work_address",
    "schedule",
    "weekly_hours",
    "allowance",
    "job_description",
    "selection_criteria",
    "period_start",
    "period_end",
    "total_recruitment",
    "contact_name",
    "contact_phone",
    "contact_email",
)
TRAINING_REQUIRED = (
    "training_institution",
    "training_contact",
    "training_email",
    "training_phone",
    "training_start",
    "training_content",
)
_PROGRAM_COLUMNS = (
    "id", "agency_id", "name", "type", "total_recruitment", "roster_locked_at",
    "training_required", "proposal_text", *PROGRAM_REQUIRED, *TRAINING_REQUIRED,
)  # fmt: skip


@dataclass
class ProgramFigures:
    program_id: int
    name: str
    type: str
    total_recruitment: int | None
    states: Counter[str] = field(default_factory=Counter)
    new_this_week: int = 0
    surveys: int = 0
    certificates: int = 0
    certificates_requested: int = 0

    @property
    def applied(self) -> int:
        return sum(n for state, n in self.states.items() if state != "draft")

    @property
    def certified(self) -> int:
        return sum(self.states[s] for s in CERTIFIED_STATES)

    @property
    def selected(self) -> int:
        return sum(self.states[s] for s in SELECTED_STATES)

    @property
    def completed(self) -> int:
        return self.states["completed"]


@dataclass(frozen=True)
class LateApplication:
    application_id: int
    name: str
    program: str
    days: int


@dataclass(frozen=True)
class MissingFields:
    what: str  # program | application
    ref: int
    label: str  # program name or participant name
    fields: tuple[str, ...]


@dataclass(frozen=True)
class HeadcountMismatch:
    program: str
    kind: str  # parts (company / job sum ≠ total) | over (selected > total)
    total: int
    counted: int


@dataclass
class Attention:
    waiting: list[LateApplication] = field(default_factory=list)
    held: list[LateApplication] = field(default_factory=list)
    missing: list[MissingFields] = field(default_factory=list)
    headcounts: list[HeadcountMismatch] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.waiting or self.held or self.missing or self.headcounts)


@dataclass
class WeeklyData:
    """Per agency id: its programs' figures and what needs a look (agencies without reported
    programs are absent: ``figures_of`` / ``attention_of`` give empty values)."""

    figures: dict[int, list[ProgramFigures]] = field(default_factory=dict)
    attention: dict[int, Attention] = field(default_factory=dict)

    def figures_of(self, agency_id: int) -> list[ProgramFigures]:
        return self.figures.get(agency_id, [])

    def attention_of(self, agency_id: int) -> Attention:
        return self.attention.get(agency_id) or Attention()


def program_missing_fields(program: Any) -> tuple[str, ...]:
    """The required program fields left empty (``program``: a Program or a row of its columns)."""
    wanted = list(PROGRAM_REQUIRED)
    if program.type == "project":
        wanted.append("proposal_text")
    if program.training_required is None:
        wanted.append("training_required")
    elif program.training_required:
        wanted += TRAINING_REQUIRED
    return tuple(name for name in wanted if getattr(program, name) in (None, ""))
