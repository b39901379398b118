"""/programs: only approved, public programs; pages; filters; cards without internal data."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import Agency, Program
from tests.e2e.participant_steps import consent, expect_new
from tests.world import PARTICIPANT, World


async def _add_programs(world: World, count: int, **fields: object) -> list[int]:
    async with world.ctx.db.session() as session:
        agency_id = await session.scalar(select(Agency.id))
        rows = [
            Program(
                agency_id=agency_id,
                year=2026,
                type=str(fields.get("type", "esg")),
                name=f"{fields.get('prefix', 'ESG 지원')} {n}",
                status=str(fields.get("status", "approved")),
                region=str(fields.get("region", "부산")),
                public_listing=bool(fields.get("public_listing", True)),
                approved_at=world.ctx.now(),
                internal_notes="내부 메모: 심사 보류 이력 있음",
                job_description=fields.get("job_description"),  # type: ignore[arg-type]
                proposal_text=fields.get("proposal_text"),  # type: ignore[arg-type]
                contact_phone="051-600-1234",
            )
            for n in range(1, count + 1)
        ]
        session.add_all(rows)
        await session.flush()
        return [r.id for r in rows]


async def test_pages_and_filters(world: World) -> None:
    await _add_programs(world, 6)
    await _add_programs(world, 1, prefix="초안 프로그램", status="draft")
    await _add_programs(world, 1, prefix="비공개 프로그램", public_listing=False)
    person = world.user(PARTICIPANT)
    await person.send("/programs")
    first = await person.expect("모집 중인 일경험 프로그램")
    assert "(8개 · 1/2쪽)" in first.text
    assert "초안 프로그램" not in first.text and "비공개 프로그램" not in first.text
    await person.click("다음 쪽 ▶")
    second = await person.expect("2/2쪽")
    assert "ESG 지원 6" in second.text or "IT 사무지원" in second.text
    await person.click("유형: 전체 ▾")
    await person.expect("어떤 유형의 프로그램을 볼까요?")
    await person.click("ESG지원형")
    esg = await person.expect("유형: ESG지원형")
    assert "(6개 · 1/2쪽)" in esg.text and "IT 사무지원" not in esg.text
    await person.click("지역: 전체 ▾")
    regions = await person.expect("어느 지역의 프로그램을 볼까요?")
    labels = [label for row in regions.buttons for label in row]
    assert "부산" in labels and "서울" not in labels  # only regions with ESG programs
    await person.click("부산")
    await person.expect("지역: 부산")
    await person.click("유형: ESG지원형 ▾")
    await person.expect("어떤 유형의 프로그램을 볼까요?")
    await person.click("프로젝트형")
    none = await person.expect("유형: 프로젝트형")
    assert "조건에 맞는 모집 중인 프로그램이 없습니다" in none.text


async def test_card_never_shows_internal_notes_and_long_cards_split(world: World) -> None:
    [pid] = await _add_programs(
        world,
        1,
        type="project",
        job_description="데이터 정리 " * 400,
        proposal_text="지역 ESG 조사 " * 400,
    )
    person = world.user(PARTICIPANT)
    await consent(person)
    await person.send(f"/start prog_{pid}")
    short = await person.expect("ESG 지원 1")  # the short card: one message, 신청하기 first
    assert "데이터 정리" not in short.text and short.buttons[0] == ["📝 신청하기"]
    await person.click("📄 자세히")
    head = await person.expect("ESG 지원 1")
    tail = await person.expect("운영기관 문의")
    assert head.message_id != tail.message_id  # over one message: split, buttons on the last
    assert not head.buttons and any("신청하기" in b for row in tail.buttons for b in row)
    for part in (head, tail):
        assert len(part.text) <= 4096
        assert "내부 메모" not in part.text
    assert "051-600-1234" in tail.text


async def test_deep_link_for_a_new_person_opens_the_program_after_consent(world: World) -> None:
    async with world.ctx.db.session() as session:
        pid = await session.scalar(select(Program.id).where(Program.type == "project"))
    person = world.user(555301, "링크청년")
    await person.send(f"/start prog_{pid}")
    await person.expect("개인정보 수집·이용 동의")
    await person.click("✅ 필수 항목에 동의합니다")
    await person.expect("선택 항목 동의")
    await person.click("받지 않음")
    await person.expect("동의 내용을 저장했습니다")
    await person.expect("지역 ESG 데이터 프로젝트형 일경험")  # opened right away
    await person.click("📄 자세히")
    card = await person.expect("운영기관 문의")
    assert "데이터 수집" in card.text  # its jobs
    await person.send("/start prog_999999")
    await expect_new(person, "찾는 프로그램이 없거나 공개되지 않았습니다")


async def test_apply_without_consent_asks_for_it_first(world: World) -> None:
    person = world.user(555302, "동의전청년")
    await person.send("/programs")
    await person.expect("모집 중인 일경험 프로그램")
    await person.click("IT 사무지원")
    await person.expect("「신청하기」를 누르면")
    await person.click("📝 신청하기")
    await person.expect("개인정보 수집·이용 동의")
    await person.click("✅ 필수 항목에 동의합니다")
    await person.expect("선택 항목 동의")
    await person.click("받지 않음")
    await person.expect("동의 내용을 저장했습니다")
    await person.expect("참여자격 확인")  # the press it came with, carried out: the check starts
    await person.expect("생년월일을 입력해 주세요")
    await person.send("/cancel")
    await person.expect("취소했습니다")
