"""/join on the form engine: search and pages of corporations, toggles, a file step, edits from
the summary, a forged button."""

from __future__ import annotations

from bot.forms.registry import FlowName
from bot.forms.screens import Act
from bot.forms.telegram import FormCB
from tests.e2e.staff_support import staff_account
from tests.flows.harness import Flows

NEWCOMER = 600001


async def test_phone_must_be_a_direct_line_and_summary_edits(flows: Flows) -> None:
    person = flows.user(NEWCOMER, "김신규")
    await person.send("/join")
    await person.expect("성명")
    await person.send("김신규")
    await person.expect("법인명")
    await person.send("없는기관")
    await person.expect("찾은 기관이 없습니다")
    await person.click("전체 목록")
    corp_list = await person.expect("법인명")  # the list in the search result's place
    assert corp_list.event == "edit"
    anchor = next(m for m in person.chat.visible() if m.message_id == corp_list.message_id)
    seq = int(anchor.raw["reply_markup"]["inline_keyboard"][0][0]["callback_data"].split(":")[2])
    forged = FormCB(flow=FlowName.JOIN, seq=seq, act=Act.CHOOSE, value="x").pack()
    crafted = await person.forge(forged, anchor)
    assert "더 이상 유효하지 않습니다" in person.answer_of(crafted)
    await person.click("(사)청년일경험지원협회")
    await person.expect("사업명은")
    await person.send("담당자요")  # text where buttons are expected
    await person.expect("버튼으로 골라")
    await person.click("민간위탁 기관장")
    await person.expect("이메일 주소")
    await person.send("not-an-email")
    await person.expect("이메일 주소 형식이 아닙니다")
    await person.send("boss@example.org")
    await person.expect("휴대전화번호")
    await person.send("02-555-1234")
    await person.expect("휴대전화번호를 입력해 주세요")
    await person.send("010-5555-1234")
    await person.expect("사무실 직통번호")
    await person.send("010-9999-8888")
    await person.expect("휴대전화번호를 넣을 수 없습니다")
    await person.send("02-555-1234")
    await person.expect("팩스번호")
    await person.click("◀ 이전")  # back to the phone step
    await person.expect("사무실 직통번호")
    await person.send("031-555-1234")
    await person.expect("팩스번호")
    await person.send("02-555-1235")
    await person.expect("사업담당자")
    await person.click("예")
    await person.expect("담당업무")
    query = await person.click("선택 완료")  # nothing chosen yet
    assert "하나 이상" in (await person.wait_callback_answer(query))["text"]
    await person.click("취업관리")
    await person.expect("담당업무")
    await person.click("선택 완료")
    await person.expect("필요한 권한")
    await person.click("일경험프로그램 권한")
    await person.expect("필요한 권한")
    await person.click("선택 완료")
    await person.expect("정보 수신")
    await person.click("정보 수신에 동의")
    await person.expect("보안서약서")
    await person.send("서약서는 나중에")
    await person.expect("파일(문서 또는 사진)을 보내 주세요")
    await person.send_document("pledge.exe", b"MZ", "application/octet-stream")
    await person.expect("받을 수 없는 파일 형식")
    await person.send_document("pledge.pdf", b"%PDF-1.4", "application/pdf")
    summary = await person.expect("입력하신 내용을 확인")
    assert "031-555-1234" in summary.text and "민간위탁 기관장" in summary.text
    await person.click("✏️ 이메일")
    await person.expect("이메일 주소")
    await person.send("head@example.org")
    summary = await person.expect("입력하신 내용을 확인")
    assert "head@example.org" in summary.text
    await person.click("신청하기")
    await person.expect("접수했습니다")
    await person.send("/join")
    await person.expect("검토 중인 계정 신청이 있습니다")
    account = await staff_account(
        flows,  # type: ignore[arg-type]
        NEWCOMER,
    )
    assert account is not None and account.status == "pending"
    assert account.position == "head" and account.phone == "031-555-1234"
    assert account.fax == "02-555-1235" and account.is_project_manager
    assert account.duties == ["employment"] and account.permissions == ["program"]
    assert account.consent_info and account.email == "head@example.org"


async def test_corporations_come_in_pages_and_a_branch_is_asked(flows: Flows) -> None:
    from bot.services.demo import DEMO_AGENCY
    from bot.storage.models import Agency

    async with flows.ctx.db.session() as session:
        session.add(Agency(corporate_name=DEMO_AGENCY, branch_name="부산지사", region="부산"))
        for n in range(10):
            session.add(Agency(corporate_name=f"가나다 법인 {n:02d}", region="서울"))
    person = flows.user(NEWCOMER, "김신규")
    await person.send("/join")
    await person.send("김신규")
    first = await person.expect("법인명")
    labels = [label for row in first.buttons for label in row]
    assert "뒤쪽 ▶" in labels and len([x for x in labels if "법인" in x]) == 7
    await person.click("뒤쪽 ▶")
    second = person.last
    assert second is not None and second.message_id == first.message_id  # edited in place
    assert "◀ 앞쪽" in [label for row in second.buttons for label in row]
    await person.send("청년일경험")  # part of a name: a search
    await person.click(DEMO_AGENCY)
    offices = await person.expect("본사")
    assert ["본사", "부산지사"] in offices.buttons
    await person.send("부산지사")  # the label, typed
    await person.expect("직위/직급")
