"""Adding host companies on the form engine: a refused company is explained and the flow goes
on with the next one; after a save "다른 기업 추가" starts the next company (the program kept)."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.models import AuditLog, HostCompany
from tests.e2e.test_program_support import make_program, open_program
from tests.factories import grant_second_factor
from tests.flows.harness import Flows, FlowUser
from tests.world import STAFF


async def _companies(flows: Flows, pid: int) -> list[str]:
    async with flows.ctx.db.session() as session:
        rows = await session.scalars(select(HostCompany).where(HostCompany.program_id == pid))
        return sorted(c.name for c in rows)


async def _start(flows: Flows, name: str) -> tuple[FlowUser, int]:
    await grant_second_factor(flows.ctx, STAFF)
    pid = await make_program(flows.ctx, "intern", name=name, companies=False)
    staff = flows.user(STAFF)
    await open_program(staff, name)
    await staff.click("참여기업 (0)")
    await staff.click("참여기업 추가")
    await staff.expect("사업장명")
    return staff, pid


async def _answer_rest(staff: FlowUser, brn: str) -> None:
    await staff.send(brn)
    await staff.click("아니요")
    await staff.send("아니요")  # the label, typed
    for question, answer in (
        ("피보험자수", "7"),
        ("소재지", "부산시 해운대구"),
        ("일경험 수행주소", "부산시 해운대구 센텀로 1, 3층"),
        ("담당자 이름", "강담당"),
        ("연락처", "051-123-4567"),
        ("모집인원", "1"),
    ):
        await staff.expect(question)
        await staff.send(answer)


async def test_refused_company_is_explained_and_the_next_one_follows(flows: Flows) -> None:
    staff, pid = await _start(flows, "루프 테스트")
    await staff.send("주식회사 체불")
    await staff.send("1208147521")
    await staff.expect("임금체불")
    await staff.click("예")
    stop = await staff.expect("임금체불 사업장은 참여기업으로 등록할 수 없습니다")
    assert "주식회사 체불" in stop.text
    labels = [label for row in stop.buttons for label in row]
    assert "✏ 임금체불 사실 고치기" in labels and "➕ 다른 기업 추가" in labels
    async with flows.ctx.db.session() as session:
        refused = await session.scalar(
            select(AuditLog).where(AuditLog.action == "hostco.add", AuditLog.outcome == "refused")
        )
        assert refused is not None and refused.reason == "hostco.wage_arrears"
    await staff.click("➕ 다른 기업 추가")
    await staff.expect("사업장명")  # the same program, a new company
    await staff.send("주식회사 정상")
    await _answer_rest(staff, "314-86-15798")
    await staff.expect("참여기업 저장 전 확인")
    await staff.click("💾 참여기업 저장")
    added = await staff.expect("참여기업으로 추가했습니다")
    assert any("다른 기업 추가" in label for row in added.buttons for label in row)
    await staff.expect("주식회사 정상")  # the list, under it
    assert await _companies(flows, pid) == ["주식회사 정상"]
    await staff.click("➕ 다른 기업 추가")
    await staff.send("주식회사 둘째")
    await _answer_rest(staff, "120-81-47521")
    await staff.click("💾 참여기업 저장")
    second = await staff.expect("참여기업으로 추가했습니다")
    assert "주식회사 둘째" in second.text
    assert await _companies(flows, pid) == ["주식회사 둘째", "주식회사 정상"]


async def test_a_changed_answer_continues_the_same_company(flows: Flows) -> None:
    staff, _ = await _start(flows, "고치기 테스트")
    await staff.send("주식회사 실수")
    await staff.send("3148615798")
    await staff.click("아니요")
    await staff.click("예")  # 중대재해, by mistake
    await staff.expect("중대재해 발생 사업장은")
    await staff.click("✏ 중대재해 발생 사실 고치기")
    await staff.click("아니요")
    await staff.expect("피보험자수")  # carries on with this company
    await staff.send("많음")
    await staff.expect("숫자")
    await staff.expect("피보험자수")


async def test_back_on_the_first_step_returns_to_the_list_and_text_after_a_save(
    flows: Flows,
) -> None:
    staff, _ = await _start(flows, "이전 테스트")
    await staff.click("◀ 이전")
    await staff.expect("아직 등록한 참여기업이 없습니다")
    await staff.send("아무 말")  # no flow any more: the general answer
    await staff.expect("무엇을 도와드릴까요?")
