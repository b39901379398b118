"""Helpers for the selection → certificate tests (issue 6): set up what a test is not about."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from bot.services import certificates, selection, survey
from bot.services.identity import Actor, Role
from bot.storage.models import (
    Application,
    ApplicationEvent,
    Certificate,
    OutboxMessage,
    Program,
    StaffAccount,
)
from tests.factories import grant_second_factor, make_application, make_participant, program_id
from tests.qr import qr_texts
from tests.world import CENTER, HEAD, PARTICIPANT, STAFF, World


async def unlock_staff(world: World) -> None:
    """A fresh second factor for staff, head and center (again after the clock moved)."""
    for tid in (STAFF, HEAD, CENTER):
        await grant_second_factor(world.ctx, tid)


async def staff_actor(world: World, telegram_id: int = STAFF) -> Actor:
    async with world.ctx.db.session() as session:
        account = await session.scalar(
            select(StaffAccount).where(StaffAccount.telegram_id == telegram_id)
        )
        assert account is not None
        role = Role.HEAD if account.position == "head" else Role.STAFF
        return Actor(telegram_id, role, "ko", agency_id=account.agency_id, staff_id=account.id)


async def certified(
    world: World, program_id: int, people: list[tuple[int | None, str]]
) -> list[int]:
    """Certified applications (the selection pool) for (telegram id, name) pairs."""
    ids = []
    for telegram_id, name in people:
        if telegram_id is not None:
            world.user(telegram_id, name)  # the chat exists, so notices can be delivered
        participant = await make_participant(world.ctx, telegram_id, name=name)
        ids.append(await make_application(world.ctx, participant, program_id, state="certified"))
    return ids


async def app_state(world: World, application_id: int) -> str:
    async with world.ctx.db.session() as session:
        app = await session.get(Application, application_id)
        assert app is not None
        return app.state


async def event_reason(world: World, application_id: int, action: str) -> str | None:
    """The reason recorded with the application's ``action`` event (it must have one)."""
    async with world.ctx.db.session() as session:
        event = await session.scalar(
            select(ApplicationEvent).where(
                ApplicationEvent.application_id == application_id,
                ApplicationEvent.action == action,
            )
        )
    assert event is not None, f"no {action} event for application {application_id}"
    return event.reason


async def program(world: World, program_id: int) -> Program:
    async with world.ctx.db.session() as session:
        found = await session.get(Program, program_id)
        assert found is not None
        return found


async def eventually(
    check: Callable[[], Awaitable[bool]], what: str, timeout: float = 5.0
) -> None:
    """Poll ``check`` until it holds (for background work such as outbox delivery)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def outbox_statuses(world: World, kind_prefix: str) -> list[str]:
    async with world.ctx.db.session() as session:
        return list(
            (
                await session.scalars(
                    select(OutboxMessage.status).where(OutboxMessage.kind.like(f"{kind_prefix}%"))
                )
            ).all()
        )


async def after_the_period(world: World, program_id: int) -> None:
    """Move the clock past the program's work-experience period (and re-grant second factors)."""
    found = await program(world, program_id)
    assert found.period_end is not None
    days = (found.period_end - world.ctx.today()).days + 2
    world.clock.advance(timedelta(days=days))
    await unlock_staff(world)


async def survey_and_certificate(
    world: World, pid: int, application_id: int, person_id: int = PARTICIPANT, name: str = "김청년"
) -> str:
    """The participant answers the survey, requests the certificate, the center approves."""
    person = world.user(person_id)
    await person.click("📝 만족도 조사 시작")
    await person.expect("모두 9문항")
    for n in range(1, 8):
        await person.expect(f"{n}/9.")
        await person.click("5")
    await person.expect("8/9.")
    await person.send("멘토님이 친절하게 알려 주셨어요.")
    await person.expect("9/9.")
    await person.click("건너뛰기")
    review = await person.expect("응답 확인")
    assert "멘토님이 친절하게" in review.text
    await person.click("✅ 제출하기")
    await person.expect("만족도 조사를 제출했습니다")
    await person.click("🎓 수료증 신청하기")
    await person.expect("수료증 발급을 신청했습니다")

    center = world.user(CENTER)
    await center.expect("새 수료증 발급 신청")
    await center.send("/certificates")
    await center.expect("수료증 발급 신청 (1건")
    await center.click(f"1. {name}")
    await center.expect("검토 대기")
    await center.click("✅ 승인·발급")
    approved = await center.expect("수료증을 발급했습니다")

    async with world.ctx.db.session() as session:
        cert = await session.scalar(
            select(Certificate).where(Certificate.application_id == application_id)
        )
        assert cert is not None and cert.status == "approved" and cert.issue_number
        number = cert.issue_number
    assert number in approved.text

    document = await person.expect_document()
    pdf = await person.download(document)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert name in text
    [link] = qr_texts(pdf)  # the QR code: the bot's deep link that verifies this number
    assert link.startswith("https://t.me/") and link.endswith(f"?start=verify_{number}")
    assert link in text.replace("\n", "")
    assert number in text
    assert (await program(world, pid)).name in text.replace("\n", " ")
    return number


async def requested_certificate(world: World) -> tuple[int, int]:
    """A completed participant with a submitted survey who asked for a certificate."""
    pid = await program_id(world.ctx, "intern")
    participant = await make_participant(world.ctx, PARTICIPANT, name="김청년")
    aid = await make_application(world.ctx, participant, pid, state="completed")
    own = Actor(PARTICIPANT, Role.PARTICIPANT, "ko")
    for question in survey.survey().questions:
        await survey.save_answer(
            world.ctx, own, aid, question.key, 4 if question.kind == "scale" else None
        )
    await survey.submit(world.ctx, own, aid)
    cid = await certificates.request(world.ctx, own, aid)
    return aid, cid


async def certificate_status(world: World, cid: int) -> str:
    async with world.ctx.db.session() as session:
        cert = await session.get(Certificate, cid)
        assert cert is not None
        return cert.status


async def on_roster(
    world: World, program_id: int, people: list[tuple[int | None, str]]
) -> list[int]:
    """Selected people on a confirmed roster (국취 예), straight through the services."""
    ids = await certified(world, program_id, people)
    actor = await staff_actor(world)
    await selection.set_nes(world.ctx, actor, program_id, ids, True)
    await selection.decide(world.ctx, actor, program_id, ids, "select")
    await selection.confirm_roster(world.ctx, actor, program_id)
    return ids
