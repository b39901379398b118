"""Group, supergroup and channel chats: where the bot must show nothing personal.

    group = groups.add_group(server, -100123, "청년 모임")          # negative id, like Telegram
    member = groups.member(server, group, server.users[1001])      # a person writing in it
    groups.add_bot(server, group, by=server.users[1001])           # my_chat_member: bot joined
    await member.send("/privacy"); await member.expect("개인 채팅")
    groups.channel_post(server, channel, "공지")                   # channel_post (no sender)

The bot's ``leaveChat`` ends its membership (sends there are refused with 403 afterwards) and, as
on Telegram, queues a ``my_chat_member`` update with the status ``left``.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .chats import Chat
from .driver import PlaygroundUser
from .models import UserInfo
from .params import ApiError, Params, bad_request

if TYPE_CHECKING:
    from .state import PlaygroundState

KINDS = ("group", "supergroup", "channel")


@dataclass
class GroupInfo:
    """What a Chat needs of its other side, for a group: id, title and type."""

    id: int
    title: str
    kind: str = "supergroup"
    username: str | None = None
    language_code: str | None = None

    @property
    def first_name(self) -> str:
        return self.title

    def chat_dict(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "title": self.title, "type": self.kind}
        if self.username:
            chat["username"] = self.username
        return chat

    def to_dict(self) -> dict[str, Any]:
        return self.chat_dict()


def add_group(srv: PlaygroundState, chat_id: int, title: str, kind: str = "supergroup") -> Chat:
    """A group the bot is not (yet) a member of; sends there get 403 until ``add_bot``."""
    if chat_id >= 0 or kind not in KINDS:
        raise ValueError("a group chat has a negative id and a kind of " + ", ".join(KINDS))
    if chat_id not in srv.chats:
        chat = Chat(GroupInfo(chat_id, title, kind))  # type: ignore[arg-type]
        chat.member = False
        srv.chats[chat_id] = chat
    return srv.chats[chat_id]


def _member_update(
    srv: PlaygroundState, chat: Chat, by: dict[str, Any], old: str, new: str
) -> dict[str, Any]:
    return {
        "chat": chat.user.chat_dict(),
        "from": by,
        "date": int(time.time()),
        "old_chat_member": {"status": old, "user": srv.bot_user},
        "new_chat_member": _status(srv, new),
    }


def _status(srv: PlaygroundState, status: str) -> dict[str, Any]:
    member: dict[str, Any] = {"status": status, "user": srv.bot_user}
    if status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=False,
            can_restrict_members=False,
            can_promote_members=False,
            can_change_info=False,
            can_invite_users=False,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_post_messages=True,
        )
    return member


def add_bot(srv: PlaygroundState, chat: Chat, by: UserInfo, *, admin: bool = False) -> None:
    """Someone adds the bot to the group (or makes it a channel admin): ``my_chat_member``."""
    chat.member = True
    new = "administrator" if admin or chat.user.chat_dict()["type"] == "channel" else "member"
    srv.updates.push("my_chat_member", _member_update(srv, chat, by.to_dict(), "left", new))
    chat.notify()


def member(srv: PlaygroundState, chat: Chat, user: UserInfo) -> PlaygroundUser:
    """A person writing in the group: reads the group's messages, sends as themselves."""
    who = PlaygroundUser(srv, chat)
    who.sender = user
    return who


def channel_post(srv: PlaygroundState, chat: Chat, text: str) -> dict[str, Any]:
    """A post in a channel: no ``from``, the channel itself as ``sender_chat``."""
    message = chat.new_message(
        sender=None, from_bot=False, fields={"text": text, "sender_chat": chat.user.chat_dict()}
    )
    message.raw.pop("from", None)
    srv.updates.push("channel_post", copy.deepcopy(message.raw))
    return dict(message.raw)


def check_member(chat: Chat) -> None:
    if not chat.member:
        kind = chat.user.chat_dict()["type"]
        where = "channel chat" if kind == "channel" else f"{kind} chat"
        raise ApiError(403, f"Forbidden: bot is not a member of the {where}")


async def leave_chat(srv: PlaygroundState, p: Params) -> Any:
    if not p.has("chat_id"):
        raise bad_request("chat_id is empty")
    chat = srv.chats.get(p.int("chat_id") or 0)
    if chat is None:
        raise bad_request("chat not found")
    if chat.id > 0:
        raise bad_request("chat member status can't be changed in private chats")
    check_member(chat)
    chat.member = False
    srv.updates.push("my_chat_member", _member_update(srv, chat, srv.bot_user, "member", "left"))
    chat.notify()
    return True


METHODS = {"leaveChat": leave_chat}
