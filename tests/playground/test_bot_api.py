"""The playground behaves like Telegram for a real aiogram bot talking to it over HTTP."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.playground.server import PlaygroundServer

from .conftest import PNG_1X1, TOKEN

pytestmark = pytest.mark.usefixtures("polling")


def keyboard(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[list(buttons)])


async def test_echo_round_trip_numbers_messages_per_chat(server: PlaygroundServer) -> None:
    first = server.user(1001, "김참여")
    other = server.user(1002, "박참여")
    sent = await first.send("안녕하세요")
    reply = await first.expect("안녕하세요")
    assert sent["message_id"] == 1 and reply.message_id == 2
    assert reply.from_bot and reply.raw["chat"]["id"] == 1001
    await other.send("반가워요")
    assert (await other.expect()).message_id == 2  # ids count per chat
    await first.send("두 번째")
    assert (await first.expect("두 번째")).message_id == 4
    assert [m.text for m in first.messages] == ["안녕하세요", "두 번째"]


async def test_start_command_button_click_and_edit(server: PlaygroundServer) -> None:
    person = server.user(1001, "김참여")
    sent = await person.send("/start invite-42")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    welcome = await person.expect("환영합니다")
    assert welcome.text == "환영합니다, 김참여! (invite-42)"
    assert welcome.entities == [{"type": "bold", "offset": 0, "length": 5}]
    assert welcome.buttons == [["확인"]] and welcome.callback_data == {"확인": "ok"}
    query_id = await person.click("확")  # unique partial label
    answer = await person.wait_callback_answer(query_id)
    assert answer["text"] == "확인됨" and not answer["show_alert"]
    edited = await person.expect("확인 완료")
    assert edited.event == "edit" and edited.edit_count == 1
    assert edited.buttons == []  # editMessageText without reply_markup drops the keyboard
    with pytest.raises(AssertionError, match="no inline button '없는 버튼'"):
        await person.click("없는 버튼")


async def test_edit_not_modified_and_missing_messages(server: PlaygroundServer, bot: Bot) -> None:
    person = server.user(1001)
    markup = keyboard(InlineKeyboardButton(text="A", callback_data="a"))
    message = await bot.send_message(1001, "원본", reply_markup=markup)
    with pytest.raises(TelegramBadRequest) as error:
        await bot.edit_message_text(
            "원본", chat_id=1001, message_id=message.message_id, reply_markup=markup
        )
    assert error.value.message == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    await bot.edit_message_text("수정", chat_id=1001, message_id=message.message_id)
    assert person.last is not None and person.last.text == "수정" and person.last.edit_count == 1
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=1001, message_id=999)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(1001, 999)
    assert await bot.delete_message(1001, message.message_id)
    assert person.messages == []
    deleted = await person.expect_deleted(message.message_id)
    assert deleted.deleted


async def test_text_limit_counts_parsed_utf16(server: PlaygroundServer, bot: Bot) -> None:
    server.user(1001)
    await bot.send_message(1001, "가" * 4096)
    await bot.send_message(1001, "<b>" + "가" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1001, "가" * 4097)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1001, "😀" * 2049)  # 4098 UTF-16 code units
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(1001, "<b> </b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(1001, BufferedInputFile(b"x", "a.txt"), caption="c" * 1025)


async def test_html_is_validated_like_telegram(server: PlaygroundServer, bot: Bot) -> None:
    person = server.user(1001)
    ok = await bot.send_message(
        1001,
        '<b>굵게 <i>기울임 <u>밑줄</u></i></b> <a href="https://example.com/?a=1&amp;b=2">링크</a>'
        ' &lt;태그&gt; <pre><code class="language-python">x = 1</code></pre>',
        parse_mode="HTML",
    )
    assert ok.text == "굵게 기울임 밑줄 링크 <태그> x = 1"
    kinds = [(e.type, e.offset, e.length) for e in ok.entities or []]
    assert ("bold", 0, 9) in kinds and ("underline", 7, 2) in kinds
    assert person.last is not None and person.last.text == ok.text
    refusals = {
        "<foo>x</foo>": 'Unsupported start tag "foo" at byte offset 0',
        "a < b": 'Unsupported start tag "" at byte offset 2',
        "<b>열림": 'Can\'t find end tag corresponding to start tag "b"',
        "닫힘</b>": "Unexpected end tag at byte offset 6",
        "A & B": "Character entity expected at byte offset 2",
    }
    for text, reason in refusals.items():
        with pytest.raises(TelegramBadRequest) as error:
            await bot.send_message(1001, text, parse_mode="HTML")
        assert error.value.message == f"Bad Request: can't parse entities: {reason}"
    await bot.send_message(1001, "a < b & <foo>")  # no parse_mode: plain text is fine


async def test_inline_keyboard_validation(server: PlaygroundServer, bot: Bot) -> None:
    server.user(1001)
    await bot.send_message(
        1001, "ok", reply_markup=keyboard(InlineKeyboardButton(text="64", callback_data="x" * 64))
    )
    for data in ("x" * 65, "가" * 22):  # 66 bytes: the limit is in bytes
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await bot.send_message(
                1001,
                "t",
                reply_markup=keyboard(InlineKeyboardButton(text="b", callback_data=data)),
            )
    with pytest.raises(TelegramBadRequest) as error:
        await bot.send_message(1001, "t", reply_markup=keyboard(InlineKeyboardButton(text="b")))
    assert error.value.message == (
        "Bad Request: can't parse inline keyboard button: "
        "Text buttons are unallowed in the inline keyboard"
    )


async def test_unknown_chat_and_blocked_user(server: PlaygroundServer, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(424242, "누구?")
    person = server.user(1001)
    person.block()
    with pytest.raises(TelegramForbiddenError) as error:
        await bot.send_message(1001, "차단됨?")
    assert error.value.message == "Forbidden: bot was blocked by the user"
    person.unblock()
    await person.quiet(0.2)  # unblocking by itself sends nothing
    await bot.send_message(1001, "다시 연결")
    assert (await person.expect()).text == "다시 연결"
    failed = [c for c in server.calls_of("sendMessage") if not c.ok]
    assert [c.error_code for c in failed] == [400, 403]


async def test_rate_limits_give_429_with_retry_after(server: PlaygroundServer, bot: Bot) -> None:
    for user_id in (1, 2, 3, 4):
        server.user(user_id)
    server.set_rate_limit(True, global_per_second=3, per_chat_per_second=1)
    await bot.send_message(1, "첫 번째")
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(1, "같은 채팅에서 바로 두 번째")
    assert error.value.retry_after >= 1
    refused = server.calls_of("sendMessage")[-1]
    assert (refused.error_code, refused.description) == (
        429,
        f"Too Many Requests: retry after {error.value.retry_after}",
    )
    await bot.send_message(2, "b")
    await bot.send_message(3, "c")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(4, "전체 한도 초과")
    assert server.stats.rejected_429 == 2
    server.set_rate_limit(False)
    await bot.send_message(1, "한도 해제")
    server.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(TelegramRetryAfter) as injected:
        await bot.send_message(1, "주입된 실패")
    assert injected.value.retry_after == 7


async def test_user_upload_reaches_bot_through_get_file(
    server: PlaygroundServer, received: dict[str, Any]
) -> None:
    person = server.user(1001)
    content = bytes(range(256)) * 40
    await person.send_document("이력서.pdf", content, "application/pdf")
    assert (await person.expect("받음")).text == f"받음: 이력서.pdf {len(content)}"
    assert received["document"] == content


async def test_bot_documents_and_photos_download(server: PlaygroundServer, bot: Bot) -> None:
    person = server.user(1001)
    await person.send("파일")
    document = await person.expect_document()
    assert document.file_name == "보고서.pdf" and document.mime_type == "application/pdf"
    assert document.text == "보고서입니다"
    assert await person.download(document) == b"%PDF-1.4 report"
    photo = await bot.send_photo(1001, BufferedInputFile(PNG_1X1, "dot.png"), caption="점")
    assert photo.photo and photo.photo[-1].width == 1
    shown = await person.expect_document()
    assert shown.is_photo and await person.download(shown) == PNG_1X1
    again = await bot.send_document(1001, document.file_id or "")
    assert again.document and again.document.file_id == document.file_id
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await bot.send_photo(1001, BufferedInputFile(b"not an image", "x.jpg"))
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_document(1001, "no-such-file-id")


async def test_contact_and_reply_keyboard(server: PlaygroundServer, bot: Bot) -> None:
    person = server.user(1001, "김참여")
    share = KeyboardButton(text="번호 공유", request_contact=True)
    await bot.send_message(
        1001, "번호를 알려 주세요", reply_markup=ReplyKeyboardMarkup(keyboard=[[share]])
    )
    await person.expect("번호를")
    assert person.reply_keyboard == [["번호 공유"]]
    await person.press("번호 공유")
    reply = await person.expect("번호 ")
    assert reply.text is not None and reply.text.endswith("/ 1001")


async def test_callback_answers_once_and_commands_per_scope(
    server: PlaygroundServer, bot: Bot
) -> None:
    person = server.user(1001)
    await person.send("/start")
    await person.expect("환영")
    query_id = await person.click("확인")
    await person.wait_callback_answer(query_id)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id, text="두 번째 답")
    await bot.set_my_commands([BotCommand(command="start", description="시작")])
    scope = BotCommandScopeChat(chat_id=1001)
    await bot.set_my_commands([BotCommand(command="menu", description="메뉴")], scope=scope)
    assert [c.command for c in await bot.get_my_commands(scope=scope)] == ["menu"]
    assert [c.command for c in await bot.get_my_commands(language_code="ko")] == []
    assert server.effective_commands(1001, "ko")[0]["command"] == "menu"
    assert server.effective_commands(1002, "ko")[0]["command"] == "start"


async def test_wrong_token_and_unknown_method(server: PlaygroundServer) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.base_url}/bot1:WRONG/getMe") as response:
            assert response.status == 401
            assert await response.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with http.post(f"{server.base_url}/bot{TOKEN}/noSuchMethod") as response:
            assert response.status == 404
            assert (await response.json())["description"] == "Not Found"
        async with http.get(f"{server.base_url}/bot{TOKEN}/GETME") as response:
            assert (await response.json())["result"]["username"] == "youth_work_bot"


async def test_page_and_ui_round_trip(server: PlaygroundServer) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(server.page_url) as response:
            assert response.status == 200
            page = await response.text()
            assert response.content_type == "text/html"
            assert "<script>" in page and "/ui/chat" in page
            assert 'src="http' not in page and 'href="http' not in page  # no CDNs
        async with http.get(f"{server.base_url}/ui/identities") as response:
            identities = (await response.json())["identities"]
            assert identities[0] == {
                "user_id": 1001,
                "first_name": "김참여",
                "role_label": "참여자",
                "has_code": False,  # only demo staff and center identities have one
            }
        async with http.post(
            f"{server.base_url}/ui/send", json={"user_id": 1001, "text": "/start"}
        ) as response:
            state = await response.json()
        params = {"user_id": "1001", "since": str(state["version"]), "wait": "5"}
        for _ in range(5):
            async with http.get(f"{server.base_url}/ui/chat", params=params) as response:
                state = await response.json()
            if len(state["messages"]) >= 2:
                break
            params["since"] = str(state["version"])
        bot_message = state["messages"][1]
        assert bot_message["from_bot"] and bot_message["html"].startswith("<b>환영합니다</b>")
        async with http.post(
            f"{server.base_url}/ui/click",
            json={"user_id": 1001, "message_id": bot_message["message_id"], "label": "확인"},
        ) as response:
            assert response.status == 200
    person = server.user(1001)
    assert (await person.expect("확인 완료")).event == "edit"


async def test_stats_count_sends(server: PlaygroundServer, bot: Bot) -> None:
    server.user(1001)
    await bot.send_message(1001, "하나")
    await bot.send_chat_action(1001, "typing")
    assert server.stats.sent == 1
    assert server.stats.per_method["sendChatAction"] == 1
    assert server.user(1001).chat_actions == ["typing"]
    await asyncio.sleep(0)


async def test_copy_forward_and_profile_text(server: PlaygroundServer, bot: Bot) -> None:
    participant, staff = server.user(1001, "김참여"), server.user(2001, "이담당")
    upload = await participant.send_document("증빙.pdf", b"%PDF proof", "application/pdf")
    await participant.expect("받음")
    copied = await bot.copy_message(
        2001, 1001, upload["message_id"], caption="<b>증빙</b>", parse_mode="HTML"
    )
    shown = await staff.expect_document()
    assert shown.message_id == copied.message_id and shown.text == "증빙"
    assert await staff.download(shown) == b"%PDF proof"
    forwarded = await bot.forward_message(2001, 1001, upload["message_id"])
    assert forwarded.forward_origin is not None
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(2001, 1001, 999)
    await bot.set_my_description("청년일경험 안내 봇", language_code="ko")
    assert (await bot.get_my_description(language_code="ko")).description == "청년일경험 안내 봇"
