"""Everything the playground remembers, and the operations both sides of a chat perform."""

from __future__ import annotations

import asyncio
import copy
import re
import secrets
import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .chats import Chat
from .files import FileStore
from .models import ApiCall, CallbackRecord, Identity, Stats, StoredMessage, UserInfo
from .params import ApiError
from .ratelimit import RateLimiter
from .updates import UpdateQueue
from .webhook import WebhookDelivery

if TYPE_CHECKING:
    from .driver import PlaygroundUser

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@/])")
CALLBACK_TTL = 15 * 60


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entity Telegram attaches to a message starting with /command."""
    match = _COMMAND.match(text)
    if not match:
        return []
    return [{"type": "bot_command", "offset": 0, "length": len(match.group(0))}]


class PlaygroundState:
    def __init__(
        self,
        token: str,
        *,
        rate_limit: bool = False,
        global_per_second: int = 30,
        per_chat_per_second: int = 1,
        bot_user_id: int = 7000000001,
        bot_username: str = "youth_work_bot",
        identities: list[Identity] | None = None,
        bot_first_name: str = "청년일경험 도우미",
        strict_html_ampersand: bool = True,
        rate_limit_slack: float = 0.0,
    ) -> None:
        self.token = token
        self.bot_user_id = bot_user_id
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.identities = list(identities or [])
        self.strict_html_ampersand = strict_html_ampersand
        self.users: dict[int, UserInfo] = {}
        self.chats: dict[int, Chat] = {}
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, int, int, str], list[dict[str, str]]] = {}
        self.default_menu_button: dict[str, Any] = {"type": "default"}
        self.webhook: dict[str, Any] = {"url": ""}
        self.profile: dict[tuple[str, str], str] = {}  # setMyName / setMyDescription ...
        self.webhook_delivery = WebhookDelivery(self)  # POSTs updates once a webhook is set
        self.calls: list[ApiCall] = []
        self.stats = Stats()
        self.limiter = RateLimiter(
            enabled=rate_limit,
            global_per_second=global_per_second,
            per_chat_per_second=per_chat_per_second,
            slack=rate_limit_slack,
        )
        self._failures: dict[str, list[ApiError]] = defaultdict(list)
        self.outage_until = 0.0  # see outage()
        self.outage_kind = "500"
        self.outage_methods: frozenset[str] | None = None
        self._drivers: dict[int, PlaygroundUser] = {}
        for identity in self.identities:
            # Demo people have "started the bot" already, so it can notify them before they write.
            self.register_user(
                identity.user_id,
                identity.first_name,
                language_code=identity.language_code,
                username=identity.username,
            )

    # ----- test controls -------------------------------------------------------------------
    def set_rate_limit(
        self,
        on: bool,
        *,
        global_per_second: int | None = None,
        per_chat_per_second: int | None = None,
        slack: float | None = None,
    ) -> None:
        """Switch flood limits on/off at run time (the windows start empty again)."""
        self.limiter.configure(on, global_per_second, per_chat_per_second, slack)

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Make the next ``count`` calls of ``method`` fail with exactly this error."""
        for _ in range(count):
            self._failures[method.lower()].append(ApiError(error_code, description, retry_after))

    def outage(
        self, seconds: float, kind: str = "500", methods: frozenset[str] | None = None
    ) -> None:
        """For ``seconds`` from now, every call (or those of ``methods``) fails as a sick Bot API
        would: ``"500"`` / ``"502"`` answer that status, ``"timeout"`` answers nothing until the
        caller gives up (the call is not carried out). getUpdates is never affected."""
        loop = asyncio.get_running_loop()
        lowered = frozenset(m.lower() for m in methods) if methods else None
        self.outage_until, self.outage_kind, self.outage_methods = (
            loop.time() + seconds,
            kind,
            lowered,
        )

    def in_outage(self, method: str) -> str | None:
        """The outage kind if ``method`` is hit by one now, else None."""
        if not self.outage_until or method.lower() == "getupdates":
            return None
        if asyncio.get_running_loop().time() >= self.outage_until:
            return None
        if self.outage_methods is not None and method.lower() not in self.outage_methods:
            return None
        return self.outage_kind

    def take_failure(self, method: str) -> ApiError | None:
        queue = self._failures.get(method.lower())
        return queue.pop(0) if queue else None

    def calls_of(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    # ----- people --------------------------------------------------------------------------
    @property
    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_user_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def register_user(
        self,
        user_id: int,
        first_name: str = "테스터",
        *,
        language_code: str | None = "ko",
        username: str | None = None,
        started: bool = True,
    ) -> Chat:
        """Make a person known; registering counts as having started the bot unless
        ``started=False`` (then the bot's sends get 403 until the person writes)."""
        if user_id not in self.users:
            info = UserInfo(user_id, first_name, username, language_code)
            self.users[user_id] = info
            self.chats[user_id] = Chat(info)
            self.chats[user_id].started = started
        return self.chats[user_id]

    def user(
        self,
        user_id: int,
        first_name: str = "테스터",
        *,
        language_code: str = "ko",
        username: str | None = None,
        started: bool = True,
    ) -> PlaygroundUser:
        """The scripted person with this id (the same object every time)."""
        from .driver import PlaygroundUser

        if user_id not in self._drivers:
            chat = self.register_user(
                user_id,
                first_name,
                language_code=language_code,
                username=username,
                started=started,
            )
            self._drivers[user_id] = PlaygroundUser(self, chat)
        return self._drivers[user_id]

    def identity_user(self, identity: Identity) -> PlaygroundUser:
        return self.user(
            identity.user_id,
            identity.first_name,
            language_code=identity.language_code,
            username=identity.username,
        )

    def effective_commands(self, chat_id: int, language_code: str | None) -> list[dict[str, str]]:
        """The command menu a Telegram client would show in this private chat."""
        lang = (language_code or "")[:2]
        for kind, scoped_chat in (("chat", chat_id), ("all_private_chats", 0), ("default", 0)):
            for code in (lang, ""):
                commands = self.commands.get((kind, scoped_chat, 0, code))
                if commands:
                    return commands
        return []

    # ----- the user's side -----------------------------------------------------------------
    def post_user_message(
        self, chat: Chat, fields: dict[str, Any], sender: UserInfo | None = None
    ) -> StoredMessage:
        if chat.blocked:
            # Writing to a blocked bot means pressing "Restart" first, which unblocks it.
            self.set_blocked(chat, False)
        chat.started = True
        who = (sender or chat.user).to_dict()
        message = chat.new_message(sender=who, from_bot=False, fields=fields)
        self.updates.push("message", copy.deepcopy(message.raw))
        return message

    def edit_user_message(
        self, chat: Chat, message_id: int, fields: dict[str, Any], sender: UserInfo | None = None
    ) -> StoredMessage:
        """The person edits their own message: Telegram sends ``edited_message``."""
        message = chat.find(message_id)
        if message is None or message.from_bot:
            raise AssertionError(f"no message #{message_id} of the person to edit")
        for key in ("text", "caption", "entities", "caption_entities"):
            message.raw.pop(key, None)
        message.raw.update({k: v for k, v in fields.items() if v is not None})
        chat.edited(message)
        self.updates.push("edited_message", copy.deepcopy(message.raw))
        return message

    def press_callback(
        self, chat: Chat, message: StoredMessage, data: str, sender: UserInfo | None = None
    ) -> CallbackRecord:
        query_id = str(secrets.randbits(62))
        who = sender or chat.user
        record = CallbackRecord(query_id, who.id, message.message_id, data, time.monotonic())
        self.callbacks[query_id] = record
        self.updates.push(
            "callback_query",
            {
                "id": query_id,
                "from": who.to_dict(),
                "message": copy.deepcopy(message.raw),
                "chat_instance": str(-(chat.id * 7919 % 10**18) - 1),
                "data": data,
            },
        )
        return record

    def set_blocked(self, chat: Chat, blocked: bool) -> None:
        if chat.blocked == blocked:
            return
        chat.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        member_new: dict[str, Any] = {"status": new, "user": self.bot_user}
        if blocked:
            member_new["until_date"] = 0
        member_old: dict[str, Any] = {"status": old, "user": self.bot_user}
        if not blocked:
            member_old["until_date"] = 0
        self.updates.push(
            "my_chat_member",
            {
                "chat": chat.user.chat_dict(),
                "from": chat.user.to_dict(),
                "date": int(time.time()),
                "old_chat_member": member_old,
                "new_chat_member": member_new,
            },
        )
        chat.notify()

    # ----- the bot's side ------------------------------------------------------------------
    def chat_for_bot(self, chat_id: int | None, *, check_blocked: bool = True) -> Chat:
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if check_blocked and chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if check_blocked and not chat.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat.id < 0:
            from .groups import check_member

            check_member(chat)
        return chat

    def post_bot_message(
        self,
        chat: Chat,
        fields: dict[str, Any],
        markup: tuple[str, dict[str, Any]] | None,
    ) -> StoredMessage:
        if markup is not None:
            kind, value = markup
            if kind == "inline" and value["inline_keyboard"]:
                fields = {**fields, "reply_markup": value}
            elif kind == "reply":
                chat.reply_keyboard = value
            elif kind == "remove":
                chat.reply_keyboard = None
        return chat.new_message(sender=self.bot_user, from_bot=True, fields=fields)
