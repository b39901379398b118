"""The second factor (OTP) on the form engine: one step, the 6-digit code — after the enrolment
(QR code and key, shown once) or when the last code has expired.

The code's message is deleted before it is checked and never echoed; after enrolment the QR code
and the key leave the chat too (``erase``). A wrong code asks again (attempts left; five lock for
15 minutes, which ends the flow). Whatever the gate stopped — a command, a button press, a
message to a flow — is kept (``kept``) and carried out once after the code, back in the state it
interrupted (``bot/forms/resume.py``). The entry points (the gate's prompt, /otp, the enrol
button) are in ``bot/handlers/totp.py``.
"""

from __future__ import annotations

from pydantic import BaseModel

from bot.forms.spec import RESUME, Answer, Finish, Flow, Interrupted, Step, Turn
from bot.services import second_factor
from bot.services.context import AppContext


class TotpData(BaseModel):
    enrolling: bool = False  # the code confirms a new enrolment
    first: bool = False  # it did (the service says)
    kept: Interrupted | None = None  # what the gate stopped, carried out after the code
    erase: list[int] = []  # the QR code and the key: shown once, taken off the chat at the end
    note: str = ""  # the closing text, said once they are gone


async def _code(turn: Turn[TotpData], answer: Answer) -> bool:
    verified = await second_factor.verify_code(turn.ctx, turn.actor, answer.text or "")
    return verified.first


def _first(turn: Turn[TotpData], key: str, value: bool) -> None:
    turn.data.first = value


async def _done(turn: Turn[TotpData]) -> Finish:
    data, t, hours = turn.data, turn.t, turn.ctx.settings.totp_valid_hours
    lines = [t("totp.enrolled" if data.first or data.enrolling else "totp.verified", hours=hours)]
    kept = data.kept
    if kept is not None and kept.due(turn.ctx.now()):
        lines.append(t("totp.carrying_on"))
    elif kept is not None and kept.state:
        lines.append(t("totp.resume_flow"))
    else:
        lines.append(t("totp.what_next"))
    data.note = "\n".join(lines)
    return Finish("", exit=RESUME)  # the key goes first, then the note, then the action


def flow(ctx: AppContext) -> Flow:
    return Flow(
        name="totp",
        model=TotpData,
        items=(
            Step(
                "code",
                lambda turn: turn.t("totp.ask_code"),
                _code,
                "totp.f.code",
                store=_first,
                secret=True,
                wrong_input="totp.format",
            ),
        ),
        finish=_done,
        fatal=frozenset({"totp.locked", "totp.not_enrolled", "access.denied"}),
    )
