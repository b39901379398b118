"""Every registered flow's declaration, walked through the engine (no Telegram): every step is
reached by the sample answers below, every step refuses bad input without moving, and no screen
shows two buttons with one label. A new flow needs its samples here (the test says which)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pyotp
from pydantic import BaseModel
from sqlalchemy import select

from bot.forms.engine import Engine
from bot.forms.registry import FlowName, flow_of
from bot.forms.screens import DONE, Act, Screen
from bot.forms.spec import Answer, FileRef, Finish, Review, Step, Takes, Turn
from bot.services.demo import DEMO_AGENCY
from bot.services.identity import Actor, Role, identify
from bot.storage.models import Agency, HostCompany, Job, Program
from tests.e2e.test_program_support import make_pdf, make_program
from tests.factories import grant_second_factor, make_application, make_participant, program_id
from tests.flows.harness import Flows
from tests.world import CENTER, HEAD, PARTICIPANT, STAFF

NEWCOMER = 600001

PDF = make_pdf("CV")  # a real one: the attachments are opened and merged
PHOTO = Answer(file=FileRef("photo-1", None, 10, "image/jpeg", photo=True))
CV = Answer(file=FileRef("doc-1", "cv.pdf", len(PDF), "application/pdf"))


class PdfFiles:
    async def read(self, ref: FileRef) -> bytes:
        return PDF


@dataclass(frozen=True)
class Walk:
    who: int  # the demo person walking it
    data: Any  # async (ctx) → the flow's starting data
    answers: dict[str, Answer | Callable[[], Answer]]  # step key → the answer (or its maker)
    settings: dict[str, Any]


def _text(value: str) -> Answer:
    return Answer(text=value)


def _choice(value: str) -> Answer:
    return Answer(choice=value)


async def _application_data(ctx: Any) -> BaseModel:
    from bot.conversations.application import ApplicationData

    return ApplicationData(
        program_id=1, program_name="테스트", ptype="project", jobs=[(7, "데이터 수집")]
    )


async def _company_data(ctx: Any) -> BaseModel:
    from bot.conversations.host_company import CompanyData

    pid = await make_program(ctx, "intern", name="걷기 테스트", companies=False)
    return CompanyData(pid=pid, ptype="intern", program_address="서울시 중구 세종대로 39")


async def _job_data(ctx: Any) -> BaseModel:
    from bot.conversations.job_add import JobData

    return JobData(pid=await make_program(ctx, "project", name="직무 걷기", companies=False))


async def _headcount_data(ctx: Any) -> BaseModel:
    from bot.conversations.headcount import HeadcountData

    pid = await make_program(ctx, "intern", name="인원 걷기")
    async with ctx.db.session() as session:
        company = await session.scalar(select(HostCompany).where(HostCompany.program_id == pid))
    assert company is not None
    return HeadcountData(kind="company", item_id=company.id, pid=pid)


async def _join_data(ctx: Any) -> BaseModel:
    from bot.conversations.join import JoinData

    async with ctx.db.session() as session:  # a branch: the 본사/지사 step is asked
        session.add(Agency(corporate_name=DEMO_AGENCY, branch_name="부산지사", region="부산"))
    return JoinData()


async def _actor(ctx: Any, telegram_id: int) -> Actor:
    async with ctx.db.session() as session:
        actor = (await identify(session, ctx, telegram_id, "테스터", None)).actor
    if actor.role is Role.PARTICIPANT:
        participant = await make_participant(ctx, telegram_id)
        actor = Actor(telegram_id, Role.PARTICIPANT, participant_id=participant)
    return actor


async def _export_data(ctx: Any) -> BaseModel:
    from bot.conversations.export import ExportData

    return ExportData(center=True, agencies=[(1, "기관 하나"), (2, "기관 둘")])


async def _reason_data(ctx: Any) -> BaseModel:
    from bot.conversations.review_reason import ReasonData

    return ReasonData(kind="hold", target=1, version=1)


async def _handover_data(ctx: Any) -> BaseModel:
    from bot.conversations.handover import HandoverData
    from bot.services import handover

    people = await handover.agency_staff(ctx, await _actor(ctx, HEAD))
    return HandoverData(staff=[(p.id, p.name) for p in people])


async def _cert_reject_data(ctx: Any) -> BaseModel:
    from bot.conversations.cert_reject import RejectData

    return RejectData(cid=1, name="김청년")


async def _program_reject_data(ctx: Any) -> BaseModel:
    from bot.conversations.program_reject import ProgramRejectData

    return ProgramRejectData(pid=1)


async def _early_data(ctx: Any) -> BaseModel:
    from bot.conversations.early_completion import EarlyData

    return EarlyData(pid=1, aid=1, name="김청년")


async def _team_data(ctx: Any) -> BaseModel:
    from bot.conversations.new_team import TeamData

    return TeamData(pid=1)


async def _until_data(ctx: Any) -> BaseModel:
    from bot.conversations.program_until import UntilData

    return UntilData(pid=1)


async def _program_data(ctx: Any) -> BaseModel:
    from bot.conversations.program_wizard import ProgramData

    return ProgramData()


async def _files_data(ctx: Any) -> BaseModel:
    from bot.conversations.program_files import FilesData

    pid = await make_program(ctx, "intern", name="첨부 걷기", attachment=False)
    return FilesData(pid=pid, ptype="intern", slot="plan", training_missing=True)


OFFLINE_PICKS: dict[str, Answer] = {}  # the demo project program and its job (ids looked up)


async def _offline_data(ctx: Any) -> BaseModel:
    from bot.conversations.offline_application import OfflineData

    async with ctx.db.session() as session:
        pid = await session.scalar(select(Program.id).where(Program.type == "project"))
        job = await session.scalar(select(Job.id).where(Job.program_id == pid))
    OFFLINE_PICKS.update(program=_choice(str(pid)), job_id=_choice(str(job)))
    return OfflineData()


async def _link_data(ctx: Any) -> BaseModel:
    from bot.conversations.offline_link import LinkData

    return LinkData(token="unused")


async def _survey_data(ctx: Any) -> BaseModel:
    from bot.conversations.survey import SurveyData

    participant = await make_participant(ctx, PARTICIPANT)
    aid = await make_application(
        ctx, participant, await program_id(ctx, "intern"), state="completed"
    )
    return SurveyData(aid=aid, program="걷기")


async def _onboarding_data(ctx: Any) -> BaseModel:
    from bot.conversations.onboarding import OnboardingData

    return OnboardingData()


WALK_SECRET: list[tuple[Any, str]] = []  # (ctx, secret) of the second factor's walk


async def _totp_data(ctx: Any) -> BaseModel:
    from bot.conversations.totp import TotpData

    WALK_SECRET[:] = [(ctx, await grant_second_factor(ctx, STAFF))]
    return TotpData()


def _current_code() -> Answer:
    ctx, secret = WALK_SECRET[0]
    return Answer(text=pyotp.TOTP(secret).at(ctx.now()))


async def _finished(turn: Turn[Any]) -> Finish:
    return Finish("끝")  # a flow without a final review: finishing is each flow's own test


YES, NO = _choice("1"), _choice("0")
ELIGIBLE = {
    "birth_date": _text("2000년 5월 17일"),
    "korean_national": YES,
    "employed_with_insurance": YES,
    "weekly_hours": _text("20"),
    "business_owner": NO,
    "unemployment_benefits": NO,
    "job_seeking_allowance": NO,
    "national_employment_support": NO,
    "participations_this_year": _choice("0"),
    "voluntary_dropouts": _text("0"),
    "other_government_program": NO,
    "relative_of_host_owner": _choice("?"),
    "past_fraud": NO,
}


SURVEY_SCALE = ("overall", "content", "mentoring", "environment", "agency_support", "career")
SURVEY_SCALE += ("recommend",)
WALKS: dict[FlowName, Walk] = {
    FlowName.APPLY: Walk(
        PARTICIPANT,
        _application_data,
        {
            **ELIGIBLE,
            "name": _text("김청년"),
            "rrn": _text("000517-3123456"),
            "mobile": _text("010-1234-5678"),
            "email": _text("youth@example.com"),
            "education": _choice("univ"),
            "job_id": _choice("7"),
            "self_intro": _text("성실하게 참여하겠습니다."),
            "resume": CV,
        },
        {"collect_resident_number": True},
    ),
    FlowName.OFFLINE: Walk(
        STAFF,
        _offline_data,
        {
            **ELIGIBLE,
            "name": _text("오서면"),
            "mobile": _text("010-1234-5678"),
            "applied_on": _choice("today"),
            "rrn": _text("000517-3123456"),
            "education": _choice("univ"),
            "consent": YES,
        },
        {"collect_resident_number": True},
    ),
    FlowName.OFFLINE_LINK: Walk(PARTICIPANT, _link_data, {"confirmed": YES}, {}),
    FlowName.HOSTCO: Walk(
        STAFF,
        _company_data,
        {
            "name": _text("주식회사 걷기"),
            "brn": _text("314-86-15798"),
            "arrears": NO,
            "accident": _text("아니요"),
            "insured_count": _text("12"),
            "address": _text("서울시 중구"),
            "work_address": _choice("program"),
            "contact_name": _text("강담당"),
            "contact_phone": _text("02-3000-1111"),
            "headcount": _text("2"),
        },
        {},
    ),
    FlowName.EXPORT: Walk(
        CENTER,
        _export_data,
        {
            "agency": _choice("2"),
            "fmt": _choice("csv"),
            "dataset": _text("참여자"),  # a typed label is the press
            "masking": _choice("unmasked"),
            "reason": _text("고용24 자격조회 일괄 입력"),
        },
        {},
    ),
    FlowName.REASON: Walk(STAFF, _reason_data, {"reason": _choice("0")}, {}),
    FlowName.CERT_REJECT: Walk(CENTER, _cert_reject_data, {"reason": _text("확인 필요")}, {}),
    FlowName.EARLY_COMPLETION: Walk(STAFF, _early_data, {"reason": _text("조기 취업")}, {}),
    FlowName.NEW_TEAM: Walk(STAFF, _team_data, {"name": _text("데이터팀")}, {}),
    FlowName.PROGRAM_REJECT: Walk(
        CENTER, _program_reject_data, {"reason": _text("층수를 적어 주세요")}, {}
    ),
    FlowName.HANDOVER: Walk(
        HEAD, _handover_data, {"leaver": _text("박담당"), "successor": _text("최기관")}, {}
    ),
    FlowName.JOB: Walk(
        STAFF, _job_data, {"name": _text("자료 조사"), "headcount": _text("2")}, {}
    ),
    FlowName.SURVEY: Walk(
        PARTICIPANT,
        _survey_data,
        {
            **{key: _choice("4") for key in SURVEY_SCALE},
            "good": _text("멘토링이 좋았어요"),
            "improve": _text("실습이 더 길면 좋겠어요"),
        },
        {},
    ),
    FlowName.TOTP: Walk(STAFF, _totp_data, {"code": _current_code}, {}),
    FlowName.ONBOARDING: Walk(
        NEWCOMER + 1, _onboarding_data, {"required": YES, "optional": NO}, {}
    ),
    FlowName.HEADCOUNT: Walk(STAFF, _headcount_data, {"value": _text("2")}, {}),
    FlowName.PROGRAM: Walk(
        STAFF,
        _program_data,
        {
            "type": _choice("project"),  # the proposal is asked only of a project
            "name": _text("걷기 프로젝트"),
            "total_recruitment": _text("4명"),
            "period_start": _text("2030-04-01"),
            "period_end": _text("2030년 5월 26일"),
            "schedule": _text("1주차 OJT"),
            "weekly_hours": _text("25"),
            "allowance": _text("주 35만원"),
            "job_description": _text("자료 조사"),
            "mentoring": _text("1:1 멘토"),
            "completion_benefit": _text("수료증"),
            "proposal_text": _text("관광 데이터 개선안"),
            "work_address": _text("서울시 중구 세종대로 39, 2층"),
            "region": _text("서울"),  # a typed label is the press
            "selection_criteria": _text("서류 검토, 이력서 첨부 필수"),
            "resume_required": YES,
            "training_required": YES,
            "training_institution": _text("청년직무아카데미"),
            "training_contact": _text("한교육"),
            "training_email": _text("edu@example.org"),
            "training_phone": _text("02-6050-3795"),
            "training_start": _text("2030-03-25"),
            "training_content": _text("15시간 온라인"),
            "training_homepage": _text("www.example.org"),
            "contact_name": _text("박담당"),
            "contact_email": _text("youth@example.org"),
            "contact_phone": _text("02-6000-1234"),
            "contact_fax": _text("02-6000-1235"),
            "contact_homepage": _text("example.org"),
            "internal_notes": _text("센터 참고"),
        },
        {},
    ),
    FlowName.PROGRAM_FILES: Walk(STAFF, _files_data, {"plan": CV, "training": CV}, {}),
    FlowName.RECRUIT_UNTIL: Walk(STAFF, _until_data, {"until": _text("2030년 3월 1일")}, {}),
    FlowName.JOIN: Walk(
        NEWCOMER,
        _join_data,
        {
            "name": _text("김신규"),
            "corp_id": _text("(사)청년일경험지원협회"),
            "agency_id": _text("부산지사"),
            "position": _text("민간위탁 담당자"),
            "email": _text("new@example.org"),
            "mobile": _text("010-5555-1234"),
            "phone": _text("02-555-1234"),
            "fax": _choice("-"),
            "is_project_manager": NO,
            "duties": Answer(choice="basic"),
            "permissions": Answer(choice="program"),
            "consent_info": NO,
            "pledge": CV,
        },
        {},
    ),
}


def _labels_unique(screen: Screen, where: str) -> None:
    labels = [b.label for b in screen.buttons()]
    assert len(labels) == len(set(labels)), f"{where}: two buttons share a label: {labels}"


def _bad_input(step: Step) -> Answer:
    if Takes.PHOTO not in step.takes:
        return PHOTO
    return Answer(text="?")


async def _answer(engine: Engine, answer: Answer) -> Screen:
    step = engine.flow.item(engine.p.at)
    if isinstance(step, Step) and step.multi and answer.choice is not None:
        toggled = await engine.press(Act.CHOOSE, answer.choice)
        assert toggled is not None and toggled.replace, f"{step.key}: not a toggle"
        done = await engine.press(Act.DONE)
        assert done is not None
        return done
    if answer.choice is not None:
        screen = await engine.press(Act.CHOOSE, answer.choice)
        assert screen is not None, f"{engine.p.at}: {answer.choice!r} is not one of its options"
        return screen
    return await engine.message(answer)


async def test_every_flow_is_walked_and_answers_bad_input(flows: Flows) -> None:
    assert set(WALKS) == set(FlowName), "add a walk for every registered flow"
    t = flows.translator.bind("ko")
    for name, walk in WALKS.items():
        for key, value in walk.settings.items():
            setattr(flows.ctx.settings, key, value)
        flow = flow_of(name, flows.ctx)
        if flow.finish is not None:
            flow = replace(flow, finish=_finished)
        actor = await _actor(flows.ctx, walk.who)
        turn = Turn(await walk.data(flows.ctx), t, flows.ctx, actor, PdfFiles())
        engine = Engine.start(flow, turn)
        visited: list[str] = []
        ended = False
        for _ in range(4 * len(flow.items)):
            item = flow.item(engine.p.at)
            screen = await engine.screen()
            _labels_unique(screen, f"{name}:{item.key}")
            if isinstance(item, Review):
                proceed = [b for b in screen.buttons() if b.act is Act.PROCEED]
                if not proceed:
                    break  # the final review (finishing is each flow's own test)
                await engine.press(Act.PROCEED)
                continue
            assert isinstance(item, Step)
            visited.append(item.key)
            refused = await engine.message(_bad_input(item))
            assert engine.p.at == item.key and refused.notes, f"{name}:{item.key} took bad input"
            answers = {**walk.answers, **(OFFLINE_PICKS if name is FlowName.OFFLINE else {})}
            assert item.key in answers, f"{name}: no sample answer for step {item.key}"
            given = answers[item.key]
            given = given() if callable(given) else given
            ended = (await _answer(engine, given)).end or engine.p.at == DONE
            if ended:
                break
            assert engine.p.at != item.key, f"{name}:{item.key} refused its sample answer"
        missing = [s.key for s in flow.steps if s.key not in visited]
        assert not missing, f"{name}: steps never reached: {missing}"
        if flow.finish is not None:
            assert ended, f"{name}: the walk did not finish"
            continue
        review, final = flow.item(engine.p.at), await engine.screen()
        assert isinstance(review, Review)
        edits = {b.value for b in final.buttons() if b.act is Act.EDIT}
        if any(b.act is Act.PICK for b in final.buttons()):  # one button listing the fields
            picker = await engine.press(Act.PICK)
            assert picker is not None
            edits |= {b.value for b in picker.buttons() if b.act is Act.EDIT}
        for step in flow.steps:  # the final review offers to change each of its steps
            if step.section in review.sections and step.applies(engine.data):
                assert step.key in edits, f"{name}: {step.key} cannot be changed at the end"
