"""Issue 4: the pure parts of the staff feature — request fields, project name, TOTP steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from bot.domain.errors import DomainError
from bot.services.review import result_to_json, stored_answers
from bot.services.second_factor import _matching_step
from bot.services.staff_accounts import (
    DUTIES,
    PERMISSIONS,
    AgencyChoice,
    check_upload,
    clean_choices,
    clean_direct_line,
    clean_mobile,
    clean_reason,
    project_name,
)


def test_project_name_follows_the_portal() -> None:
    hq = AgencyChoice(1, "(사)청년협회", None)
    branch = AgencyChoice(2, "(사)청년협회", "부산지사")
    assert project_name(2026, hq) == "2026_[민간] 청년일경험지원사업_(사)청년협회"
    assert project_name(2026, branch) == "2026_[민간] 청년일경험지원사업_(사)청년협회 부산지사"


def test_phone_is_a_direct_line_and_mobile_is_a_mobile() -> None:
    assert clean_direct_line("0255512345") == "02-5551-2345"
    assert clean_direct_line("070 1234 5678") == "070-1234-5678"
    with pytest.raises(DomainError) as refused:
        clean_direct_line("010-1234-5678")
    assert refused.value.code == "phone.mobile_not_allowed"
    assert clean_mobile("01012345678") == "010-1234-5678"
    with pytest.raises(DomainError):
        clean_mobile("02-123-4567")


def test_multi_select_keeps_portal_order_and_refuses_crafted_values() -> None:
    assert clean_choices(["employment", "basic"], DUTIES) == ["basic", "employment"]
    assert clean_choices(["program"], PERMISSIONS) == ["program"]
    with pytest.raises(DomainError) as empty:
        clean_choices([], DUTIES)
    assert empty.value.code == "staff.choose_one"
    with pytest.raises(DomainError) as crafted:
        clean_choices(["admin"], PERMISSIONS)
    assert crafted.value.code == "staff.bad_choice"


def test_reason_and_upload_rules() -> None:
    with pytest.raises(DomainError) as missing:
        clean_reason("   ")
    assert missing.value.code == "staff.reason_required"
    with pytest.raises(DomainError):
        clean_reason("가" * 501)
    check_upload("서약서.PDF", 1000)
    with pytest.raises(DomainError) as kind:
        check_upload("run.exe", 10)
    assert kind.value.code == "staff.file_type"
    with pytest.raises(DomainError) as big:
        check_upload("a.pdf", 11 * 1024 * 1024)
    assert big.value.code == "staff.file_size"


def test_totp_step_accepts_one_step_of_drift_only() -> None:
    secret = pyotp.random_base32()
    now = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    assert _matching_step(secret, totp.at(now), now) == step
    assert _matching_step(secret, totp.at(now - timedelta(seconds=30)), now) == step - 1
    assert _matching_step(secret, totp.at(now + timedelta(seconds=30)), now) == step + 1
    old = totp.at(now - timedelta(seconds=90))
    if old not in {totp.at(now + timedelta(seconds=30 * k)) for k in (-1, 0, 1)}:
        assert _matching_step(secret, old, now) is None


def test_stored_eligibility_formats() -> None:
    assert stored_answers({"answers": {"past_fraud": False}, "on": "2026-03-02"}) == {
        "past_fraud": False
    }
    assert stored_answers({"past_fraud": False}) == {"past_fraud": False}
    assert stored_answers(None) == {}

    class _F:
        def __init__(self, code: str, params: dict | None = None) -> None:
            self.code, self.params = code, params or {}

    class _R:
        eligible = True
        failures: list = []
        notes = [_F("elig.note.unemployment_benefits")]
        needs_check = [_F("elig.check.weekly_hours", {"hours": 20, "threshold": 30})]

    stored = result_to_json(_R())
    assert stored["notes"] == ["elig.note.unemployment_benefits"]
    assert stored["needs_check"] == [
        {"code": "elig.check.weekly_hours", "params": {"hours": 20, "threshold": 30}}
    ]
