"""The chat page on a phone-width screen (390 px) in headless Chromium: the conversation fits
without horizontal scrolling, messages show times (not message numbers), and a demo staff
identity shows its current authenticator code."""

from __future__ import annotations

import re

import pyotp
import pytest

from bot.playground.server import PlaygroundServer
from tests.playground.conftest import DEMO_SECRET
from tests.playground.test_page_browser import CHROMIUM, MESSAGES, Tab, tab  # noqa: F401

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed"),
    pytest.mark.usefixtures("polling"),
]

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


async def _phone(tab: Tab, server: PlaygroundServer) -> None:  # noqa: F811
    await tab.call(
        "Emulation.setDeviceMetricsOverride",
        width=390,
        height=844,
        deviceScaleFactor=2,
        mobile=True,
    )
    await tab.call("Page.navigate", url=server.page_url)
    await tab.until("document.querySelectorAll('.who').length === 2")


async def test_the_conversation_fits_a_phone_and_shows_times(
    server: PlaygroundServer,
    tab: Tab,  # noqa: F811
) -> None:
    await _phone(tab, server)
    assert await tab.js("window.innerWidth") == 390
    await tab.js("document.querySelector('.who').click()")
    await tab.until("document.getElementById('title').innerText.includes('1001')")
    await tab.js(
        "const t = document.getElementById('text'); t.value = '/start ' + '아주긴단어'.repeat(30);"
        "document.getElementById('sendBtn').click()"
    )
    await tab.until(f"{MESSAGES}.includes('환영합니다, 김참여!')")
    assert await tab.js(NO_SIDEWAYS), await tab.js(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    metas = await tab.js("[...document.querySelectorAll('.msg .meta')].map(e => e.innerText)")
    assert metas and all(re.fullmatch(r"\d{2}:\d{2}( · 수정됨)?", m) for m in metas), metas
    box = await tab.js(
        "(() => { const r = document.getElementById('log').getBoundingClientRect();"
        " return [r.left, r.right, r.height]; })()"
    )
    assert box[0] >= 0 and box[1] <= 390 and box[2] > 200  # the chat itself has room
    button = await tab.js("document.getElementById('sendBtn').getBoundingClientRect().right")
    assert button <= 390  # the send button is on the screen


async def test_a_demo_staff_identity_shows_its_code(
    server: PlaygroundServer,
    tab: Tab,  # noqa: F811
) -> None:
    await _phone(tab, server)
    await tab.js("document.querySelectorAll('.who')[1].click()")  # 이담당 (2001)
    code = await tab.until("document.getElementById('otpCode').innerText")
    assert re.fullmatch(r"\d{6}", code) and pyotp.TOTP(DEMO_SECRET).verify(code, valid_window=1)
    assert await tab.js("getComputedStyle(document.getElementById('otp')).display") == "block"
    await tab.js("document.querySelector('.who').click()")  # a participant: no code shown
    await tab.until("getComputedStyle(document.getElementById('otp')).display === 'none'")
    assert await tab.js(NO_SIDEWAYS)
