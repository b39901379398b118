"""Steps the participant tests share: consent, the eligibility answers, the form."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.playground.driver import PlaygroundUser
from bot.playground.models import ChatMessage
from bot.services.context import AppContext
from bot.storage.models import Application, Participant

# answers of an eligible applicant, in the 2026 rules' order (after the birth date)
ELIGIBLE_BUTTONS = [
    "예",
    "아니요",
    "아니요",
    "아니요",
    "아니요",
    "아니요",
    "0",
    "0",
    "아니요",
    "아니요",
    "아니요",
]
ELIGIBLE_ANSWERS = {
    "birth_date": "2000-05-17",
    "korean_national": True,
    "employed_with_insurance": False,
    "business_owner": False,
    "unemployment_benefits": False,
    "job_seeking_allowance": False,
    "national_employment_support": False,
    "participations_this_year": 0,
    "voluntary_dropouts": 0,
    "other_government_program": False,
    "relative_of_host_owner": False,
    "past_fraud": False,
}
INTRO = "데이터 분석을 배우고 싶어 지원합니다. 성실하게 참여하겠습니다."


async def expect_new(person: PlaygroundUser, contains: str) -> ChatMessage:
    """The next *new* bot message containing ``contains`` (edits of older ones are skipped)."""
    while True:
        message = await person.expect(contains)
        if message.event == "new":
            return message


async def consent(person: PlaygroundUser) -> None:
    await person.send("/start")
    await person.expect("개인정보 수집·이용 동의")
    await person.click("✅ 필수 항목에 동의합니다")
    await person.expect("선택 항목 동의")
    await person.click("받지 않음")
    menu = await person.expect("동의 내용을 저장했습니다")
    assert "무엇을 할까요?" in menu.text  # the home menu, in the same message


async def open_program(person: PlaygroundUser, name_part: str) -> None:
    await person.send("/programs")
    await person.expect("모집 중인 일경험 프로그램")
    await person.click(name_part)
    short = await person.expect("🏢 운영기관")  # the short card first: 신청하기 and 자세히
    assert any("신청하기" in b for row in short.buttons for b in row) or "모집" in short.text
    await person.click("📄 자세히")
    await person.expect("운영기관 문의")


async def answer_eligibility(person: PlaygroundUser, birth: str = "2000-05-17") -> None:
    """From the card's 신청하기 to the result (all answers those of an eligible person)."""
    await person.click("📝 신청하기")
    await person.expect("참여자격 확인")
    await person.expect("생년월일을 입력해 주세요")
    await person.send(birth)
    for number, label in enumerate(ELIGIBLE_BUTTONS, 2):
        await person.expect(f"질문 {number}/")
        await person.click(label)


async def fill_form(person: PlaygroundUser, *, job: str | None = None) -> None:
    """From the eligibility result (eligible) to the summary, skipping the résumé."""
    await person.expect("참여 자격 요건을 충족합니다")
    await person.click("신청서 작성 계속 ▶")
    await person.expect("이름(실명)을 입력해 주세요")
    await person.send("김청년")
    await person.expect("휴대전화번호를 입력해 주세요")
    await person.send("010-1234-5678")
    await person.expect("이메일 주소를 입력해 주세요")
    await person.send("youth@example.com")
    await person.expect("최종학력을 골라 주세요")
    await person.click("대학교 졸업")
    if job:
        await person.expect("지원할 직무를 골라 주세요")
        await person.click(job)
    await person.expect("자기소개를 입력해 주세요")
    await person.send(INTRO)
    await person.expect(f"({len(INTRO)}/1,000자)")


async def application_of(ctx: AppContext, telegram_id: int) -> list[Application]:
    async with ctx.db.session() as session:
        return list(
            (
                await session.scalars(
                    select(Application)
                    .join(Participant, Participant.id == Application.participant_id)
                    .where(Participant.telegram_id == telegram_id)
                    .order_by(Application.id)
                )
            ).all()
        )


def years_ago(today: date, years: int, *, days: int = 0) -> str:
    """A birth date ``years`` full years before ``today`` (minus ``days`` days), ISO form."""
    from datetime import timedelta

    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return (born - timedelta(days=days)).isoformat()
