"""Steps of /offline (개별 신청) shared by the HTTP journey and the flow tests."""

from __future__ import annotations

from bot.playground.driver import PlaygroundUser


async def answer_paper_questions(staff: PlaygroundUser, birth: str = "2000-05-17") -> None:
    """The year's eligibility questions, answered for an eligible participant."""
    await staff.expect("생년월일")
    await staff.send(birth)
    await staff.expect("대한민국 국적")
    await staff.click("예")
    await staff.expect("고용보험에 가입된 일")
    await staff.click("아니요")
    for topic in ("사업자등록", "실업급여", "구직촉진수당", "국민취업지원제도"):
        await staff.expect(topic)
        await staff.click("아니요")
    await staff.expect("몇 번")
    await staff.click("0")
    await staff.expect("스스로 중도포기")
    await staff.send("0")
    await staff.expect("다른 부처")
    await staff.click("아니요")
    await staff.expect("배우자")
    await staff.click("모름")
    await staff.expect("부정참여")
    await staff.click("아니요")
