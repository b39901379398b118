"""The four reports from a seeded national world: figures equal the rows counted here, the xlsx
reads back (sheets, headers, values, widths), the PDF's text reads back (Korean labels and
figures), staff see only their agency and the center all."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, update

from bot.domain.errors import DomainError
from bot.i18n import Translator
from bot.services.context import AppContext
from bot.services.identity import Actor, Role
from bot.services.report_service import make_report
from bot.services.xlsx_style import display_width
from bot.storage.models import Application, Certificate, Enrollment, Program, SurveyResponse
from tests.reports.conftest import seed_world

T = Translator().bind("ko")
CENTER = Actor(3001, Role.CENTER, "ko")


def staff(agency_id: int) -> Actor:
    return Actor(20_000_000 + agency_id, Role.STAFF, "ko", agency_id=agency_id)


async def _world(ctx: AppContext) -> None:
    await seed_world(ctx, agencies=5, participants=700)
    async with ctx.db.session() as session:
        await session.execute(
            update(Program)
            .where(Program.agency_id.in_((1, 2)))
            .values(training_required=True, training_hours=40, training_method="오프라인 집체",
                    training_place="서울시 중구 세종대로 39, 2층 강의장",
                    training_institution="대한상공회의소")
        )  # fmt: skip
        enrollments = (await session.scalars(select(Enrollment).order_by(Enrollment.id))).all()
        for i, e in enumerate(enrollments):
            e.training_hours = 30 + i % 11


async def _rows(
    ctx: AppContext,
) -> tuple[dict[int, Program], list[Application], dict[int, Enrollment]]:
    async with ctx.db.session() as session:
        programs = {p.id: p for p in await session.scalars(select(Program))}
        apps = list(await session.scalars(select(Application)))
        enrol = {e.application_id: e for e in await session.scalars(select(Enrollment))}
    return programs, apps, enrol


def _reported(p: Program, agency: int | None) -> bool:
    return p.status in ("approved", "closed") and (agency is None or p.agency_id == agency)


async def test_performance_report_figures_match_counted_rows(ctx: AppContext) -> None:
    await _world(ctx)
    programs, apps, enrol = await _rows(ctx)
    async with ctx.db.session() as session:
        certs = {c.application_id: c.status for c in await session.scalars(select(Certificate))}
    for actor, agency in ((CENTER, None), (staff(2), 2)):
        bundle = await make_report(ctx, actor, T, "performance", None, "week")
        mine = [
            a for a in apps if _reported(programs[a.program_id], agency) and a.state != "draft"
        ]
        states = Counter(a.state for a in mine)
        f = bundle.doc.figures
        assert f["applications"] == len(mine)
        assert f["held"] == states["held"] and f["returned"] == states["returned"]
        assert f["selected"] == states["selected"] + states["completed"] + states["dropped"]
        assert f["completed"] == states["completed"] and f["dropped"] == states["dropped"]
        assert f["certificates"] == sum(1 for a in mine if certs.get(a.id) == "approved")
        assert f["in_training"] == sum(
            1 for a in mine if a.state == "selected" and a.id in enrol
            and enrol[a.id].training_status == "in_progress"
        )  # fmt: skip
        assert f["recruitment"] == sum(
            p.total_recruitment or 0 for p in programs.values() if _reported(p, agency)
        )
    book = load_workbook(io.BytesIO(bundle.files[0].content))
    assert book.sheetnames == ["실적(기관·유형별)", "실적(프로그램별)"]
    sheet = book["실적(기관·유형별)"]
    headers = [c.value for c in sheet[1]]
    assert headers[:6] == [
        "운영기관",
        "프로그램유형",
        "프로그램 수",
        "총모집인원",
        "신청",
        "인증(누적)",
    ]
    assert "중도탈락(취업)" in headers
    assert sum(row[4].value for row in sheet.iter_rows(min_row=2)) == f["applications"]
    agency_name = sheet["A2"].value
    assert sheet.column_dimensions["A"].width >= display_width(agency_name) + 2
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


async def test_training_program_and_result_reports(ctx: AppContext) -> None:
    await _world(ctx)
    programs, apps, enrol = await _rows(ctx)
    today = ctx.today()
    roster = [a for a in apps if a.state in ("selected", "completed", "dropped")]

    training = await make_report(ctx, CENTER, T, "training", None)
    trained = [a for a in roster if _reported(programs[a.program_id], None)
               and programs[a.program_id].training_required]  # fmt: skip
    f = training.doc.figures
    assert f["trainees"] == len(trained) > 0
    assert f["done"] == sum(
        1 for a in trained if a.id in enrol and enrol[a.id].training_status == "done"
    )
    people = load_workbook(io.BytesIO(training.files[0].content))["교육생"]
    assert [c.value for c in people[1]] == [
        "프로그램명",
        "참여자인증번호",
        "성명",
        "사전직무교육 상태",
        "이수시간",
    ]
    hours = {row[1].value: row[4].value for row in people.iter_rows(min_row=2)}
    assert all(hours[a.id] == enrol[a.id].training_hours for a in trained if a.id in enrol)

    launch = await make_report(ctx, staff(1), T, "program", None)
    own = [p for p in programs.values() if _reported(p, 1)]
    assert launch.doc.figures["programs"] == len(own)
    assert launch.doc.figures["nes"] == sum(
        1 for a in roster if programs[a.program_id] in own and a.national_employment_support
    )
    sheet = load_workbook(io.BytesIO(launch.files[0].content))["프로그램"]
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == {p.name for p in own}

    national = await make_report(ctx, CENTER, T, "program", None)
    places = load_workbook(io.BytesIO(national.files[0].content))["참여기업·팀"]
    assert [c.value for c in places[1]][:4] == [
        "프로그램명",
        "구분",
        "참여기업(팀)명",
        "사업자등록번호",
    ]
    brns = [r[3] for r in places.iter_rows(min_row=2, values_only=True)]
    assert brns and all(
        b.replace("-", "").isdigit() for b in brns
    )  # unchecked numbers as they are

    done = await make_report(ctx, CENTER, T, "result", None)
    ended = {p.id for p in programs.values() if _reported(p, None) and p.period_end < today}
    finished = [a for a in roster if a.program_id in ended]
    f = done.doc.figures
    assert f["ended"] == len(ended) > 0
    assert f["completed"] == sum(1 for a in finished if a.state == "completed")
    rate = round(100 * f["completed"] / len(finished), 1)
    assert f["completion_rate"] == rate
    async with ctx.db.session() as session:
        ids = {a.id for a in finished}
        answers = [
            s.answers
            for s in await session.scalars(select(SurveyResponse))
            if s.submitted_at is not None and s.application_id in ids
        ]
    items = load_workbook(io.BytesIO(done.files[0].content))["만족도(문항별)"]
    overall = next(
        r for r in items.iter_rows(min_row=2, values_only=True) if r[0] == "전반 만족도"
    )
    assert overall[1] == len(answers)
    assert overall[3:8] == tuple(sum(1 for a in answers if a["overall"] == s) for s in range(1, 6))
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(done.files[1].content)).pages
    )
    assert "결과보고" in text and "전체 운영기관" in text
    assert f"수료율(%): {rate:,.1f}" in text and f"수료: {f['completed']:,}" in text
    assert len(PdfReader(io.BytesIO(done.files[1].content)).pages) == 1


async def test_staff_cannot_see_another_agency(ctx: AppContext) -> None:
    await _world(ctx)
    with pytest.raises(DomainError) as refused:
        await make_report(ctx, staff(1), T, "performance", 2)
    assert refused.value.code == "access.agency"
    with pytest.raises(DomainError):
        await make_report(ctx, Actor(1001, Role.PARTICIPANT, "ko"), T, "result", None)
    mine = await make_report(ctx, staff(1), T, "performance", None)
    assert mine.doc.scope.agency_id == 1


async def test_confirmed_report_then_an_edit_shows_the_difference_and_is_audited(
    ctx: AppContext,
) -> None:
    from bot.services.report_service import confirm
    from bot.storage.models import AuditLog, ReportSnapshot

    await _world(ctx)
    first = await make_report(ctx, staff(1), T, "performance", None)
    assert "확정된 이전 보고가 없습니다 (첫 보고)." in first.doc.notes
    signed = await confirm(ctx, staff(1), T, "performance", None, "week")
    assert signed.figures == first.doc.figures
    async with ctx.db.session() as session:
        snap = await session.get(ReportSnapshot, signed.snapshot_id)
        assert snap is not None and snap.agency_id == 1 and snap.confirmed_by == 20_000_001
        app = await session.scalar(
            select(Application)
            .join(Program, Program.id == Application.program_id)
            .where(Program.agency_id == 1, Program.status == "approved",
                   Application.state == "submitted")
            .limit(1)
        )  # fmt: skip
        assert app is not None
        app.state = "held"
        session.add(AuditLog(actor_id=20_000_001, actor_role="staff", agency_id=1,
                             action="application.hold", entity="application",
                             entity_id=str(app.id)))  # fmt: skip
    held = int(first.doc.figures["held"])
    again = await make_report(ctx, staff(1), T, "performance", None)
    assert any(n.startswith("직전 확정 보고(") for n in again.doc.notes)
    assert f"보류: {held} → {held + 1}" in again.doc.notes
    assert "확정 이후 데이터 변경 기록 1건 (감사 기록)" in again.doc.notes
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(again.files[1].content)).pages)
    assert f"보류: {held} → {held + 1}" in pdf
    await make_report(ctx, staff(1), T, "performance", None)  # the same difference: audited once
    async with ctx.db.session() as session:
        audited = list(await session.scalars(
            select(AuditLog).where(AuditLog.action == "report.changed_after_confirm")
        ))  # fmt: skip
    assert len(audited) == 1
    assert audited[0].before == {"held": held} and audited[0].after == {"held": held + 1}
