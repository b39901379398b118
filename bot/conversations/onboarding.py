"""First contact: what the program is, then the privacy notice with separate consents.

| state              | input                         | next                        |
|--------------------|-------------------------------|-----------------------------|
| (none) /start      | new participant               | required_consent            |
| required_consent   | 동의 → record consent          | optional_consent            |
|                    | 동의 안 함                     | (cleared) — can still browse |
| optional_consent   | 수신 동의 / 받지 않음           | (cleared) welcome           |
Nothing is collected before the required consent. A deep-link payload is kept in the state data
(``start_payload``) and handed to ``after_onboarding`` hooks once consent is given.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Texts
from bot.keyboards.common import inline
from bot.services import users
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="onboarding")

# Features register what to do with a /start payload once consent is given (e.g. open a program);
# when none takes it (or there is none), the done hooks run (the home menu).
PayloadHook = Callable[[Message, str, Actor, Texts, FSMContext, AppContext], Awaitable[bool]]
payload_hooks: list[PayloadHook] = []
done_hooks: list[PayloadHook] = []


class Onboarding(StatesGroup):
    required_consent = State()
    optional_consent = State()


class ConsentStep(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"


class ConsentCB(CallbackData, prefix="consent"):
    step: ConsentStep
    agree: bool


def _required_keyboard(t: Texts) -> InlineKeyboardMarkup:
    return inline(
        [
            [(t("onboarding.agree_required"), ConsentCB(step="required", agree=True))],
            [(t("onboarding.decline_required"), ConsentCB(step="required", agree=False))],
        ]
    )


async def begin(message: Message, state: FSMContext, t: Texts, payload: str | None) -> None:
    await state.set_state(Onboarding.required_consent)
    await state.set_data({"start_payload": payload} if payload else {})
    await message.answer(t("onboarding.intro"))
    await message.answer(t("onboarding.privacy_required"), reply_markup=_required_keyboard(t))


@router.callback_query(Onboarding.required_consent, ConsentCB.filter(F.step == "required"))
async def required_answer(
    query: CallbackQuery,
    callback_data: ConsentCB,
    state: FSMContext,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    await message.edit_reply_markup(reply_markup=None)
    if not callback_data.agree:
        await state.clear()
        await message.answer(t("onboarding.declined"))
        return
    await users.give_consent(ctx, actor)
    await state.set_state(Onboarding.optional_consent)
    await message.answer(
        t("onboarding.privacy_optional"),
        reply_markup=inline(
            [
                [(t("onboarding.agree_optional"), ConsentCB(step="optional", agree=True))],
                [(t("onboarding.decline_optional"), ConsentCB(step="optional", agree=False))],
            ]
        ),
    )


@router.callback_query(Onboarding.optional_consent, ConsentCB.filter(F.step == "optional"))
async def optional_answer(
    query: CallbackQuery,
    callback_data: ConsentCB,
    state: FSMContext,
    actor: Actor,
    ctx: AppContext,
    t: Texts,
) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    await message.edit_reply_markup(reply_markup=None)
    await users.give_consent(ctx, actor, optional=callback_data.agree)
    payload = (await state.get_data()).get("start_payload")
    await state.clear()
    if payload:
        await message.answer(t("onboarding.done"))
        for hook in payload_hooks:
            if await hook(message, payload, actor, t, state, ctx):
                return
    for hook in done_hooks:  # the home menu (it says "saved" itself when nothing else did)
        if await hook(message, payload or "", actor, t, state, ctx):
            return
    if not payload:
        await message.answer(t("onboarding.done"))


@router.message(Onboarding.required_consent)
@router.message(Onboarding.optional_consent)
async def expecting_button(message: Message, state: FSMContext, t: Texts) -> None:
    """Free text where a button is expected: ask again, with the buttons."""
    if await state.get_state() == Onboarding.required_consent.state:
        await message.answer(t("onboarding.privacy_required"), reply_markup=_required_keyboard(t))
    else:
        await message.answer(t("onboarding.use_buttons"))
