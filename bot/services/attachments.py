"""Program attachments: the operating plan / project proposal and the training plan, merged.

The portal wants one PDF: the operating plan (intern and ESG type) or the project proposal
(project type) first, then the pre-job training plan (사전직무교육계획서), "순서대로 연결하여 1개의
pdf 파일로". Each upload is checked (a real PDF, not encrypted, readable), kept as a
``StoredFile`` and the merged file is rebuilt from the parts whenever one of them changes.

When the program has no pre-job training, the merged attachment is the plan alone.

Codes raised (params in parentheses):
- ``progfile.not_pdf`` (name) — the file is not a PDF (checked by content, not by name).
- ``progfile.encrypted`` (name) — password-protected; the portal cannot open it either.
- ``progfile.corrupt`` (name) — says PDF but cannot be read, or has no pages.
- ``progfile.too_large`` (size_mb, limit_mb) — more than a bot may download from Telegram.
- ``progfile.empty`` — a zero-byte file.
- ``progfile.no_slot`` — a training plan for a program without pre-job training.
- ``progfile.none`` — no merged attachment yet.
Plus the program registry's access and lock codes (see :mod:`bot.services.program_registry`).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.errors import DomainError
from bot.services import audit
from bot.services.context import AppContext
from bot.services.identity import Actor
from bot.services.program_registry import load_for_edit, load_for_view
from bot.storage.models import Program, StoredFile

log = logging.getLogger(__name__)

Slot = Literal["plan", "training"]
SLOTS: tuple[Slot, ...] = ("plan", "training")
MAX_BYTES = 20 * 1024 * 1024  # what a bot can download through getFile
PDF_MIME = "application/pdf"
_KIND = {"plan": "program_plan", "training": "program_training_plan"}


@dataclass(frozen=True)
class PdfInfo:
    pages: int


@dataclass(frozen=True)
class AttachmentState:
    """What a program has: page counts of the parts and the merged file (None = missing)."""

    plan_pages: int | None
    training_pages: int | None
    merged_file_id: int | None
    merged_pages: int | None
    training_needed: bool


def check_size(size: int | None) -> None:
    """Refuse before downloading: Telegram hands bots files up to 20 MB."""
    if size is not None and size > MAX_BYTES:
        raise DomainError(
            "progfile.too_large",
            size_mb=round(size / 1024 / 1024, 1),
            limit_mb=MAX_BYTES // 1024 // 1024,
        )


def inspect_pdf(content: bytes, name: str = "") -> PdfInfo:
    """Accept only a readable, unencrypted PDF with at least one page."""
    if not content:
        raise DomainError("progfile.empty")
    check_size(len(content))
    if b"%PDF-" not in content[:1024]:
        raise DomainError("progfile.not_pdf", name=name)
    try:
        from pypdf import PdfReader  # ~30 MiB with PIL and fontTools: imported on first use

        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise DomainError("progfile.encrypted", name=name)
        pages = len(reader.pages)
        for page in reader.pages:  # touch every page: a broken page tree fails here
            page.mediabox  # noqa: B018
    except DomainError:
        raise
    except Exception as exc:  # pypdf raises many kinds for a damaged file
        log.info("unreadable PDF %r: %r", name, exc)
        raise DomainError("progfile.corrupt", name=name) from None
    if pages < 1:
        raise DomainError("progfile.corrupt", name=name)
    return PdfInfo(pages=pages)


def merge_pdfs(parts: list[bytes]) -> bytes:
    """Concatenate PDFs in the given order."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for content in parts:
        writer.append(PdfReader(io.BytesIO(content)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_count(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def _stored(kind: str, name: str, content: bytes, owner: int) -> StoredFile:
    return StoredFile(
        kind=kind,
        file_name=name,
        mime_type=PDF_MIME,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        owner_telegram_id=owner,
    )


def _safe_name(name: str, fallback: str) -> str:
    cleaned = "".join(c for c in name if c not in '/\\:*?"<>|\r\n\t').strip()
    if not cleaned:
        cleaned = fallback
    if not cleaned.lower().endswith(".pdf"):
        cleaned += ".pdf"
    return cleaned[-120:]


async def _get_file(session: AsyncSession, file_id: int | None) -> StoredFile | None:
    return await session.get(StoredFile, file_id) if file_id is not None else None


async def _rebuild(session: AsyncSession, program: Program, actor: Actor) -> int | None:
    """Re-merge plan (+ training plan when training is given); returns merged page count."""
    plan = await _get_file(session, program.plan_file_id)
    training = await _get_file(session, program.training_plan_file_id)
    old_merged = program.attachment_file_id
    parts: list[bytes] | None = None
    if plan is not None:
        if program.training_required is False:
            parts = [plan.content]
        elif training is not None:
            parts = [plan.content, training.content]
    merged_pages = None
    if parts is None:
        program.attachment_file_id = None
    else:
        content = merge_pdfs(parts)
        merged = _stored(
            "program_attachment",
            f"program-{program.id}-attachment.pdf",
            content,
            actor.telegram_id,
        )
        session.add(merged)
        await session.flush()
        program.attachment_file_id = merged.id
        merged_pages = _page_count(content)
    await session.flush()
    if old_merged is not None and old_merged != program.attachment_file_id:
        old = await session.get(StoredFile, old_merged)
        if old is not None:
            await session.delete(old)
    return merged_pages


async def store_part(
    ctx: AppContext,
    actor: Actor,
    program_id: int,
    slot: Slot,
    file_name: str,
    content: bytes,
) -> AttachmentState:
    """Check and keep one part, then rebuild the merged attachment."""
    info = inspect_pdf(content, file_name)
    async with ctx.db.session() as session:
        program = await load_for_edit(session, ctx, actor, program_id)
        if slot == "training" and program.training_required is False:
            raise DomainError("progfile.no_slot")
        fallback = "plan" if slot == "plan" else "training-plan"
        row = _stored(_KIND[slot], _safe_name(file_name, fallback), content, actor.telegram_id)
        session.add(row)
        await session.flush()
        column = "plan_file_id" if slot == "plan" else "training_plan_file_id"
        old_id = getattr(program, column)
        setattr(program, column, row.id)
        merged_pages = await _rebuild(session, program, actor)
        if old_id is not None:
            old = await session.get(StoredFile, old_id)
            if old is not None:
                await session.delete(old)
        audit.record(
            session,
            actor,
            "program.attachment",
            "program",
            program.id,
            before={column: old_id},
            after={column: row.id, "pages": info.pages, "merged_pages": merged_pages},
            reason=slot,
            agency_id=program.agency_id,
        )
        return await _state(session, program)


async def _state(session: AsyncSession, program: Program) -> AttachmentState:
    plan = await _get_file(session, program.plan_file_id)
    training = await _get_file(session, program.training_plan_file_id)
    merged = await _get_file(session, program.attachment_file_id)
    return AttachmentState(
        plan_pages=_page_count(plan.content) if plan else None,
        training_pages=_page_count(training.content) if training else None,
        merged_file_id=merged.id if merged else None,
        merged_pages=_page_count(merged.content) if merged else None,
        training_needed=program.training_required is not False,
    )


async def attachment_state(ctx: AppContext, actor: Actor, program_id: int) -> AttachmentState:
    async with ctx.db.session() as session:
        program = await load_for_view(session, ctx, actor, program_id)
        return await _state(session, program)


async def rebuild_after_training_change(
    session: AsyncSession, program: Program, actor: Actor
) -> None:
    """Called by the registry when 사전직무교육 yes/no changes (the merge depends on it)."""
    if program.plan_file_id is not None:
        await _rebuild(session, program, actor)


async def merged_file(ctx: AppContext, actor: Actor, program_id: int) -> StoredFile:
    """The merged attachment (staff of the agency, or the center), for re-download."""
    async with ctx.db.session() as session:
        program = await load_for_view(session, ctx, actor, program_id)
        stored = await _get_file(session, program.attachment_file_id)
        if stored is None:
            raise DomainError("progfile.none")
        return stored


async def remember_telegram_file_id(ctx: AppContext, file_id: int, telegram_file_id: str) -> None:
    """After the first send, Telegram's file id lets later sends skip the upload."""
    async with ctx.db.session() as session:
        stored = await session.get(StoredFile, file_id)
        if stored is not None and stored.telegram_file_id != telegram_file_id:
            stored.telegram_file_id = telegram_file_id
