"""Staff account requests (계정등록): the portal's fields, approval by the support center.

A request is a ``StaffAccount`` row with ``status="pending"``; an approver (a center operator:
``CenterOperator`` rows and ``settings.center_user_ids``) approves or rejects it with a reason.
The first decision wins (compare-and-set on the status); the requester is told either way through
the outbox, and an approved one is invited to enrol the second factor.

Codes raised (params in parentheses):
- ``staff.already_staff`` — the caller already has an active account (or is a center operator).
- ``staff.request_pending`` — a request of this person is waiting for a decision.
- ``staff.request_missing`` — no such request.
- ``staff.request_already_approved`` / ``staff.request_already_rejected`` (who) — decided before.
- ``staff.agency_unknown`` — the agency is not (or no longer) known.
- ``staff.choose_one`` — a multi-select needs at least one choice.
- ``staff.bad_choice`` — a value outside the allowed choices (crafted input).
- ``staff.pledge_missing`` — the signed security pledge file is required.
- ``staff.file_type`` (allowed) · ``staff.file_size`` (limit_mb) — the uploaded file.
- ``staff.reason_required`` — a rejection needs a reason.
- ``access.denied`` · ``access.center_only`` — role checks.
- plus the field rules: ``text.*``, ``email.format``, ``phone.*``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.domain.identifiers import normalize_email
from bot.domain.phones import require_direct_line, require_mobile
from bot.domain.text import check_char_limit, require_text
from bot.services import audit, outbox
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.storage.models import Agency, CenterOperator, StaffAccount, StoredFile, User

log = logging.getLogger(__name__)

MANAGING_BODY = "고용노동부 본부"
PROJECT_KIND = "[민간] 청년일경험지원사업"
POSITIONS = ("head", "staff")  # 민간위탁 기관장 | 민간위탁 담당자
DUTIES = ("basic", "employment")  # 기본업무, 취업관리
PERMISSIONS = ("basic", "program")  # [민간위탁] 기본 권한, 일경험프로그램 권한
FILE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".hwp", ".hwpx", ".doc", ".docx")
FILE_MAX_MB = 10
NAME_MAX = 50
REASON_MAX = 500


@dataclass(frozen=True)
class AgencyChoice:
    id: int
    corporate_name: str
    branch_name: str | None

    @property
    def display(self) -> str:
        return (
            f"{self.corporate_name} {self.branch_name}"
            if self.branch_name
            else self.corporate_name
        )


def _choice(agency: Agency) -> AgencyChoice:
    return AgencyChoice(agency.id, agency.corporate_name, agency.branch_name)


def project_name(year: int, agency: AgencyChoice) -> str:
    """사업명 as the portal fills it: ``YYYY_[민간] 청년일경험지원사업_<agency>``."""
    return f"{year}_{PROJECT_KIND}_{agency.display}"


# --- field rules (pure) ------------------------------------------------------------------


def clean_name(raw: str) -> str:
    name = require_text(raw)
    check_char_limit(name, NAME_MAX)
    return name


def clean_email(raw: str) -> str:
    return normalize_email(raw)


def clean_mobile(raw: str) -> str:
    return require_mobile(raw).formatted


def clean_direct_line(raw: str) -> str:
    """Phone and fax: a direct line; a mobile number is refused."""
    return require_direct_line(raw).formatted


def clean_choices(values: Any, allowed: tuple[str, ...]) -> list[str]:
    if not isinstance(values, list | tuple) or any(v not in allowed for v in values):
        raise DomainError("staff.bad_choice")
    if not values:
        raise DomainError("staff.choose_one")
    return [v for v in allowed if v in values]  # portal order, no duplicates


def clean_reason(raw: str | None) -> str:
    if not (raw or "").strip():
        raise DomainError("staff.reason_required")
    reason = require_text(raw)
    check_char_limit(reason, REASON_MAX)
    return reason


def check_upload(file_name: str, size: int) -> None:
    if not file_name.lower().endswith(FILE_EXTENSIONS):
        raise DomainError("staff.file_type", allowed=", ".join(e[1:] for e in FILE_EXTENSIONS))
    if size > FILE_MAX_MB * 1024 * 1024:
        raise DomainError("staff.file_size", limit_mb=FILE_MAX_MB)


# --- agencies ----------------------------------------------------------------------------


async def list_corporations(ctx: AppContext, query: str | None = None) -> list[AgencyChoice]:
    """One entry per corporate name (법인명), the HQ row first, optionally filtered by a search."""
    async with ctx.db.session() as session:
        stmt = select(Agency).where(Agency.active.is_(True))
        if query:
            stmt = stmt.where(Agency.corporate_name.contains(query.strip()))
        rows = (await session.scalars(stmt.order_by(Agency.corporate_name, Agency.id))).all()
    seen: dict[str, AgencyChoice] = {}
    for row in rows:
        current = seen.get(row.corporate_name)
        if current is None or (current.branch_name and not row.branch_name):
            seen[row.corporate_name] = _choice(row)
    return list(seen.values())


async def list_offices(ctx: AppContext, agency_id: int) -> list[AgencyChoice]:
    """HQ and branches sharing the corporate name of ``agency_id`` (HQ first)."""
    async with ctx.db.session() as session:
        agency = await session.get(Agency, agency_id)
        if agency is None or not agency.active:
            raise DomainError("staff.agency_unknown")
        rows = (
            await session.scalars(
                select(Agency)
                .where(Agency.corporate_name == agency.corporate_name, Agency.active.is_(True))
                .order_by(Agency.id)
            )
        ).all()
    offices = [_choice(r) for r in rows]
    return sorted(offices, key=lambda o: (o.branch_name is not None, o.branch_name or ""))


async def get_agency(ctx: AppContext, agency_id: int) -> AgencyChoice:
    async with ctx.db.session() as session:
        agency = await session.get(Agency, agency_id)
    if agency is None or not agency.active:
        raise DomainError("staff.agency_unknown")
    return _choice(agency)


# --- files -------------------------------------------------------------------------------


async def save_upload(
    ctx: AppContext,
    actor: Actor,
    *,
    kind: str,
    file_name: str,
    mime_type: str,
    content: bytes,
    telegram_file_id: str | None = None,
) -> int:
    """Store an uploaded file (e.g. the signed security pledge); returns its id."""
    check_upload(file_name, len(content))
    async with ctx.db.session() as session:
        row = StoredFile(
            kind=kind,
            file_name=file_name[:255],
            mime_type=(mime_type or "application/octet-stream")[:100],
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            telegram_file_id=telegram_file_id,
            owner_telegram_id=actor.telegram_id,
        )
        session.add(row)
        await session.flush()
        return row.id


async def load_file(ctx: AppContext, file_id: int) -> StoredFile | None:
    async with ctx.db.session() as session:
        return await session.get(StoredFile, file_id)


# --- people ------------------------------------------------------------------------------


async def approver_ids(session: AsyncSession, ctx: AppContext) -> list[int]:
    """Every account approver: active center operators and CENTER_USER_IDS."""
    ids = set(ctx.settings.center_user_ids)
    ids.update(
        await session.scalars(
            select(CenterOperator.telegram_id).where(CenterOperator.active.is_(True))
        )
    )
    return sorted(ids)


async def display_name(session: AsyncSession, telegram_id: int | None) -> str:
    """A person's name for "decided by …": center operator, staff account, or Telegram name."""
    if telegram_id is None:
        return "-"
    center = await session.get(CenterOperator, telegram_id)
    if center is not None and center.name:
        return center.name
    staff_name = await session.scalar(
        select(StaffAccount.name)
        .where(StaffAccount.telegram_id == telegram_id, StaffAccount.status == "approved")
        .order_by(StaffAccount.id.desc())
        .limit(1)
    )
    if staff_name:
        return staff_name
    user = await session.get(User, telegram_id)
    return (user.first_name if user and user.first_name else None) or str(telegram_id)


# --- requests ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestView:
    id: int
    telegram_id: int
    name: str
    agency: str
    project_name: str
    position: str
    email: str
    mobile: str
    phone: str
    fax: str | None
    is_project_manager: bool
    duties: list[str]
    permissions: list[str]
    consent_info: bool
    pledge_file_id: int | None
    status: str
    reject_reason: str | None
    decided_by_name: str | None
    created_at: Any


async def _view(session: AsyncSession, row: StaffAccount) -> RequestView:
    return RequestView(
        id=row.id,
        telegram_id=row.telegram_id,
        name=row.name,
        agency=_choice(row.agency).display,
        project_name=row.project_name,
        position=row.position,
        email=row.email,
        mobile=row.mobile,
        phone=row.phone,
        fax=row.fax,
        is_project_manager=row.is_project_manager,
        duties=list(row.duties or []),
        permissions=list(row.permissions or []),
        consent_info=row.consent_info,
        pledge_file_id=row.pledge_file_id,
        status=row.status,
        reject_reason=row.reject_reason,
        decided_by_name=await display_name(session, row.decided_by) if row.decided_by else None,
        created_at=row.created_at,
    )


async def request_state(ctx: AppContext, telegram_id: int) -> str | None:
    """``approved`` (an active account), ``pending`` (waiting), or None (may request)."""
    async with ctx.db.session() as session:
        rows = (
            await session.scalars(
                select(StaffAccount.status).where(
                    StaffAccount.telegram_id == telegram_id, StaffAccount.ended_at.is_(None)
                )
            )
        ).all()
    for status in ("approved", "pending"):
        if status in rows:
            return status
    return None


def _clean_form(form: dict[str, Any]) -> dict[str, Any]:
    position = form.get("position")
    if position not in POSITIONS:
        raise DomainError("staff.bad_choice")
    fax = form.get("fax")
    if not form.get("pledge_file_id"):
        raise DomainError("staff.pledge_missing")
    return {
        "name": clean_name(str(form.get("name") or "")),
        "position": position,
        "email": clean_email(str(form.get("email") or "")),
        "mobile": clean_mobile(str(form.get("mobile") or "")),
        "phone": clean_direct_line(str(form.get("phone") or "")),
        "fax": clean_direct_line(str(fax)) if fax else None,
        "is_project_manager": bool(form.get("is_project_manager")),
        "duties": clean_choices(form.get("duties"), DUTIES),
        "permissions": clean_choices(form.get("permissions"), PERMISSIONS),
        "consent_info": bool(form.get("consent_info")),
        "pledge_file_id": int(form["pledge_file_id"]),
    }


async def submit_request(ctx: AppContext, actor: Actor, form: dict[str, Any]) -> int:
    """Create the pending request and send it to every approver. Returns the request id."""
    if actor.is_staff or actor.is_center:
        raise DomainError("staff.already_staff")
    fields = _clean_form(form)
    tid = actor.telegram_id
    async with ctx.db.session() as session:
        agency = await session.get(Agency, int(form.get("agency_id") or 0))
        if agency is None or not agency.active:
            raise DomainError("staff.agency_unknown")
        pledge = await session.get(StoredFile, fields["pledge_file_id"])
        if pledge is None or pledge.owner_telegram_id != tid:
            raise DomainError("staff.pledge_missing")
        open_rows = (
            await session.scalars(
                select(StaffAccount.status).where(
                    StaffAccount.telegram_id == tid,
                    StaffAccount.ended_at.is_(None),
                    StaffAccount.status.in_(("pending", "approved")),
                )
            )
        ).all()
        if "approved" in open_rows:
            raise DomainError("staff.already_staff")
        if "pending" in open_rows:
            raise DomainError("staff.request_pending")
        choice = _choice(agency)
        row = StaffAccount(
            telegram_id=tid,
            agency_id=agency.id,
            project_name=project_name(ctx.today().year, choice),
            status="pending",
            **fields,
        )
        session.add(row)
        await session.flush()
        audit.record(
            session,
            actor,
            "staff.request",
            "staff_account",
            row.id,
            agency_id=agency.id,
            after={"position": row.position, "permissions": row.permissions},
        )
        approvers = await approver_ids(session, ctx)
        if not approvers:
            log.warning("staff request %s: no approver is configured", row.id)
        for approver in approvers:
            await outbox.enqueue(
                session,
                approver,
                "staff.request",
                "staff.approver.new",
                params={
                    "id": row.id,
                    "name": row.name,
                    "agency": choice.display,
                    "project": row.project_name,
                    "email": row.email,
                    "mobile": row.mobile,
                    "phone": row.phone,
                },
                buttons=[
                    [
                        {
                            "key": "staff.btn.view_request",
                            "cb": "sap",
                            "args": {"action": "open", "req": row.id},
                        }
                    ],
                    [
                        {
                            "key": "staff.btn.approve",
                            "cb": "sa",
                            "args": {"action": "approve", "req": row.id},
                        },
                        {
                            "key": "staff.btn.reject",
                            "cb": "sa",
                            "args": {"action": "reject", "req": row.id},
                        },
                    ],
                ],
                dedupe_key=f"staff.request:{row.id}:{approver}",
                entity="staff_account",
                entity_id=row.id,
            )
        return row.id


async def get_request(ctx: AppContext, actor: Actor, request_id: int) -> RequestView:
    """A request as the approver sees it (center only, or the requester's own)."""
    async with ctx.db.session() as session:
        row = await session.get(StaffAccount, request_id)
        if row is None:
            raise DomainError("staff.request_missing")
        allowed = actor.is_center or row.telegram_id == actor.telegram_id
        view = await _view(session, row) if allowed else None
    if view is None:
        await audit.refuse(
            ctx, actor, "staff.view", "staff_account", request_id, code="access.center_only"
        )
    return view


async def pending_requests(ctx: AppContext, actor: Actor) -> list[RequestView]:
    if not actor.is_center:
        await audit.refuse(
            ctx, actor, "staff.approvals", "staff_account", code="access.center_only"
        )
    async with ctx.db.session() as session:
        rows = (
            await session.scalars(
                select(StaffAccount)
                .where(StaffAccount.status == "pending")
                .order_by(StaffAccount.created_at, StaffAccount.id)
            )
        ).all()
        return [await _view(session, r) for r in rows]


async def decide_request(
    ctx: AppContext, actor: Actor, request_id: int, *, approve: bool, reason: str | None = None
) -> RequestView:
    """Approve or reject (with a reason); the first decision wins."""
    if not actor.is_center:
        await audit.refuse(
            ctx, actor, "staff.decide", "staff_account", request_id, code="access.center_only"
        )
    clean = None if approve else clean_reason(reason)
    status = "approved" if approve else "rejected"
    now = ctx.now()
    async with ctx.db.session() as session:
        row = await session.get(StaffAccount, request_id)
        if row is None:
            raise DomainError("staff.request_missing")
        result = await session.execute(
            update(StaffAccount)
            .where(StaffAccount.id == request_id, StaffAccount.status == "pending")
            .values(
                status=status, decided_by=actor.telegram_id, decided_at=now, reject_reason=clean
            )
            .execution_options(synchronize_session=False)
        )
        won = bool(result.rowcount)  # type: ignore[attr-defined]
        if won:
            await session.refresh(row)
            audit.record(
                session,
                actor,
                f"staff.{'approve' if approve else 'reject'}",
                "staff_account",
                row.id,
                agency_id=row.agency_id,
                before={"status": "pending"},
                after={"status": status},
                reason=clean,
            )
            if approve:
                await outbox.enqueue(
                    session,
                    row.telegram_id,
                    "staff.approved",
                    "staff.notify.approved",
                    params={"agency": _choice(row.agency).display},
                    buttons=[
                        [{"key": "staff.btn.enrol", "cb": "otp", "args": {"action": "enrol"}}]
                    ],
                    dedupe_key=f"staff.decided:{row.id}",
                    entity="staff_account",
                    entity_id=row.id,
                )
            else:
                await outbox.enqueue(
                    session,
                    row.telegram_id,
                    "staff.rejected",
                    "staff.notify.rejected",
                    params={"reason": clean, "agency": _choice(row.agency).display},
                    dedupe_key=f"staff.decided:{row.id}",
                    entity="staff_account",
                    entity_id=row.id,
                )
        view = await _view(session, row)
    if not won:
        async with ctx.db.session() as session:
            row = await session.get(StaffAccount, request_id)
            assert row is not None
            who = await display_name(session, row.decided_by)
            code = (
                "staff.request_already_approved"
                if row.status == "approved"
                else "staff.request_already_rejected"
            )
        raise DomainError(code, who=who)
    return view
