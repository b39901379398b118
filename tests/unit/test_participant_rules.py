"""Pure parts of the participant feature: field rules, answers, card fields, message splitting."""

from __future__ import annotations

import dataclasses

import pytest

from bot.domain.eligibility import load_rules
from bot.domain.errors import DomainError
from bot.forms.registry import FlowName
from bot.forms.screens import SEQ_LIMIT, Act
from bot.forms.telegram import FormCB
from bot.handlers.catalogue import MESSAGE_LIMIT, chunks
from bot.keyboards.participant import CatalogueCB, MyAppCB
from bot.services import form_rules
from bot.services.catalogue import ProgramCard

RULES = load_rules(2026)


@pytest.mark.parametrize(
    ("name", "size", "ext"),
    [
        ("이력서.PDF", 10, "pdf"),
        ("cv.docx", 10, "docx"),
        ("자기소개.hwp", 10, "hwp"),
        ("자기소개.hwpx", form_rules.RESUME_MAX_BYTES, "hwpx"),
    ],
)
def test_accepted_resume_types(name: str, size: int, ext: str) -> None:
    assert form_rules.check_resume(name, size) == ext


@pytest.mark.parametrize("name", ["cv.txt", "cv.doc", "photo.jpg", "noext", "", None])
def test_other_files_are_refused_with_the_type(name: str | None) -> None:
    with pytest.raises(DomainError) as refused:
        form_rules.check_resume(name, 10)
    assert refused.value.code == "resume.type"


def test_over_20_mb_is_refused_with_the_size() -> None:
    with pytest.raises(DomainError) as refused:
        form_rules.check_resume("cv.pdf", form_rules.RESUME_MAX_BYTES + 1)
    assert refused.value.code == "resume.too_big"
    assert refused.value.params["limit_mb"] == 20


def test_self_intro_limit_reports_used_and_limit() -> None:
    text, used = form_rules.clean_self_intro("  가나다  ")
    assert (text, used) == ("가나다", 3)
    with pytest.raises(DomainError) as refused:
        form_rules.clean_self_intro("가" * (form_rules.SELF_INTRO_LIMIT + 1))
    assert refused.value.code == "text.too_long"
    assert refused.value.params == {"used": 1001, "limit": 1000}


def test_mobile_is_required_and_landlines_are_refused() -> None:
    assert form_rules.clean_mobile("01012345678") == "010-1234-5678"
    with pytest.raises(DomainError) as refused:
        form_rules.clean_mobile("02-1234-5678")
    assert refused.value.code == "phone.not_mobile"
    assert refused.value.params["example"] == "010-1234-5678"


def test_typed_answers() -> None:
    assert form_rules.parse_answer(RULES.question("birth_date"), "2000. 5. 17.") == "2000-05-17"
    assert form_rules.parse_answer(RULES.question("weekly_hours"), " 25 ") == 25
    with pytest.raises(DomainError) as refused:
        form_rules.parse_answer(RULES.question("weekly_hours"), "스물")
    assert refused.value.code == "elig.not_a_number"
    with pytest.raises(DomainError) as refused:
        form_rules.parse_answer(RULES.question("weekly_hours"), "169")
    assert refused.value.code == "elig.answer_range"


def test_missing_question_follows_ask_if() -> None:
    answers = {"birth_date": "2000-01-01", "korean_national": True}
    assert form_rules.missing_question(RULES, answers).key == "employed_with_insurance"
    answers["employed_with_insurance"] = True
    assert form_rules.missing_question(RULES, answers).key == "weekly_hours"
    answers["employed_with_insurance"] = False
    assert form_rules.missing_question(RULES, answers).key == "business_owner"


def test_the_card_has_no_field_for_internal_data() -> None:
    names = {f.name for f in dataclasses.fields(ProgramCard)}
    assert "internal_notes" not in names and "contact_name" not in names
    assert not any(name.startswith("contact_person") for name in names)


def test_chunks_keep_each_message_under_the_limit() -> None:
    blocks = ["제목", "가" * 3000, "나" * 3000, "다" * 5000, "끝"]
    parts = chunks(blocks)
    assert len(parts) == 4
    assert all(len(part) <= MESSAGE_LIMIT for part in parts)
    assert parts[0].startswith("제목") and parts[-1].endswith("끝")


def test_callback_data_fits_64_bytes() -> None:
    longest = [
        MyAppCB(action="withdraw", app_id=2**31 - 1),
        FormCB(
            flow=FlowName.APPLY, seq=SEQ_LIMIT, act=Act.EDIT, value="national_employment_support"
        ),
        CatalogueCB(action="regions", page=999, ptype="project", region="세종특별자치시"),
    ]
    for data in longest:
        assert len(data.pack().encode()) <= 64, data
