"""The Korean catalog keeps the particle rules: a particle after an inserted value is a marker
(resolved by bot.domain.josa), no space stands before a particle, one spelling of 예 / 아니요,
plain words for the states participants see; and rendered messages read right."""

from __future__ import annotations

import re

from bot.i18n import Translator, load_catalogs

_VALUE = r"\{\w+\}(?:</?(?:b|i|code)>|[」’'”\]])*"
_PARTICLE = r"(?:을|를|이|가|은|는|과|와|으로|로)(?![가-힣(])"
_FIXED = re.compile(_VALUE + _PARTICLE)
_AFTER_SPACE = r" (?:을|를|이|가|은|는|과|와|으로|로|의|에|에서|\(으\)로)(?![가-힣])"
_SPACED = re.compile(_VALUE + _AFTER_SPACE)


def _korean() -> dict[str, str]:
    return load_catalogs()["ko"]


def test_a_particle_after_a_value_is_a_marker() -> None:
    fixed = {k: m.group() for k, v in _korean().items() if (m := _FIXED.search(v))}
    assert fixed == {}


def test_no_space_before_a_particle() -> None:
    spaced = {k: m.group() for k, v in _korean().items() if (m := _SPACED.search(v))}
    assert spaced == {}


def test_one_spelling_of_yes_and_no() -> None:
    assert [k for k, v in _korean().items() if "아니오" in v] == []


def test_participants_see_plain_states() -> None:
    states = {k: v for k, v in _korean().items() if k.startswith("status.state.")}
    assert states["status.state.submitted"] == "검토 중"
    assert not [v for v in states.values() if "인증대기" in v]


def test_rendered_messages_take_the_right_particle() -> None:
    t = Translator().bind("ko")
    assert "신청 #2를 <b>보류</b>했습니다" in t("review.done.held", id=2, reason="-")
    assert "신청 #1을 <b>인증</b>했습니다" in t("review.done.certified", id=1)
    assert "「보안서약서.pdf」를 받았습니다" in t("staff.join.pledge_saved", file="보안서약서.pdf")
    intro = t("staff.join.intro", managing_body="고용노동부 본부")
    assert "<b>고용노동부 본부</b>로 정해져" in intro
    assert "<b>서울 본관</b>으로" in t("staff.join.intro", managing_body="서울 본관")
    assert "<b>IT 인턴</b>에 최종 선발" in t(
        "selection.notice_selected", program="IT 인턴", start="", end="", address="", agency=""
    )
