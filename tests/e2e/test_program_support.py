"""Helpers for the program tests (no tests here): small PDFs and a complete draft program."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from fpdf import FPDF
from sqlalchemy import select

from bot.playground.driver import PlaygroundUser
from bot.playground.models import ChatMessage
from bot.services.attachments import merge_pdfs
from bot.services.context import AppContext
from bot.services.demo import DEMO_AGENCY
from bot.storage.models import Agency, HostCompany, Job, Program, StoredFile
from tests.world import STAFF


def make_pdf(*pages: str) -> bytes:
    """A PDF with one line of distinct text per page."""
    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=24)
        pdf.cell(text=text)
    return bytes(pdf.output())


async def open_program(staff: PlaygroundUser, name: str) -> ChatMessage:
    """/myprograms → the program's summary (returned)."""
    await staff.send("/myprograms")
    await staff.expect("우리 기관 프로그램")
    await staff.click(name)
    return await staff.expect("모집방식: 수시모집")


def _file(kind: str, content: bytes) -> StoredFile:
    return StoredFile(
        kind=kind,
        file_name=f"{kind}.pdf",
        mime_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        owner_telegram_id=STAFF,
    )


async def make_program(
    ctx: AppContext,
    program_type: str = "intern",
    *,
    name: str = "테스트 프로그램",
    status: str = "draft",
    attachment: bool = True,
    companies: bool = True,
    **fields: Any,
) -> int:
    """A complete draft of the demo agency (ready to submit), written through the models."""
    async with ctx.db.session() as session:
        agency_id = await session.scalar(
            select(Agency.id).where(Agency.corporate_name == DEMO_AGENCY)
        )
        training = program_type != "project"
        values: dict[str, Any] = dict(
            agency_id=agency_id,
            type=program_type,
            name=name,
            status=status,
            total_recruitment=3 if program_type != "project" else 4,
            period_start=date(2030, 4, 1),
            period_end=date(2030, 5, 26),
            schedule="1주차 OJT",
            weekly_hours=25,
            allowance="주 35만원",
            job_description="사무 지원",
            mentoring="1:1 멘토",
            completion_benefit="수료증",
            proposal_text="제안 내용" if program_type == "project" else None,
            work_address="서울시 중구 세종대로 39, 2층",
            region="서울",
            selection_criteria="서류 검토",
            resume_required=False,
            training_required=training,
            contact_name="박담당",
            contact_email="youth@example.org",
            contact_phone="02-6000-1234",
            created_by=STAFF,
        )
        if training:
            values.update(
                training_institution="청년직무아카데미",
                training_contact="한교육",
                training_email="edu@example.org",
                training_phone="02-6000-5678",
                training_start=date(2030, 3, 25),
                training_content="15시간 온라인",
            )
        values.update(fields)
        program = Program(**values)
        session.add(program)
        await session.flush()
        if attachment:
            plan = _file("program_plan", make_pdf("PLAN"))
            parts = [plan]
            if training:
                parts.append(_file("program_training_plan", make_pdf("TRAINING")))
            merged = _file("program_attachment", merge_pdfs([p.content for p in parts]))
            session.add_all([*parts, merged])
            await session.flush()
            program.plan_file_id = plan.id
            program.training_plan_file_id = parts[1].id if training else None
            program.attachment_file_id = merged.id
        if companies and program_type != "project":
            session.add_all(
                [
                    HostCompany(
                        program_id=program.id,
                        name="주식회사 한빛",
                        brn="1208147521",
                        address="서울시 중구",
                        work_address="서울시 중구 세종대로 39, 2층",
                        contact_name="오담당",
                        contact_phone="02-3000-1111",
                        headcount=2,
                        insured_count=25,
                    ),
                    HostCompany(
                        program_id=program.id,
                        name="주식회사 누리",
                        brn="2208162517",
                        address="서울시 강남구",
                        work_address="서울시 강남구 테헤란로 1",
                        contact_name="유담당",
                        contact_phone="02-3000-2222",
                        headcount=1,
                        insured_count=12,
                    ),
                ]
            )
        if program_type == "project":
            session.add_all(
                [
                    Job(program_id=program.id, name="데이터 수집", headcount=3),
                    Job(program_id=program.id, name="보고서 작성", headcount=1),
                ]
            )
        return program.id
