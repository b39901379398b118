"""/privacy: what is stored about the caller, the optional consent, and erasure."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Texts
from bot.keyboards.common import Button, inline
from bot.keyboards.participant import PrivacyCB
from bot.services import privacy
from bot.services.context import AppContext
from bot.services.identity import Actor

router = Router(name="privacy")


def _mask_mobile(mobile: str | None) -> str | None:
    if not mobile:
        return None
    parts = mobile.split("-")
    if len(parts) == 3:
        return f"{parts[0]}-{'*' * len(parts[1])}-{parts[2]}"
    return mobile[:3] + "****"


async def _overview(ctx: AppContext, actor: Actor, t: Texts) -> tuple[str, list[list[Button]]]:
    data = await privacy.my_data(ctx, actor)
    if data is None:
        return t("privacy.none"), []
    none = t("privacy.empty")
    lines = [
        t("privacy.title"),
        t(
            "privacy.stored",
            name=data.name or none,
            birth=t.date(data.birth_date) if data.birth_date else none,
            mobile=_mask_mobile(data.mobile) or none,
            email=data.email or none,
            education=data.education or none,
            rrn=data.rrn_masked or none,
            apps=data.applications,
            files=data.files,
            consent=t.date(data.consent_required_at.astimezone(ctx.settings.tz))
            if data.consent_required_at
            else none,
            optional=t("privacy.yes") if data.consent_optional else t("privacy.no"),
        ),
    ]
    if data.erased_at is not None:
        lines.append(
            t(
                "privacy.erased_before",
                date=t.date(data.erased_at.astimezone(ctx.settings.tz).date()),
            )
        )
    lines.append(t("privacy.rights"))
    rows: list[list[Button]] = []
    if data.consent_required_at is not None:
        if data.consent_optional:
            rows.append([(t("privacy.optout"), PrivacyCB(action="optout"))])
        else:
            rows.append([(t("privacy.optin"), PrivacyCB(action="optin"))])
    rows.append([(t("privacy.erase"), PrivacyCB(action="erase"))])
    return "\n".join(lines), rows


@router.message(Command("privacy"))
async def show_privacy(message: Message, ctx: AppContext, actor: Actor, t: Texts) -> None:
    text, rows = await _overview(ctx, actor, t)
    await message.answer(text, reply_markup=inline(rows) if rows else None)


@router.callback_query(PrivacyCB.filter(F.action.in_({"optin", "optout"})))
async def optional_consent(
    query: CallbackQuery, callback_data: PrivacyCB, ctx: AppContext, actor: Actor, t: Texts
) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    agree = callback_data.action == "optin"
    changed = await privacy.set_optional_consent(ctx, actor, agree)
    await message.edit_reply_markup(reply_markup=None)
    if not changed:
        await message.answer(t("privacy.unchanged"))
        return
    await message.answer(t("privacy.optin_done" if agree else "privacy.optout_done"))


@router.callback_query(PrivacyCB.filter(F.action == "erase"))
async def erase_plan(query: CallbackQuery, ctx: AppContext, actor: Actor, t: Texts) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    await message.edit_reply_markup(reply_markup=None)
    plan = await privacy.erasure_plan(ctx, actor)
    if plan is None:
        await message.answer(t("privacy.nothing"))
        return
    lines = [t("privacy.plan", apps=plan.delete_applications, files=plan.files)]
    if plan.keeps_records:
        lines.append(t("privacy.plan_keep", programs=", ".join(plan.keep_programs)))
    else:
        lines.append(t("privacy.plan_all"))
    if plan.delete_applications:
        lines.append(t("privacy.plan_open"))
    rows: list[list[Button]] = [
        [(t("privacy.erase_ok"), PrivacyCB(action="erase_ok"))],
        [(t("privacy.erase_no"), PrivacyCB(action="keep"))],
    ]
    await message.answer("\n".join(lines), reply_markup=inline(rows))


@router.callback_query(PrivacyCB.filter(F.action.in_({"erase_ok", "keep"})))
async def erase(
    query: CallbackQuery,
    callback_data: PrivacyCB,
    state: FSMContext,
    ctx: AppContext,
    actor: Actor,
    t: Texts,
) -> None:
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    await message.edit_reply_markup(reply_markup=None)
    if callback_data.action == "keep":
        await message.answer(t("privacy.kept"))
        return
    done = await privacy.erase_my_data(ctx, actor)
    if done is None:
        await message.answer(t("privacy.nothing"))
        return
    await state.clear()  # a form in progress held answers too
    await message.answer(t("privacy.erased_kept" if done.keeps_records else "privacy.erased"))
