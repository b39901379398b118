"""Korean particles chosen by the preceding word: 받침 / no 받침 / ㄹ / digits / Latin."""

from __future__ import annotations

import pytest

from bot.domain.josa import attach, resolve


@pytest.mark.parametrize(
    ("word", "marker", "expected"),
    [
        # 받침 (not ㄹ)
        ("프로그램", "을(를)", "프로그램을"),
        ("신청", "이(가)", "신청이"),
        ("기관", "은(는)", "기관은"),
        ("센터장", "과(와)", "센터장과"),
        ("본관", "(으)로", "본관으로"),
        ("수료증", "(이)나", "수료증이나"),
        # no 받침
        ("본부", "(으)로", "본부로"),
        ("보안서약서", "을(를)", "보안서약서를"),
        ("기업", "와(과)", "기업과"),
        ("회사", "이(가)", "회사가"),
        ("담당자", "는(은)", "담당자는"),
        ("센터", "과(와)", "센터와"),
        # ㄹ: 으로 → 로, the rest as with any 받침
        ("서울", "(으)로", "서울로"),
        ("서울", "을(를)", "서울을"),
        ("일경험 수행 기간 1개월", "(으)로", "일경험 수행 기간 1개월로"),
        # digits read as Sino-Korean numbers
        ("#2", "을(를)", "#2를"),  # 이
        ("#1", "을(를)", "#1을"),  # 일
        ("#3", "이(가)", "#3이"),  # 삼
        ("#7", "(으)로", "#7로"),  # 칠 (ㄹ)
        ("#6", "(으)로", "#6으로"),  # 육
        ("10", "(으)로", "10으로"),  # 십
        ("100", "은(는)", "100은"),  # 백
        ("2000", "이(가)", "2000이"),  # 천
        ("5", "와(과)", "5와"),  # 오
        ("2027-0001-000123", "은(는)", "2027-0001-000123은"),  # 삼
        ("2027-0001-000124", "은(는)", "2027-0001-000124는"),  # 사
        # Latin: acronyms by letter names, words as read
        ("PDF", "을(를)", "PDF를"),  # 에프
        ("QR", "(으)로", "QR로"),  # 알 (ㄹ)
        ("URL", "을(를)", "URL을"),  # 엘
        ("OTP", "(으)로", "OTP로"),  # 피
        ("Excel", "(으)로", "Excel로"),  # 엑셀
        ("Google Form", "을(를)", "Google Form을"),  # 폼
        ("data", "을(를)", "data를"),  # 데이터
        # markup, quotes and parentheticals between the word and its particle
        ("<b>IT 사무지원 인턴형 일경험</b>", "을(를)", "<b>IT 사무지원 인턴형 일경험</b>을"),
        ("「보안서약서.pdf」", "을(를)", "「보안서약서.pdf」를"),
        ("계정 신청(#12)", "을(를)", "계정 신청(#12)을"),
        ("‘2027-0001’", "은(는)", "‘2027-0001’은"),
        # unreadable → the marker as written
        ("🎓", "을(를)", "🎓을(를)"),
    ],
)
def test_attach(word: str, marker: str, expected: str) -> None:
    assert attach(word, marker) == expected


def test_resolve_every_marker_in_a_text() -> None:
    text = "고용노동부 본부(으)로 신청 #2을(를) 보냈고 「보안서약서.pdf」을(를) 받았습니다."
    assert resolve(text) == "고용노동부 본부로 신청 #2를 보냈고 「보안서약서.pdf」를 받았습니다."


def test_a_marker_standing_alone_is_kept() -> None:
    assert resolve("조사 표기: 을(를)") == "조사 표기: 을(를)"
    assert resolve("(으)로 시작") == "(으)로 시작"


def test_text_without_markers_is_unchanged() -> None:
    assert resolve("예 / 아니요 (선택)") == "예 / 아니요 (선택)"
